// runScratch(...inputs): the eager path's entry, its op and arguments in the addon's own
// buffer (argBuffer(): [length, op, device, attribute count, attributes..., specs...]). Malformed contents are errors naming the kernel, never a crash;
// arguments that do not fit the buffer go by runArgs with the same result.
import * as ts from '../../src';
import { native } from '../../src/native/binding';
import { OP } from '../../src/native/op_ids';

const CPU = -1;
const FLOAT32 = 0;

describe('runScratch()', () => {
  const scratch = native.argBuffer();
  const write = (...v: number[]) => scratch.set(v);

  it('gives every call the same memory', () => {
    expect(native.argBuffer().length).toBe(scratch.length);
    write(42);
    expect(native.argBuffer()[0]).toBe(42);
  });

  it('runs a kernel from the buffer', () => {
    const a = ts.tensor([1, 2]);
    const b = ts.tensor([10, 20]);
    write(7, OP.add, CPU, 0, FLOAT32, 1, 2);
    const h = native.runScratch(a.handle!, b.handle!);
    const out = new ts.Tensor(h as never, [2], 'float32', 'cpu');
    expect(Array.from(out.dataSync())).toEqual([11, 22]);
    ts.dispose([a, b, out]);
  });

  it.each([
    ['a length below the header', [3, OP.add, CPU, 0]],
    ['a length beyond the buffer', [1e6, OP.add, CPU, 0]],
    ['a fractional length', [6.5, OP.add, CPU, 0, FLOAT32, 0]],
    ['more attributes than the length holds', [6, OP.add, CPU, 3, FLOAT32, 0]],
    ['a negative attribute count', [6, OP.add, CPU, -1, FLOAT32, 0]],
  ])('refuses %s, naming the kernel', (_, args) => {
    const a = ts.tensor([1]);
    write(...args);
    expect(() => native.runScratch(a.handle!, a.handle!)).toThrow(/^add: malformed arguments/);
    a.dispose();
  });

  it.each([
    ['negative', -1],
    ['too large', 1e9],
    ['fractional', 1.5],
  ])('refuses an op id that is %s', (_, op) => {
    write(6, op, CPU, 0, FLOAT32, 0);
    expect(() => native.runScratch()).toThrow(/^runScratch: unknown op id/);
  });

  it('checks the input count against the kernel', () => {
    const a = ts.tensor([1]);
    write(6, OP.add, CPU, 0, FLOAT32, 0);
    expect(() => native.runScratch(a.handle!)).toThrow(/^add: expected 2 inputs, got 1/);
    a.dispose();
  });
});

describe('arguments longer than the scratch buffer', () => {
  it('run by runArgs with the same result', () => {
    jest.isolateModules(() => {
      // A 4-element buffer: add's arguments for a [2, 2] output (8 values) do not fit.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module graph with the mock below
      const binding = require('../../src/native/binding') as typeof import('../../src/native/binding');
      const real = binding.native;
      const calls: string[] = [];
      const small = new Float64Array(4);
      const counted =
        (key: 'runArgs' | 'runScratch') =>
        (...args: unknown[]): unknown => {
          calls.push(key);
          return (real[key] as (...a: unknown[]) => unknown)(...args);
        };
      Object.defineProperty(binding, 'native', {
        value: Object.create(real, {
          argBuffer: { value: () => small },
          runArgs: { value: counted('runArgs') },
          runScratch: { value: counted('runScratch') },
        }),
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mock
      const fresh = require('../../src') as typeof ts;
      const a = fresh.tensor([
        [1, 2],
        [3, 4],
      ]);
      const b = fresh.tensor([
        [10, 20],
        [30, 40],
      ]);
      const sum = fresh.add(a, b);
      expect(Array.from(sum.dataSync())).toEqual([11, 22, 33, 44]);
      expect(calls).toContain('runArgs');
      expect(calls).not.toContain('runScratch');
      fresh.dispose([a, b, sum]);
    });
  });
});
