// ReversibleEmbedding, RandAugment and AugMix models written by Keras 3.15.1 itself
// (scripts/fixtures/make_aug_layers_fixtures.py, test/fixtures/keras/aug_layers) load, predict
// what Keras predicted, and saved again by Tessera carry Keras's class names and config keys;
// reverse calls survive Tessera's own save. One file, so the .keras machinery warms up once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { input, layers, loadModel, model, tensor, type Model, type Tensor } from '../../src';
import { readZip } from '../../src/saving/zip';
import { expectClose } from '../helpers/reference';
import { tempDir } from './helpers';

interface T {
  shape: number[];
  values: number[];
}
interface Written {
  input: T;
  outputs: T[];
  configs: Record<string, Record<string, unknown>>;
}
const saved = path.resolve(__dirname, '..', 'fixtures', 'keras', 'aug_layers');
const written = (name: string): Written => JSON.parse(fs.readFileSync(path.join(saved, `${name}.json`), 'utf8'));
const t = (x: T, dtype: 'float32' | 'int32' = 'float32') => tensor(x.values, x.shape, dtype);
const dir = tempDir();

/** The layers of the config Tessera writes for `m`. */
async function savedLayers(m: Model<any>, name: string): Promise<any[]> {
  const file = path.join(dir, `${name}.keras`);
  await m.save(file);
  return JSON.parse(new TextDecoder().decode(readZip(file, new Uint8Array(fs.readFileSync(file))).get('config.json'))).config.layers;
}

test("ReversibleEmbedding shared by a forward and a reverse call: predicts as Keras; saved again, its config and reverse kwarg are Keras's", async () => {
  const io = written('reversible_embedding');
  const m = (await loadModel(path.join(saved, 'reversible_embedding.keras'))) as Model<any>;
  const y = m.apply(t(io.input, 'int32')) as Tensor;
  expect(y.shape).toEqual(io.outputs[0].shape);
  expectClose(y.dataSync(), io.outputs[0].values, 1e-5, 1e-6);
  const rev = (await savedLayers(m, 'rev_again')).find((l) => l.class_name === 'ReversibleEmbedding');
  const keras = io.configs.rev;
  // Every key is Keras's (activity_regularizer and quantization_config left out at their defaults, as for embedding).
  expect(Object.keys(rev.config).filter((k) => !(k in keras))).toEqual([]);
  for (const key of ['input_dim', 'output_dim', 'tie_weights', 'reverse_dtype', 'logit_soft_cap', 'mask_zero', 'embeddings_initializer'])
    expect([key, rev.config[key]]).toEqual([key, keras[key]]);
  expect(rev.inbound_nodes[1].kwargs).toEqual({ reverse: true });
});

test('reversibleEmbedding symbolic: forward [b, T] -> [b, T, D], reverse -> [b, T, V]; the reverse call survives a save', async () => {
  const ids = input({ shape: [4], dtype: 'int32' });
  const emb = layers.reversibleEmbedding({ inputDim: 10, outputDim: 3, maskZero: true });
  const h = emb.apply(ids);
  const y = emb.apply(h, { reverse: true });
  expect(h.shape).toEqual([null, 4, 3]);
  expect(y.shape).toEqual([null, 4, 10]);
  const m = model({ inputs: ids, outputs: y });
  const x = tensor([[1, 0, 3, 9]], [1, 4], 'int32');
  const want = (m.apply(x) as Tensor).dataSync();
  const file = path.join(dir, 'rev.keras');
  await m.save(file);
  const back = (await loadModel(file)) as Model<any>;
  expectClose((back.apply(x) as Tensor).dataSync(), want, 1e-6);
});

describe.each([
  [
    'RandAugment',
    'rand_augment',
    ['value_range', 'num_ops', 'factor', 'interpolation', 'seed', 'data_format'],
    { numOps: 3, factor: [0, 0.7], interpolation: 'nearest', seed: 11 },
  ],
  [
    'AugMix',
    'aug_mix',
    ['value_range', 'num_chains', 'chain_depth', 'factor', 'alpha', 'all_ops', 'interpolation', 'seed', 'data_format'],
    { numChains: 2, chainDepth: 4, factor: [0, 0.4], alpha: 0.5, allOps: false, seed: 3 },
  ],
] as const)('%s', (className, name, keys, options) => {
  test("a Sequential Keras saved loads, predicts as Keras (the identity), and saves with Keras's config", async () => {
    const io = written(name);
    const m = (await loadModel(path.join(saved, `${name}.keras`))) as Model<any>;
    const layer = m.layers[m.layers.length - 1];
    expect(layer).toBeInstanceOf(layers[className]);
    expect(layer).toMatchObject(options);
    expect(Array.from((m.apply(t(io.input)) as Tensor).dataSync())).toEqual(io.outputs[0].values);
    const list = await savedLayers(m, name);
    const ours = list[list.length - 1];
    const keras = io.configs[name];
    expect(ours.class_name).toBe(className);
    expect(Object.keys(ours.config).sort()).toEqual(Object.keys(keras).sort());
    for (const key of keys) expect([key, ours.config[key]]).toEqual([key, keras[key]]);
  });
});
