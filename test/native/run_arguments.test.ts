// run()'s arguments as the addon reads them on the fast path: inputs are read once, before
// anything else, and then held without a reference of their own (no JavaScript can run
// until the kernel ends); arguments live on the stack up to 8 inputs, on the heap beyond.
import * as ts from '../../src';
import { native, type NativeHandle } from '../../src/native/binding';
import { OP } from '../../src/native/op_ids';
import { liveTensors } from '../helpers/memory';

const CPU = -1;
const FLOAT32 = 0;

describe('run() arguments', () => {
  it('refuses an input disposed by a getter on the inputs array, naming the kernel', () => {
    const a = ts.tensor([1, 2]);
    const b = ts.tensor([3, 4]);
    const inputs: NativeHandle[] = [a.handle!];
    // Hostile input: reading element 1 disposes input 0, whose data the kernel would read.
    Object.defineProperty(inputs, 1, {
      enumerable: true,
      get: () => {
        native.dispose(a.handle!);
        return b.handle!;
      },
    });
    expect(() => native.run(OP.add, inputs, new Float64Array(0), new Float64Array([CPU, FLOAT32, 1, 2]))).toThrow(/^add: input 0 is a disposed tensor/);
    b.dispose();
  });

  it('names a non-handle input by its index', () => {
    const a = ts.tensor([1]);
    expect(() => native.run(OP.add, [a.handle!, {} as NativeHandle], new Float64Array(0), new Float64Array([CPU, FLOAT32, 1, 1]))).toThrow(
      /^add: expected input 1 to be a tensor handle/,
    );
    a.dispose();
  });

  it('computes with more inputs than fit on the stack (concat of 12)', () => {
    const parts = Array.from({ length: 12 }, (_, i) => ts.tensor([i, 100 + i]));
    const joined = ts.concat(parts, 0);
    expect(Array.from(joined.dataSync())).toEqual(parts.flatMap((_, i) => [i, 100 + i]));
    joined.dispose();
    ts.dispose(parts);
  });

  it('counts extra output specifications for the message instead of allocating them', () => {
    const a = ts.tensor([1]);
    const before = liveTensors();
    expect(() => native.run(OP.add, [a.handle!, a.handle!], new Float64Array(0), new Float64Array([CPU, FLOAT32, 1, 1, FLOAT32, 1, 1, FLOAT32, 1, 1]))).toThrow(
      /^add: expected 1 outputs, got 3/,
    );
    expect(liveTensors()).toBe(before);
    a.dispose();
  });
});

// runArgs(op, [device, attribute count, attributes..., output specs...], ...inputs): the
// eager path's entry. Every malformed call is an error naming the kernel, never a crash.
describe('runArgs() arguments', () => {
  const args = (...v: number[]) => new Float64Array(v);

  it('runs kernels with 0, 1, 2, 3 and 12 inputs and with attributes, as run() does', () => {
    const a = ts.tensor([1, 2]);
    const b = ts.tensor([10, 20]);
    const sum = native.runArgs(OP.add, args(CPU, 0, FLOAT32, 1, 2), a.handle!, b.handle!) as NativeHandle;
    expect(Array.from(native.read(sum))).toEqual([11, 22]);
    // fill(value 7) into [3]: one attribute, no input.
    const filled = native.runArgs(OP.fill, args(CPU, 1, 7, FLOAT32, 1, 3)) as NativeHandle;
    expect(Array.from(native.read(filled))).toEqual([7, 7, 7]);
    const parts = Array.from({ length: 12 }, (_, i) => ts.tensor([i]));
    const joined = ts.concat(parts, 0);
    expect(Array.from(joined.dataSync())).toEqual(parts.map((_, i) => i));
    const w = ts.tensor([[1], [2]]);
    const fused = ts.matMulBias(ts.tensor([[1, 1]]), w, ts.tensor([0.5]), true); // three inputs
    expect(Array.from(fused.dataSync())).toEqual([3.5]);
    [sum, filled].forEach((h) => native.dispose(h));
    ts.dispose([a, b, joined, w, fused, ...parts]);
  });

  it('refuses a wrong input count, a non-handle or disposed input, by kernel and index', () => {
    const a = ts.tensor([1]);
    expect(() => native.runArgs(OP.add, args(CPU, 0, FLOAT32, 1, 1), a.handle!)).toThrow(/^add: expected 2 inputs, got 1/);
    expect(() => native.runArgs(OP.add, args(CPU, 0, FLOAT32, 1, 1), a.handle!, {} as NativeHandle)).toThrow(/^add: expected input 1 to be a tensor handle/);
    const gone = ts.tensor([2]);
    const h = gone.handle!;
    gone.dispose();
    expect(() => native.runArgs(OP.add, args(CPU, 0, FLOAT32, 1, 1), a.handle!, h)).toThrow(/^add: input 1 is a disposed tensor/);
    a.dispose();
  });

  it('refuses malformed arguments: not a Float64Array, an attribute count past the end, fractional or negative, a bad spec', () => {
    const a = ts.tensor([1]);
    const h = a.handle!;
    expect(() => native.runArgs(9999, args(CPU, 0))).toThrow(/^runArgs: unknown op id 9999/);
    expect(() => native.runArgs('x' as never, args(CPU, 0))).toThrow(/^runArgs: expected \(op id, arguments, \.\.\.inputs\)/);
    expect(() => native.runArgs(OP.add, new Float32Array([CPU, 0, FLOAT32, 1, 1]) as never, h, h)).toThrow(/^add: expected the arguments as a Float64Array/);
    expect(() => native.runArgs(OP.add, args(CPU), h, h)).toThrow(/^add: malformed arguments/);
    expect(() => native.runArgs(OP.add, args(CPU, 4, FLOAT32, 1, 1), h, h)).toThrow(/^add: malformed arguments/);
    expect(() => native.runArgs(OP.add, args(CPU, 0.5, FLOAT32, 1, 1), h, h)).toThrow(/^add: malformed arguments/);
    expect(() => native.runArgs(OP.add, args(CPU, -1, FLOAT32, 1, 1), h, h)).toThrow(/^add: malformed arguments/);
    expect(() => native.runArgs(OP.add, args(CPU, Number.NaN, FLOAT32, 1, 1), h, h)).toThrow(/^add: malformed arguments/);
    expect(() => native.runArgs(OP.add, args(CPU, 0), h, h)).toThrow(/^add: expected 1 outputs, got 0/);
    expect(() => native.runArgs(OP.add, args(CPU, 0, FLOAT32), h, h)).toThrow(/^add: truncated output specification/);
    expect(() => native.runArgs(OP.add, args(CPU, 0, FLOAT32, 2, 1), h, h)).toThrow(/^add: bad output rank 2/);
    expect(() => native.runArgs(OP.add, args(0.5, 0, FLOAT32, 1, 1), h, h)).toThrow(/^add: bad device code 0.5/);
    // Attributes are checked against ops.def's types as on run(): fill takes one.
    expect(() => native.runArgs(OP.fill, args(CPU, 0, FLOAT32, 1, 1))).toThrow(/^fill: expected 1 attribute/);
    a.dispose();
  });
});
