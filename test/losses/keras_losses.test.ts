// The Keras 3 losses added after the first set: categorical focal and generalized
// cross-entropy, dice, tversky and circle. References: the Keras docstrings and
// keras/src/losses/losses_test.py values, and PyTorch transcriptions of Keras's formulas
// (scripts/fixtures/make_loss_fixtures.py -> test/fixtures/losses/*.json).
import * as fs from 'fs';
import * as path from 'path';
import { grad, layers, loadModel, losses, sequential, setSeed, tensor, tidy, randomUniform, type Model, type Tensor } from '../../src';
import { readZip } from '../../src/saving/zip';
import { tempDir } from '../saving/helpers';
import { gradcheck } from '../helpers/gradcheck';
import { expectNoLeaks } from '../helpers/memory';
import { expectClose, expectTensor } from '../helpers/reference';

interface Encoded {
  shape: number[];
  data: number[];
}
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/losses', `${name}.json`), 'utf8')).cases;
const f64 = (e: Encoded) => tensor(e.data, e.shape, 'float64');
const value = (t: Tensor) => Array.from(t.dataSync());

describe('Keras docstring and test-suite values', () => {
  const yTrue = [
    [0, 1, 0],
    [0, 0, 1],
  ];
  const yPred = [
    [0.05, 0.95, 0],
    [0.1, 0.8, 0.1],
  ];
  it('CategoricalFocalCrossentropy, every reduction and sample weights', () => {
    expectTensor(new losses.CategoricalFocalCrossentropy().apply(yTrue, yPred), [], [0.23315276], 1e-5);
    expectTensor(new losses.CategoricalFocalCrossentropy().apply(yTrue, yPred, [0.3, 0.7]), [], [0.1632], 1e-3);
    expectTensor(new losses.CategoricalFocalCrossentropy({ reduction: 'sum' }).apply(yTrue, yPred), [], [0.46631], 1e-4);
    expectTensor(new losses.CategoricalFocalCrossentropy({ reduction: null }).apply(yTrue, yPred), [2], [3.2058331e-5, 0.46627346], 1e-4);
    const fn = losses.categoricalFocalCrossentropy(yTrue, [
      [0.05, 0.9, 0.05],
      [0.1, 0.85, 0.05],
    ]);
    expectTensor(fn, [2], [2.63401289e-4, 0.675912094], 1e-4);
  });

  const segTrue = [
    [
      [[1], [1]],
      [[0], [0]],
    ],
    [
      [[1], [1]],
      [[0], [0]],
    ],
  ];
  const segPred = [
    [
      [[0], [1]],
      [[0], [1]],
    ],
    [
      [[0.4], [0]],
      [[0], [0.9]],
    ],
  ];
  const binTrue = [
    [1, 0, 1, 0],
    [0, 1, 0, 1],
    [1, 0, 1, 0],
    [0, 1, 0, 1],
  ];
  const binPred = [
    [0, 1, 0, 1],
    [1, 0, 1, 1],
    [0, 1, 0, 1],
    [1, 0, 1, 1],
  ];
  it('Dice', () => {
    expectTensor(new losses.Dice({ axis: [1, 2, 3], reduction: null }).apply(segTrue, segPred), [2], [0.5, 0.75757575], 1e-5);
    expectTensor(new losses.Dice().apply(segTrue, segPred), [], [0.6164384], 1e-5);
    expectTensor(losses.dice(segTrue, segPred), [], [0.6164384], 1e-5);
    const ints = [
      [1, 2],
      [1, 2],
    ];
    const intPred = [
      [4, 1],
      [6, 1],
    ];
    expectTensor(new losses.Dice().apply(ints, intPred), [], [-0.55555546], 1e-5);
    expectTensor(new losses.Dice().apply(binTrue, binPred), [], [0.77777773], 1e-5);
  });

  it('Tversky', () => {
    const ints = [
      [1, 2],
      [1, 2],
    ];
    const intPred = [
      [4, 1],
      [6, 1],
    ];
    expectTensor(new losses.Tversky().apply(ints, intPred), [], [-0.55555558], 1e-5);
    expectTensor(new losses.Tversky({ alpha: 0.2, beta: 0.8 }).apply(ints, intPred), [], [-0.94444442], 1e-5);
    expectTensor(new losses.Tversky().apply(binTrue, binPred), [], [0.77777779], 1e-5);
    expectTensor(new losses.Tversky({ alpha: 0.2, beta: 0.8 }).apply(binTrue, binPred), [], [0.76190472], 1e-5);
    expectTensor(new losses.Tversky({ axis: [1, 2, 3], reduction: null }).apply(segTrue, segPred), [2], [0.5, 0.75757575], 1e-5);
    expectTensor(new losses.Tversky({ alpha: 0.2, beta: 0.8, axis: [1, 2, 3], reduction: null }).apply(segTrue, segPred), [2], [0.5, 0.78494626], 1e-5);
  });

  const circleTrue = [1, 1, 2, 2, 3];
  const circlePred = [
    [0.70014004, -0.42008403, 0.14002801, 0.56011203],
    [0.17609018, 0.70436073, -0.52827054, 0.44022545],
    [-0.34050261, 0.25537696, -0.68100522, 0.59587957],
    [0.32163376, -0.75047877, 0.53605627, -0.21442251],
    [0.51261459, -0.34174306, 0.17087153, 0.76892189],
  ];
  const refLabels = [1, 1, 2, 2, 3, 4];
  const refEmbeddings = [
    [0.40824829, -0.54433105, 0.27216553, 0.68041382],
    [0.76376261, 0.10910895, -0.54554473, 0.32732684],
    [-0.74420841, 0.24806947, 0.49613894, -0.3721042],
    [0.52981294, -0.13245324, 0.79471941, -0.26490647],
    [0.54554473, -0.32732684, 0.10910895, 0.76376261],
    [-0.27216553, 0.68041382, 0.40824829, -0.54433105],
  ];
  it('Circle: the zero losses of samples without pairs leave the mean (Keras masks them)', () => {
    expectTensor(new losses.Circle({ gamma: 80, margin: 0.4 }).apply(circleTrue, circlePred), [], [188.3883], 1e-4);
    expectTensor(new losses.Circle({ gamma: 256, margin: 0.25 }).apply(circleTrue, circlePred), [], [652.7617], 1e-4);
    const weights = [2, 2, 1, 1, 0.5];
    expectTensor(new losses.Circle().apply(circleTrue, circlePred, weights), [], [244.91918], 1e-4);
    expectTensor(new losses.Circle({ reduction: 'mean_with_sample_weight' }).apply(circleTrue, circlePred, weights), [], [163.27948], 1e-4);
    expectTensor(new losses.Circle({ reduction: null }).apply(refLabels, refEmbeddings), [6], [82.9116, 36.7942, 92.459, 52.6798, 0, 0], 1e-4, 1e-3);
    expectTensor(new losses.Circle({ reduction: 'sum' }).apply(refLabels, refEmbeddings), [], [264.845], 1e-4);
    // By name (compile's way) the zero losses leave the mean too, as Keras's mask does.
    expectTensor(losses.toLoss('circle').apply(circleTrue, circlePred), [], [188.3883], 1e-4);
    expectTensor(losses.toLoss(losses.circle).apply(circleTrue, circlePred), [], [188.3883], 1e-4);
    const withRefs = losses.circle(circleTrue, circlePred, { refLabels, refEmbeddings, gamma: 80, margin: 0.4, removeDiagonal: false });
    expectTensor(withRefs, [5], [61.5844, 94.3465, 276.9344, 90.9873, 48.8963], 1e-4);
  });

  it('CategoricalGeneralizedCrossEntropy', () => {
    const labels = [0, 1, 0, 1];
    const probs = [
      [0.7, 0.3, 0],
      [0.2, 0.2, 0.6],
      [0.6, 0.4, 0],
      [0.2, 0.2, 0.6],
    ];
    const gce = (q: number) => [0.7, 0.2, 0.6, 0.2].reduce((s, p) => s + (1 - p ** q) / q, 0) / 4;
    expectTensor(new losses.CategoricalGeneralizedCrossEntropy().apply(labels, probs), [], [gce(0.5)], 1e-5);
    expectTensor(new losses.CategoricalGeneralizedCrossEntropy({ q: 0.8 }).apply(labels, probs), [], [gce(0.8)], 1e-5);
    expectTensor(new losses.CategoricalGeneralizedCrossEntropy().apply([[0], [1], [0], [1]], probs), [], [gce(0.5)], 1e-5);
  });
});

describe('PyTorch transcriptions of the Keras formulas: values and gradients', () => {
  it('categoricalFocalCrossentropy (alpha per class, smoothing, logits, axis)', () => {
    for (const c of fixture('focal')) {
      const [t, p] = [f64(c.yTrue), f64(c.yPred)];
      expectTensor(losses.categoricalFocalCrossentropy(t, p, c.options), c.loss.shape, c.loss.data, 1e-9, 1e-12);
      expectClose(value(grad((x) => losses.categoricalFocalCrossentropy(t, x, c.options).sum())(p)), c.grad.data, 1e-8, 1e-11);
    }
  });

  it('dice and tversky', () => {
    for (const c of fixture('overlap')) {
      const [t, p] = [f64(c.yTrue), f64(c.yPred)];
      expectTensor(losses.dice(t, p, { axis: c.axis }), c.dice.shape, c.dice.data, 1e-9, 1e-12);
      expectTensor(losses.tversky(t, p, { axis: c.axis, alpha: c.alpha, beta: c.beta }), c.tversky.shape, c.tversky.data, 1e-9, 1e-12);
      expectClose(value(grad((x) => losses.dice(t, x, { axis: c.axis }).sum())(p)), c.diceGrad.data, 1e-8, 1e-11);
      expectClose(value(grad((x) => losses.tversky(t, x, { axis: c.axis, alpha: c.alpha, beta: c.beta }).sum())(p)), c.tverskyGrad.data, 1e-8, 1e-11);
    }
  });

  it('circle', () => {
    for (const c of fixture('circle')) {
      const e = f64(c.embeddings);
      const options = { gamma: c.gamma, margin: c.margin, removeDiagonal: c.removeDiagonal };
      expectTensor(losses.circle(c.labels, e, options), c.loss.shape, c.loss.data, 1e-9, 1e-9);
      expectClose(value(grad((x) => losses.circle(c.labels, x, options).sum())(e)), c.grad.data, 1e-7, 1e-9);
    }
  });

  it('categoricalGeneralizedCrossEntropy', () => {
    for (const c of fixture('gce')) {
      const p = f64(c.yPred);
      expectTensor(losses.categoricalGeneralizedCrossEntropy(c.labels, p, { q: c.q }), c.loss.shape, c.loss.data, 1e-9, 1e-12);
      expectClose(value(grad((x) => losses.categoricalGeneralizedCrossEntropy(c.labels, x, { q: c.q }).sum())(p)), c.grad.data, 1e-8, 1e-11);
    }
  });

  it('finite differences agree (a Loss with sample weights)', () => {
    const t = tensor(
      [
        [0, 1, 0, 0],
        [0, 0, 0, 1],
        [1, 0, 0, 0],
      ],
      undefined,
      'float64',
    );
    const p = tensor(
      [
        [0.2, 0.5, 0.2, 0.1],
        [0.1, 0.3, 0.3, 0.3],
        [0.6, 0.1, 0.2, 0.1],
      ],
      undefined,
      'float64',
    );
    gradcheck((x) => new losses.CategoricalFocalCrossentropy({ alpha: [0.1, 0.2, 0.3, 0.4] }).apply(t, x, [1, 2, 0.5]), [p]);
    gradcheck((x) => new losses.Tversky({ alpha: 0.3, beta: 0.7, axis: 1, reduction: 'sum' }).apply(t, x), [p]);
  });
});

describe('names, configs and compile', () => {
  const kinds: [string, string, Record<string, unknown>][] = [
    ['CategoricalFocalCrossentropy', 'categorical_focal_crossentropy', { alpha: [0.2, 0.8], gamma: 1, fromLogits: true, labelSmoothing: 0.1, axis: -1 }],
    ['CategoricalGeneralizedCrossEntropy', 'categorical_generalized_cross_entropy', { q: 0.3 }],
    ['Dice', 'dice', { axis: [1] }],
    ['Tversky', 'tversky', { alpha: 0.3, beta: 0.7, axis: null }],
    ['Circle', 'circle', { gamma: 32, margin: 0.25, removeDiagonal: false }],
    ['CTC', 'ctc', {}],
  ];
  it('get by class name and function name; getConfig round-trips with Keras defaults', () => {
    for (const [cls, name, options] of kinds) {
      const made = losses.get(cls) as losses.Loss;
      expect(made).toBeInstanceOf(losses[cls as 'Dice']);
      expect(made.name).toBe(name);
      expect(typeof losses.get(name)).toBe('function');
      const Ctor = losses[cls as 'Dice'] as unknown as new (c: object) => losses.Loss;
      const loss = new Ctor({ ...options, name: `my_${name}`, reduction: 'sum' });
      const config = loss.getConfig();
      expect(config).toMatchObject({ ...options, name: `my_${name}`, reduction: 'sum' });
      expect(new Ctor(config).getConfig()).toEqual(config);
    }
    expect(new losses.Tversky().getConfig()).toEqual({ alpha: 0.5, beta: 0.5, axis: null, name: 'tversky', reduction: 'sum_over_batch_size' });
    expect(new losses.Circle({ remove_diagonal: false } as object).getConfig()).toMatchObject({ removeDiagonal: false });
  });

  it('compiles by name and trains', async () => {
    setSeed(3);
    const model = sequential({ layers: [layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })] });
    model.compile({ optimizer: 'adam', loss: 'categorical_focal_crossentropy' });
    const x = randomUniform([8, 4]);
    const y = tensor(
      [0, 1, 2, 0, 1, 2, 0, 1].flatMap((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))),
      [8, 3],
    );
    const history = await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect((history.history.loss as number[]).every(Number.isFinite)).toBe(true);
    model.compile({ optimizer: 'sgd', loss: 'dice' });
    const h2 = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(Number.isFinite((h2.history.loss as number[])[0])).toBe(true);
    [x, y].forEach((t) => t.dispose());
    model.dispose();
  });
});

const saveDir = tempDir();
test('a .keras file holds the new Loss classes with their Keras config and loads them back', async () => {
  setSeed(4);
  const model = sequential({ layers: [layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })] });
  model.compile({ optimizer: 'sgd', loss: new losses.CategoricalFocalCrossentropy({ alpha: [0.2, 0.3, 0.5], gamma: 1.5 }) });
  const x = randomUniform([4, 4]);
  const y = tensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0], [4, 3]);
  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  const file = `${saveDir}/focal.keras`;
  await model.save(file);
  const config = JSON.parse(new TextDecoder().decode(readZip(file, fs.readFileSync(file)).get('config.json')));
  expect(config.compile_config.loss).toMatchObject({
    module: 'keras.losses',
    class_name: 'CategoricalFocalCrossentropy',
    config: { alpha: [0.2, 0.3, 0.5], gamma: 1.5, from_logits: false, label_smoothing: 0, axis: -1, name: 'categorical_focal_crossentropy' },
  });
  const loaded = (await loadModel(file)) as Model<any>;
  const history = await loaded.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  expect(Number.isFinite((history.history.loss as number[])[0])).toBe(true);
  [x, y].forEach((t) => t.dispose());
  [model, loaded].forEach((m) => m.dispose());
});

describe('bad options and inputs name the loss', () => {
  it('options', () => {
    expect(() => new losses.Dice({ axs: 1 } as object)).toThrow(/axs.*axis|axis.*axs/);
    expect(() => new losses.CategoricalGeneralizedCrossEntropy({ q: 1 })).toThrow(/q in the open interval \(0, 1\), got 1/);
    expect(() => losses.categoricalGeneralizedCrossEntropy([0], [[0.5, 0.5]], { q: 0 })).toThrow(/categoricalGeneralizedCrossEntropy: expected q/);
    expect(() => losses.categoricalFocalCrossentropy([[0, 1]], [[0.5, 0.5]], { alpha: [1, 2, 3] })).toThrow(
      /categoricalFocalCrossentropy: expected alpha to have one weight per class \(2\), got 3/,
    );
    expect(() => losses.categoricalFocalCrossentropy([[0, 1]], [[0.5, 0.5]], { labelSmoothing: 2 })).toThrow(/labelSmoothing in \[0, 1\]/);
    expect(() => losses.categoricalFocalCrossentropy([[0, 1]], [[0.5, 0.5]], { gamma: 'x' as unknown as number })).toThrow(/gamma to be a finite number/);
    expect(() => losses.tversky([[0, 1]], [[0.5, 0.5]], { beta: NaN })).toThrow(/tversky: expected beta to be a finite number/);
    expect(() => losses.dice([[0, 1]], [[0.5, 0.5]], { axis: 2 })).toThrow(/dice: expected axis in \[-2, 2\), got 2/);
    expect(() =>
      losses.circle(
        [0, 1],
        [
          [1, 0],
          [0, 1],
        ],
        { removeDiagonal: 1 as unknown as boolean },
      ),
    ).toThrow(/circle: expected removeDiagonal to be true or false/);
    expect(() => (losses.dice as (...a: unknown[]) => Tensor)([[0, 1]], [[0.5, 0.5]], {}, 1)).toThrow(/dice: expected at most 3 arguments, got 4/);
  });

  it('inputs', () => {
    expect(() => losses.dice([[0, 1, 1]], [[0.5, 0.5]])).toThrow(/dice: yTrue of shape \[1, 3\] does not match yPred of shape \[1, 2\]/);
    expect(() =>
      losses.circle(
        [0, 1, 2],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toThrow(/circle: expected yTrue of shape \[2\] or \[2, 1\]/);
    expect(() =>
      losses.circle(
        [0, 1.5],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toThrow(/circle: expected integer labels in yTrue, got 1.5/);
    expect(() => losses.circle([0, 1], [1, 0])).toThrow(/circle: expected yPred of shape \[batch, dims\]/);
    expect(() => losses.categoricalGeneralizedCrossEntropy([2], [[0.5, 0.5]])).toThrow(
      /categoricalGeneralizedCrossEntropy: label 2 at index 0 is not a class index in \[0, 2\)/,
    );
  });

  it('releases every intermediate', () => {
    const p = tensor([
      [0.2, 0.5, 0.3],
      [0.1, 0.3, 0.6],
    ]);
    const t = tensor([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expectNoLeaks(() =>
      tidy(() => {
        void grad((x) => new losses.CategoricalFocalCrossentropy().apply(t, x))(p);
        void grad((x) => new losses.Circle().apply([0, 0], x))(p);
        void new losses.Tversky().apply(t, p);
      }),
    );
    [p, t].forEach((x) => x.dispose());
  });
});
