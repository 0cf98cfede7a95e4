// Keras 3 functional models whose graph holds operations (`keras.ops.mean(x)`, `x + 1`,
// `x[:, 0]`: nodes of module keras.src.ops.*, not layers), written by Keras 3.15 itself
// (scripts/fixtures/make_keras_op_nodes_fixtures.py; its --check mode loaded the files
// Tessera saved back into Keras and got the same predictions). Here: they load and
// predict what Keras predicted, their configs round-trip, and Tessera writes the
// operations back in Keras's form.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cloneModel, input, layers, loadModel, model, tensor, type Model, type SymbolicTensor, type Tensor } from '../../src';
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

  test('getConfig / fromConfig round trip (and cloneModel) predicts the same', async () => {
    const m = (await loadModel(file(name))) as Model<any>;
    const config = JSON.parse(JSON.stringify(m.getConfig()));
    const again = (m.constructor as unknown as { fromConfig(c: unknown): Model<any> }).fromConfig(config);
    again.setWeights(m.getWeights());
    expect(JSON.parse(JSON.stringify(again.getConfig()))).toEqual(config);
    expectKerasPredictions(again, ref);
    const clone = cloneModel(m) as Model<any>;
    clone.setWeights(m.getWeights());
    expectKerasPredictions(clone, ref);
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

describe("masked.keras: Embedding(maskZero) into an LSTM, the mask written as a NotEqual node in the LSTM's kwargs", () => {
  const ref = referenceOf('masked');
  const tokens = () => tensor(ref.input.values, ref.input.shape, 'int32');

  test('the kwarg is the mask Tessera carries: it loads and predicts what Keras predicted (masked steps skipped)', async () => {
    const m = (await loadModel(file('masked'))) as Model<any>;
    const y = m.predict(tokens()) as Tensor;
    expect(y.shape).toEqual(ref.outputs[0].shape);
    expectClose(Array.from(y.dataSync()), ref.outputs[0].values, 1e-5, 1e-6);
  });

  test('a mask kwarg that is any other tensor is still refused', async () => {
    const other = edited('masked', (layers) => (layers.find((e) => e.class_name === 'NotEqual')!.inbound_nodes[0].args[1] = 1));
    await expect(loadModel(other)).rejects.toThrow(/kwargs 'mask' passes a mask tensor explicitly/);
  });
});

describe('two_masked.keras: two Embedding(maskZero) branches and a not_equal output (NotEqual nodes not_equal to not_equal_2)', () => {
  const ref = JSON.parse(fs.readFileSync(fixture('keras/op_nodes/two_masked.json'), 'utf8')) as {
    inputs: { shape: number[]; values: number[] }[];
    outputs: Reference['outputs'];
  };
  const asReference = (): Reference => ({ input: ref.inputs[0], outputs: ref.outputs });
  const predictTwo = (m: Model<any>) => m.predict(ref.inputs.map((i) => tensor(i.values, i.shape, 'int32'))) as Tensor[];
  const expectPredictions = (m: Model<any>) =>
    predictTwo(m).forEach((y, i) => expectClose(Array.from(y.dataSync(), Number), asReference().outputs[i].values, 1e-5, 1e-6));
  const names = (keras: string) => (configOf(keras).config.layers as any[]).map((l) => l.name as string);

  test('re-saved, its layer names are unique and the masks are NotEqual nodes in the kwargs, as Keras wrote them', async () => {
    const m = (await loadModel(file('two_masked'))) as Model<any>;
    expectPredictions(m);
    const out = path.join(dir, 'two_masked-again.keras');
    await m.save(out);
    expect(new Set(names(out)).size).toBe(names(out).length);
    // Keras 3.15 refuses a file whose names clash, and rebuilds left-out masks under names of its own session.
    const notEqual = (keras: string) => (configOf(keras).config.layers as any[]).filter((l) => l.class_name === 'NotEqual');
    expect(notEqual(out)).toEqual(notEqual(file('two_masked')));
    const masks = (keras: string) => (configOf(keras).config.layers as any[]).map((l) => l.inbound_nodes.map((n: any) => n.kwargs?.mask ?? null));
    expect(masks(out)).toEqual(masks(file('two_masked')));
    expectPredictions((await loadModel(out)) as Model<any>);
  });

  test("a model built here gets mask nodes named clear of its own operation's name", async () => {
    const a = input({ shape: [4], dtype: 'int32', name: 'a' });
    const b = input({ shape: [5], dtype: 'int32', name: 'b' });
    const ea = layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true }).apply(a) as SymbolicTensor;
    const eb = layers.embedding({ inputDim: 12, outputDim: 2, maskZero: true }).apply(b) as SymbolicTensor;
    const joined = layers.concatenate().apply([layers.lstm({ units: 2 }).apply(ea), layers.globalAveragePooling1d().apply(eb)] as SymbolicTensor[]);
    const op = layers.operation('notEqual', [a, 0]);
    const m = model({ inputs: [a, b], outputs: [joined as SymbolicTensor, op] });
    const out = path.join(dir, 'built-two-masks.keras');
    await m.save(out);
    const written = configOf(out).config.layers as any[];
    expect(new Set(names(out)).size).toBe(written.length);
    const maskNames = written.flatMap((l) => l.inbound_nodes.map((n: any) => n.kwargs?.mask?.config.keras_history[0]).filter(Boolean));
    expect(maskNames).toHaveLength(2);
    expect(op.sourceLayer.name).toBe('not_equal');
    expect(maskNames).not.toContain('not_equal');
    expect(maskNames.map((n: string) => written.find((l) => l.name === n).class_name)).toEqual(['NotEqual', 'NotEqual']);
    const again = (await loadModel(out)) as Model<any>;
    const xs = ref.inputs.map((i) => tensor(i.values, i.shape, 'int32'));
    (m.predict(xs) as Tensor[]).forEach((y, i) => expect(Array.from((again.predict(xs) as Tensor[])[i].dataSync())).toEqual(Array.from(y.dataSync())));
  });
});
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

describe('layers.operation: Keras operation nodes made in Tessera', () => {
  const build = () => {
    const x = input({ shape: [3] });
    const y = layers.operation('add', [x, 1]);
    const z = layers.operation('Multiply', [2, x]);
    const w = layers.operation('not_equal', [x, 0]);
    const first = layers.operation('getItem', [x, [{ class_name: '__slice__', config: { start: null, stop: null, step: null } }, 0]]);
    const mean = layers.operation('mean', [layers.operation('concatenate', [[y, z]], { axis: -1 })], { axis: -1, keepdims: true });
    return model({ inputs: x, outputs: [layers.dense({ units: 2 }).apply(layers.operation('add', [y, z])) as SymbolicTensor, w, first, mean] });
  };
  const xs = [
    [0, 1.5, -2],
    [3, 0, -0.5],
  ];

  test('compute what the ops compute on tensors, with the batch dimension unknown', () => {
    const m = build();
    expect((m as unknown as { outputs: { shape: unknown }[] }).outputs.map((t) => t.shape)).toEqual([[null, 2], [null, 3], [null], [null, 1]]);
    const [, w, first, mean] = m.predict(tensor(xs)) as Tensor[];
    expect(w.dtype).toBe('bool');
    expect(Array.from(w.dataSync(), Number)).toEqual([0, 1, 1, 1, 0, 1]);
    expect(Array.from(first.dataSync())).toEqual([0, 3]);
    expectClose(Array.from(mean.dataSync()), [(1 + 2.5 - 1 + 0 + 3 - 4) / 6, (4 + 1 + 0.5 + 6 + 0 - 1) / 6]);
  });

  test('saved as .keras, each is the Keras operation entry with its constants in place, and loads back to the same predictions', async () => {
    const m = build();
    const out = path.join(dir, 'built.keras');
    await m.save(out);
    const entries = configOf(out).config.layers as any[];
    const add = entries.find((l) => l.class_name === 'Add' && l.inbound_nodes[0].args[1] === 1);
    expect(add).toMatchObject({ module: 'keras.src.ops.numpy', config: { name: add.name }, registered_name: 'Add', inbound_nodes: [{ kwargs: {} }] });
    expect(add.inbound_nodes[0].args[0]).toMatchObject({
      class_name: '__keras_tensor__',
      config: { shape: [null, 3], keras_history: [expect.any(String), 0, 0] },
    });
    const mul = entries.find((l) => l.class_name === 'Multiply');
    expect(mul.inbound_nodes[0].args[0]).toBe(2);
    const mean = entries.find((l) => l.class_name === 'Mean');
    expect(mean.config).toEqual({ name: mean.name, axis: -1, keepdims: true });
    const again = (await loadModel(out)) as Model<any>;
    const [a, b] = [m.predict(tensor(xs)) as Tensor[], again.predict(tensor(xs)) as Tensor[]];
    b.forEach((t, i) => expect(Array.from(t.dataSync(), Number)).toEqual(Array.from(a[i].dataSync(), Number)));
  });

  test('refuses what it cannot make: an unknown operation, no symbolic tensor, an eager tensor, a bad option', () => {
    const x = input({ shape: [3] });
    expect(() => layers.operation('median', [x])).toThrow(/layers\.operation: unknown operation 'median'; known: Add, Subtract/);
    expect(() => layers.operation('add', [1, 2])).toThrow(/layers\.operation\('add'\): expected at least one symbolic tensor among args/);
    expect(() => layers.operation('add', [x, tensor([1, 2, 3])])).toThrow(/expected symbolic tensors and constants .* on tensors call the op directly/);
    expect(() => layers.operation('mean', [x], { axes: 1 })).toThrow(
      /Keras operation keras\.src\.ops\.numpy\.Mean: unknown option\(s\) axes; it takes axis, keepdims/,
    );
    expect(() => layers.operation('add', [x])).toThrow(/Add: expected 2 positional arguments, got 1/);
  });
});
