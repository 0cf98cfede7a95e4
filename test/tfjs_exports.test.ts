// TensorFlow.js top-level exports Tessera lacked: buffer / TensorBuffer (and Tensor's
// buffer / bufferSync), basicLSTMCell, multiRNNCell and inTopKAsync, against TF.js's cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ts from '../src';

beforeAll(() => tf.setBackend('cpu'));

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => (((i * 37 + seed * 11) % 101) - 50) / 40);
const same = (ours: ts.Tensor, theirs: tf.Tensor) => {
  expect(ours.shape).toEqual(theirs.shape);
  const b = Array.from(theirs.dataSync(), Number);
  Array.from(ours.dataSync(), Number).forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
};

describe('buffer', () => {
  test('set, get, locToIndex and indexToLoc as TensorFlow.js, then toTensor', () => {
    const ours = ts.buffer([2, 3, 4], 'int32');
    const theirs = tf.buffer([2, 3, 4], 'int32');
    for (const [v, ...loc] of [
      [7, 1, 2, 3],
      [-4, 0, 1, 0],
      [9, 1, 0, 2],
    ]) {
      ours.set(v, ...loc);
      theirs.set(v, ...loc);
    }
    expect(ours.get(1, 2, 3)).toBe(7);
    expect(ours.locToIndex([1, 0, 2])).toBe(theirs.locToIndex([1, 0, 2]));
    expect(ours.indexToLoc(17)).toEqual(theirs.indexToLoc(17));
    expect(ours.strides).toEqual(theirs.strides);
    expect(ours.rank).toBe(3);
    const t = ours.toTensor();
    expect(t.dtype).toBe('int32');
    same(t, theirs.toTensor());
    ours.set(1, 0, 0, 0);
    expect(t.dataSync()[0]).toBe(0);
  });

  test('over given values; a bool buffer reads booleans', () => {
    const b = ts.buffer([2, 2], 'float32', [1, 2, 3, 4]);
    expect(b.get(1, 0)).toBe(3);
    const flags = ts.buffer([3], 'bool');
    flags.set(true, 1);
    expect([flags.get(0), flags.get(1)]).toEqual([false, true]);
    expect(Array.from(flags.toTensor().dataSync())).toEqual([0, 1, 0]);
  });

  test("a tensor's bufferSync and buffer hold a copy of its values", async () => {
    const x = ts.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = x.bufferSync();
    expect(b.get(1, 2)).toBe(6);
    b.set(0, 1, 2);
    expect(x.dataSync()[5]).toBe(6);
    expect((await x.buffer()).get(0, 1)).toBe(2);
    expect(() => (x.bufferSync as (...a: unknown[]) => unknown)(1)).toThrow(/^Tensor\.bufferSync: expected at most 0 arguments, got 1/);
  });

  test('wrong locations, values, shapes and dtypes are errors', () => {
    const b = ts.buffer([2, 3]);
    expect(() => b.set(1, 2, 0)).toThrow(/^TensorBuffer: index 2 out of range for dimension 0 of size 2/);
    expect(() => b.get(0)).toThrow(/^TensorBuffer: expected 2 indices for shape \[2, 3\], got \[0\]/);
    expect(() => b.get(0, 1.5)).toThrow(/^TensorBuffer: index 1\.5 out of range for dimension 1/);
    expect(() => b.set('1' as never, 0, 0)).toThrow(/^TensorBuffer\.set: expected a number or boolean value, got '1'/);
    expect(() => b.indexToLoc(6)).toThrow(/^TensorBuffer\.indexToLoc: expected an integer index in \[0, 6\), got 6/);
    expect(() => ts.buffer([2, 2], 'float32', [1, 2, 3])).toThrow(/^buffer: expected 4 values for shape \[2, 2\], got 3/);
    expect(() => ts.buffer([2], 'float32', [1, 'a'] as never)).toThrow(/^buffer: expected numbers or booleans, got 'a' .*at index 1/);
    expect(() => ts.buffer([2], 'complex64' as never)).toThrow(/^buffer: expected dtype to be one of/);
    expect(() => ts.buffer([2 ** 32, 2 ** 32])).toThrow(/^buffer: /);
    expect(() => (ts.buffer as (...a: unknown[]) => unknown)([2], 'float32', undefined, 1)).toThrow(/^buffer: expected at most 3 arguments, got 4/);
  });
});

describe('basicLSTMCell and multiRNNCell', () => {
  const [batch, inDim, units] = [3, 4, 2];
  const kv = values((inDim + units) * 4 * units, 1);
  const bv = values(4 * units, 2);
  const xv = values(batch * inDim, 3);
  const cv = values(batch * units, 4);
  const hv = values(batch * units, 5);

  test('one step, and its gradient w.r.t. the kernel, as TensorFlow.js', () => {
    const ours = ts.basicLSTMCell(
      1,
      ts.tensor(kv, [inDim + units, 4 * units]),
      ts.tensor(bv),
      ts.tensor(xv, [batch, inDim]),
      ts.tensor(cv, [batch, units]),
      ts.tensor(hv, [batch, units]),
    );
    const theirs = tf.basicLSTMCell(
      1,
      tf.tensor2d(kv, [inDim + units, 4 * units]),
      tf.tensor1d(bv),
      tf.tensor2d(xv, [batch, inDim]),
      tf.tensor2d(cv, [batch, units]),
      tf.tensor2d(hv, [batch, units]),
    );
    same(ours[0], theirs[0]);
    same(ours[1], theirs[1]);
    const [dk] = ts.grads((k: ts.Tensor) =>
      ts.sum(ts.basicLSTMCell(1, k, ts.tensor(bv), ts.tensor(xv, [batch, inDim]), ts.tensor(cv, [batch, units]), ts.tensor(hv, [batch, units]))[1]),
    )([ts.tensor(kv, [inDim + units, 4 * units])]);
    expect(dk.shape).toEqual([inDim + units, 4 * units]);
    expect(Math.abs(ts.sum(ts.abs(dk)).dataSync()[0])).toBeGreaterThan(0);
  });

  test('a stack of two cells feeds the first one’s h to the second', () => {
    const k2 = values(2 * units * 4 * units, 6);
    const cellsOurs = [
      (x: ts.Tensor, c: ts.Tensor, h: ts.Tensor) => ts.basicLSTMCell(0.5, ts.tensor(kv, [inDim + units, 4 * units]), ts.tensor(bv), x, c, h),
      (x: ts.Tensor, c: ts.Tensor, h: ts.Tensor) => ts.basicLSTMCell(0.5, ts.tensor(k2, [2 * units, 4 * units]), ts.tensor(bv), x, c, h),
    ];
    const cellsTheirs = [
      (x: tf.Tensor2D, c: tf.Tensor2D, h: tf.Tensor2D) => tf.basicLSTMCell(0.5, tf.tensor2d(kv, [inDim + units, 4 * units]), tf.tensor1d(bv), x, c, h),
      (x: tf.Tensor2D, c: tf.Tensor2D, h: tf.Tensor2D) => tf.basicLSTMCell(0.5, tf.tensor2d(k2, [2 * units, 4 * units]), tf.tensor1d(bv), x, c, h),
    ];
    const states = (lib: typeof ts | typeof tf, v: number[]) => [
      lib.tensor(v, [batch, units]),
      lib.tensor(
        v.map((q) => -q),
        [batch, units],
      ),
    ];
    const [cs, hs] = ts.multiRNNCell(cellsOurs, ts.tensor(xv, [batch, inDim]), states(ts, cv) as ts.Tensor[], states(ts, hv) as ts.Tensor[]);
    const [ct, ht] = tf.multiRNNCell(cellsTheirs as never, tf.tensor2d(xv, [batch, inDim]), states(tf, cv) as tf.Tensor2D[], states(tf, hv) as tf.Tensor2D[]);
    [0, 1].forEach((i) => {
      same(cs[i], ct[i]);
      same(hs[i], ht[i]);
    });
  });

  test('wrong shapes and states are errors naming the op', () => {
    const x = ts.zeros([batch, inDim]);
    const s = ts.zeros([batch, units]);
    expect(() => ts.basicLSTMCell(1, ts.zeros([inDim, 4 * units]), ts.zeros([4 * units]), x, s, s)).toThrow(
      /^basicLSTMCell: expected lstmKernel of shape \[6, 8\] \(data's and h's columns, 4 gates of h's\), got \[4, 8\]/,
    );
    expect(() => ts.basicLSTMCell(1, ts.zeros([6, 8]), ts.zeros([8]), ts.zeros([inDim]), s, s)).toThrow(/^basicLSTMCell: expected data, c and h of rank 2/);
    const cell = (d: ts.Tensor, c: ts.Tensor, h: ts.Tensor) => ts.basicLSTMCell(1, ts.zeros([6, 8]), ts.zeros([8]), d, c, h);
    expect(() => ts.multiRNNCell([cell], x, [s, s], [s])).toThrow(/^multiRNNCell: expected c to be an array of 1 tensors \(one per cell\)/);
    expect(() => ts.multiRNNCell([], x, [], [])).toThrow(/^multiRNNCell: expected lstmCells to be a non-empty array of functions/);
  });
});

describe('inTopKAsync', () => {
  test('as TensorFlow.js, ties included (the lower class ranks first)', async () => {
    const p = [0.1, 0.5, 0.5, 0.2, 0.9, 0.9, 0.3, 0.1, 0.3, 0.3, 0.2, 0.1];
    const targets = [2, 1, 0, 2, 3, 1];
    for (const k of [1, 2]) {
      const ours = await ts.inTopKAsync(
        ts.tensor(p, [6, 2]),
        ts.tensor(
          targets.map((t) => t % 2),
          [6],
          'int32',
        ),
        k,
      );
      const theirs = await tf.inTopKAsync(
        tf.tensor(p, [6, 2]),
        tf.tensor(
          targets.map((t) => t % 2),
          [6],
          'int32',
        ),
        k,
      );
      expect(ours.dtype).toBe('bool');
      expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    }
    const rows = await ts.inTopKAsync(ts.tensor(p, [2, 2, 3]), ts.tensor([2, 1, 0, 2], [2, 2], 'int32'), 2);
    const theirs = await tf.inTopKAsync(tf.tensor(p, [2, 2, 3]), tf.tensor([2, 1, 0, 2], [2, 2], 'int32'), 2);
    expect(rows.shape).toEqual([2, 2]);
    expect(Array.from(rows.dataSync())).toEqual(Array.from(theirs.dataSync()));
  });

  test('bad ranks, shapes, k and dtypes are errors naming it', async () => {
    const p = ts.zeros([2, 3]);
    await expect(ts.inTopKAsync(ts.zeros([3]), ts.tensor(1, [], 'int32'))).rejects.toThrow(/^inTopKAsync: expected predictions of rank 2 or more/);
    await expect(ts.inTopKAsync(p, ts.tensor([0, 1, 2], [3], 'int32'))).rejects.toThrow(/^inTopKAsync: expected targets of shape \[2\]/);
    await expect(ts.inTopKAsync(p, ts.tensor([0, 1], [2], 'int32'), 4)).rejects.toThrow(/^inTopKAsync: expected k an integer in \[1, 3\]/);
    await expect(ts.inTopKAsync(p, ts.tensor([0, 1]))).rejects.toThrow(/^inTopKAsync: expected argument 'targets' to have dtype int32, got float32/);
  });
});
