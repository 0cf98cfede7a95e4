import { grads, losses, memory, tensor, tidy, type Tensor } from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { expectNoLeaks } from '../helpers/memory';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

const value = (t: Tensor) => Array.from(t.dataSync());
const f64 = (v: number[][] | number[]) => tensor(v as number[][], undefined, 'float64');
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

// The worked examples of the Keras 3 docstrings (keras/src/losses/losses.py).
describe('Keras docstring examples', () => {
  const bceTrue = [
    [0, 1],
    [0, 0],
  ];
  const bceLogits = [
    [-18.6, 0.51],
    [2.94, -12.8],
  ];
  const cceTrue = [
    [0, 1, 0],
    [0, 0, 1],
  ];
  const ccePred = [
    [0.05, 0.95, 0],
    [0.1, 0.8, 0.1],
  ];

  it('regression losses', () => {
    expectTensor(new losses.MeanSquaredError().apply([1, 0, 1], [0.9, 0.1, 0.8]), [], [0.02], 1e-5);
    expectTensor(new losses.MeanAbsoluteError().apply([1, 0.3, 1], [1.9, 0.3, 1.8]), [], [0.5666667], 1e-5);
    expectTensor(new losses.MeanAbsolutePercentageError().apply([100, 200, 300], [90, 210, 310]), [], [6.111111], 1e-5);
    expectTensor(
      new losses.Huber().apply(
        [
          [0, 1],
          [0, 0],
        ],
        [
          [0.6, 0.4],
          [0.4, 0.6],
        ],
      ),
      [],
      [0.155],
      1e-5,
    );
    expectTensor(
      losses.cosineSimilarity(
        [
          [0, 1],
          [1, 1],
          [1, 1],
        ],
        [
          [1, 0],
          [1, 1],
          [-1, -1],
        ],
      ),
      [3],
      [0, -1, 1],
      1e-5,
      1e-6,
    );
    expectTensor(
      new losses.LogCosh().apply(
        [
          [0, 1],
          [0, 0],
        ],
        [
          [1, 1],
          [0, 0],
        ],
      ),
      [],
      [0.10844523],
      1e-5,
    );
  });

  it('binary cross-entropy from logits with every reduction and sample weights', () => {
    expectTensor(new losses.BinaryCrossentropy({ fromLogits: true }).apply([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8]), [], [0.8654], 1e-3);
    const bce = new losses.BinaryCrossentropy({ fromLogits: true });
    expectTensor(bce.apply(bceTrue, bceLogits), [], [0.8654], 1e-3);
    expectTensor(bce.apply(bceTrue, bceLogits, [0.8, 0.2]), [], [0.2436], 1e-3);
    expectTensor(new losses.BinaryCrossentropy({ fromLogits: true, reduction: 'sum' }).apply(bceTrue, bceLogits), [], [1.73], 1e-3);
    expectTensor(new losses.BinaryCrossentropy({ fromLogits: true, reduction: 'none' }).apply(bceTrue, bceLogits), [2], [0.235, 1.496], 2e-3);
    expectTensor(new losses.BinaryCrossentropy({ fromLogits: true, reduction: null }).apply(bceTrue, bceLogits), [2], [0.235, 1.496], 2e-3);
    expectTensor(
      losses.binaryCrossentropy(bceTrue, [
        [0.6, 0.4],
        [0.4, 0.6],
      ]),
      [2],
      [0.916, 0.714],
      1e-3,
    );
  });

  it('binary focal cross-entropy', () => {
    const focal = (o: object, yTrue: number[] | number[][], yPred: number[] | number[][], sw?: number[]) =>
      new losses.BinaryFocalCrossentropy({ fromLogits: true, ...o }).apply(yTrue, yPred, sw);
    expectTensor(focal({ gamma: 2 }, [0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8]), [], [0.691], 2e-3);
    expectTensor(focal({ gamma: 2, applyClassBalancing: true }, [0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8]), [], [0.51], 1e-2);
    expectTensor(focal({ gamma: 3 }, bceTrue, bceLogits), [], [0.647], 2e-3);
    expectTensor(focal({ gamma: 3, applyClassBalancing: true }, bceTrue, bceLogits), [], [0.482], 2e-3);
    expectTensor(focal({ gamma: 3 }, bceTrue, bceLogits, [0.8, 0.2]), [], [0.133], 4e-3);
    expectTensor(focal({ gamma: 3, applyClassBalancing: true }, bceTrue, bceLogits, [0.8, 0.2]), [], [0.097], 6e-3);
    expectTensor(focal({ gamma: 4, reduction: 'sum' }, bceTrue, bceLogits), [], [1.222], 2e-3);
    expectTensor(focal({ gamma: 4, applyClassBalancing: true, reduction: 'sum' }, bceTrue, bceLogits), [], [0.914], 2e-3);
    expectTensor(focal({ gamma: 5, reduction: 'none' }, bceTrue, bceLogits), [2], [0.0017, 1.1561], 2e-2, 1e-4);
    expectTensor(focal({ gamma: 5, applyClassBalancing: true, reduction: 'none' }, bceTrue, bceLogits), [2], [0.0004, 0.867], 2e-2, 1e-4);
    expectTensor(
      losses.binaryFocalCrossentropy(
        bceTrue,
        [
          [0.6, 0.4],
          [0.4, 0.6],
        ],
        { gamma: 2 },
      ),
      [2],
      [0.33, 0.206],
      3e-3,
    );
  });

  it('categorical and sparse categorical cross-entropy', () => {
    const cce = new losses.CategoricalCrossentropy();
    expectTensor(cce.apply(cceTrue, ccePred), [], [1.177], 1e-3);
    expectTensor(cce.apply(cceTrue, ccePred, [0.3, 0.7]), [], [0.814], 1e-3);
    expectTensor(new losses.CategoricalCrossentropy({ reduction: 'sum' }).apply(cceTrue, ccePred), [], [2.354], 1e-3);
    expectTensor(new losses.CategoricalCrossentropy({ reduction: 'none' }).apply(cceTrue, ccePred), [2], [0.0513, 2.303], 1e-3);
    expectTensor(losses.sparseCategoricalCrossentropy([1, 2], ccePred), [2], [0.0513, 2.303], 1e-3);
    expectTensor(losses.sparseCategoricalCrossentropy(tensor([[1], [2]], undefined, 'int32'), ccePred), [2], [0.0513, 2.303], 1e-3);
    expectTensor(new losses.SparseCategoricalCrossentropy().apply([1, 2], ccePred, [0.3, 0.7]), [], [0.814], 1e-3);
  });
});

describe('hand-computed values', () => {
  const yTrue = [
    [0.2, 0.7],
    [1.5, 0.1],
  ];
  const yPred = [
    [0.3, 0.4],
    [1.1, 0.9],
  ];
  const rows = (fn: (t: number, p: number) => number) => yTrue.map((r, i) => r.reduce((s, t, j) => s + fn(t, yPred[i][j]), 0) / r.length);

  it('regression losses per sample', () => {
    expectTensor(
      losses.meanSquaredError(yTrue, yPred),
      [2],
      rows((t, p) => (t - p) ** 2),
    );
    expectTensor(
      losses.meanAbsoluteError(yTrue, yPred),
      [2],
      rows((t, p) => Math.abs(t - p)),
    );
    expectTensor(
      losses.meanAbsolutePercentageError(yTrue, yPred),
      [2],
      rows((t, p) => (100 * Math.abs(t - p)) / Math.abs(t)),
      1e-5,
    );
    expectTensor(
      losses.meanSquaredLogarithmicError(yTrue, yPred),
      [2],
      rows((t, p) => (Math.log1p(p) - Math.log1p(t)) ** 2),
    );
    const hub = (d: number) => (t: number, p: number) => (Math.abs(p - t) <= d ? 0.5 * (p - t) ** 2 : d * Math.abs(p - t) - 0.5 * d * d);
    expectTensor(losses.huber(yTrue, yPred, { delta: 0.35 }), [2], rows(hub(0.35)));
    expectTensor(
      losses.logCosh(yTrue, yPred),
      [2],
      rows((t, p) => Math.log(Math.cosh(p - t))),
      1e-5,
    );
    expectTensor(
      losses.poisson(yTrue, yPred),
      [2],
      rows((t, p) => p - t * Math.log(p + 1e-7)),
      1e-5,
    );
    expectTensor(losses.kullbackLeiblerDivergence([[0.2, 0.8]], [[0.5, 0.5]]), [1], [0.2 * Math.log(0.4) + 0.8 * Math.log(1.6)], 1e-5);
  });

  it('hinge losses map 0/1 labels to -1/1', () => {
    const t = [[0, 1, 1]];
    const p = [[0.3, 0.8, -0.5]];
    const viol = [1 + 0.3, 1 - 0.8, 1 + 0.5];
    expectTensor(losses.hinge(t, p), [1], [(viol[0] + viol[1] + viol[2]) / 3]);
    expectTensor(losses.squaredHinge(t, p), [1], [(viol[0] ** 2 + viol[1] ** 2 + viol[2] ** 2) / 3], 1e-5);
    expectTensor(losses.hinge([[-1, 1]], [[0.5, 2]]), [1], [(1.5 + 0) / 2]);
    // pos = 0.8 - 0.5 = 0.3; neg = max(0.3, 0, 0) = 0.3 -> max(0.3 - 0.3 + 1, 0) = 1
    expectTensor(losses.categoricalHinge([[0, 1, 1]], [[0.3, 0.8, -0.5]]), [1], [1]);
  });

  it('label smoothing, axis and probabilities that need renormalizing', () => {
    const z = 0.2 * 0.5 + 0.5 * 0; // label 0 smoothed by 0.2 -> 0.1, label 1 -> 0.9
    const bce = (t: number, p: number) => -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
    expectTensor(losses.binaryCrossentropy([[0, 1]], [[0.3, 0.6]], { labelSmoothing: 0.2 }), [1], [(bce(0.1, 0.3) + bce(0.9, 0.6)) / 2], 1e-5);
    expect(z).toBe(0.1);
    // smoothing 0.3 over 3 classes: [0.1, 0.8, 0.1]
    const p = [0.2, 0.5, 0.3];
    expectTensor(
      losses.categoricalCrossentropy([[0, 1, 0]], [p], { labelSmoothing: 0.3 }),
      [1],
      [-(0.1 * Math.log(0.2) + 0.8 * Math.log(0.5) + 0.1 * Math.log(0.3))],
      1e-5,
    );
    // unnormalized probabilities are renormalized, and axis 0 is the class axis
    expectTensor(
      losses.categoricalCrossentropy(
        [
          [0, 1],
          [1, 0],
        ],
        [
          [2, 1],
          [2, 3],
        ],
        { axis: 0 },
      ),
      [2],
      [-Math.log(0.5), -Math.log(0.25)],
      1e-5,
    );
    // clipped probabilities keep log finite
    expect(Number.isFinite(value(losses.binaryCrossentropy([1, 0], [0, 1]))[0])).toBe(true);
    expectTensor(losses.binaryCrossentropy([1], [0]), [], [-Math.log(1e-7)], 1e-4);
  });

  it('logits: stable for large values and equal to the probability form', () => {
    const logits = [
      [1.5, -0.3],
      [40, -60],
    ];
    const labels = [
      [1, 0],
      [0, 1],
    ];
    const stable = (z: number, x: number) => Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x)));
    expectTensor(
      losses.binaryCrossentropy(labels, logits, { fromLogits: true }),
      [2],
      [(stable(1, 1.5) + stable(0, -0.3)) / 2, (stable(0, 40) + stable(1, -60)) / 2],
      1e-5,
    );
    const probs = logits[0].map(sigmoid);
    expectClose(value(losses.binaryCrossentropy([labels[0]], [logits[0]], { fromLogits: true })), value(losses.binaryCrossentropy([labels[0]], [probs])), 1e-5);
    const big = [[1000, 0, -1000]];
    expectTensor(losses.categoricalCrossentropy([[0, 1, 0]], big, { fromLogits: true }), [1], [1000], 1e-6);
    expectTensor(losses.sparseCategoricalCrossentropy([1], big, { fromLogits: true }), [1], [1000], 1e-6);
  });

  it('ignoreClass: ignored samples get 0 and leave the mean', () => {
    const pred = [
      [0.7, 0.3],
      [0.4, 0.6],
      [0.5, 0.5],
    ];
    expectTensor(losses.sparseCategoricalCrossentropy([0, -1, 1], pred, { ignoreClass: -1 }), [3], [-Math.log(0.7), 0, -Math.log(0.5)], 1e-5);
    const loss = new losses.SparseCategoricalCrossentropy({ ignoreClass: -1 });
    expectTensor(loss.apply([0, -1, 1], pred), [], [(-Math.log(0.7) - Math.log(0.5)) / 2], 1e-5);
    expectTensor(
      new losses.SparseCategoricalCrossentropy({ ignoreClass: -1, reduction: 'sum' }).apply([0, -1, 1], pred),
      [],
      [-Math.log(0.7) - Math.log(0.5)],
      1e-5,
    );
  });
});

describe('reductions and sample weights', () => {
  const t = [
    [0, 1],
    [1, 1],
    [0, 0],
  ];
  const p = [
    [0.5, 0.5],
    [0.2, 1],
    [0.1, 0.3],
  ];
  const per = [0.25, 0.32, 0.05];
  it('Keras semantics', () => {
    expectTensor(new losses.MeanSquaredError({ reduction: 'none' }).apply(t, p), [3], per, 1e-5);
    expectTensor(new losses.MeanSquaredError({ reduction: 'sum' }).apply(t, p), [], [0.62], 1e-5);
    expectTensor(new losses.MeanSquaredError().apply(t, p), [], [0.62 / 3], 1e-5);
    expectTensor(new losses.MeanSquaredError({ reduction: 'sumOverBatchSize' }).apply(t, p), [], [0.62 / 3], 1e-5);
    const w = [1, 2, 0];
    // weights multiply, sum_over_batch_size divides by the number of elements (3), not by sum(w)
    expectTensor(new losses.MeanSquaredError().apply(t, p, w), [], [(0.25 + 0.64) / 3], 1e-5);
    expectTensor(new losses.MeanSquaredError({ reduction: 'mean_with_sample_weight' }).apply(t, p, w), [], [(0.25 + 0.64) / 3], 1e-5);
    expectTensor(new losses.MeanSquaredError({ reduction: 'none' }).apply(t, p, w), [3], [0.25, 0.64, 0]);
    expectTensor(new losses.MeanSquaredError().apply(t, p, 2), [], [(2 * 0.62) / 3], 1e-5);
    expectTensor(new losses.MeanSquaredError().apply(t, p, [[1], [2], [0]]), [], [(0.25 + 0.64) / 3], 1e-5);
  });
  // The mean-type reductions run as one reduce_mean; an empty batch keeps the sum path's 0.
  it('mean-type reductions: float64 kept, an empty batch gives 0, the gradient is 1/n per element', () => {
    const mse = new losses.MeanSquaredError();
    const r = mse.apply(tensor(t, [3, 2], 'float64'), tensor(p, [3, 2], 'float64'));
    expect(r.dtype).toBe('float64');
    expect(r.dataSync()[0]).toBeCloseTo(0.62 / 3, 12);
    for (const reduction of ['sum_over_batch_size', 'mean'] as const) {
      expectTensor(new losses.MeanSquaredError({ reduction }).apply(tensor([], [0, 2]), tensor([], [0, 2])), [], [0]);
    }
    const values = tensor([1, 2, 3, 4]);
    const [g] = grads((v: Tensor) => new losses.MeanAbsoluteError({ reduction: 'mean' }).apply(tensor([0, 0, 0, 0]), v))([values]);
    expectTensor(g, [4], [0.25, 0.25, 0.25, 0.25]);
  });
  it('per-sample weights of a [batch, time] loss weight samples', () => {
    const yt = [
      [[1], [2]],
      [[3], [4]],
    ];
    const yp = [
      [[0], [0]],
      [[0], [0]],
    ];
    // per-element losses [[1, 4], [9, 16]]; weights [1, 0] keep the first sample
    expectTensor(new losses.MeanSquaredError({ reduction: 'sum' }).apply(yt, yp, [1, 0]), [], [5]);
    expectTensor(
      new losses.MeanSquaredError({ reduction: 'none' }).apply(yt, yp, [
        [1, 0],
        [0, 1],
      ]),
      [2, 2],
      [1, 0, 0, 16],
    );
  });
});

describe('gradients', () => {
  const t = () => randomTensor([3, 4], 11, 'float64', 0.05, 0.95);
  const p = () => randomTensor([3, 4], 12, 'float64', 0.05, 0.95);
  const logits = () => randomTensor([3, 4], 13, 'float64', -3, 3);
  const cases: [string, (a: Tensor, b: Tensor) => Tensor, () => Tensor, () => Tensor][] = [
    ['meanSquaredError', losses.meanSquaredError, t, p],
    ['meanAbsoluteError', losses.meanAbsoluteError, t, p],
    ['meanAbsolutePercentageError', losses.meanAbsolutePercentageError, t, p],
    ['meanSquaredLogarithmicError', losses.meanSquaredLogarithmicError, t, p],
    ['huber', (a, b) => losses.huber(a, b, { delta: 0.3 }), t, p],
    ['logCosh', losses.logCosh, t, p],
    ['cosineSimilarity', losses.cosineSimilarity, t, p],
    ['binaryCrossentropy', (a, b) => losses.binaryCrossentropy(a, b, { labelSmoothing: 0.1 }), t, p],
    ['binaryCrossentropy fromLogits', (a, b) => losses.binaryCrossentropy(a, b, { fromLogits: true }), t, logits],
    ['binaryFocalCrossentropy', (a, b) => losses.binaryFocalCrossentropy(a, b, { applyClassBalancing: true }), t, p],
    ['binaryFocalCrossentropy fromLogits', (a, b) => losses.binaryFocalCrossentropy(a, b, { fromLogits: true, gamma: 1.5 }), t, logits],
    ['categoricalCrossentropy', losses.categoricalCrossentropy, t, p],
    ['categoricalCrossentropy fromLogits', (a, b) => losses.categoricalCrossentropy(a, b, { fromLogits: true, labelSmoothing: 0.1 }), t, logits],
    [
      'hinge',
      losses.hinge,
      () =>
        f64([
          [-1, 1, 1, -1],
          [1, 1, -1, -1],
          [1, -1, 1, -1],
        ]),
      logits,
    ],
    [
      'squaredHinge',
      losses.squaredHinge,
      () =>
        f64([
          [-1, 1, 1, -1],
          [1, 1, -1, -1],
          [1, -1, 1, -1],
        ]),
      logits,
    ],
    [
      'categoricalHinge',
      losses.categoricalHinge,
      () =>
        f64([
          [0, 1, 0, 0],
          [1, 0, 0, 0],
          [0, 0, 0, 1],
        ]),
      logits,
    ],
    ['kullbackLeiblerDivergence', losses.kullbackLeiblerDivergence, t, p],
    ['poisson', losses.poisson, t, p],
  ];
  it.each(cases)('%s', (_name, fn, a, b) => {
    gradcheck((x, y) => fn(x, y), [a(), b()], { rtol: 1e-4, atol: 1e-6 });
  });
  it('sparseCategoricalCrossentropy, from probabilities and logits', () => {
    const labels = tensor([0, 3, 1], undefined, 'int32');
    gradcheck((x) => losses.sparseCategoricalCrossentropy(labels, x), [p()]);
    gradcheck((x) => losses.sparseCategoricalCrossentropy(labels, x, { fromLogits: true }), [logits()]);
  });
  it('logits of exactly 0 get the right gradient', () => {
    gradcheck((x) => losses.binaryCrossentropy(f64([[1, 0, 0.5]]), x, { fromLogits: true }), [f64([[0, 0, 0]])]);
  });
  it('a Loss with weights and reductions', () => {
    gradcheck((x) => new losses.CategoricalCrossentropy({ fromLogits: true }).apply(t(), x, f64([0.5, 2, 1])), [logits()]);
    gradcheck((x) => new losses.Huber({ reduction: 'sum' }).apply(t(), x), [p()]);
  });
});

describe('lookup, custom losses and bad input', () => {
  it('get resolves Keras names, aliases, camelCase names and classes', () => {
    expect(losses.get('mse')).toBe(losses.meanSquaredError);
    expect(losses.get('mean_squared_error')).toBe(losses.meanSquaredError);
    expect(losses.get('meanSquaredError')).toBe(losses.meanSquaredError);
    expect(losses.get('mae')).toBe(losses.meanAbsoluteError);
    expect(losses.get('mape')).toBe(losses.meanAbsolutePercentageError);
    expect(losses.get('msle')).toBe(losses.meanSquaredLogarithmicError);
    expect(losses.get('sparse_categorical_crossentropy')).toBe(losses.sparseCategoricalCrossentropy);
    expect(losses.get('sparseCategoricalCrossentropy')).toBe(losses.sparseCategoricalCrossentropy);
    expect(losses.get('binaryCrossentropy')).toBe(losses.binaryCrossentropy);
    expect(losses.get('kld')).toBe(losses.kullbackLeiblerDivergence);
    expect(losses.get('Huber')).toBeInstanceOf(losses.Huber);
    const instance = new losses.Poisson();
    expect(losses.get(instance)).toBe(instance);
    const l = losses.toLoss('mse');
    expect(l.name).toBe('mse');
    expectTensor(l.apply([1, 0, 1], [0.9, 0.1, 0.8]), [], [0.02], 1e-5);
    expect(new losses.MeanSquaredError().name).toBe('mean_squared_error');
    expect(new losses.Huber().name).toBe('huber_loss');
    expect(new losses.Huber({ delta: 2, name: 'h' }).getConfig()).toEqual({ name: 'h', reduction: 'sum_over_batch_size', delta: 2 });
  });
  it('unknown names list the valid ones', () => {
    expect(() => losses.get('msee')).toThrow(
      /losses.get: unknown loss 'msee'; did you mean 'mse'\? expected .*mean_squared_error.*sparse_categorical_crossentropy/,
    );
    expect(() => new losses.MeanSquaredError({ reduction: 'avg' as never })).toThrow(/unknown reduction 'avg'; expected one of 'sum_over_batch_size'/);
  });
  it('custom losses: a function or a Loss subclass', () => {
    const custom = (yTrue: Tensor, yPred: Tensor) => losses.meanAbsoluteError(yTrue, yPred);
    const wrapped = losses.toLoss(custom);
    expect(wrapped.name).toBe('custom');
    expectTensor(wrapped.apply([[1, 2]], [[2, 4]]), [], [1.5]);
    class Cubed extends losses.Loss {
      call(yTrue: Tensor, yPred: Tensor): Tensor {
        return losses.meanSquaredError(yTrue, yPred);
      }
    }
    const c = new Cubed({ reduction: 'sum' });
    expect(c.name).toBe('cubed');
    expectTensor(
      c.apply(
        [
          [1, 2],
          [0, 0],
        ],
        [
          [2, 4],
          [1, 1],
        ],
      ),
      [],
      [2.5 + 1],
    );
  });
  it('mismatched shapes and wrong label dtypes say which loss', () => {
    expect(() => losses.meanSquaredError([[1, 2, 3]], [[1, 2]])).toThrow(/meanSquaredError: yTrue of shape \[1, 3\] does not match yPred of shape \[1, 2\]/);
    expect(() => new losses.BinaryCrossentropy().apply([1, 0], [0.5, 0.5, 0.5])).toThrow(
      /binaryCrossentropy: yTrue of shape \[2\] does not match yPred of shape \[3\]/,
    );
    expect(() =>
      losses.sparseCategoricalCrossentropy(tensor([true, false]), [
        [0.5, 0.5],
        [0.5, 0.5],
      ]),
    ).toThrow(/sparseCategoricalCrossentropy: expected integer class labels \(int32 or float\), got a bool tensor/);
    expect(() =>
      losses.sparseCategoricalCrossentropy(
        [0, 2],
        [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
      ),
    ).toThrow(/label 2 at index 1 is not a class index in \[0, 2\)/);
    expect(() =>
      losses.sparseCategoricalCrossentropy(
        [0.5, 1],
        [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
      ),
    ).toThrow(/label 0.5 at index 0/);
    expect(() =>
      losses.sparseCategoricalCrossentropy(
        [0, 1, 1],
        [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
      ),
    ).toThrow(/yTrue of shape \[3\] does not match yPred of shape \[2, 2\]; expected integer labels of shape \[2\]/);
    expect(() => new losses.MeanSquaredError().apply([[1], [2]], [[1], [2]], [1, 2, 3])).toThrow(
      /mean_squared_error: sampleWeight of shape \[3\] does not broadcast to the losses of shape \[2\]/,
    );
    expect(() => losses.binaryCrossentropy([1], [0.5], { labelSmoothing: 2 })).toThrow(/labelSmoothing in \[0, 1\], got 2/);
  });
  it('releases every intermediate', () => {
    const yt = tensor([
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const yp = tensor([
      [0.2, 0.5, 0.3],
      [0.6, 0.3, 0.1],
    ]);
    const all = [
      new losses.CategoricalCrossentropy(),
      new losses.SparseCategoricalCrossentropy({ ignoreClass: 2 }),
      new losses.BinaryFocalCrossentropy(),
      new losses.Hinge(),
      new losses.MeanSquaredError(),
      new losses.CosineSimilarity(),
    ];
    expectNoLeaks(() => {
      for (const l of all) {
        const labels = l instanceof losses.SparseCategoricalCrossentropy ? tensor([1, 2], undefined, 'int32') : yt;
        l.apply(labels, yp, [1, 0.5]).dispose();
        if (labels !== yt) labels.dispose();
      }
      losses.sparseCategoricalCrossentropy([1, 0], yp, { fromLogits: true }).dispose();
    });
    expect(memory().numTensors).toBeGreaterThan(0);
    tidy(() => undefined);
  });
});
