// saveWeights / loadWeights in both layouts, sharded weights files, optimizer state,
// and ModelCheckpoint saving through model.save / model.saveWeights.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { callbacks, layers, loadModel, optimizers, sequential, tensor, variableGrads, sum, type Tensor } from '../../src';
import { expectSameBits, tempDir } from './helpers';

const dir = tempDir();
const mlp = () =>
  sequential({ layers: [layers.dense({ units: 3, inputShape: [4], activation: 'relu' }), layers.batchNormalization({}), layers.dense({ units: 2 })] });
const x = tensor([
  [1, 2, 3, 4],
  [-1, 0, 2, 1],
]);

test.each(['w.weights.h5', 'w-folder'])('saveWeights -> loadWeights (%s) into a model built in code with other layer names', async (name) => {
  const a = mlp();
  const b = mlp();
  const file = path.join(dir, name);
  await a.saveWeights(file);
  await b.loadWeights(file);
  expectSameBits(a.apply(x) as Tensor, b.apply(x) as Tensor);
});

test('loadWeights takes the weights of a saved TensorFlow.js model folder', async () => {
  const a = mlp();
  const b = mlp();
  await a.save(path.join(dir, 'full'));
  await b.loadWeights(path.join(dir, 'full'));
  expectSameBits(a.apply(x) as Tensor, b.apply(x) as Tensor);
});

test('weights over 4 MB are sharded as TensorFlow.js shards them, and load back', async () => {
  const m = sequential({ layers: [layers.dense({ units: 1100, inputShape: [1000] })] });
  const where = path.join(dir, 'big');
  await m.save(where);
  const files = fs.readdirSync(where).sort();
  expect(files).toEqual([
    'model.json',
    expect.stringMatching(/^weights-[0-9a-f]{16}-shard1of2\.bin$/),
    expect.stringMatching(/^weights-[0-9a-f]{16}-shard2of2\.bin$/),
  ]);
  expect(fs.statSync(path.join(where, files[1])).size).toBe(4 * 1024 * 1024);
  const input = tensor(
    Array.from({ length: 1000 }, (_, i) => Math.cos(i)),
    [1, 1000],
  );
  expectSameBits(m.apply(input) as Tensor, (await loadModel(where)).apply(input) as Tensor);
});

test('includeOptimizer: the optimizer state is saved (group optimizer) and restored', async () => {
  const m = mlp();
  const opt = new optimizers.Adam({ learningRate: 0.01 });
  m.compile({ optimizer: opt, loss: 'meanSquaredError', metrics: ['mae'] });
  for (let i = 0; i < 3; i++) {
    const { value, grads } = variableGrads(() => sum(m.apply(x) as Tensor), m.trainableWeights);
    opt.applyGradients(m.trainableWeights.map((v) => [grads[v.name], v] as [Tensor, typeof v]));
    value.dispose();
  }
  const where = path.join(dir, 'with-optimizer');
  await m.save(where, { includeOptimizer: true });
  const json = JSON.parse(fs.readFileSync(path.join(where, 'model.json'), 'utf8'));
  expect(json.trainingConfig).toMatchObject({ loss: 'meanSquaredError', metrics: ['mae'], optimizer_config: { class_name: 'Adam' } });
  const specs = json.weightsManifest[0].weights as { name: string; group?: string }[];
  expect(specs.filter((s) => s.group === 'optimizer').map((s) => s.name)).toContain(`${m.layers[0].name}/kernel/momentum`);
  const loaded = await loadModel(where);
  const restored = loaded.optimizer as InstanceType<typeof optimizers.Adam>;
  expect(restored).toBeInstanceOf(optimizers.Adam);
  expect(restored.iterations).toBe(3);
  const slots = (o: typeof opt) => o.getWeights().map((w) => Array.from(w.tensor.dataSync()));
  expect(slots(restored)).toEqual(slots(opt));
  // Without includeOptimizer, none of it is written.
  await m.save(path.join(dir, 'without-optimizer'));
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'without-optimizer', 'model.json'), 'utf8')).trainingConfig).toBeUndefined();
});

// TensorFlow.js's loader compiles a model whose model.json has a trainingConfig, with or
// without optimizer state (Keras's converter writes the config alone); it loaded
// uncompiled here before.
test('a trainingConfig without optimizer state loads compiled, with a fresh optimizer of the saved settings', async () => {
  const m = mlp();
  m.compile({ optimizer: new optimizers.Adam({ learningRate: 0.025 }), loss: 'meanSquaredError', metrics: ['mae'] });
  const withState = path.join(dir, 'config-with-state');
  await m.save(withState, { includeOptimizer: true });
  const where = path.join(dir, 'config-only');
  await m.save(where);
  const file = path.join(where, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  json.trainingConfig = JSON.parse(fs.readFileSync(path.join(withState, 'model.json'), 'utf8')).trainingConfig;
  expect(json.trainingConfig).toMatchObject({ loss: 'meanSquaredError', optimizer_config: { class_name: 'Adam' } });
  fs.writeFileSync(file, JSON.stringify(json));
  const loaded = await loadModel(where);
  const opt = loaded.optimizer as InstanceType<typeof optimizers.Adam>;
  expect(opt).toBeInstanceOf(optimizers.Adam);
  expect(opt.learningRate).toBeCloseTo(0.025);
  expect(opt.iterations).toBe(0);
  const y = tensor([
    [1, 0],
    [0, 1],
  ]);
  const history = await loaded.fit(x, y, { epochs: 2, verbose: 0 });
  expect(Object.keys(history.history).sort()).toEqual(['loss', 'mae']);
  expect(opt.iterations).toBe(2);
  // compile: false still loads the layers only.
  expect((await loadModel(where, { compile: false })).optimizer).toBeUndefined();
  loaded.dispose();
  y.dispose();
});

test('ModelCheckpoint saves through model.save and model.saveWeights', async () => {
  const m = mlp();
  for (const [saveWeightsOnly, filepath] of [
    [false, 'ckpt-{epoch}.keras'],
    [true, 'ckpt-{epoch}.weights.h5'],
  ] as const) {
    const cb = new callbacks.ModelCheckpoint({ filepath: path.join(dir, filepath), saveWeightsOnly, monitor: 'loss' });
    cb.setModel(m as never);
    cb.onTrainBegin();
    cb.onEpochBegin(0);
    await cb.onEpochEnd(0, { loss: 1 });
  }
  expectSameBits(m.apply(x) as Tensor, (await loadModel(path.join(dir, 'ckpt-1.keras'))).apply(x) as Tensor);
  const other = mlp();
  await other.loadWeights(path.join(dir, 'ckpt-1.weights.h5'));
  expectSameBits(m.apply(x) as Tensor, other.apply(x) as Tensor);
});
