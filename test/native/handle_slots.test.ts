// Handles are slots of a reused table (native/src/napi/handle_table.h): a disposed
// tensor's slot serves the next tensor. A handle kept past its dispose must read as
// disposed, with a clear error, and never reach the tensor that took its slot over.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as ts from '../../src';
import { native, type NativeHandle } from '../../src/native/binding';
import { OP } from '../../src/native/op_ids';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CPU = -1;
const FLOAT32 = 0;

// A disposed tensor's handle and a live tensor made right after it, which takes its slot.
function staleAndSuccessor(): { stale: NativeHandle; successor: ts.Tensor } {
  const first = ts.tensor([1, 2, 3]);
  const stale = first.handle!;
  first.dispose();
  return { stale, successor: ts.tensor([7, 8, 9]) };
}

describe('reused handle slots', () => {
  it('refuses a disposed handle in every entry, never reading the tensor in its slot', () => {
    const { stale, successor } = staleAndSuccessor();
    expect(() => native.read(stale)).toThrow(/^read: x is a disposed tensor/);
    expect(() => native.reshape(stale, [3])).toThrow(/^reshape: x is a disposed tensor/);
    expect(() => native.to(stale, CPU)).toThrow(/^to: x is a disposed tensor/);
    expect(() => native.runArgs(OP.add, new Float64Array([CPU, 0, FLOAT32, 1, 3]), stale, successor.handle!)).toThrow(/^add: input 0 is a disposed tensor/);
    expect(() => native.run(OP.add, [successor.handle!, stale], new Float64Array(0), new Float64Array([CPU, FLOAT32, 1, 3]))).toThrow(
      /^add: input 1 is a disposed tensor/,
    );
    expect(Array.from(successor.dataSync())).toEqual([7, 8, 9]);
    successor.dispose();
  });

  it('disposes a stale handle again as a no-op, leaving the successor alive', () => {
    const { stale, successor } = staleAndSuccessor();
    const before = ts.memory().numTensors;
    native.dispose(stale);
    expect(ts.memory().numTensors).toBe(before);
    expect(Array.from(successor.dataSync())).toEqual([7, 8, 9]);
    successor.dispose();
    expect(ts.memory().numTensors).toBe(before - 1);
  });

  it('tells a value that is no handle from a disposed one', () => {
    expect(() => native.dispose({} as NativeHandle)).toThrow(/^dispose: expected a tensor handle/);
    expect(() => native.read(1 as unknown as NativeHandle)).toThrow(/^read: expected x to be a tensor handle/);
    const loan = native.hostBuffer(ts.tensor([1]).handle!);
    expect(() => native.read(loan as unknown as NativeHandle)).toThrow(/^read: expected x to be a tensor handle/);
    native.releaseHostBuffer(loan);
  });

  it('keeps each of many tensors made over reused slots apart', () => {
    const kept: ts.Tensor[] = [];
    for (let i = 0; i < 200; i++) {
      ts.tensor([i]).dispose();
      const t = ts.tensor([i, -i]);
      if (i % 2 === 0) kept.push(t);
      else t.dispose();
    }
    kept.forEach((t, k) => expect(Array.from(t.dataSync())).toEqual([2 * k, -2 * k]));
    ts.dispose(kept);
  });

  it('reclaims collected handles, and their slots serve new tensors correctly', async () => {
    const start = ts.memory();
    (() => {
      for (let i = 0; i < 300; i++) ts.ones([16]);
    })();
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
    const fresh = ts.fill([4], 5);
    const after = ts.memory();
    expect(after.reclaimedByGC).toBeGreaterThanOrEqual(start.reclaimedByGC + 300);
    expect(after.numTensors).toBeLessThanOrEqual(start.numTensors + 1);
    expect(Array.from(fresh.dataSync())).toEqual([5, 5, 5, 5]);
    fresh.dispose();
  });
});
