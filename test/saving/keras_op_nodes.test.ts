// Keras 3 functional models whose graph holds operations (`keras.ops.mean(x)`, `x + 1`,
// `x[:, 0]`: nodes of module keras.src.ops.*, not layers), written by Keras 3.15 itself
// (scripts/fixtures/make_keras_op_nodes_fixtures.py; its --check mode loaded the files
// Tessera saved back into Keras and got the same predictions). Here: they load and
// predict what Keras predicted, their configs round-trip, and Tessera writes the
// operations back in Keras's form.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, tensor, type Model, type Tensor } from '../../src';
import { readZip, writeZip } from '../../src/saving/zip';
import { expectClose } from '../helpers/reference';
import { fixture, tempDir } from './helpers';

interface Reference {
  input: { shape: number[]; values: number[] };
  outputs: { shape: number[]; dtype: string; values: number[] }[];
}

const dir = tempDir();
const file = (name: string) => fixture(`keras/op_nodes/${name}.keras`);
const referenceOf = (name: string): Reference => JSON.parse(fs.readFileSync(fixture(`keras/op_nodes/${name}.json`), 'utf8'));
const configOf = (keras: string) => JSON.parse(new TextDecoder().decode(readZip(keras, new Uint8Array(fs.readFileSync(keras))).get('config.json')));

/** `name`.keras with its config.json edited (the weights and metadata as they are). */
function edited(name: string, edit: (layers: Record<string, any>[]) => void): string {
  const entries = readZip(file(name), new Uint8Array(fs.readFileSync(file(name))));
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

function expectKerasPredictions(m: Model<any>, ref: Reference): void {
  const ys = m.predict(tensor(ref.input.values, ref.input.shape)) as Tensor[];
  expect(ys).toHaveLength(ref.outputs.length);
  ys.forEach((y, i) => {
    expect([i, y.shape]).toEqual([i, ref.outputs[i].shape]);
    expect([i, y.dtype === 'bool' ? 'bool' : y.dtype]).toEqual([i, ref.outputs[i].dtype]);
    expectClose(Array.from(y.dataSync(), Number), ref.outputs[i].values, 1e-5, 1e-6);
  });
}

describe.each(['arithmetic', 'shapes'])('%s.keras (Keras operation nodes)', (name) => {
  const ref = referenceOf(name);

  test("loads and predicts what Keras predicted, every output's shape, dtype and values", async () => {
    expectKerasPredictions((await loadModel(file(name))) as Model<any>, ref);
  });

  test("the symbolic output shapes keep the batch dimension unknown and the others Keras's", async () => {
    const m = (await loadModel(file(name))) as Model<any>;
    expect((m as unknown as { outputs: { shape: unknown }[] }).outputs.map((t) => t.shape)).toEqual(ref.outputs.map((o) => [null, ...o.shape.slice(1)]));
  });

  test('getConfig / fromConfig round trip predicts the same', async () => {
    const m = (await loadModel(file(name))) as Model<any>;
    const config = JSON.parse(JSON.stringify(m.getConfig()));
    const again = (m.constructor as unknown as { fromConfig(c: unknown): Model<any> }).fromConfig(config);
    again.setWeights(m.getWeights());
    expect(JSON.parse(JSON.stringify(again.getConfig()))).toEqual(config);
    expectKerasPredictions(again, ref);
  });

  test('saved by Tessera, the operations are written as Keras wrote them (class, module, config, constants in place)', async () => {
    const m = (await loadModel(file(name))) as Model<any>;
    const out = path.join(dir, `${name}-again.keras`);
    await m.save(out);
    const strip = (l: any) => ({
      module: l.module,
      class_name: l.class_name,
      config: l.config,
      registered_name: l.registered_name,
      inbound_nodes: l.inbound_nodes,
    });
    const ops = (keras: string) =>
      (configOf(keras).config.layers as any[]).filter((l) => String(l.module).startsWith('keras.src.ops.') && !isMergeLike(l)).map(strip);
    const written = ops(out);
    expect(written.length).toBeGreaterThan(5);
    expect(written).toEqual(ops(file(name)));
    // and Tessera reads its own file back to the same predictions
    expectKerasPredictions((await loadModel(out)) as Model<any>, ref);
  });
});

// `x + y` between two tensors of one rank loads as the merge layer Add (saved as keras.layers' Add).
function isMergeLike(l: any): boolean {
  const args = l.inbound_nodes[0].args;
  return (
    ['Add', 'Subtract', 'Multiply', 'Maximum', 'Minimum'].includes(l.class_name) &&
    args.length === 2 &&
    args.every((a: any) => a?.class_name === '__keras_tensor__') &&
    a0rank(args)
  );
}
const a0rank = (args: any[]) => args[0].config.shape.length === args[1].config.shape.length;

describe('refused, never skipped', () => {
  const renamed = (from: string, to: string, module?: string) =>
    edited('shapes', (layers) => {
      const l = layers.find((e) => e.name === from)!;
      l.class_name = to;
      if (module !== undefined) l.module = module;
    });

  test('an operation class Tessera does not compute is an error naming it and its module', async () => {
    await expect(loadModel(renamed('mean', 'Median'))).rejects.toThrow(
      /'mean' is the Keras operation keras\.src\.ops\.numpy\.Median, which Tessera does not load/,
    );
    await expect(loadModel(renamed('mean', 'Mean', 'keras.src.ops.linalg'))).rejects.toThrow(/keras\.src\.ops\.linalg\.Mean, which Tessera does not load/);
  });

  test('an option the operation does not take is an error naming it', async () => {
    const file = edited('shapes', (layers) => (layers.find((e) => e.name === 'mean')!.config.where = true));
    await expect(loadModel(file)).rejects.toThrow(/mean: Keras operation keras\.src\.ops\.numpy\.Mean: unknown option\(s\) where; it takes axis, keepdims/);
  });

  test('keyword arguments in the call are an error, not dropped', async () => {
    const file = edited('shapes', (layers) => (layers.find((e) => e.name === 'mean')!.inbound_nodes[0].kwargs = { dtype: 'float16' }));
    await expect(loadModel(file)).rejects.toThrow(/Mean: expected no keyword arguments, got \{"dtype":"float16"\}/);
  });

  test('a GetItem index that is neither int, slice, None nor Ellipsis is an error', async () => {
    const file = edited('shapes', (layers) => (layers.find((e) => e.name === 'get_item')!.inbound_nodes[0].args[1] = [0.5]));
    await expect(loadModel(file)).rejects.toThrow(/get_item: Keras operation GetItem: expected the index to hold integers, slices, None or Ellipsis, got 0\.5/);
  });

  test('saving a model with an operation node in TensorFlow.js format is an error', async () => {
    const m = (await loadModel(file('shapes'))) as Model<any>;
    expect(() => m.toJSON()).toThrow(/is the Keras operation .*, which TensorFlow\.js's format cannot hold; save as \.keras/);
  });
});
