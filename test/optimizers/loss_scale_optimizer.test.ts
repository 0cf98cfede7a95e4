// LossScaleOptimizer against Keras 3's rule (keras/src/optimizers/loss_scale_optimizer.py):
// gradients of the scaled loss are unscaled and applied by the inner optimizer; a non-finite
// gradient skips the step and halves the scale; dynamicGrowthSteps finite steps double it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { layers, loadModel, optimizers, sequential, sum, square, tensor, variable, type Model, type Tensor, type Variable } from '../../src';
import { expectClose } from '../helpers/reference';

const sgd = () => new optimizers.SGD({ learningRate: 0.1 });

it("scale dynamics: unscaled updates, doubling after dynamicGrowthSteps, a skipped step halving it (Keras's test values)", () => {
  const opt = new optimizers.LossScaleOptimizer({ innerOptimizer: sgd(), initialScale: 400, dynamicGrowthSteps: 2 });
  const v = variable(tensor([1, 2, 3, 4]), true, `lso_${Math.random()}`);
  const step = (g: number[]) => opt.applyGradients([[tensor(g), v] as [Tensor, Variable]]);
  // Keras's test_finite_step: gradients scaled by 400 give var - 0.1 * [1, 6, 7, 2].
  step([400, 2400, 2800, 800]);
  expectClose(Array.from(v.dataSync()), [0.9, 1.4, 2.3, 3.8], 1e-6);
  expect([opt.stepCounter, opt.dynamicScale, opt.iterations]).toEqual([1, 400, 1]);
  step([0, 0, 0, 0]);
  expect([opt.stepCounter, opt.dynamicScale, opt.iterations]).toEqual([0, 800, 2]);
  // Keras's test_infinite_step: nothing applied, the inner step count stays, the scale halves.
  step([1, Infinity, 1, 1]);
  expectClose(Array.from(v.dataSync()), [0.9, 1.4, 2.3, 3.8], 1e-6);
  expect([opt.stepCounter, opt.dynamicScale, opt.iterations]).toEqual([0, 400, 2]);
  step([NaN, 0, 0, 0]);
  expect(opt.dynamicScale).toBe(200);
  expect(opt.scaleLoss(tensor(3)).dataSync()[0]).toBe(600);
  expect(opt.learningRate).toBe(0.1);
  opt.learningRate = 0.05;
  expect(opt.innerOptimizer.learningRate).toBe(0.05);
  opt.dispose();
  v.dispose();
});

it('minimize scales the loss and returns it unscaled; the run equals the inner optimizer alone', () => {
  const run = (opt: optimizers.Optimizer) => {
    const x = variable(tensor([1, -2, 0.5]), true, `min_${Math.random()}`);
    const costs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = opt.minimize(() => sum(square(x)), true)!;
      costs.push(c.dataSync()[0]);
      c.dispose();
    }
    const out = [...costs, ...x.dataSync()];
    opt.dispose();
    x.dispose();
    return out;
  };
  expect(run(new optimizers.LossScaleOptimizer({ innerOptimizer: new optimizers.Adam({ learningRate: 0.1 }), initialScale: 1024 }))).toEqual(
    run(new optimizers.Adam({ learningRate: 0.1 })),
  );
});

const xs = tensor(
  Array.from({ length: 48 }, (_, i) => Math.sin(i * 0.7)),
  [16, 3],
);
const ys = tensor(
  Array.from({ length: 16 }, (_, i) => Math.cos(i * 0.4)),
  [16, 1],
);
const model = () => sequential({ layers: [layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), layers.dense({ units: 1 })] });
const fitArgs = (epochs: number) => ({ epochs, batchSize: 4, shuffle: false, verbose: 0 });
const weightsOf = (m: Model<any>) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

it('fit scales the loss: the same weights as the inner optimizer alone, the loss logged unscaled, and it falls', async () => {
  const a = model();
  const b = model();
  b.setWeights(a.getWeights());
  a.compile({ optimizer: new optimizers.Adam({ learningRate: 0.02 }), loss: 'mse' });
  b.compile({ optimizer: new optimizers.LossScaleOptimizer({ innerOptimizer: 'adam', initialScale: 2 ** 10, dynamicGrowthSteps: 3 }), loss: 'mse' });
  (b.optimizer as optimizers.LossScaleOptimizer).learningRate = 0.02;
  const ha = await a.fit(xs, ys, fitArgs(4));
  const hb = await b.fit(xs, ys, fitArgs(4));
  expectClose(weightsOf(b), weightsOf(a), 1e-5, 1e-6);
  expectClose(hb.history.loss as number[], ha.history.loss as number[], 1e-5, 1e-6);
  const loss = hb.history.loss as number[];
  expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
  // 16 steps with growth every 3: 2^10 doubled 5 times.
  expect((b.optimizer as optimizers.LossScaleOptimizer).dynamicScale).toBe(2 ** 15);
});

it('getConfig / get round trip with the inner optimizer serialized; save and load of a .keras file resumes exactly', async () => {
  const opt = new optimizers.LossScaleOptimizer({ innerOptimizer: new optimizers.Lamb({ learningRate: 0.05 }), initialScale: 64, dynamicGrowthSteps: 5 });
  expect(opt.getConfig()).toEqual({
    name: 'loss_scale_optimizer',
    innerOptimizer: optimizers.serialize(opt.innerOptimizer),
    initialScale: 64,
    dynamicGrowthSteps: 5,
  });
  const back = optimizers.get(optimizers.serialize(opt));
  expect(back).toBeInstanceOf(optimizers.LossScaleOptimizer);
  expect(back.getConfig()).toEqual(opt.getConfig());
  back.dispose();

  const m = model();
  m.compile({ optimizer: opt, loss: 'mse' });
  await m.fit(xs, ys, fitArgs(3));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lso-')), 'm.keras');
  await m.save(file);
  await m.fit(xs, ys, fitArgs(2));
  const loaded = (await loadModel(file)) as Model<any>;
  const lo = loaded.optimizer as optimizers.LossScaleOptimizer;
  expect(lo).toBeInstanceOf(optimizers.LossScaleOptimizer);
  expect(lo.innerOptimizer).toBeInstanceOf(optimizers.Lamb);
  expect([lo.iterations, lo.stepCounter, lo.dynamicScale]).toEqual([12, 2, 64 * 4]);
  await loaded.fit(xs, ys, fitArgs(2));
  expect(Math.max(...weightsOf(loaded).map((w, i) => Math.abs(w - weightsOf(m)[i])))).toBeLessThanOrEqual(1e-6);
  expect([lo.stepCounter, lo.dynamicScale]).toEqual([
    (m.optimizer as optimizers.LossScaleOptimizer).stepCounter,
    (m.optimizer as optimizers.LossScaleOptimizer).dynamicScale,
  ]);
  m.dispose();
  loaded.dispose();
});

describe('bad options name LossScaleOptimizer and what came', () => {
  it.each([
    [() => new optimizers.LossScaleOptimizer(undefined as never), /LossScaleOptimizer: expected options with an innerOptimizer/],
    [() => new optimizers.LossScaleOptimizer(new optimizers.Adam() as never), /LossScaleOptimizer: expected options with an innerOptimizer/],
    [
      () => new optimizers.LossScaleOptimizer({ innerOptimizer: 'adamm' }),
      /LossScaleOptimizer: innerOptimizer: .*unknown optimizer 'adamm'; did you mean 'adam'/,
    ],
    [() => new optimizers.LossScaleOptimizer({ innerOptimizer: 'adam', initialScale: 0 }), /LossScaleOptimizer: expected initialScale > 0, got 0/],
    [
      () => new optimizers.LossScaleOptimizer({ innerOptimizer: 'adam', dynamicGrowthSteps: 1.5 }),
      /expected dynamicGrowthSteps to be an integer >= 1, got 1.5/,
    ],
    [
      () => new optimizers.LossScaleOptimizer({ innerOptimizer: 'adam', learningRate: 0.1 } as never),
      /LossScaleOptimizer does not support learningRate .*set it on the innerOptimizer/,
    ],
    [() => new optimizers.LossScaleOptimizer({ innerOptimizer: 'adam', clipnorm: 1 } as never), /LossScaleOptimizer does not support clipnorm/],
    [() => new optimizers.LossScaleOptimizer({ innerOptimizer: 'adam', initialScal: 2 } as never), /LossScaleOptimizer.*initialScal.*initialScale/],
    [
      () => new optimizers.LossScaleOptimizer({ innerOptimizer: new optimizers.LossScaleOptimizer({ innerOptimizer: 'sgd' }) }),
      /the innerOptimizer is a LossScaleOptimizer; wrap the optimizer once/,
    ],
    [() => optimizers.get('lossscaleoptimizer'), /LossScaleOptimizer: expected options with an innerOptimizer/],
    [() => new optimizers.LossScaleOptimizer({ innerOptimizer: 'sgd' }).scaleLoss(3 as never), /loss_scale_optimizer.scaleLoss: expected a Tensor, got 3/],
    [
      () => new optimizers.LossScaleOptimizer({ innerOptimizer: 'sgd' }).scaleLoss(tensor(3, undefined, 'int32')),
      /scaleLoss: expected a float loss, got .*int32/,
    ],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});

it('the TensorFlow.js format with includeOptimizer keeps the state of an Adafactor and of a LossScaleOptimizer around one', async () => {
  for (const make of [
    () => new optimizers.Adafactor({ learningRate: 0.1 }),
    () => new optimizers.LossScaleOptimizer({ innerOptimizer: new optimizers.Adafactor({ learningRate: 0.1 }), initialScale: 32, dynamicGrowthSteps: 3 }),
  ]) {
    const m = model();
    const opt = make();
    m.compile({ optimizer: opt, loss: 'mse' });
    await m.fit(xs, ys, fitArgs(1));
    const where = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lso-tfjs-')), 'model');
    await m.save(where, { includeOptimizer: true });
    const loaded = (await loadModel(where)) as Model<any>;
    expect(loaded.optimizer).toBeInstanceOf(opt.constructor);
    const state = (o: optimizers.Optimizer) =>
      o.getWeights().map((w) => {
        const out = [w.name.slice(w.name.lastIndexOf('/') + 1), ...w.tensor.dataSync()];
        w.tensor.dispose();
        return out;
      });
    expect(state(loaded.optimizer!)).toEqual(state(opt));
    m.dispose();
    loaded.dispose();
  }
});
