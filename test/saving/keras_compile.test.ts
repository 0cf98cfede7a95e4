// A .keras file keeps the compile configuration and the optimizer's state in Keras 3's
// layout (config.json's compile_config; model.weights.h5's optimizer/vars/0, 1, ...: the
// iteration count, the learning rate, then the slots), so a loaded model is compiled and
// training resumes exactly where it stopped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { layers, loadModel, losses, metrics, optimizers, sequential, tensor, type Model, type Tensor } from '../../src';
import { childGroup, readH5 } from '../../src/saving/h5';
import { datasetValue } from '../../src/saving/keras_weights';
import { readZip, writeZip, type ZipEntries } from '../../src/saving/zip';
import { tempDir } from './helpers';

const dir = tempDir();
let count = 0;
const fresh = () => path.join(dir, `m${count++}.keras`);

const x = tensor(
  Array.from({ length: 32 }, (_, i) => Math.sin(i * 0.37)),
  [8, 4],
);
const y = tensor(
  Array.from({ length: 16 }, (_, i) => Math.cos(i * 0.53)),
  [8, 2],
);
const mlp = () => sequential({ layers: [layers.dense({ units: 5, inputShape: [4], activation: 'tanh' }), layers.dense({ units: 2 })] });
const fitArgs = (epochs: number) => ({ epochs, batchSize: 4, shuffle: false, verbose: 0 });
const values = (m: Model<any>) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

// The entries of a saved .keras file.
function entries(file: string): ZipEntries {
  return readZip(file, new Uint8Array(fs.readFileSync(file)));
}
const configOf = (file: string) => JSON.parse(new TextDecoder().decode(entries(file).get('config.json')));

// optimizer/vars of a saved .keras file: [dtype, shape, values] per index, or null.
function optimizerVars(file: string): Promise<{ dtype: string; shape: number[]; values: number[]; h5: string }[] | null> {
  return readH5(file, entries(file).get('model.weights.h5')!, (h5file, module) => {
    const vars = childGroup(module, h5file, 'optimizer/vars');
    if (vars === null) return null;
    return vars.keys().map((_, i) => {
      const ds = vars.get(String(i)) as never;
      const v = datasetValue(file, String(i), ds);
      return { dtype: v.dtype, shape: v.shape, values: Array.from(v.values), h5: String((ds as { dtype: unknown }).dtype) };
    });
  });
}

const OPTIMIZERS: [string, () => optimizers.Optimizer][] = [
  ['Adam', () => new optimizers.Adam({ learningRate: 0.05 })],
  ['Adam (amsgrad)', () => new optimizers.Adam({ learningRate: 0.05, amsgrad: true })],
  ['SGD (momentum, nesterov)', () => new optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['RMSprop (centered, momentum)', () => new optimizers.RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
  ['Nadam', () => new optimizers.Nadam({ learningRate: 0.02 })],
  ['Adadelta', () => new optimizers.Adadelta({ learningRate: 1 })],
  ['Adagrad', () => new optimizers.Adagrad({ learningRate: 0.1 })],
  ['Adamax', () => new optimizers.Adamax({ learningRate: 0.05 })],
  ['AdamW', () => new optimizers.AdamW({ learningRate: 0.05, weightDecay: 0.01 })],
  ['Lion', () => new optimizers.Lion({ learningRate: 0.01, weightDecay: 0.1 })],
  ['Lamb', () => new optimizers.Lamb({ learningRate: 0.05 })],
  ['Ftrl', () => new optimizers.Ftrl({ learningRate: 0.2, l1RegularizationStrength: 0.01, beta: 0.1 })],
  ['Adafactor', () => new optimizers.Adafactor({ learningRate: 0.1, clipThreshold: 0.9 })],
];

describe.each(OPTIMIZERS)('%s', (_, makeOptimizer) => {
  test('train 3 epochs, save, load, train 2 more = 5 epochs uninterrupted', async () => {
    const m = mlp();
    m.compile({ optimizer: makeOptimizer(), loss: 'meanSquaredError', metrics: ['mae'] });
    await m.fit(x, y, fitArgs(3));
    const file = fresh();
    await m.save(file);
    await m.fit(x, y, fitArgs(2));
    const loaded = (await loadModel(file)) as Model<any>;
    expect(loaded.optimizer).toBeInstanceOf(makeOptimizer().constructor);
    expect(loaded.optimizer!.iterations).toBe(6);
    await loaded.fit(x, y, fitArgs(2));
    expect(maxDiff(values(loaded), values(m))).toBeLessThanOrEqual(1e-6);
  });
});

test('resuming with a fresh optimizer differs (what the test above would catch)', async () => {
  const m = mlp();
  m.compile({ optimizer: new optimizers.Adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
  await m.fit(x, y, fitArgs(3));
  const file = fresh();
  await m.save(file, { includeOptimizer: false });
  await m.fit(x, y, fitArgs(2));
  const loaded = (await loadModel(file)) as Model<any>;
  expect(loaded.optimizer).toBeUndefined();
  loaded.compile({ optimizer: new optimizers.Adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
  await loaded.fit(x, y, fitArgs(2));
  expect(maxDiff(values(loaded), values(m))).toBeGreaterThan(1e-3);
});

test("Keras 3's layout: compile_config in config.json, optimizer/vars in model.weights.h5", async () => {
  const m = mlp();
  const opt = new optimizers.Adam({ learningRate: 0.05 });
  m.compile({ optimizer: opt, loss: 'meanSquaredError', metrics: ['mae', 'accuracy'] });
  await m.fit(x, y, fitArgs(1));
  const file = fresh();
  await m.save(file);
  const config = configOf(file);
  expect(config.compile_config).toEqual({
    optimizer: {
      module: 'keras.optimizers',
      class_name: 'Adam',
      config: {
        name: 'adam',
        learning_rate: 0.05,
        weight_decay: null,
        clipnorm: null,
        clipvalue: null,
        global_clipnorm: null,
        use_ema: false,
        ema_momentum: 0.99,
        ema_overwrite_frequency: null,
        beta_1: 0.9,
        beta_2: 0.999,
        epsilon: 1e-7,
        amsgrad: false,
      },
      registered_name: null,
    },
    loss: 'mean_squared_error',
    loss_weights: null,
    metrics: ['mae', 'accuracy'],
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  });
  // iteration, learning_rate, then each weight's momentum and velocity (Keras 3.15's Adam.variables).
  const vars = (await optimizerVars(file))!;
  const weights = m.trainableWeights;
  expect(vars).toHaveLength(2 + 2 * weights.length);
  // Keras's iteration variable is int64 (dtype 'int' on TensorFlow), its learning rate float32.
  expect(vars[0]).toEqual({ dtype: 'int32', shape: [], values: [2], h5: '<q' });
  expect(vars[1]).toEqual({ dtype: 'float32', shape: [], values: [Math.fround(0.05)], h5: '<f' });
  const slots = new Map(opt.getWeights().map((w) => [w.name, Array.from(w.tensor.dataSync())]));
  weights.forEach((w, i) => {
    expect(vars[2 + 2 * i].shape).toEqual(w.shape);
    expect(vars[2 + 2 * i].values).toEqual(slots.get(`${w.name}/momentum`));
    expect(vars[3 + 2 * i].values).toEqual(slots.get(`${w.name}/velocity`));
  });
});

test('Nadam: momentum and velocity interleaved per weight, u_product last (Keras 3 Nadam.build)', async () => {
  const m = mlp();
  const opt = new optimizers.Nadam({ learningRate: 0.02 });
  m.compile({ optimizer: opt, loss: 'mse' });
  await m.fit(x, y, fitArgs(1));
  const file = fresh();
  await m.save(file);
  const vars = (await optimizerVars(file))!;
  const weights = m.trainableWeights;
  const state = new Map(opt.getWeights().map((w) => [w.name, Array.from(w.tensor.dataSync())]));
  expect(vars).toHaveLength(3 + 2 * weights.length);
  weights.forEach((w, i) => {
    expect(vars[2 + 2 * i].values).toEqual(state.get(`${w.name}/momentum`));
    expect(vars[3 + 2 * i].values).toEqual(state.get(`${w.name}/velocity`));
  });
  expect(vars[vars.length - 1].values).toEqual(state.get('u_product'));
});

test('Adafactor: r, c and velocity per weight in turn (Keras 3 Adafactor.build), scalar r and c for vectors; Keras spellings in the config', async () => {
  const m = mlp();
  const opt = new optimizers.Adafactor({ learningRate: 0.1, beta2Decay: -0.7, epsilon1: 1e-20 });
  m.compile({ optimizer: opt, loss: 'mse' });
  await m.fit(x, y, fitArgs(1));
  const file = fresh();
  await m.save(file);
  expect(configOf(file).compile_config.optimizer.config).toMatchObject({
    beta_2_decay: -0.7,
    epsilon_1: 1e-20,
    epsilon_2: 0.001,
    clip_threshold: 1,
    relative_step: true,
  });
  const vars = (await optimizerVars(file))!;
  const weights = m.trainableWeights;
  expect(vars).toHaveLength(2 + 3 * weights.length);
  const state = new Map(opt.getWeights().map((w) => [w.name, Array.from(w.tensor.dataSync())]));
  weights.forEach((w, i) => {
    const s = w.shape;
    expect(vars.slice(2 + 3 * i, 5 + 3 * i).map((v) => v.shape)).toEqual(s.length < 2 ? [[], [], s] : [s.slice(0, -1), [s[1]], s]);
    ['r', 'c', 'velocity'].forEach((slot, k) => expect(vars[2 + 3 * i + k].values).toEqual(state.get(`${w.name}/${slot}`)));
  });
  const loaded = (await loadModel(file)) as Model<any>;
  expect(loaded.optimizer!.getConfig()).toEqual(opt.getConfig());
});

test("LossScaleOptimizer: its own iteration, learning rate, step_counter and dynamic_scale, then the inner optimizer's (Keras 3's variables)", async () => {
  const m = mlp();
  const opt = new optimizers.LossScaleOptimizer({ innerOptimizer: new optimizers.Adam({ learningRate: 0.05 }), initialScale: 256, dynamicGrowthSteps: 3 });
  m.compile({ optimizer: opt, loss: 'mse' });
  await m.fit(x, y, fitArgs(1));
  const file = fresh();
  await m.save(file);
  expect(configOf(file).compile_config.optimizer).toMatchObject({
    class_name: 'LossScaleOptimizer',
    config: {
      name: 'loss_scale_optimizer',
      inner_optimizer: { module: 'keras.optimizers', class_name: 'Adam', config: { learning_rate: 0.05, beta_1: 0.9 } },
      initial_scale: 256,
      dynamic_growth_steps: 3,
    },
  });
  const vars = (await optimizerVars(file))!;
  const weights = m.trainableWeights;
  expect(vars).toHaveLength(6 + 2 * weights.length);
  // Two steps (8 samples, batches of 4): the counter at 2, the scale unchanged.
  expect(vars.slice(0, 6).map((v) => [v.h5, v.values])).toEqual([
    ['<q', [0]],
    ['<f', [0]],
    ['<q', [2]],
    ['<f', [256]],
    ['<q', [2]],
    ['<f', [Math.fround(0.05)]],
  ]);
  const slots = new Map(opt.getWeights().map((w) => [w.name, Array.from(w.tensor.dataSync())]));
  weights.forEach((w, i) => expect(vars[6 + 2 * i].values).toEqual(slots.get(`${w.name}/momentum`)));
});

test('compiled but never trained: the iteration count and learning rate only, as Keras writes them', async () => {
  const m = mlp();
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const file = fresh();
  await m.save(file);
  expect((await optimizerVars(file))!.map((v) => v.values)).toEqual([[0], [Math.fround(0.01)]]);
  const loaded = (await loadModel(file)) as Model<any>;
  expect(loaded.optimizer).toBeInstanceOf(optimizers.SGD);
  expect(loaded.optimizer!.iterations).toBe(0);
  await loaded.fit(x, y, fitArgs(1));
});

test('a schedule learning rate is written as a Keras schedule, and no learning_rate variable', async () => {
  const m = mlp();
  const lr = { className: 'ExponentialDecay', config: { initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 } };
  m.compile({ optimizer: optimizers.get({ className: 'SGD', config: { learningRate: lr } }), loss: 'mse' });
  await m.fit(x, y, fitArgs(1));
  const file = fresh();
  await m.save(file);
  expect(configOf(file).compile_config.optimizer.config.learning_rate).toMatchObject({
    module: 'keras.optimizers.schedules',
    class_name: 'ExponentialDecay',
    config: { initial_learning_rate: 0.1, decay_steps: 2 },
  });
  expect((await optimizerVars(file))!.map((v) => v.values)).toEqual([[2]]);
  const loaded = (await loadModel(file)) as Model<any>;
  expect(loaded.optimizer!.learningRate).toBeCloseTo(0.05, 10);
});

test('an uncompiled model has compile_config null and no optimizer group; includeOptimizer true then is an error', async () => {
  const m = mlp();
  const file = fresh();
  await m.save(file);
  expect(configOf(file).compile_config).toBeNull();
  expect(await optimizerVars(file)).toBeNull();
  expect(((await loadModel(file)) as Model<any>).optimizer).toBeUndefined();
  await expect(m.save(fresh(), { includeOptimizer: true })).rejects.toThrow('includeOptimizer is true, but the model has no optimizer (compile it first)');
});

test('a loss that is a function cannot be named in the file: an error when includeOptimizer is asked for, else a warning', async () => {
  const m = mlp();
  m.compile({
    optimizer: 'adam',
    loss: function myLoss(a: Tensor, b: Tensor) {
      return layers.subtract().apply([a, b]) as Tensor;
    },
  });
  const message = /cannot write the compile configuration: the loss is the function myLoss.*includeOptimizer: false/;
  await expect(m.save(fresh(), { includeOptimizer: true })).rejects.toThrow(message);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const file = fresh();
    await m.save(file);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(message);
    expect(String(warn.mock.calls[0][0])).toMatch(/Saved without them\.$/);
    expect(configOf(file).compile_config).toBeNull();
    expect(await optimizerVars(file)).toBeNull();
    await m.save(fresh(), { includeOptimizer: false });
    expect(warn).toHaveBeenCalledTimes(1);
  } finally {
    warn.mockRestore();
  }
});

describe('a compile_config as Keras 3 writes it', () => {
  // A saved file whose optimizer config gets Keras 3's extra options.
  async function withKerasOptions(extra: Record<string, unknown>): Promise<string> {
    const m = mlp();
    m.compile({ optimizer: new optimizers.Adam({ learningRate: 0.05 }), loss: 'mse' });
    await m.fit(x, y, fitArgs(1));
    const file = fresh();
    await m.save(file);
    const saved = entries(file);
    const files = new Map([...saved.keys()].map((name) => [name, saved.get(name)!]));
    const config = configOf(file);
    Object.assign(config.compile_config.optimizer.config, extra);
    files.set('config.json', new TextEncoder().encode(JSON.stringify(config)));
    fs.writeFileSync(file, writeZip(files));
    return file;
  }
  const kerasDefaults = { use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null };

  test("loads with Keras's options that Tessera lacks, when they are off", async () => {
    const loaded = (await loadModel(await withKerasOptions(kerasDefaults))) as Model<any>;
    expect(loaded.optimizer).toBeInstanceOf(optimizers.Adam);
    expect(loaded.optimizer!.iterations).toBe(2);
  });

  test('use_ema=true in a file without the averages in optimizer/vars is refused, naming what the state lacks', async () => {
    await expect(loadModel(await withKerasOptions({ ...kerasDefaults, use_ema: true }))).rejects.toThrow(
      /optimizer\/vars has 10 values, but a Adam for this model's 4 trainable weights has 14 \(iterations, learning_rate, [^)]*\/average,/,
    );
  });

  test.each([
    ['gradient_accumulation_steps', 4],
    ['loss_scale_factor', 128],
  ])('%s=%p is an error naming it', async (key, value) => {
    await expect(loadModel(await withKerasOptions({ ...kerasDefaults, [key]: value }))).rejects.toThrow(
      `the optimizer uses ${key}=${value}, which Tessera's optimizers do not support`,
    );
  });
});

test('built-in Loss and Metric objects are written as Keras classes and rebuilt with their options', async () => {
  const m = mlp();
  m.compile({
    optimizer: new optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }),
    loss: new losses.Huber({ delta: 0.3 }),
    metrics: [new metrics.MeanAbsoluteError(), 'mse'],
  });
  await m.fit(x, y, fitArgs(2));
  const file = fresh();
  await m.save(file);
  const compileConfig = configOf(file).compile_config;
  expect(compileConfig.loss).toEqual({
    module: 'keras.losses',
    class_name: 'Huber',
    config: { name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 0.3 },
    registered_name: null,
  });
  expect(compileConfig.metrics[0]).toMatchObject({ module: 'keras.metrics', class_name: 'MeanAbsoluteError' });
  await m.fit(x, y, fitArgs(1));
  const loaded = (await loadModel(file)) as Model<any>;
  const history = await loaded.fit(x, y, fitArgs(1));
  expect(maxDiff(values(loaded), values(m))).toBeLessThanOrEqual(1e-6);
  expect(Object.keys(history.history).sort()).toEqual(['loss', 'mean_absolute_error', 'mse']);
});
