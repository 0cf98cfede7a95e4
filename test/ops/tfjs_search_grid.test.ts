// searchSorted / lowerBound / upperBound, bincount / denseBincount, setdiff1dAsync, diag,
// meshgrid, cumprod, ensureShape, broadcastArgs and movingAverage against TensorFlow.js's
// cpu backend, with gradients (diag, meshgrid, cumprod) by finite differences.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ts from '../../src';
import { gradcheck } from '../helpers/gradcheck';

beforeAll(() => tf.setBackend('cpu'));

const iota = (n: number, scale = 1, offset = 0) => Array.from({ length: n }, (_, i) => i * scale + offset);
const size = (s: number[]) => s.reduce((p, q) => p * q, 1);
const same = (ours: ts.Tensor, theirs: tf.Tensor, close = false) => {
  expect(ours.shape).toEqual(theirs.shape);
  expect(ours.dtype).toBe(theirs.dtype);
  const [a, b] = [Array.from(ours.dataSync(), Number), Array.from(theirs.dataSync(), Number)];
  if (!close) return expect(a).toEqual(b);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b[i]))));
};
const f64 = (shape: number[], scale = 0.37, offset = -1.1) => ts.tensor(iota(size(shape), scale, offset), shape, 'float64');

describe('searchSorted, lowerBound and upperBound', () => {
  const seq = [0, 1, 1, 3, 7, 7, 7, 9, -2, -1, 0, 0, 4, 5, 5, 5];
  const vals = [-5, 1, 7, 9, 10, 0.5, 0, 5, 4.5, 6, -2, 100];
  it.each(['left', 'right'] as const)('side %s on two rows, as TensorFlow.js', (side) => {
    same(ts.searchSorted(ts.tensor(seq, [2, 8]), ts.tensor(vals, [2, 6]), side), tf.searchSorted(tf.tensor(seq, [2, 8]), tf.tensor(vals, [2, 6]), side));
  });
  it('lowerBound and upperBound on one row, as TensorFlow.js', () => {
    const [s, v] = [seq.slice(0, 8), vals.slice(0, 5)];
    same(ts.lowerBound(s, v), tf.lowerBound(s, v));
    same(ts.upperBound(s, v), tf.upperBound(s, v));
    same(ts.searchSorted(s, ts.tensor(v, [1, 5])), tf.searchSorted(s, tf.tensor(v, [1, 5])));
  });
  it('checks its rows and side', () => {
    expect(() => ts.searchSorted(ts.zeros([2, 3]), ts.zeros([3, 1]))).toThrow(
      /^searchSorted: the leading dimensions of sortedSequence \[2, 3\] and values \[3, 1\] must hold as many rows/,
    );
    expect(() => ts.searchSorted([1], [1], 'middle' as 'left')).toThrow(/^searchSorted: expected side 'left' or 'right', got 'middle'/);
    expect(() => ts.lowerBound(1, [1])).toThrow(/^lowerBound: expected sortedSequence and values of rank 1 or more/);
  });
});

describe('bincount and denseBincount', () => {
  const x = [1, 1, 4, 0, 7, 2, 4, 4, 3];
  const w = iota(9, 0.5, 1);
  it('counts and sums weights, ignoring values past size, as TensorFlow.js', () => {
    same(ts.bincount(ts.tensor(x, [9], 'int32'), ts.tensor([], [0]), 6), tf.bincount(tf.tensor1d(x, 'int32'), tf.tensor1d([]), 6));
    same(
      ts.bincount(ts.tensor(x, [3, 3], 'int32'), ts.tensor(w, [3, 3]), 5),
      tf.bincount(tf.tensor2d(x, [3, 3], 'int32') as unknown as tf.Tensor1D, tf.tensor2d(w, [3, 3]) as unknown as tf.Tensor1D, 5),
    );
  });
  it.each([false, true])('denseBincount per row with binaryOutput %s, as TensorFlow.js', (binary) => {
    same(
      ts.denseBincount(ts.tensor(x, [3, 3], 'int32'), ts.tensor(w, [3, 3]), 6, binary),
      tf.denseBincount(tf.tensor2d(x, [3, 3], 'int32'), tf.tensor2d(w, [3, 3]), 6, binary),
    );
    if (!binary)
      same(
        ts.denseBincount(ts.tensor(x, [9], 'int32'), ts.tensor([], [0], 'int32'), 5),
        tf.denseBincount(tf.tensor1d(x, 'int32'), tf.tensor1d([], 'int32'), 5),
      );
  });
  it('denseBincount of a vector with binaryOutput marks presence (TensorFlow.js cpu ignores binaryOutput for a vector)', () => {
    expect(ts.denseBincount(ts.tensor(x, [9], 'int32'), ts.tensor([], [0], 'int32'), 5, true).arraySync()).toEqual([1, 1, 1, 1, 1]);
  });
  it('refuses negative values, float x, mismatched weights and rank 3 for denseBincount', () => {
    const none = ts.tensor([], [0]);
    expect(() => ts.bincount(ts.tensor([1, -1], [2], 'int32'), none, 3)).toThrow(/^bincount: expected x to hold non-negative values, got -1 at flat index 1/);
    expect(() => ts.bincount(ts.tensor([1, 2]), none, 3)).toThrow(/^bincount: expected argument 'x' to have dtype int32, got float32/);
    expect(() => ts.bincount([1, 2], [1, 2, 3], 3)).toThrow(/^bincount: expected weights of x's size 2 \(shape \[2\]\) or an empty tensor, got shape \[3\]/);
    expect(() => ts.bincount([1, 2], none, -1)).toThrow(/^bincount: expected size to be a non-negative integer, got -1/);
    expect(() => ts.denseBincount(ts.zeros([1, 1, 1], 'int32'), none, 3)).toThrow(/^denseBincount: expected x of rank 1 or 2, got shape \[1, 1, 1\]/);
  });
});

describe('setdiff1dAsync', () => {
  it('keeps the values of x not in y with their positions, as TensorFlow.js', async () => {
    const [x, y] = [
      [4, 1, 7, 1, 3, 9, 4],
      [4, 9, 8],
    ];
    const [out, idx] = await ts.setdiff1dAsync(x, y);
    const [tOut, tIdx] = await tf.setdiff1dAsync(x, y);
    same(out, tOut);
    same(idx, tIdx);
    await expect(ts.setdiff1dAsync([[1]], [1])).rejects.toThrow(/^setdiff1dAsync: expected x to be a vector \(rank 1\), got shape \[1, 1\]/);
  });
});

describe('diag and meshgrid', () => {
  it.each([[[3]], [[2, 3]], [[1, 2, 2]]])('diag of %j, as TensorFlow.js', (shape) => {
    const v = iota(size(shape), 1.5, -2);
    same(ts.diag(ts.tensor(v, shape)), tf.diag(tf.tensor(v, shape)));
  });
  it('diag keeps int32 and has a gradient; meshgrid too', () => {
    same(ts.diag(ts.tensor([1, 2], [2], 'int32')), tf.diag(tf.tensor([1, 2], [2], 'int32')));
    gradcheck((x) => ts.diag(x), [f64([2, 2])]);
    gradcheck((a, b) => ts.mul(...(ts.meshgrid(a, b, { indexing: 'ij' }) as [ts.Tensor, ts.Tensor])), [f64([3]), f64([2], 0.8, 0.3)]);
    expect(() => ts.diag(3)).toThrow(/^diag: expected x of rank 1 to 4, got shape \[\]/);
  });
  it.each(['xy', 'ij'] as const)('meshgrid with indexing %s, as TensorFlow.js', (indexing) => {
    const [x, y] = [
      [1, 2, 3],
      [
        [4, 5],
        [6, 7],
      ],
    ];
    const ours = ts.meshgrid(x, y, { indexing });
    const theirs = tf.meshgrid(x, y, { indexing });
    ours.forEach((t, i) => same(t, theirs[i]));
    expect(ts.meshgrid()).toEqual([]);
    same(ts.meshgrid(x)[0], tf.meshgrid(x)[0]);
    expect(() => ts.meshgrid(x, y, { indexing: 'yx' as 'xy' })).toThrow(/^meshgrid: expected indexing 'xy' or 'ij', got 'yx'/);
    // A third tensor where the options go (NumPy's meshgrid(x, y, z)) read as 'unknown option handle'.
    expect(() => ts.meshgrid(x, y, ts.tensor([1, 2]) as never)).toThrow(/^meshgrid: expected an options object, got a Tensor \(shape \[2\]\)/);
    expect(() => ts.meshgrid(x, y, { index: 'ij' } as never)).toThrow(/^meshgrid: unknown option 'index'/);
  });
});

describe('cumprod', () => {
  const shape = [2, 3, 4];
  const v = iota(24, 0.3, -2.5);
  it.each([
    [0, false, false],
    [1, true, false],
    [2, false, true],
    [2, true, true],
  ])('along %d, exclusive %s, reverse %s, as TensorFlow.js', (axis, exclusive, reverse) => {
    same(ts.cumprod(ts.tensor(v, shape), axis, exclusive, reverse), tf.cumprod(tf.tensor(v, shape), axis, exclusive, reverse), true);
  });
  it('keeps int32, passes zeros through its gradient and checks its arguments', () => {
    // TensorFlow.js's cpu cumprod permutes wrongly for a negative axis; -1 is axis 2 here.
    expect(ts.cumprod(ts.tensor(v, shape), -1, true).arraySync()).toEqual(ts.cumprod(ts.tensor(v, shape), 2, true).arraySync());
    same(ts.cumprod(ts.tensor([2, 0, 3, -1], [4], 'int32')), tf.cumprod(tf.tensor([2, 0, 3, -1], [4], 'int32')));
    gradcheck((x) => ts.cumprod(x, 1, false, true), [f64([2, 4], 0.45, -0.9)]);
    gradcheck((x) => ts.cumprod(x, 0, true), [ts.tensor([1.5, 0, -2, 0.5, 0], [5], 'float64')]);
    // Odd and even lengths, zeros and negatives, every mode: exact (int32) and differentiable.
    for (const n of [1, 2, 5, 8, 11]) {
      const ints = iota(n, 1, 0).map((i) => [2, -1, 3, 0, -2, 1][i % 6] * (i % 4 === 3 && n > 8 ? 0 : 1));
      for (const [exclusive, reverse] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        same(ts.cumprod(ts.tensor(ints, [1, n], 'int32'), 1, exclusive, reverse), tf.cumprod(tf.tensor(ints, [1, n], 'int32'), 1, exclusive, reverse));
      }
    }
    gradcheck((x) => ts.cumprod(x, 0, false, true), [ts.tensor([0.5, 0, -1.5, 2, 0, 0.8, -1.2], [7], 'float64')]);
    gradcheck((x) => ts.cumprod(x, 1, true), [f64([3, 6], 0.21, -1.9)]);
    expect(() => ts.cumprod(ts.zeros([2]), 1)).toThrow(/^cumprod: expected axis to be an integer in \[-1, 1\), got 1/);
    expect(() => ts.cumprod(ts.zeros([2]), 0, 1 as unknown as boolean)).toThrow(/^cumprod: expected exclusive to be true or false, got 1/);
  });
});

describe('cumprod of a long line', () => {
  it('takes O(n) work: 70000 steps (an [n, n] product was past 2 ** 32 values), as the running product', () => {
    const n = 70001;
    const v = iota(n).map((i) => (i === 40000 ? -1 : 1 + 1e-3 * Math.sin(i)));
    const want = new Float64Array(n);
    v.reduce((p, x, i) => (want[i] = p * x), 1);
    const got = ts.cumprod(ts.tensor(v, [1, n], 'float64'), 1).dataSync();
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.abs(want[i]));
    expect(worst).toBeLessThan(1e-12);
    expect(got[39999] > 0 && got[40000] < 0).toBe(true);
  });
});

describe('ensureShape, broadcastArgs and movingAverage', () => {
  it('ensureShape passes x through or names both shapes', () => {
    const x = ts.zeros([2, 3]);
    expect(ts.ensureShape(x, [null, 3])).toBe(x);
    expect(() => ts.ensureShape(x, [2, 4])).toThrow(/^ensureShape: the shape of x \[2, 3\] is not compatible with the expected shape \[2, 4\]/);
    expect(() => ts.ensureShape(x, [null])).toThrow(/^ensureShape: the shape of x \[2, 3\] is not compatible/);
  });
  it('broadcastArgs broadcasts shape vectors, as TensorFlow.js', () => {
    same(ts.broadcastArgs([2, 1, 3], [4, 1]), tf.broadcastArgs(tf.tensor([2, 1, 3], [3], 'int32'), tf.tensor([4, 1], [2], 'int32')));
    expect(() => ts.broadcastArgs([2, 3], [4])).toThrow(/^broadcastArgs: /);
    expect(() => ts.broadcastArgs([[2]], [4])).toThrow(/^broadcastArgs: expected s0 to be a vector \(rank 1\), got shape \[1, 1\]/);
  });
  it('movingAverage with and without zero-debiasing, as TensorFlow.js', () => {
    const [v, x] = [
      [1, 2, 3],
      [4, -1, 0.5],
    ];
    same(ts.movingAverage(v, x, 0.6, 3), tf.movingAverage(v, x, 0.6, 3), true);
    same(ts.movingAverage(v, x, 0.6, undefined, false), tf.movingAverage(v, x, 0.6, undefined, false), true);
    expect(() => ts.movingAverage(v, x, 0.6)).toThrow(/^movingAverage: step is required when zeroDebias is true/);
    expect(() => ts.movingAverage(v, [1], 0.6, 1)).toThrow(/^movingAverage: expected v and x of one shape, got \[3\] and \[1\]/);
  });
});
