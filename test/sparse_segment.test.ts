// sparse.sparseSegmentSum / sparseSegmentMean against TensorFlow.js's cpu backend (repeated
// and skipped segments, rank 1 and 3 data), the gradient w.r.t. data, and their errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ts from '../src';
import { gradcheck } from './helpers/gradcheck';

beforeAll(() => tf.setBackend('cpu'));

const values = (n: number) => Array.from({ length: n }, (_, i) => (((i * 37) % 101) - 50) / 8);

describe('sparse.sparseSegmentSum and sparseSegmentMean', () => {
  it.each([
    ['sparseSegmentSum', [5], [0, 1, 4, 4, 2], [0, 0, 2, 2, 3]],
    ['sparseSegmentMean', [5], [0, 1, 4, 4, 2], [0, 0, 2, 2, 3]],
    ['sparseSegmentSum', [4, 2, 3], [3, 0, 1], [1, 1, 4]],
    ['sparseSegmentMean', [4, 2, 3], [3, 0, 1, 2], [0, 2, 2, 2]],
    ['sparseSegmentMean', [3, 2], [], []],
  ] as const)('%s of data %j, indices %j, segmentIds %j: as TensorFlow.js', (op, shape, indices, ids) => {
    const data = values(shape.reduce((p: number, q: number) => p * q, 1));
    const ours = ts.sparse[op](ts.tensor(data, [...shape]), ts.tensor([...indices], [indices.length], 'int32'), ts.tensor([...ids], [ids.length], 'int32'));
    const theirs = tf.sparse[op](tf.tensor(data, [...shape]), tf.tensor1d([...indices], 'int32'), tf.tensor1d([...ids], 'int32'));
    expect(ours.shape).toEqual(theirs.shape);
    const b = Array.from(theirs.dataSync());
    Array.from(ours.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
  });

  test('int32 data sums as int32', () => {
    const y = ts.sparse.sparseSegmentSum(ts.tensor([1, 2, 3], [3], 'int32'), ts.tensor([0, 2], [2], 'int32'), ts.tensor([0, 0], [2], 'int32'));
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([4]);
  });

  test('the gradient w.r.t. data, by differences', () => {
    const i = ts.tensor([2, 0, 2, 1], [4], 'int32');
    const s = ts.tensor([0, 0, 1, 3], [4], 'int32');
    gradcheck((x) => ts.sparse.sparseSegmentMean(x, i, s), [ts.tensor(values(6), [3, 2], 'float64')]);
  });

  test('unsorted or negative segments and indices out of range are errors naming the op', () => {
    const x = ts.zeros([3, 2]);
    const int = (v: number[]) => ts.tensor(v, [v.length], 'int32');
    expect(() => ts.sparse.sparseSegmentSum(x, int([0, 1]), int([1, 0]))).toThrow(
      /^sparse\.sparseSegmentSum: expected sorted \(non-decreasing\) segmentIds, got 1 then 0 at 1/,
    );
    expect(() => ts.sparse.sparseSegmentSum(x, int([0, 1]), int([-1, 0]))).toThrow(/^sparse\.sparseSegmentSum: expected non-negative segmentIds, got -1 at 0/);
    expect(() => ts.sparse.sparseSegmentMean(x, int([0, 3]), int([0, 0]))).toThrow(
      /^sparse\.sparseSegmentMean: expected indices in \[0, 3\) \(data's rows\), got 3 at 1/,
    );
    expect(() => ts.sparse.sparseSegmentMean(x, int([0, 1]), int([0]))).toThrow(
      /^sparse\.sparseSegmentMean: expected indices and segmentIds of rank 1 and one length/,
    );
    expect(() => ts.sparse.sparseSegmentMean(ts.tensor(1), int([0]), int([0]))).toThrow(/^sparse\.sparseSegmentMean: expected data of rank 1 or more/);
    expect(() => ts.sparse.sparseSegmentMean(ts.tensor([1, 2], [2], 'int32'), int([0]), int([0]))).toThrow(
      /^sparse\.sparseSegmentMean: expected argument 'data' to have dtype float32 or float64/,
    );
  });
});
