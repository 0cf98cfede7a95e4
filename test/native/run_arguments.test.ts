// run()'s arguments as the addon reads them on the fast path: inputs are read once, before
// anything else, and then held without a reference of their own (no JavaScript can run
// until the kernel ends); arguments live on the stack up to 8 inputs, on the heap beyond.
import * as ts from '../../src';
import { native, type NativeHandle } from '../../src/native/binding';
import { OP } from '../../src/native/op_ids';

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
    const before = ts.memory().numTensors;
    expect(() => native.run(OP.add, [a.handle!, a.handle!], new Float64Array(0), new Float64Array([CPU, FLOAT32, 1, 1, FLOAT32, 1, 1, FLOAT32, 1, 1]))).toThrow(
      /^add: expected 1 outputs, got 3/,
    );
    expect(ts.memory().numTensors).toBe(before);
    a.dispose();
  });
});
