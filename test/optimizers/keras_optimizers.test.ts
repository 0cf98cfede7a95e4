// Lion, Lamb, Ftrl and Adafactor against Keras 3's update rules: trajectories from a numpy
// float64 transcription of keras/src/optimizers/*.py (scripts/fixtures/
// make_keras_optimizer_fixtures.py; matrices and a rank-3 tensor for Adafactor's factored
// moments, a vector and a scalar), and the golden values of Keras's own tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { layers, optimizers, sequential, tensor, variable, type Tensor, type Variable } from '../../src';
import { expectClose } from '../helpers/reference';
import { liveTensors } from '../helpers/memory';

interface Case {
  name: string;
  className: string;
  config: Record<string, unknown>;
  weights: { name: string; shape: number[]; values: number[] }[];
  grads: number[][][];
  after: number[][][];
  slots: Record<string, { shape: number[]; values: number[] }>;
}
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'optimizers', 'keras_optimizers.json');
const CASES: Case[] = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')).cases;

type DType = 'float32' | 'float64';

// Runs a fixture case's steps; returns the weights after each step and the final slots.
function replay(c: Case, dtype: DType) {
  const opt = optimizers.get({ className: c.className, config: c.config });
  const prefix = `${c.className}_${dtype}_${Math.random().toString(36).slice(2)}`;
  const vars = c.weights.map((w) => variable(tensor(w.values, w.shape, dtype), true, `${prefix}/${w.name}`));
  const after: number[][][] = [];
  for (const stepGrads of c.grads) {
    const grads = stepGrads.map((g, i) => tensor(g, c.weights[i].shape, dtype));
    opt.applyGradients(grads.map((g, i): [Tensor, Variable] => [g, vars[i]]));
    grads.forEach((g) => g.dispose());
    after.push(vars.map((v) => Array.from(v.dataSync())));
  }
  const slots = new Map<string, { shape: number[]; values: number[] }>();
  for (const w of opt.getWeights()) {
    if (w.name !== 'iterations') slots.set(w.name.slice(prefix.length + 1), { shape: [...w.tensor.shape], values: Array.from(w.tensor.dataSync()) });
    w.tensor.dispose();
  }
  opt.dispose();
  vars.forEach((v) => v.dispose());
  return { after, slots };
}

describe.each(CASES.map((c) => [c.name, c] as const))('%s (numpy transcription of Keras 3)', (_, c) => {
  it('float64: every step and every slot within 1e-10', () => {
    const { after, slots } = replay(c, 'float64');
    after.forEach((step, s) => step.forEach((w, i) => expectClose(w, c.after[s][i], 1e-10, 1e-12)));
    expect([...slots.keys()].sort()).toEqual(Object.keys(c.slots).sort());
    for (const [name, want] of Object.entries(c.slots)) {
      expect(slots.get(name)!.shape).toEqual(want.shape);
      expectClose(slots.get(name)!.values, want.values, 1e-10, 1e-12);
    }
  });
  it('float32: within float32 tolerance', () => {
    const { after } = replay(c, 'float32');
    after.forEach((step, s) => step.forEach((w, i) => expectClose(w, c.after[s][i], 2e-4, 2e-5)));
  });
});

// Keras's own tests (keras/src/optimizers/*_test.py): one step of lr 0.5 on [1, 2, 3, 4]
// with gradient [1, 6, 7, 2], and the golden runs (a first gradient of 0.01, then arange(0.1, 1.1, 0.1)).
describe("Keras's test values", () => {
  const singleStep = (opt: optimizers.Optimizer, values: number[][], grads: number[][]) => {
    const v = variable(tensor(values), true, `single_${Math.random()}`);
    opt.applyGradients([[tensor(grads), v]]);
    const out = Array.from(v.dataSync());
    opt.dispose();
    v.dispose();
    return out;
  };
  it('single steps', () => {
    const close = (got: number[], want: number[]) => expectClose(got, want, 1e-4, 1e-4);
    close(singleStep(new optimizers.Lion({ learningRate: 0.5 }), [[1, 2, 3, 4]], [[1, 6, 7, 2]]), [0.5, 1.5, 2.5, 3.5]);
    close(singleStep(new optimizers.Lamb({ learningRate: 0.5 }), [[1, 2, 3, 4]], [[1, 6, 7, 2]]), [-0.3693, 0.6306, 1.6306, 2.6306]);
    close(singleStep(new optimizers.Ftrl({ learningRate: 0.5 }), [[1, 2, 3, 4]], [[1, 6, 7, 2]]), [0.2218, 1.3954, 2.3651, 2.8814]);
    close(singleStep(new optimizers.Adafactor({ learningRate: 0.5 }), [[1, 2, 3, 4]], [[1, 6, 7, 2]]), [-0.3693, 0.6307, 1.6307, 2.6307]);
    close(
      singleStep(
        new optimizers.Adafactor({ learningRate: 0.5 }),
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1, 6],
          [7, 2],
        ],
      ),
      [0.7007, -0.0081, 1.2492, 3.4407],
    );
  });
  it('weight decay 0.004 at lr 1 with a zero gradient, and excluded variables', () => {
    for (const cls of [optimizers.Lion, optimizers.Lamb, optimizers.Adafactor]) {
      // As Keras's test: three optimizers step var1 (decayed three times) beside an excluded variable.
      const var1 = variable(tensor(2), true, `wd_${Math.random()}`);
      const byName = variable(tensor(2), true, `exclude_${Math.random()}`);
      const byList = variable(tensor(2), true, `wd_${Math.random()}`);
      const opts = [
        new cls({ learningRate: 1, weightDecay: 0.004 }),
        new cls({ learningRate: 1, weightDecay: 0.004 }),
        new cls({ learningRate: 1, weightDecay: 0.004 }),
      ];
      opts[1].excludeFromWeightDecay({ varNames: ['exclude'] });
      opts[2].excludeFromWeightDecay({ varList: [byList] });
      opts[0].applyGradients([[tensor(0), var1]]);
      opts[1].applyGradients([
        [tensor(0), var1],
        [tensor(0), byName],
      ]);
      opts[2].applyGradients([
        [tensor(0), var1],
        [tensor(0), byList],
      ]);
      expect(var1.dataSync()[0]).toBeCloseTo(1.9760959, 6);
      expect(byName.dataSync()[0]).toBe(2);
      expect(byList.dataSync()[0]).toBe(2);
      opts.forEach((o) => o.dispose());
      [var1, byName, byList].forEach((v) => v.dispose());
    }
  });
  it('golden runs', () => {
    const golden = (opt: optimizers.Optimizer) => {
      const x = variable(tensor(new Array(10).fill(1)), true, `golden_${Math.random()}`);
      const grads = tensor(Array.from({ length: 10 }, (_, i) => (i + 1) / 10));
      opt.applyGradients([[tensor(new Array(10).fill(0.01)), x]]);
      const rows: number[][] = [];
      for (let i = 0; i < 5; i++) {
        rows.push(Array.from(x.dataSync()));
        opt.applyGradients([[grads, x]]);
      }
      opt.dispose();
      x.dispose();
      return rows;
    };
    const tile = (col: number[]) => col.map((v) => new Array(10).fill(v));
    const close = (got: number[][], want: number[][]) => expectClose(got.flat(), want.flat(), 5e-4, 5e-4);
    close(golden(new optimizers.Lion()), tile([0.999, 0.998, 0.997, 0.996, 0.995]));
    close(golden(new optimizers.Lamb()), tile([0.999, 0.9982, 0.9974, 0.9965, 0.9955]));
    close(
      golden(
        new optimizers.Ftrl({
          learningRate: 0.05,
          learningRatePower: -0.2,
          initialAccumulatorValue: 0.4,
          l1RegularizationStrength: 0.05,
          l2RegularizationStrength: 0.15,
          l2ShrinkageRegularizationStrength: 0.01,
          beta: 0.3,
        }),
      ),
      [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [-0.0034, -0.0077, -0.0118, -0.0157, -0.0194, -0.023, -0.0263, -0.0294, -0.0325, -0.0354],
        [-0.0078, -0.0162, -0.0242, -0.0317, -0.0387, -0.0454, -0.0516, -0.0575, -0.0631, -0.0685],
        [-0.0121, -0.0246, -0.0363, -0.0472, -0.0573, -0.0668, -0.0757, -0.0842, -0.0922, -0.0999],
        [-0.0164, -0.0328, -0.0481, -0.0623, -0.0753, -0.0875, -0.099, -0.1098, -0.1201, -0.1299],
      ],
    );
    close(
      golden(new optimizers.Adafactor({ learningRate: 0.5, beta2Decay: -0.65, epsilon1: 1e-15, epsilon2: 1e-4, clipThreshold: 0.9, relativeStep: false })),
      [
        [0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55],
        [0.3031, 0.3026, 0.3025, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024],
        [0.1671, 0.1665, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663],
        [0.0923, 0.0916, 0.0915, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914],
        [0.0554, 0.0548, 0.0546, 0.0546, 0.0546, 0.0546, 0.0546, 0.0545, 0.0545, 0.0545],
      ],
    );
  });
});

// Keras's snake_case spellings, which the options' types do not list.
const keras = (options: object) => options as never;

const MADE: [string, () => optimizers.Optimizer, Record<string, unknown>][] = [
  [
    'Lion',
    () => new optimizers.Lion(keras({ learningRate: 0.01, beta_1: 0.8, weightDecay: 0.1 })),
    { learningRate: 0.01, beta1: 0.8, beta2: 0.99, weightDecay: 0.1 },
  ],
  ['Lamb', () => new optimizers.Lamb({ epsilon: 1e-6, clipnorm: 2 }), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-6, clipnorm: 2 }],
  [
    'Ftrl',
    () => new optimizers.Ftrl(keras({ learning_rate_power: -0.3, l1_regularization_strength: 0.01, beta: 0.2 })),
    {
      learningRatePower: -0.3,
      initialAccumulatorValue: 0.1,
      l1RegularizationStrength: 0.01,
      l2RegularizationStrength: 0,
      l2ShrinkageRegularizationStrength: 0,
      beta: 0.2,
    },
  ],
  [
    'Adafactor',
    () => new optimizers.Adafactor(keras({ beta_2_decay: -0.5, epsilon_1: 1e-20, clipThreshold: 2, relativeStep: false, globalClipnorm: 1 })),
    { beta2Decay: -0.5, epsilon1: 1e-20, epsilon2: 1e-3, clipThreshold: 2, relativeStep: false, globalClipnorm: 1 },
  ],
];

describe.each(MADE)('%s: config, names, compile, fit', (className, make, expected) => {
  it('getConfig, serialize and get round trip (snake_case options accepted)', () => {
    const opt = make();
    expect(opt.getConfig()).toMatchObject({ name: className.toLowerCase(), ...expected });
    const s = optimizers.serialize(opt);
    expect(s.className).toBe(className);
    const back = optimizers.get(s);
    expect(back).toBeInstanceOf(opt.constructor);
    expect(back.getConfig()).toEqual(opt.getConfig());
  });
  it('compile by name, and a short fit lowers the loss', async () => {
    // A linear target from a fixed start (kernel of ones), no shuffling: the same run every time.
    const xs = tensor(
      Array.from({ length: 48 }, (_, i) => Math.sin(i * 0.7)),
      [16, 3],
    );
    const ys = tensor(
      Array.from({ length: 16 }, (_, i) => 0.5 * Math.sin(i * 2.1) - Math.sin(i * 2.1 + 0.7) + 0.3 * Math.sin(i * 2.1 + 1.4) + 0.2),
      [16, 1],
    );
    const byName = sequential({ layers: [layers.dense({ units: 1, inputShape: [3] })] });
    byName.compile({ optimizer: className.toLowerCase(), loss: 'mse' });
    expect(byName.optimizer).toBeInstanceOf(make().constructor);
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [3], kernelInitializer: 'ones' })] });
    const rates: Record<string, number> = { Lion: 0.1, Lamb: 0.05, Ftrl: 0.5, Adafactor: 0.1 };
    m.compile({ optimizer: optimizers.get({ className, config: { learningRate: rates[className] } }), loss: 'mse' });
    const history = await m.fit(xs, ys, { epochs: 10, batchSize: 4, shuffle: false, verbose: 0 });
    const loss = history.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(0.25 * loss[0]);
    byName.dispose();
    m.dispose();
    xs.dispose();
    ys.dispose();
  });
});

describe('bad options name the optimizer, the option and what came', () => {
  it.each([
    [() => new optimizers.Lion({ beta1: 0 }), /Lion: expected beta1 in \(0, 1\], got 0/],
    [() => new optimizers.Lion({ beta2: 1.5 }), /Lion: expected beta2 in \[0, 1\], got 1.5/],
    [() => new optimizers.Lamb({ beta1: 1 }), /Lamb: expected beta1 in \[0, 1\), got 1/],
    [() => new optimizers.Lamb({ epsilon: -1 }), /Lamb: expected epsilon >= 0, got -1/],
    [() => new optimizers.Ftrl({ learningRatePower: 0.5 }), /Ftrl: expected learningRatePower <= 0, got 0.5/],
    [() => new optimizers.Ftrl({ l1RegularizationStrength: -0.1 }), /Ftrl: expected l1RegularizationStrength >= 0, got -0.1/],
    [() => new optimizers.Ftrl({ l2ShrinkageRegularizationStrength: NaN }), /Ftrl: expected l2ShrinkageRegularizationStrength >= 0, got NaN/],
    [() => new optimizers.Ftrl({ initialAccumulatorValue: -1 }), /Ftrl: expected initialAccumulatorValue >= 0, got -1/],
    [() => new optimizers.Adafactor({ clipThreshold: 0 }), /Adafactor: expected clipThreshold > 0, got 0/],
    [() => new optimizers.Adafactor({ beta2Decay: 0.8 }), /Adafactor: expected beta2Decay <= 0, got 0.8/],
    [() => new optimizers.Adafactor({ relativeStep: 'yes' as never }), /Adafactor: expected relativeStep to be true or false, got/],
    [() => new optimizers.Adafactor({ clipTreshold: 1 } as never), /Adafactor.*clipTreshold.*clipThreshold/],
    [() => new optimizers.Lion({ epsilon: 1e-7 } as never), /Lion.*epsilon/],
    [() => new optimizers.Lion(0.01 as never), /Lion: expected an options object, got 0.01/],
    [() => new optimizers.Ftrl({ clipnorm: 1, clipvalue: 1 }), /Ftrl: only one of clipnorm, clipvalue and globalClipnorm can be set/],
    [() => optimizers.get('lino'), /unknown optimizer 'lino'; did you mean 'lion'\?/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});

it('Adafactor: factored slots of the last two axes, scalar placeholders for vectors; no tensors leak', () => {
  const kernel = variable(tensor(new Array(24).fill(0.5), [2, 3, 4]), true, 'fact_kernel');
  const bias = variable(tensor([1, 2]), true, 'fact_bias');
  const opt = new optimizers.Adafactor({ learningRate: 0.1 });
  opt.build([kernel, bias]);
  const shapes = Object.fromEntries(opt.getWeights().map((w) => [w.name, [...w.tensor.shape]]));
  expect(shapes).toEqual({
    iterations: [],
    'fact_kernel/r': [2, 3],
    'fact_kernel/c': [2, 4],
    'fact_kernel/velocity': [2, 3, 4],
    'fact_bias/r': [],
    'fact_bias/c': [],
    'fact_bias/velocity': [2],
  });
  const before = liveTensors();
  for (let i = 0; i < 3; i++) {
    const g = [tensor(new Array(24).fill(0.1), [2, 3, 4]), tensor([0.3, -0.2])];
    opt.applyGradients([
      [g[0], kernel],
      [g[1], bias],
    ]);
    g.forEach((t) => t.dispose());
  }
  expect(liveTensors()).toBe(before);
  opt.dispose();
  kernel.dispose();
  bias.dispose();
});

it('no tensors leak: a step of each (and of a LossScaleOptimizer, finite or skipped) frees what it made', () => {
  for (const make of [
    () => new optimizers.Lion(),
    () => new optimizers.Lamb(),
    () => new optimizers.Ftrl({ l1RegularizationStrength: 0.1, beta: 0.1 }),
    () => new optimizers.LossScaleOptimizer({ innerOptimizer: 'adafactor', initialScale: 4 }),
  ]) {
    const w = variable(tensor([1, 2, 3, 4, 5, 6], [2, 3]), true, `leak_${Math.random()}`);
    const opt = make();
    opt.build([w]);
    const before = liveTensors();
    for (const g of [
      [1, 2, 3, 4, 5, 6],
      [0.5, NaN, 0, 0, 0, 0],
      [-1, 0, 1, 0, 2, 0],
    ]) {
      const t = tensor(g, [2, 3]);
      opt.applyGradients([[t, w]]);
      t.dispose();
    }
    expect(liveTensors()).toBe(before);
    opt.dispose();
    w.dispose();
  }
});
