// loadModel(path, { customObjects }): Keras 3's load_model(path, custom_objects={...}).
// Custom classes and functions the file names serve that load only; nothing here calls
// registerLayer, so every load below starts from the built-in registry.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Loss, add, fill, initializers, layers, loadLayersModel, loadModel, mul, relu, sequential, sum, tensor, type Tensor, type Variable } from '../../src';
import type { Shape } from '../../src/tensor/shape';
import { findLayerClass } from '../../src/layers/serialization';
import { readZip, writeZip } from '../../src/saving/zip';
import { expectSameBits, tempDir } from './helpers';

const dir = tempDir();
let count = 0;
const fresh = (ext = '') => path.join(dir, `m${count++}${ext}`);

/** A custom layer with a weight: x * scale. */
class Scale extends layers.Layer {
  static override className = 'Scale';
  scale: Variable | null = null;
  readonly init: number;
  constructor(args: layers.LayerArgs & { init?: number } = {}) {
    super(args);
    this.init = args.init ?? 1;
  }
  override build(): void {
    this.scale = this.addWeight('scale', [], 'float32', { className: 'Constant', config: { value: this.init } });
  }
  override call(x: Tensor): Tensor {
    return mul(x, this.scale!);
  }
  override getConfig() {
    return { ...super.getConfig(), init: this.init };
  }
}

/** The same layer under a Keras registered name, as register_keras_serializable('my_package') writes it. */
class PackagedScale extends Scale {
  static override className = 'my_package>PackagedScale';
}

function withScale(cls: typeof Scale = Scale) {
  const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [4], name: 'd' }), new cls({ name: 's', init: 2 })] });
  m.apply(tensor([[0, 0, 0, 0]]));
  // A value no fresh layer has, so the test sees the file's weight arrive.
  (m.layers[1] as Scale).scale!.assign(tensor(3.5));
  return m;
}
const x = tensor([
  [1, 2, 3, 4],
  [-1, 0.5, 0, 2],
]);

describe.each([
  ['TensorFlow.js folder', ''],
  ['.keras file', '.keras'],
])('a custom layer in a %s', (_, ext) => {
  test('loads with customObjects (no registerLayer), predicts the same; the class stays unregistered', async () => {
    const m = withScale();
    const where = fresh(ext);
    await m.save(where);
    const loaded = await loadModel(where, { customObjects: { Scale } });
    expect(loaded.layers[1]).toBeInstanceOf(Scale);
    expectSameBits(m.predict(x) as Tensor, loaded.predict(x) as Tensor);
    expect(findLayerClass('Scale')).toBeUndefined();
    // The scope was that load's: the next load without it fails as before, naming customObjects.
    await expect(loadModel(where)).rejects.toThrow(/unknown layer class 'Scale' \(layer 's'\).*registerLayer\(Scale\).*customObjects: \{ Scale \}/);
  });

  test("TensorFlow.js's name loadLayersModel takes it, and Keras's spelling custom_objects", async () => {
    const where = fresh(ext);
    await withScale().save(where);
    expect((await loadLayersModel(where, { customObjects: { Scale } })).layers[1]).toBeInstanceOf(Scale);
    expect((await loadModel(where, { custom_objects: { Scale } } as never)).layers[1]).toBeInstanceOf(Scale);
  });

  test('a loaded model saves again and loads again with the same customObjects', async () => {
    const where = fresh(ext);
    await withScale().save(where);
    const loaded = await loadModel(where, { customObjects: { Scale } });
    const again = fresh(ext);
    await loaded.save(again);
    expectSameBits(loaded.predict(x) as Tensor, (await loadModel(again, { customObjects: { Scale } })).predict(x) as Tensor);
  });
});

test('a registered name (my_package>PackagedScale) is the key, as the file writes it', async () => {
  const where = fresh('.keras');
  await withScale(PackagedScale).save(where);
  await expect(loadModel(where)).rejects.toThrow(/customObjects: \{ 'my_package>PackagedScale': PackagedScale \}/);
  const loaded = await loadModel(where, { customObjects: { 'my_package>PackagedScale': PackagedScale } });
  expect(loaded.layers[1]).toBeInstanceOf(PackagedScale);
});

test('two loads at once keep their customObjects apart', async () => {
  const where = fresh();
  await withScale().save(where);
  const [withIt, without] = await Promise.allSettled([loadModel(where, { customObjects: { Scale } }), loadModel(where)]);
  expect(withIt.status).toBe('fulfilled');
  expect(without.status).toBe('rejected');
});

test('a custom activation named in the file, and the model saves again under that name', async () => {
  const where = fresh();
  await sequential({ layers: [layers.dense({ units: 2, inputShape: [3], activation: 'relu', name: 'd' })] }).save(where);
  const file = path.join(where, 'model.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"activation":"relu"', '"activation":"my_relu"'));
  const calls: number[] = [];
  const myRelu = (t: Tensor) => {
    calls.push(1);
    return relu(t);
  };
  await expect(loadModel(where)).rejects.toThrow(/unknown activation 'my_relu'.*customObjects/);
  const loaded = await loadModel(where, { customObjects: { my_relu: myRelu } });
  loaded.predict(tensor([[1, -2, 3]]));
  expect(calls.length).toBeGreaterThan(0);
  const again = fresh();
  await loaded.save(again);
  expect(fs.readFileSync(path.join(again, 'model.json'), 'utf8')).toContain('"activation":"my_relu"');
});

test('a custom initializer class named in a layer config', async () => {
  class Sevens extends initializers.Initializer {
    apply(shape: Shape): Tensor {
      return fill(shape, 7);
    }
  }
  const where = fresh();
  await sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'd' })] }).save(where);
  const file = path.join(where, 'model.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"class_name":"GlorotUniform"', '"class_name":"Sevens"'));
  await expect(loadModel(where)).rejects.toThrow(/unknown initializer 'Sevens'.*customObjects/);
  const loaded = await loadModel(where, { customObjects: { Sevens } });
  expect((loaded.layers[0] as layers.Dense).getConfig().kernelInitializer).toEqual({ className: 'Sevens', config: {} });
});

// Rewrites config.json of a .keras file.
function editKerasConfig(file: string, edit: (config: any) => void): void {
  const entries = readZip(file, new Uint8Array(fs.readFileSync(file)));
  const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')));
  edit(config);
  const files = new Map([...entries.keys()].map((k) => [k, entries.get(k)!]));
  files.set('config.json', new TextEncoder().encode(JSON.stringify(config)));
  fs.writeFileSync(file, writeZip(files));
}

test("a custom activation as Keras 3 writes it in a .keras file: {class_name: 'function', config: its name}", async () => {
  const where = fresh('.keras');
  await sequential({ layers: [layers.dense({ units: 2, inputShape: [3], activation: 'relu', name: 'd' })] }).save(where);
  editKerasConfig(where, (config) => {
    config.config.layers.find((l: { class_name: string }) => l.class_name === 'Dense').config.activation = {
      module: 'builtins',
      class_name: 'function',
      config: 'my_relu',
      registered_name: 'function',
    };
  });
  const loaded = await loadModel(where, { customObjects: { my_relu: relu } });
  expect((loaded.layers[0] as layers.Dense).getConfig().activation).toBe('my_relu');
});

// A per-sample loss of 7 and a metric of 5, whatever the data.
const sevenLoss = (_t: Tensor, p: Tensor) => add(mul(sum(p, -1), 0), 7);
const fiveMetric = (_t: Tensor, p: Tensor) => add(mul(sum(p, -1), 0), 5);
class SevenLoss extends Loss {
  call(_t: Tensor, p: Tensor): Tensor {
    return sevenLoss(_t, p);
  }
}

async function compiledModel(where: string, options = {}) {
  const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'd' })] });
  m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  await m.save(where, options);
}
const xs = tensor([[1, 2, 3]]);
const ys = tensor([[0, 1]]);

test('a custom loss function and metric function named in a trainingConfig compile the loaded model', async () => {
  const where = fresh();
  await compiledModel(where, { includeOptimizer: true });
  const file = path.join(where, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  json.trainingConfig.loss = 'seven_loss';
  json.trainingConfig.metrics = ['five_metric'];
  fs.writeFileSync(file, JSON.stringify(json));
  await expect(loadModel(where)).rejects.toThrow(/unknown loss 'seven_loss'.*customObjects/);
  const loaded = await loadModel(where, { customObjects: { seven_loss: sevenLoss, five_metric: fiveMetric } });
  const logs = await loaded.evaluate(xs, ys, { verbose: 0 });
  expect(logs).toEqual({ loss: 7, five_metric: 5 });
});

test("a custom Loss class in a .keras file's compile_config", async () => {
  const where = fresh('.keras');
  await compiledModel(where);
  editKerasConfig(where, (config) => {
    config.compile_config.loss = { module: null, class_name: 'SevenLoss', config: {}, registered_name: 'SevenLoss' };
  });
  await expect(loadModel(where)).rejects.toThrow(/unknown loss class 'SevenLoss'.*customObjects: \{ 'SevenLoss': SevenLoss \}/);
  const loaded = await loadModel(where, { customObjects: { SevenLoss } });
  expect((await loaded.evaluate(xs, ys, { verbose: 0 })).loss).toBe(7);
});

describe('refused with a clear error', () => {
  test('a value that is not a class or a function', async () => {
    const where = fresh();
    await withScale().save(where);
    await expect(loadModel(where, { customObjects: { Scale: 3 } } as never)).rejects.toThrow(
      /loadModel: customObjects\['Scale'\]: expected a class \(a Layer, Loss, Metric, Initializer, Regularizer or Constraint subclass\) or a function .*got 3/,
    );
    await expect(loadModel(where, { customObjects: { Scale: new Scale() } } as never)).rejects.toThrow(/customObjects\['Scale'\]: expected a class/);
    await expect(loadModel(where, { customObjects: [Scale] } as never)).rejects.toThrow(
      /loadModel: expected customObjects to be an object of classes and functions by name/,
    );
  });

  test('a class of the wrong kind under the name the file uses: the file still cannot be read', async () => {
    const where = fresh();
    await withScale().save(where);
    await expect(loadModel(where, { customObjects: { Scale: SevenLoss } })).rejects.toThrow(/unknown layer class 'Scale'/);
  });
});
