// Young tensors (src/tensor/young.ts): the eager path's handles get their GC finalizer
// only at a sweep, if they are still alive then. Disposing, tidy, keep and stale handles
// behave as before; a tensor dropped without dispose is still freed by the GC, young
// (after the next sweep) or promoted; and every young handle goes through the list.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as ts from '../src';
import { native, type NativeHandle } from '../src/native/binding';
import { packAttrs } from '../src/native/op_attrs';
import { runKernel } from '../src/tensor/run';
import { SWEEP_EVERY_ELEMENTS, SWEEP_EVERY_TENSORS, sweepYoung } from '../src/tensor/young';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const young = (): number => native.memoryInfo().young;
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

// Collects until the GC's finalizers have run, then lets the next call into the addon free what they queued.
async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await turn();
  }
  ts.memory();
}

// Makes n small tensors that nobody references after the call.
function forget(n: number): void {
  const one = ts.tensor([1]);
  for (let i = 0; i < n; i++) ts.add(one, one);
  one.dispose();
}

beforeEach(() => sweepYoung());

describe('young tensors', () => {
  it('are made without a finalizer and promoted by a sweep while alive', () => {
    const a = ts.tensor([1, 2]);
    const sum = ts.add(a, a);
    expect(young()).toBe(1); // a came from createTensor, which finalizes at once
    expect(typeof sum.handle).toBe('bigint');
    expect(typeof a.handle).toBe('object');
    sweepYoung();
    expect(young()).toBe(0);
    expect(typeof sum.handle).toBe('object'); // an External with the finalizer now
    expect(Array.from(sum.dataSync())).toEqual([2, 4]);
    ts.dispose([a, sum]);
  });

  it('disposed young cost nothing later: the count is exact and the sweep skips them', () => {
    const before = ts.memory().numTensors;
    const a = ts.tensor([3]);
    const ys = Array.from({ length: 10 }, () => ts.mul(a, a));
    expect(young()).toBe(10);
    ys.forEach((y) => y.dispose());
    ys[0].dispose(); // twice: a no-op
    expect(young()).toBe(0);
    expect(ts.memory().numTensors).toBe(before + 1);
    sweepYoung();
    expect(young()).toBe(0);
    a.dispose();
    expect(ts.memory().numTensors).toBe(before);
  });

  it('sweep on their own after SWEEP_EVERY_TENSORS tensors or SWEEP_EVERY_ELEMENTS elements', () => {
    const one = ts.tensor([1]);
    const held = Array.from({ length: SWEEP_EVERY_TENSORS - 1 }, () => ts.add(one, one));
    expect(young()).toBe(SWEEP_EVERY_TENSORS - 1);
    held.push(ts.add(one, one)); // the one that fills the list
    expect(young()).toBe(0);
    ts.dispose(held);
    const big = ts.add(ts.zeros([SWEEP_EVERY_ELEMENTS / 2]), 1); // the zeros and the sum reach the bound
    expect(young()).toBe(0);
    ts.dispose([one, big]);
  });

  it('sweep at the next event-loop turn', async () => {
    const a = ts.tensor([1]);
    const b = ts.neg(a);
    expect(young()).toBe(1);
    await turn();
    expect(young()).toBe(0);
    ts.dispose([a, b]);
  });

  it('dropped without dispose are freed by the GC after a sweep, in synchronous code', async () => {
    await collect();
    const start = ts.memory();
    forget(100);
    gc();
    ts.memory();
    // Held by the young list until the sweep: not freed yet.
    expect(ts.memory().numTensors).toBe(start.numTensors + 100);
    sweepYoung();
    gc();
    gc();
    const after = ts.memory(); // the next call frees what the GC queued
    expect(after.numTensors).toBe(start.numTensors);
    expect(after.reclaimedByGC).toBe(start.reclaimedByGC + 100);
  });

  it('dropped in a loop past the thresholds are freed by the GC alone', async () => {
    await collect();
    const start = ts.memory();
    forget(3 * SWEEP_EVERY_TENSORS); // three sweeps: every one of them promoted
    expect(young()).toBe(0);
    await collect();
    const after = ts.memory();
    expect(after.numTensors).toBe(start.numTensors);
    expect(after.reclaimedByGC).toBe(start.reclaimedByGC + 3 * SWEEP_EVERY_TENSORS);
  });

  it('promoted, then disposed, are never reported by the GC', async () => {
    await collect();
    const start = ts.memory();
    (() => {
      const a = ts.tensor([1]);
      const ys = Array.from({ length: 50 }, () => ts.add(a, a));
      sweepYoung();
      ts.dispose([a, ...ys]);
    })();
    await collect();
    const after = ts.memory();
    expect(after.numTensors).toBe(start.numTensors);
    expect(after.reclaimedByGC).toBe(start.reclaimedByGC);
  });

  it('survive a sweep in the middle of tidy: tidy disposes the promoted ones, keeps what it returns and keep()', async () => {
    await collect();
    const start = ts.memory();
    const a = ts.tensor([2]);
    let kept: ts.Tensor | null = null;
    const out = ts.tidy(() => {
      const x = ts.mul(a, a);
      kept = ts.keep(ts.add(x, a));
      sweepYoung(); // x and kept are promoted here
      const y = ts.add(x, x);
      forget(SWEEP_EVERY_TENSORS); // and a sweep by count
      return ts.sub(y, a);
    });
    expect(Array.from(out.dataSync())).toEqual([6]);
    expect(Array.from(kept!.dataSync())).toEqual([6]);
    // What tidy made and did not return, promoted or young, is gone; forget()'s tensors too (tidy tracks them).
    expect(ts.memory().numTensors).toBe(start.numTensors + 3);
    ts.dispose([a, out, kept!]);
    await collect();
    const after = ts.memory();
    expect(after.numTensors).toBe(start.numTensors);
    expect(after.reclaimedByGC).toBe(start.reclaimedByGC); // nothing was left for the GC
    expect(young()).toBe(0);
  });

  it('stale handles: promote skips a disposed handle whose slot a new tensor took, and dispose stays a no-op', () => {
    const a = ts.tensor([1]);
    const first = ts.add(a, a);
    const stale = first.handle!;
    first.dispose();
    const successor = ts.add(a, a); // takes the freed slot
    expect(young()).toBe(1);
    expect(native.promote(stale)).toEqual([stale]); // disposed: unchanged
    expect(young()).toBe(1); // the successor is still young: the stale id did not reach it
    native.dispose(stale);
    expect(Array.from(successor.dataSync())).toEqual([2]);
    const youngHandle = successor.handle!;
    const [promoted] = native.promote(youngHandle);
    successor.handle = promoted;
    expect(young()).toBe(0);
    // Promoting again, the young id or the promoted handle, gives the same handle.
    expect(native.promote(youngHandle, promoted)).toEqual([promoted, promoted]);
    expect(native.promote(youngHandle)[0]).toBe(promoted);
    expect(young()).toBe(0);
    expect(Array.from(native.read(youngHandle))).toEqual([2]); // the young id still reads the slot
    ts.dispose([a, successor]);
    expect(() => native.read(youngHandle)).toThrow(/^read: x is a disposed tensor/);
  });

  it('write the same JSON as promoted tensors (a BigInt handle is not serialized)', () => {
    const a = ts.tensor([1, 2]);
    const b = ts.neg(a);
    const json = (t: ts.Tensor) => JSON.parse(JSON.stringify(t));
    expect(json(b)).toEqual({ id: b.id, handle: {}, shape: [2], dtype: 'float32', device: 'cpu', size: 2, kept: false });
    sweepYoung();
    expect(json(b)).toEqual({ id: b.id, handle: {}, shape: [2], dtype: 'float32', device: 'cpu', size: 2, kept: false });
    b.dispose();
    expect(json(b).handle).toBeNull();
    const v = ts.variable(a, false, 'v');
    expect(json(v)).toMatchObject({ name: 'v', trainable: false, handle: {} });
    ts.dispose([a, v]);
  });

  it('promote refuses what is not a tensor handle, naming the argument', () => {
    const a = ts.tensor([1]);
    expect(() => native.promote(a.handle!, {} as NativeHandle)).toThrow(/^promote: expected a tensor handle \(argument 1\)/);
    expect(() => native.promote(-1n as unknown as NativeHandle)).toThrow(/^promote: expected a tensor handle \(argument 0\)/);
    expect(() => native.read((1n << 31n) as unknown as NativeHandle)).toThrow(/^read: expected x to be a tensor handle/);
    a.dispose();
  });

  it('a kernel of several outputs: each output is young and promoted', () => {
    const x = ts.ones([2, 3]);
    sweepYoung();
    const outs = runKernel('dropout', 'dropout', [x], packAttrs.dropout({ seed: 1, offset: 0, rate: 0.5 }), [
      { shape: [2, 3], dtype: 'float32' },
      { shape: [2, 3], dtype: 'bool' },
    ]);
    expect(young()).toBe(2);
    sweepYoung();
    expect(young()).toBe(0);
    ts.dispose([x, ...outs]);
  });

  it('every young handle of a mixed workload passes through the young list', () => {
    const x = ts.randomNormal([4, 6]);
    const gamma = ts.ones([6]);
    const beta = ts.zeros([6]);
    const w = ts.variable(ts.randomNormal([6, 3]));
    const out = ts.tidy(() => {
      const n = ts.layerNorm(x, gamma, beta); // a kernel of three outputs
      const { value, grads } = ts.valueAndGrads((v: ts.Tensor) => ts.sum(ts.matMul(ts.relu(n), v)))([w]);
      return ts.add(value, ts.sum(grads[0]));
    });
    sweepYoung();
    expect(young()).toBe(0);
    ts.dispose([x, gamma, beta, w, out]);
  });
});
