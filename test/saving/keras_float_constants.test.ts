// Whole numbers Keras wrote as floats among an operation node's constants (`1.0 - x`,
// `x * 2.0` on an int tensor): JSON.parse reads 1.0 as 1, yet in Keras a Python float
// next to an int or bool tensor makes the result float32 where an int keeps int32.
// Fixtures by Keras 3.15 (scripts/fixtures/make_keras_float_constants_fixtures.py; its
// --check mode loaded the files Tessera saved back into Keras and got the same dtypes and
// values). Here: each output's dtype and values are Keras's, layer configs and indices
// read as before, and Tessera writes the float constants back as '1.0'.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { input, layers, loadModel, model, tensor, type Model, type SymbolicTensor, type Tensor } from '../../src';
import { floatsInJson, floatMark } from '../../src/saving/json_floats';
import { parseKerasConfig } from '../../src/saving/keras_json';
import { readZip } from '../../src/saving/zip';
import { expectClose } from '../helpers/reference';
import { fixture, tempDir } from './helpers';

interface Reference {
  input: { shape: number[]; dtype: string; values: number[] };
  outputs: { shape: number[]; dtype: string; values: number[] }[];
}

const dir = tempDir();
const file = (name: string) => fixture(`keras/float_constants/${name}.keras`);
const referenceOf = (name: string): Reference => JSON.parse(fs.readFileSync(fixture(`keras/float_constants/${name}.json`), 'utf8'));
const configText = (keras: string) => new TextDecoder().decode(readZip(keras, new Uint8Array(fs.readFileSync(keras))).get('config.json'));
const inputOf = (ref: Reference) =>
  ref.input.dtype === 'bool'
    ? tensor(ref.input.values.map(Boolean), ref.input.shape, 'bool')
    : tensor(ref.input.values, ref.input.shape, ref.input.dtype as 'int32');

function expectKerasPredictions(m: Model<any>, ref: Reference): void {
  const ys = m.predict(inputOf(ref)) as Tensor[];
  expect(ys).toHaveLength(ref.outputs.length);
  ys.forEach((y, i) => {
    const name = (m as unknown as { outputNames?: string[] }).outputNames?.[i] ?? String(i);
    expect([name, y.shape, y.dtype]).toEqual([name, ref.outputs[i].shape, ref.outputs[i].dtype]);
    expectClose(Array.from(y.dataSync(), Number), ref.outputs[i].values, 1e-6, 1e-6);
  });
}

describe.each(['int_input', 'float_input', 'bool_input'])('%s.keras: whole-number float and int constants', (name) => {
  const ref = referenceOf(name);

  test("every output has Keras's dtype and values", async () => {
    expectKerasPredictions((await loadModel(file(name))) as Model<any>, ref);
  });

  test('saved by Tessera and loaded back, still the same dtypes and values', async () => {
    const out = path.join(dir, `${name}-again.keras`);
    await ((await loadModel(file(name))) as Model<any>).save(out);
    expectKerasPredictions((await loadModel(out)) as Model<any>, ref);
  });
});

describe('int_input.keras: what the constants load as, and how they are written back', () => {
  const argsOf = (m: Model<any>, layer: string) => (m.getLayer(layer) as unknown as { args: unknown[] }).args;

  test('a float constant is marked a float; int constants and indices stay plain ints', async () => {
    const m = (await loadModel(file('int_input'))) as Model<any>;
    expect(argsOf(m, 'subtract')).toEqual([{ class_name: '__float__', config: { value: 1 } }, { kerasTensor: 0 }]);
    expect(argsOf(m, 'add_3')).toEqual([{ kerasTensor: 0 }, 1]);
    expect(argsOf(m, 'get_item')).toEqual([{ kerasTensor: 0 }, [{ class_name: '__slice__', config: { start: null, stop: null, step: null } }, 0]]);
    expect(argsOf(m, 'take')).toEqual([{ kerasTensor: 0 }, [0, 2]]);
  });

  test("written back with Keras's literals: '1.0' for the float, '1' and index '0' for the ints", async () => {
    const out = path.join(dir, 'int-written.keras');
    await ((await loadModel(file('int_input'))) as Model<any>).save(out);
    const text = configText(out);
    const argsText = (layer: string) => {
      const at = text.indexOf(`"inbound_nodes":`, text.indexOf(`"name":"${layer}"`));
      return text.slice(at, text.indexOf(`"kwargs"`, at));
    };
    expect(argsText('subtract')).toMatch(/"args":\[1\.0,\{"class_name":"__keras_tensor__"/);
    expect(argsText('subtract_2')).toMatch(/"args":\[-0\.0,/);
    expect(argsText('add_3')).toMatch(/\},1\],$/);
    expect(argsText('get_item')).toMatch(/"step":null\}\},0\]\],$/);
    expect(text).not.toContain('__float__');
    expect(text).not.toContain('__tessera_float__');
  });
});

describe('parseKerasConfig', () => {
  const op = (args: string) =>
    `{"module":"keras.src.ops.numpy","class_name":"Add","config":{"name":"a","rate":1.0},"inbound_nodes":[{"args":${args},"kwargs":{}}]}`;
  const f = (value: number) => ({ class_name: '__float__', config: { value } });

  test("in an operation's call args, whole floats (1.0, -0.0, 2e3, 1E2) are float constants; ints, fractions, strings and Keras objects' numbers are as JSON.parse reads them", () => {
    const numpy = '{"class_name":"__numpy__","config":{"value":[1.0,2.0],"dtype":"float32"}}';
    const parsed = parseKerasConfig(op(`[1.0, -0.0, 2e3, 1E2, 1, 1.5, "1.0", [3.0, 4], ${numpy}]`)) as any;
    expect(parsed.inbound_nodes[0].args).toEqual([f(1), f(-0), f(2000), f(100), 1, 1.5, '1.0', [f(3), 4], JSON.parse(numpy)]);
    expect(Object.is(parsed.inbound_nodes[0].args[1].config.value, -0)).toBe(true);
    // numbers inside strings (escaped quotes and backslashes included) are not numbers
    const strings = parseKerasConfig(op(String.raw`["a\" 2.0 \\", 3.0, "\\", 4.0]`)) as any;
    expect(strings.inbound_nodes[0].args).toEqual(['a" 2.0 \\', f(3), '\\', f(4)]);
    // the operation's own config is read as before
    expect(parsed.config).toEqual({ name: 'a', rate: 1 });
  });

  test('layer configs and anything outside an operation read exactly as JSON.parse reads them', () => {
    const text = `{"class_name":"Functional","config":{"layers":[{"module":"keras.layers","class_name":"Dropout","config":{"rate":1.0,"units":64,"s":"keras.src.ops.x 2.0","__proto__":3.0},"inbound_nodes":[{"args":[2.0]}]},${op('[1.0]')}]},"compile_config":{"learning_rate":1.0}}`;
    const parsed = parseKerasConfig(text) as any;
    const plain = JSON.parse(text);
    plain.config.layers[1].inbound_nodes[0].args = [f(1)];
    expect(parsed).toEqual(plain);
    expect(Object.getPrototypeOf(parsed.config.layers[0].config)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed.config.layers[0].config, '__proto__')).toBe(true);
  });

  test('a config without operations is JSON.parse of it; invalid JSON is still an error', () => {
    const text = '{"a":[1.0,2,{"b":3.50}],"c":"1.0"}';
    expect(parseKerasConfig(text)).toEqual(JSON.parse(text));
    expect(() => parseKerasConfig(`${op('[1.0]')},`)).toThrow(SyntaxError);
  });

  test('floatsInJson writes marked whole numbers as floats, exponents and -0 included', () => {
    const marked = JSON.stringify([floatMark(1), floatMark(-3), floatMark(-0), floatMark(1e21), 7]);
    expect(floatsInJson(marked)).toBe('[1.0,-3.0,-0.0,1e+21,7]');
    expect(JSON.parse(floatsInJson(marked))).toEqual([1, -3, -0, 1e21, 7]);
  });
});

describe('layers.operation with a float constant', () => {
  test('{class_name: "__float__"} on an int input gives float32 as in Keras, a plain 1 int32; saved as 1.0', async () => {
    const x = input({ shape: [2], dtype: 'int32' });
    const a = layers.operation('subtract', [{ class_name: '__float__', config: { value: 1 } }, x]);
    const b = layers.operation('subtract', [1, x]);
    const m = model({ inputs: x, outputs: [a, b] as SymbolicTensor[] });
    const [ya, yb] = m.predict(tensor([[0, 3]], [1, 2], 'int32')) as Tensor[];
    expect([ya.dtype, Array.from(ya.dataSync())]).toEqual(['float32', [1, -2]]);
    expect([yb.dtype, Array.from(yb.dataSync())]).toEqual(['int32', [1, -2]]);
    const out = path.join(dir, 'made.keras');
    await m.save(out);
    expect(configText(out)).toMatch(/"args":\[1\.0,\{"class_name":"__keras_tensor__"/);
    const again = (await loadModel(out)) as Model<any>;
    expect((again.predict(tensor([[0, 3]], [1, 2], 'int32')) as Tensor[]).map((t) => t.dtype)).toEqual(['float32', 'int32']);
  });

  test('a float constant whose value is not a finite number is an error naming the layer', () => {
    const x = input({ shape: [2], dtype: 'int32' });
    expect(() => layers.operation('add', [x, { class_name: '__float__', config: { value: '1' } }])).toThrow(
      /add.*: Keras operation keras\.src\.ops\.numpy\.Add: expected a float constant \{class_name: '__float__', config: \{value: <finite number>\}\}, got/,
    );
    expect(() => layers.operation('add', [x, { class_name: '__float__', config: { value: Infinity } }])).toThrow(/expected a float constant/);
  });
});
