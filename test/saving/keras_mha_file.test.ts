// Real .keras files with MultiHeadAttention, written by Keras 3 itself (test/fixtures/keras/mha;
// where each came from, in its README):
// - transformer_model.keras (Keras 3.6.0): input [12, 5], two pre-norm blocks of
//   LayerNormalization, MultiHeadAttention (4 heads, keyDim 32), Add (layers), Dense; then
//   GlobalAveragePooling1D, Dense(3). Compiled with RMSprop.
// - transformer_classifier.keras (Keras 3.3.3): input [65, 1], four blocks of
//   MultiHeadAttention (4 heads, keyDim 256), Dropout, LayerNormalization, Conv1D, with the
//   residuals written `x + res` (Keras operations, not layers); then GlobalAveragePooling1D,
//   Dense, softmax. Compiled with Adam.
// The references are their forward passes rebuilt by hand in PyTorch from each file's
// config.json and model.weights.h5 (make_reference.py), none of Tessera's code.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, optimizers, tensor, type Model, type Tensor } from '../../src';
import { childGroup, readH5 } from '../../src/saving/h5';
import { readZip, writeZip } from '../../src/saving/zip';
import { expectClose } from '../helpers/reference';
import { expectSameBits, fixture, tempDir } from './helpers';

interface Reference {
  input: { shape: number[]; values: number[] };
  output: { shape: number[]; values: number[] };
  weights: { layer: string; sublayer: string | null; weight: string; file: string; shape: number[]; sha256: string }[];
  optimizer_iterations: number;
}

const dir = tempDir();
const keras = (name: string) => fixture(`keras/mha/${name}.keras`);
const referenceOf = (name: string): Reference => JSON.parse(fs.readFileSync(fixture(`keras/mha/${name}.json`), 'utf8'));
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const sha256 = (t: Tensor) =>
  createHash('sha256')
    .update(Buffer.from(Float32Array.from(t.dataSync()).buffer))
    .digest('hex');

/** `name`.keras with its config.json edited (the weights and metadata as they are). */
function edited(name: string, edit: (layers: Record<string, any>[]) => void): string {
  const file = keras(name);
  const entries = readZip(file, new Uint8Array(fs.readFileSync(file)));
  const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')));
  edit(config.config.layers);
  const out = path.join(dir, `edited-${Math.random().toString(36).slice(2)}.keras`);
  const keep = (n: string): [string, Uint8Array] => [n, entries.get(n)!];
  fs.writeFileSync(
    out,
    writeZip(new Map([keep('metadata.json'), keep('model.weights.h5'), ['config.json', new TextEncoder().encode(JSON.stringify(config))]])),
  );
  return out;
}

describe.each([
  ['transformer_model', optimizers.RMSprop, 6.25e-5],
  ['transformer_classifier', optimizers.Adam, 1e-4],
])('%s.keras', (name, optimizer, learningRate) => {
  const reference = referenceOf(name);
  const input = () => tensor(reference.input.values, reference.input.shape);

  test('loads and predicts what the hand-built forward pass gives', async () => {
    const m = (await loadModel(keras(name))) as Model<any>;
    const y = m.apply(input()) as Tensor;
    expect(y.shape).toEqual(reference.output.shape);
    expectClose(Array.from(y.dataSync()), reference.output.values, 1e-5, 1e-6);
    // predict (batched, inference mode: the dropout layers are off) gives the same.
    expectClose(Array.from((m.predict(input(), { batchSize: 2 }) as Tensor).dataSync()), reference.output.values, 1e-5, 1e-6);
  });

  test("every weight, found by layer, sublayer and Keras's weight name, holds the file's values", async () => {
    const m = (await loadModel(keras(name))) as Model<any>;
    expect(reference.weights).toHaveLength(m.weights.length);
    for (const w of reference.weights) {
      const layer = m.getLayer(w.layer) as unknown as Record<string, unknown>;
      // MultiHeadAttention's projections are Keras's attributes: query_dense -> queryDense.
      const holder = (w.sublayer === null ? layer : layer[camel(w.sublayer)]) as Record<string, unknown>;
      const variable = holder[w.weight] as Tensor;
      expect({ at: w.file, shape: variable.shape, sha256: sha256(variable) }).toEqual({ at: w.file, shape: w.shape, sha256: w.sha256 });
    }
  });

  test('loads compiled as Keras saved it: the optimizer, its step count and learning rate', async () => {
    const m = (await loadModel(keras(name))) as Model<any>;
    expect(m.optimizer).toBeInstanceOf(optimizer);
    expect(m.optimizer!.iterations).toBe(reference.optimizer_iterations);
    expect(m.optimizer!.getConfig().learningRate).toBeCloseTo(learningRate, 10);
  });

  test("saved by Tessera and loaded again, it predicts the same, the weights in Keras's layout", async () => {
    const m = (await loadModel(keras(name))) as Model<any>;
    const again = path.join(dir, `${name}.keras`);
    await m.save(again);
    const back = (await loadModel(again)) as Model<any>;
    expectSameBits(back.predict(input()) as Tensor, m.predict(input()) as Tensor);
    const missing = await readH5(again, readZip(again, new Uint8Array(fs.readFileSync(again))).get('model.weights.h5')!, (h5, module) =>
      reference.weights.map((w) => w.file.replace(/\/\d+$/, '')).filter((group) => childGroup(module, h5, group) === null),
    );
    expect(missing).toEqual([]);
  });
});

describe('transformer_model.keras: two MultiHeadAttention layers', () => {
  test('keep their own projections (the same sublayer names, different values)', async () => {
    const m = (await loadModel(keras('transformer_model'))) as Model<any>;
    const { weights } = referenceOf('transformer_model');
    for (const layer of ['multi_head_attention', 'multi_head_attention_1']) {
      const kernel = (m.getLayer(layer) as any).keyDense.kernel as Tensor;
      expect(sha256(kernel)).toBe(weights.find((w) => w.file === `layers/${layer}/key_dense/vars/0`)!.sha256);
    }
    expect(weights.find((w) => w.layer === 'multi_head_attention' && w.sublayer === 'key_dense')!.sha256).not.toBe(
      weights.find((w) => w.layer === 'multi_head_attention_1' && w.sublayer === 'key_dense')!.sha256,
    );
  });

  const mha = (edit: (config: Record<string, unknown>) => void) =>
    edited('transformer_model', (layers) => edit(layers.find((l) => l.name === 'multi_head_attention_1')!.config));

  test('a misspelled key is an error naming it', async () => {
    await expect(loadModel(mha((c) => ((c.num_head = 4), delete c.num_heads)))).rejects.toThrow(
      /MultiHeadAttention: unknown option 'numHead'; did you mean 'numHeads'\?/,
    );
  });

  test('attention over the feature axis is an error naming the layer', async () => {
    await expect(loadModel(mha((c) => (c.attention_axes = [2])))).rejects.toThrow(
      /multi_head_attention_1: attentionAxes \[2\] include the feature axis 2 \(2 of rank 3\); expected axes 1 to 1/,
    );
  });

  test("a key dimension that does not match the file's weights is an error naming the weight", async () => {
    await expect(loadModel(mha((c) => (c.key_dim = 16)))).rejects.toThrow(
      /weight 'multi_head_attention_1\/key\/kernel' of layer 'key' has shape \[5, 4, 16\], but .* has \[5, 4, 32\]/,
    );
  });
});

describe("transformer_classifier.keras: residuals written `x + res` (Keras's Add operation)", () => {
  test("load as Add layers; saved again by Tessera, they are keras.layers' Add, which Keras reads", async () => {
    const m = (await loadModel(keras('transformer_classifier'))) as Model<any>;
    const adds = m.layers.filter((l) => l.name.startsWith('add'));
    expect(adds.map((l) => [l.name, (l.constructor as { className?: string }).className])).toEqual(
      Array.from({ length: 8 }, (_, i) => [i === 0 ? 'add' : `add_${i}`, 'Add']),
    );
    const again = path.join(dir, 'classifier-again.keras');
    await m.save(again);
    const config = JSON.parse(new TextDecoder().decode(readZip(again, new Uint8Array(fs.readFileSync(again))).get('config.json')));
    const add = config.config.layers.find((l: { name: string }) => l.name === 'add_1');
    expect(add).toMatchObject({ module: 'keras.layers', class_name: 'Add' });
    expect(add.inbound_nodes[0].args[0].map((t: any) => t.config.keras_history[0])).toEqual(['layer_normalization_1', 'add']);
  });

  const op = (edit: (entry: Record<string, any>) => void) => edited('transformer_classifier', (layers) => edit(layers.find((l) => l.name === 'add_1')!));

  test.each(['Subtract', 'Multiply', 'Maximum', 'Minimum'])('%s (the operation) loads as the merge layer of that name, its inputs in order', async (cls) => {
    const m = (await loadModel(op((e) => (e.class_name = cls)))) as Model<any>;
    const layer = m.getLayer('add_1');
    expect((layer.constructor as { className?: string }).className).toBe(cls);
    expect(layer.inboundNodes[0].inputs.map((t) => t.sourceLayer.name)).toEqual(['layer_normalization_1', 'add']);
  });

  test('an operation Tessera does not load is an error naming it; GetItem with a tensor index is refused', async () => {
    await expect(loadModel(op((e) => (e.class_name = 'Median')))).rejects.toThrow(
      /'add_1' is the Keras operation keras\.src\.ops\.numpy\.Median, which Tessera does not load/,
    );
    await expect(loadModel(op((e) => (e.class_name = 'GetItem')))).rejects.toThrow(
      /add_1: Keras operation GetItem: expected the index to hold integers, slices, None or Ellipsis, got a Tensor/,
    );
  });

  const kind = (m: Model<any>) => (m.getLayer('add_1').constructor as { className?: string }).className;

  test('an operation with a constant (`x + tensor`) loads as a Keras operation node holding it, not a merge of one input', async () => {
    const constant = { class_name: '__tensor__', config: { value: [[1]], dtype: 'float32' } };
    expect(kind((await loadModel(op((e) => (e.inbound_nodes[0].args[1] = constant)))) as Model<any>)).toBe('KerasOperation');
  });

  test('an operation with options or keyword arguments Tessera does not know is an error', async () => {
    await expect(loadModel(op((e) => (e.config.alpha = 2)))).rejects.toThrow(/keras\.src\.ops\.numpy\.Add: unknown option\(s\) alpha; it takes none/);
    await expect(loadModel(op((e) => (e.inbound_nodes[0].kwargs = { out: null })))).rejects.toThrow(
      /keras\.src\.ops\.numpy\.Add: expected no keyword arguments, got \{"out":null\}/,
    );
  });

  test('an operation between tensors of different ranks (numpy broadcasting) loads as a Keras operation node, not a merge layer', async () => {
    expect(kind((await loadModel(op((e) => (e.inbound_nodes[0].args[1].config.shape = [null, 1])))) as Model<any>)).toBe('KerasOperation');
  });
});
