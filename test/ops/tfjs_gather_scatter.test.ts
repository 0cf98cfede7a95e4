// gatherND, scatterND, tensorScatterUpdate, sparseToDense and stridedSlice against
// TensorFlow.js's cpu backend on odd shapes, their gradients by finite differences, and
// their errors for out-of-range indices and bad masks.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ts from '../../src';
import { gradcheck } from '../helpers/gradcheck';

beforeAll(() => tf.setBackend('cpu'));

const iota = (n: number, scale = 1, offset = 0) => Array.from({ length: n }, (_, i) => i * scale + offset);
const size = (s: number[]) => s.reduce((p, q) => p * q, 1);
const same = (ours: ts.Tensor, theirs: tf.Tensor) => {
  expect(ours.shape).toEqual(theirs.shape);
  expect(Array.from(ours.dataSync(), Number)).toEqual(Array.from(theirs.dataSync(), Number));
};
const f64 = (shape: number[], scale = 0.37) => ts.tensor(iota(size(shape), scale, -1.1), shape, 'float64');

describe('gatherND', () => {
  it.each([
    [
      [3, 5],
      [
        [2, 4],
        [0, 0],
        [1, 3],
        [2, 4],
      ],
    ],
    [
      [3, 5],
      [[2], [0]],
    ],
    [
      [2, 3, 4],
      [
        [
          [1, 2],
          [0, 1],
        ],
        [
          [1, 0],
          [1, 1],
        ],
      ],
    ],
    [[2, 3, 4], [[1, 2, 3]]],
    [[7], [[6], [0], [3]]],
  ])('x %j at %j, as TensorFlow.js', (shape, indices) => {
    const values = iota(size(shape), 1.5, -4);
    same(ts.gatherND(ts.tensor(values, shape), indices), tf.gatherND(tf.tensor(values, shape), indices));
  });

  it('has the gradient of a scatter-add (repeated indices sum)', () => {
    gradcheck(
      (x) =>
        ts.gatherND(x, [
          [1, 2],
          [0, 1],
          [1, 2],
        ]),
      [f64([2, 3, 2])],
    );
    gradcheck((x) => ts.gatherND(x, [[[1]], [[0]]]), [f64([2, 3])]);
  });

  it('refuses out-of-range indices and a too-long index', () => {
    const x = ts.zeros([3, 4]);
    expect(() => ts.gatherND(x, [[0, 4]])).toThrow(/^gatherND: index \[0, 4\] \(row 0 of indices\) is out of range for x \[3, 4\]: dimension 1 has size 4/);
    expect(() => ts.gatherND(x, [[-1, 0]])).toThrow(/^gatherND: index \[-1, 0\]/);
    expect(() => ts.gatherND(x, [[0, 0, 0]])).toThrow(/^gatherND: the last dimension of indices \(3\) must be at most the rank of x \[3, 4\] \(2\)/);
    expect(() => ts.gatherND(x, ts.tensor([[0.5, 0]]))).toThrow(/^gatherND: expected argument 'indices' to have dtype int32, got float32/);
    expect(() => ts.gatherND(x, 1)).toThrow(/^gatherND: expected indices of rank 1 or more/);
  });
});

describe('scatterND and tensorScatterUpdate', () => {
  it.each([
    [[[4], [3], [1], [7]], [9, 10, 11, 12], [8]],
    [
      [[0], [2]],
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [3, 3],
    ],
    [
      [
        [1, 0],
        [0, 2],
        [1, 0],
      ],
      [5, 6, 7],
      [2, 3],
    ],
    [
      [[[1, 1]], [[0, 1]]],
      [[2.5], [-1]],
      [2, 2],
    ],
  ])('scatterND(%j, %j, %j) sums into zeros, as TensorFlow.js', (indices, updates, shape) => {
    same(ts.scatterND(indices, updates, shape), tf.scatterND(indices, updates as number[], shape));
  });

  it.each([
    [[5], [[4], [1]], [9, 10]],
    [
      [3, 2],
      [[2], [0]],
      [
        [1, 2],
        [3, 4],
      ],
    ],
    [
      [2, 3, 2],
      [
        [1, 2],
        [0, 0],
      ],
      [
        [7, 8],
        [9, 10],
      ],
    ],
  ])('tensorScatterUpdate of %j at %j, as TensorFlow.js', (shape, indices, updates) => {
    const values = iota(size(shape), 0.5);
    const u = updates as number[];
    same(ts.tensorScatterUpdate(ts.tensor(values, shape), indices, u), tf.tensorScatterUpdate(tf.tensor(values, shape), indices, u));
  });

  it('lets the last of repeated updates win, as TensorFlow.js', () => {
    const idx = [[1], [1], [0]];
    same(ts.tensorScatterUpdate(ts.zeros([3]), idx, [1, 2, 3]), tf.tensorScatterUpdate(tf.zeros([3]), idx, [1, 2, 3]));
  });

  it('has gradients in updates (and tensor) by finite differences', () => {
    gradcheck(
      (u) =>
        ts.scatterND(
          [
            [1, 0],
            [0, 2],
            [1, 0],
          ],
          u,
          [2, 3, 2],
        ),
      [f64([3, 2])],
    );
    gradcheck((t, u) => ts.tensorScatterUpdate(t, [[2], [0]], u), [f64([4, 3]), f64([2, 3], 0.9)]);
  });

  it('refuses out-of-range indices and mismatched updates', () => {
    expect(() => ts.scatterND([[3]], [1], [3])).toThrow(/^scatterND: index \[3\] \(row 0 of indices\) is out of range for shape \[3\]/);
    expect(() => ts.scatterND([[0], [1]], [1, 2, 3], [3])).toThrow(
      /^scatterND: expected updates of shape \[2\] \(indices \[2, 1\] into shape \[3\]\), got \[3\]/,
    );
    expect(() => ts.scatterND([[0]], [1], [-1])).toThrow(/^scatterND: expected shape entries to be non-negative integers/);
    expect(() => ts.tensorScatterUpdate(ts.zeros([2, 2]), [[0, 2]], [1])).toThrow(/^tensorScatterUpdate: index \[0, 2\]/);
    expect(() => ts.tensorScatterUpdate(ts.zeros([2]), [[0]], ts.tensor([1], [1], 'int32'))).toThrow(
      /^tensorScatterUpdate: expected updates of tensor's dtype float32, got int32/,
    );
  });
});

describe('sparseToDense', () => {
  it.each([
    [[0, 3, 5], [10, 20, 30], [7], 0],
    [
      [
        [0, 1],
        [2, 0],
        [1, 1],
      ],
      [1.5, -2, 4],
      [3, 2],
      -1,
    ],
    [
      [
        [0, 1],
        [2, 0],
      ],
      9,
      [3, 2],
      0,
    ],
    [4, 6, [5], 2],
  ])('indices %j, values %j into %j with default %d, as TensorFlow.js', (indices, values, shape, dflt) => {
    const theirs = tf.sparseToDense(indices as number[], values as number[], shape, dflt);
    same(ts.sparseToDense(indices, values, shape, dflt), theirs);
  });

  it('keeps the dtype of its values and refuses out-of-range indices', () => {
    expect(ts.sparseToDense([1], ts.tensor([7], [1], 'int32'), [3]).dtype).toBe('int32');
    expect(() => ts.sparseToDense([3], [1], [3])).toThrow(/^sparseToDense: index \[3\] \(row 0 of indices\) is out of range for outputShape \[3\]/);
    expect(() => ts.sparseToDense([[0, 1]], [1], [3])).toThrow(/^sparseToDense: sparseIndices index 2 dimension\(s\), but outputShape \[3\] has 1/);
    expect(() => ts.sparseToDense([0, 1], [1, 2, 3], [3])).toThrow(
      /^sparseToDense: expected sparseValues to be a scalar or a vector of 2 value\(s\), got shape \[3\]/,
    );
  });
});

describe('stridedSlice', () => {
  const shape = [3, 4, 5];
  const values = iota(60, 0.5, -7);
  type Case = [number[], number[], number[] | undefined, number, number, number, number, number];
  it.each<Case>([
    [[0, 1, 1], [3, 4, 5], [1, 2, 2], 0, 0, 0, 0, 0],
    [[-1, -1, -1], [-4, -5, -6], [-1, -2, -3], 0, 0, 0, 0, 0],
    [[1, 0, 0], [2, 0, 0], [1, 1, 1], 0, 6, 0, 0, 1],
    [[0, 3], [0, 0], [1, -1], 1, 2, 0, 0, 0],
    [[0, 1], [0, 3], [1, 1], 0, 0, 1, 0, 0],
    [[1, 0, 2], [2, 0, 4], [1, 1, 1], 0, 0, 2, 0, 1],
    [[0, 0, 1], [1, 0, 4], [1, 1, 2], 0, 0, 0, 2, 0],
    [[0, 0, 0, 2], [3, 0, 4, -1], [1, 1, 1, 1], 0, 0, 0, 10, 0],
    [[2, -3], [0, 100], [-1, 1], 0, 0, 0, 0, 0],
    [[5], [10], undefined, 0, 0, 0, 0, 0],
    [[-2, 1, 1], [-1, 2, 4], [1, 1, 1], 0, 0, 0, 0, 3],
    [[0], [0], [1], 0, 0, 1, 1, 0],
  ])('begin %j end %j strides %j masks %d %d %d %d %d, as TensorFlow.js', (b, e, s, bm, em, elm, nam, sam) => {
    same(ts.stridedSlice(ts.tensor(values, shape), b, e, s, bm, em, elm, nam, sam), tf.stridedSlice(tf.tensor(values, shape), b, e, s, bm, em, elm, nam, sam));
  });

  it('shrinks before a reversed axis run to its start (TensorFlow.js cpu throws here; Python slicing gives this)', () => {
    const x = ts.tensor(iota(60), shape);
    expect(ts.stridedSlice(x, [-2, 1, 4], [0, 2, 0], [1, 1, -1], 0, 4, 0, 0, 3).arraySync()).toEqual([29, 28, 27, 26, 25]);
  });

  it('has the gradient of a scatter back into x', () => {
    gradcheck((x) => ts.stridedSlice(x, [2, 0, 1], [0, 3, 5], [-1, 2, 2], 0, 0, 0, 0, 0), [f64([3, 4, 5])]);
    gradcheck((x) => ts.stridedSlice(x, [1, 0], [2, 0], [1, 1], 0, 2, 0, 0, 1), [f64([3, 4])]);
  });

  it('refuses zero strides, several ellipses, out-of-range shrinks and too many dimensions', () => {
    const x = ts.zeros([3, 4]);
    expect(() => ts.stridedSlice(x, [0], [1], [0])).toThrow(/^stridedSlice: strides must be non-zero, got 0 at index 0/);
    expect(() => ts.stridedSlice(x, [0, 0], [1, 1], [1, 1], 0, 0, 3)).toThrow(/^stridedSlice: expected at most one ellipsis/);
    expect(() => ts.stridedSlice(x, [3], [4], [1], 0, 0, 0, 0, 1)).toThrow(
      /^stridedSlice: index 3 \(begin\[0\], shrunk\) is out of range for dimension 0 of size 3/,
    );
    expect(() => ts.stridedSlice(x, [0, 0, 0], [1, 1, 1])).toThrow(/^stridedSlice: the spec indexes 3 dimension\(s\) but x has shape \[3, 4\]/);
    expect(() => ts.stridedSlice(x, [0, 0], [1])).toThrow(/^stridedSlice: expected begin, end and strides of one length, got 2, 1 and 2/);
    expect(() => ts.stridedSlice(x, [0.5], [1])).toThrow(/^stridedSlice: expected begin to be an array of integers, got/);
    expect(() => ts.stridedSlice(x, [0], [1], [1], -1)).toThrow(/^stridedSlice: expected beginMask to be a bit mask/);
  });
});
