// MultiOptimizer against Keras 3.15.1 (scripts/fixtures/make_multi_optimizer_fixtures.py):
// SGD (momentum, a schedule) for 'dense/kernel', RMSprop (use_ema) for 'head/.*', Adam
// (global_clipnorm, over its own group) for the rest. Two fits of 5 steps give Keras's
// weights and optimizer variables, eager and compiled; Keras's .keras file loads with its
// state and trains on to Keras's weights; Tessera's file has Keras's layout, and Keras,
// loading it, trains on to the same weights (keras_continues_tessera_file.json).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { input, layers, loadModel, model as functional, optimizers, schedules, tensor, type Model, type Tensor } from '../../src';
import { childGroup, readH5 } from '../../src/saving/h5';
import { datasetValue } from '../../src/saving/keras_weights';
import { readZip } from '../../src/saving/zip';
import { expectClose } from '../helpers/reference';
import { tempDir } from './helpers';

const root = path.resolve(__dirname, '..', 'fixtures', 'keras', 'multi_optimizer');
const dir = tempDir();

interface State {
  weights: number[][];
  optimizer_variables: number[][];
}
const fixture: {
  x: number[];
  y: number[];
  first_weights: number[][];
  optimizer_classes: string[];
  optimizer_iterations: number[];
  after_first_fit: State;
  after_second_fit: State;
} = JSON.parse(fs.readFileSync(path.join(root, 'multi_optimizer.json'), 'utf8'));
const x = () => tensor(fixture.x, [20, 4]);
const y = () => tensor(fixture.y, [20, 2]);

function makeModel(): Model<any> {
  const inp = input({ shape: [4] });
  const h1 = layers.dense({ units: 5, activation: 'tanh', name: 'dense' }).apply(inp) as never;
  const h2 = layers.dense({ units: 3, activation: 'tanh', name: 'dense_1' }).apply(h1) as never;
  const m = functional({ inputs: inp, outputs: layers.dense({ units: 2, name: 'head' }).apply(h2) as never });
  m.setWeights(fixture.first_weights.map((w, i) => tensor(w, m.getWeights()[i].shape)));
  return m;
}

function makeOptimizer(): optimizers.MultiOptimizer {
  const map = new optimizers.OptimizerMap({ defaultOptimizer: new optimizers.Adam({ learningRate: 0.02, globalClipnorm: 0.5 }) });
  map.set(
    'dense/kernel',
    new optimizers.SGD({ learningRate: new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5 }), momentum: 0.9 }),
  );
  map.set('head/.*', new optimizers.RMSprop({ learningRate: 0.01, useEma: true, emaMomentum: 0.8 }));
  return new optimizers.MultiOptimizer({ optimizerMap: map });
}

const fitOneEpoch = (m: Model<any>) => m.fit(x(), y(), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });

function expectWeights(m: Model<any>, expected: number[][], tol: number): void {
  const ws = m.getWeights() as Tensor[];
  expect(ws).toHaveLength(expected.length);
  ws.forEach((w, i) => expectClose(Array.from(w.dataSync()), expected[i], tol));
}

// optimizer/vars of a .keras file, or one optimizer's group of it.
function savedVars(file: string, group = 'optimizer/vars'): Promise<number[][]> {
  return readH5(file, readZip(file, new Uint8Array(fs.readFileSync(file))).get('model.weights.h5')!, (h5file, module) => {
    const vars = childGroup(module, h5file, group)!;
    return vars.keys().map((_, i) => Array.from(datasetValue(file, String(i), vars.get(String(i)) as never).values));
  });
}

function expectVars(ours: number[][], keras: number[][], tol: number): void {
  expect(ours.map((v) => v.length)).toEqual(keras.map((v) => v.length));
  ours.forEach((v, i) => expectClose(v, keras[i], tol));
}

describe.each([false, true])('fit with jitCompile: %s', (jitCompile) => {
  test("two fits of 5 steps give Keras's weights and optimizer variables", async () => {
    const m = makeModel();
    const opt = makeOptimizer();
    m.compile({ optimizer: opt, loss: 'mse', jitCompile });
    await fitOneEpoch(m);
    expectWeights(m, fixture.after_first_fit.weights, 1e-5);
    await fitOneEpoch(m);
    expectWeights(m, fixture.after_second_fit.weights, 1e-5);
    expect(opt.optimizers.map((o) => o.constructor.name)).toEqual(fixture.optimizer_classes);
    expect(opt.optimizers.map((o) => o.iterations)).toEqual(fixture.optimizer_iterations);
    expect(opt.iterations).toBe(10);
    const file = path.join(dir, `fit_${jitCompile}.keras`);
    await m.save(file);
    expectVars(await savedVars(file), fixture.after_second_fit.optimizer_variables, 1e-5);
    m.dispose();
  });
});

test("Keras's file loads with its MultiOptimizer and state; one more fit gives Keras's weights", async () => {
  const m = (await loadModel(path.join(root, 'multi_optimizer.keras'))) as Model<any>;
  const opt = m.optimizer as optimizers.MultiOptimizer;
  expect(opt).toBeInstanceOf(optimizers.MultiOptimizer);
  expect(opt.optimizers.map((o) => o.constructor.name)).toEqual(fixture.optimizer_classes);
  expect([opt.iterations, ...opt.optimizers.map((o) => o.iterations)]).toEqual([5, 5, 5, 5]);
  const map = opt.optimizerMap as optimizers.OptimizerMap;
  expect(map.keys()).toEqual(['dense/kernel', 'head/.*']);
  expect(m.trainableWeights.map((v) => opt.optimizerOf(v)!.constructor.name)).toEqual(['SGD', 'Adam', 'Adam', 'Adam', 'RMSprop', 'RMSprop']);
  const again = path.join(dir, 'again.keras');
  await m.save(again);
  expectVars(await savedVars(again), fixture.after_first_fit.optimizer_variables, 0);
  await fitOneEpoch(m);
  expectWeights(m, fixture.after_second_fit.weights, 1e-5);
  m.dispose();
});

test("Tessera's file has Keras's layout, and Keras trains on from it to the same weights", async () => {
  const m = makeModel();
  m.compile({ optimizer: makeOptimizer(), loss: 'mse' });
  await fitOneEpoch(m);
  const file = path.join(dir, 'tessera.keras');
  await m.save(file);
  if (process.env.WRITE_MULTI_OPTIMIZER_FIXTURE === '1') fs.copyFileSync(file, path.join(root, 'tessera_written.keras'));
  const keras = path.join(root, 'multi_optimizer.keras');
  for (const group of ['optimizer/vars', 'optimizer/optimizers/sgd/vars', 'optimizer/optimizers/rm_sprop/vars', 'optimizer/optimizers/adam/vars'])
    expectVars(await savedVars(file, group), await savedVars(keras, group), 1e-5);
  const config = (f: string) =>
    JSON.parse(new TextDecoder().decode(readZip(f, new Uint8Array(fs.readFileSync(f))).get('config.json')!)).compile_config.optimizer;
  const ours = config(file);
  const theirs = config(keras);
  expect(Object.keys(ours.config.optimizer_map.config.optimizer_map)).toEqual(Object.keys(theirs.config.optimizer_map.config.optimizer_map));
  expect([ours.class_name, ours.config.optimizer_map.class_name, ours.config.name]).toEqual(['MultiOptimizer', 'OptimizerMap', 'multi_optimizer']);
  // Keras loaded the committed tessera_written.keras (this test's file) and fit one more epoch.
  const continued = JSON.parse(fs.readFileSync(path.join(root, 'keras_continues_tessera_file.json'), 'utf8'));
  expect([continued.iterations, ...continued.optimizer_iterations]).toEqual([5, 5, 5, 5]);
  expectVars(continued.optimizer_variables, fixture.after_first_fit.optimizer_variables, 1e-5);
  continued.weights_after_one_more_epoch.forEach((w: number[], i: number) => expectClose(w, fixture.after_second_fit.weights[i], 1e-5));
  m.dispose();
});
