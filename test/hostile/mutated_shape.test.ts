// A tensor's shape array changed in place (`const s = x.shape; s[0] = -1`, `x.shape.push(1)`):
// the kernels trust the shape, so the next op on x read past its data and the process died
// (SIGSEGV). Now each op, and each read, checks the shape still matches the values held.
import * as ts from '../../src';
import { inspect } from 'node:util';
import { howItEnded, runTsBody } from '../helpers/child';

describe('a shape changed in place', () => {
  it('the next op fails naming itself, in a process that survives (it died of SIGSEGV)', () => {
    // In a child: before the check, this killed the process, jest included.
    const r = runTsBody(
      `const x = ts.ones([2]);
       x.shape[0] = 1e6;
       try { ts.add(x, 1); console.log('returned'); } catch (e) { console.log(e.message); }`,
      [],
      60_000,
    );
    expect(howItEnded(r)).toBe('exit 0');
    expect(r.stdout.trim()).toBe(
      "add: input 0's shape was changed in place to [1000000], but it holds 2 values; a tensor's shape is read-only: change a copy ([...x.shape]) and reshape",
    );
  });

  it('a shape grown by push, read back or fed to a layer, is refused', () => {
    const x = ts.ones([2]);
    x.shape.push(5);
    expect(() => ts.relu(x)).toThrow("relu: input 0's shape was changed in place to [2, 5], but it holds 2 values");
    expect(() => x.arraySync()).toThrow("dataSync: the tensor's shape was changed in place to [2, 5], but it holds 2 values");
    x.shape.pop();
    expect(ts.tidy(() => ts.relu(x).arraySync())).toEqual([1, 1]);
    x.dispose();
  });
});

// `readonly` is a compile-time word only: from JS, `x.dtype = 'int32'` made kernels read
// float32 bits as int32 (garbage, silently). The properties now refuse assignment.
describe("a tensor's properties reassigned", () => {
  it.each([
    ['dtype', 'int32', "Tensor.dtype is read-only (it is float32), got an assignment of 'int32' (a string): ts.cast(x, dtype) makes a tensor of another dtype"],
    ['shape', [3, 2], 'Tensor.shape is read-only (it is [2, 3]), got an assignment of [3, 2]: ts.reshape(x, shape) makes a tensor of another shape'],
    ['device', 'cuda:0', "Tensor.device is read-only (it is cpu), got an assignment of 'cuda:0' (a string): x.to(device) makes a copy on another device"],
    ['size', 3, 'Tensor.size is read-only (it is 6), got an assignment of 3: the size follows the shape'],
    ['id', 1, 'Tensor.id is read-only'],
  ])('%s is refused and the tensor keeps its value', (property, value, message) => {
    const x = ts.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(() => {
      (x as unknown as Record<string, unknown>)[property] = value;
    }).toThrow(message);
    expect([x.dtype, x.shape, x.device, x.size]).toEqual(['float32', [2, 3], 'cpu', 6]);
    expect(ts.tidy(() => ts.add(x, 1).arraySync())).toEqual([
      [2, 3, 4],
      [5, 6, 7],
    ]);
    x.dispose();
  });

  it('a variable refuses too, and still reads its properties', () => {
    const v = ts.variable(ts.zeros([2], 'int32'));
    expect(() => {
      (v as unknown as { dtype: string }).dtype = 'float32';
    }).toThrow('Tensor.dtype is read-only (it is int32)');
    expect([v.dtype, v.shape, v.size]).toEqual(['int32', [2], 2]);
    v.dispose();
  });
});

describe('a tensor read-only properties still show', () => {
  it('in console.log and JSON.stringify, as when they were plain fields', () => {
    const x = ts.tensor([1, 2]);
    const shown = inspect(x);
    for (const part of [`id: ${x.id}`, 'shape: [ 2 ]', "dtype: 'float32'", "device: 'cpu'", 'size: 2', 'kept: false']) expect(shown).toContain(part);
    expect(JSON.parse(JSON.stringify(x))).toEqual({ id: x.id, handle: {}, shape: [2], dtype: 'float32', device: 'cpu', size: 2, kept: false });
    x.dispose();
  });
});
