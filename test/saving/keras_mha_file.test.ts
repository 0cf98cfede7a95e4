// A real .keras file written by Keras 3.6.0 (test/fixtures/keras/mha, where it came from
// in its README): a functional transformer over [12, 5] inputs with two MultiHeadAttention
// layers (4 heads, keyDim 32), LayerNormalization, Dense, Add, GlobalAveragePooling1D,
// compiled with RMSprop. The reference is its forward pass rebuilt by hand in PyTorch from
// the file's config.json and model.weights.h5 (make_reference.py), none of Tessera's code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, optimizers, tensor, type Model, type Tensor } from '../../src';
import { childGroup, readH5 } from '../../src/saving/h5';
import { readZip, writeZip } from '../../src/saving/zip';
import { expectClose } from '../helpers/reference';
import { expectSameBits, fixture, tempDir } from './helpers';

const file = fixture('keras/mha/transformer_model.keras');
const reference = JSON.parse(fs.readFileSync(fixture('keras/mha/transformer_model.json'), 'utf8')) as {
  input: { shape: number[]; values: number[] };
  output: { shape: number[]; values: number[] };
  weights: { layer: string; sublayer: string | null; weight: string; file: string; shape: number[]; values: number[] }[];
  optimizer_iterations: number;
};
const input = () => tensor(reference.input.values, reference.input.shape);
const dir = tempDir();

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
// The file's float32 values, bit for bit (the JSON holds them to nine digits).
const float32s = (values: number[]) => Array.from(Float32Array.from(values));

test('loads and predicts what the hand-built forward pass gives', async () => {
  const m = (await loadModel(file)) as Model<any>;
  const y = m.apply(input()) as Tensor;
  expect(y.shape).toEqual(reference.output.shape);
  expectClose(Array.from(y.dataSync()), reference.output.values, 1e-5, 1e-6);
  // predict (batched, inference mode: the attention dropout of 0.2 is off) gives the same.
  expectClose(Array.from((m.predict(input(), { batchSize: 2 }) as Tensor).dataSync()), reference.output.values, 1e-5, 1e-6);
});

test("every weight, found by layer, sublayer and Keras's weight name, holds the file's values", async () => {
  const m = (await loadModel(file)) as Model<any>;
  expect(reference.weights).toHaveLength(m.weights.length);
  for (const w of reference.weights) {
    const layer = m.getLayer(w.layer) as unknown as Record<string, unknown>;
    // MultiHeadAttention's projections are Keras's attributes: query_dense -> queryDense.
    const holder = (w.sublayer === null ? layer : layer[camel(w.sublayer)]) as Record<string, unknown>;
    const variable = holder[w.weight] as Tensor;
    expect({ at: w.file, shape: variable.shape }).toEqual({ at: w.file, shape: w.shape });
    expect(Array.from(variable.dataSync())).toEqual(float32s(w.values));
  }
});

test('the two attention layers keep their own projections (same sublayer names, different values)', async () => {
  const m = (await loadModel(file)) as Model<any>;
  const kernel = (name: string) => Array.from(((m.getLayer(name) as any).keyDense.kernel as Tensor).dataSync());
  const [a, b] = [kernel('multi_head_attention'), kernel('multi_head_attention_1')];
  expect(a).not.toEqual(b);
  const fromFile = (group: string) => float32s(reference.weights.find((w) => w.file === `layers/${group}/key_dense/vars/0`)!.values);
  expect(a).toEqual(fromFile('multi_head_attention'));
  expect(b).toEqual(fromFile('multi_head_attention_1'));
});

test('loads compiled, as Keras saved it: RMSprop with its step count and learning rate', async () => {
  const m = (await loadModel(file)) as Model<any>;
  expect(m.optimizer).toBeInstanceOf(optimizers.RMSprop);
  expect(m.optimizer!.iterations).toBe(reference.optimizer_iterations);
  expect(m.optimizer!.getConfig().learningRate).toBeCloseTo(6.25e-5, 10);
});

test("saved by Tessera and loaded again, it predicts the same, the weights in Keras's layout", async () => {
  const m = (await loadModel(file)) as Model<any>;
  const again = path.join(dir, 'again.keras');
  await m.save(again);
  const back = (await loadModel(again)) as Model<any>;
  expectSameBits(back.predict(input()) as Tensor, m.predict(input()) as Tensor);
  const paths = await readH5(again, readZip(again, new Uint8Array(fs.readFileSync(again))).get('model.weights.h5')!, (h5, module) =>
    reference.weights.map((w) => childGroup(module, h5, w.file.replace(/\/\d+$/, '')) !== null),
  );
  expect(paths.every(Boolean)).toBe(true);
});

describe('a config Keras would not have written is an error naming what is wrong', () => {
  const edited = (edit: (mha: Record<string, unknown>) => void) => {
    const entries = readZip(file, new Uint8Array(fs.readFileSync(file)));
    const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')));
    edit(config.config.layers.find((l: { name: string }) => l.name === 'multi_head_attention_1').config);
    const out = path.join(dir, `edited-${Math.random().toString(36).slice(2)}.keras`);
    const keep = (n: string): [string, Uint8Array] => [n, entries.get(n)!];
    fs.writeFileSync(
      out,
      writeZip(new Map([keep('metadata.json'), keep('model.weights.h5'), ['config.json', new TextEncoder().encode(JSON.stringify(config))]])),
    );
    return out;
  };

  test('a misspelled key', async () => {
    await expect(loadModel(edited((c) => ((c.num_head = 4), delete c.num_heads)))).rejects.toThrow(
      /MultiHeadAttention: unknown option 'numHead'; did you mean 'numHeads'\?/,
    );
  });

  test('attention over axes Tessera does not run', async () => {
    await expect(loadModel(edited((c) => (c.attention_axes = [2])))).rejects.toThrow(/multi_head_attention_1: attentionAxes other than the sequence axis/);
  });

  test('a key dimension that does not match the weights', async () => {
    await expect(loadModel(edited((c) => (c.key_dim = 16)))).rejects.toThrow(
      /weight 'multi_head_attention_1\/key\/kernel' of layer 'key' has shape \[5, 4, 16\], but .* has \[5, 4, 32\]/,
    );
  });
});

// The layers Keras's file holds, for the record of what this file exercises.
test('the file is the model described above', async () => {
  const m = (await loadModel(file)) as Model<any>;
  const classes = m.layers.map((l) => (l.constructor as { className?: string }).className);
  expect(new Set(classes)).toEqual(new Set(['InputLayer', 'LayerNormalization', 'MultiHeadAttention', 'Add', 'Dense', 'GlobalAveragePooling1D']));
  expect(classes.filter((c) => c === 'MultiHeadAttention')).toHaveLength(2);
});
