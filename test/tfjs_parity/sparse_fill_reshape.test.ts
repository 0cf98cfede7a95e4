// tf.sparse.sparseFillEmptyRows and sparseReshape against TensorFlow.js's cpu backend, and
// their errors for bad indices and shapes.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';

tf.setBackend('cpu');

const same = (ours: ts.Tensor, theirs: tf.Tensor) => {
  expect(ours.dtype).toBe(theirs.dtype);
  expect(ours.shape).toEqual(theirs.shape);
  expect(Array.from(ours.dataSync(), Number)).toEqual(Array.from(theirs.dataSync(), Number));
};

describe('sparse.sparseFillEmptyRows', () => {
  it.each([
    [
      'empty rows between and at the end, unordered',
      [
        [0, 0],
        [1, 0],
        [1, 3],
        [1, 4],
        [3, 2],
        [3, 3],
      ],
      [0, 10, 13, 14, 32, 33],
      [5, 6],
      -1,
    ],
    [
      'rows out of order',
      [
        [3, 1],
        [0, 2],
        [3, 0],
        [1, 1],
      ],
      [1, 2, 3, 4],
      [5, 4],
      7,
    ],
    [
      'all rows full and ordered',
      [
        [0, 0],
        [1, 1],
        [2, 0],
      ],
      [1.5, 2.5, 3.5],
      [3, 2],
      0,
    ],
    [
      'rank 3',
      [
        [1, 0, 1],
        [1, 1, 0],
      ],
      [4, 5],
      [3, 2, 2],
      9,
    ],
  ])('%s: as TensorFlow.js', (_, indices, values, denseShape, fill) => {
    const float = values.some((v) => !Number.isInteger(v));
    const ours = ts.sparse.sparseFillEmptyRows(indices, ts.tensor(values, undefined, float ? 'float32' : 'int32'), denseShape, fill);
    const theirs = tf.sparse.sparseFillEmptyRows(indices, tf.tensor(values, undefined, float ? 'float32' : 'int32'), denseShape, fill);
    same(ours.outputIndices, theirs.outputIndices as tf.Tensor);
    same(ours.outputValues, theirs.outputValues as tf.Tensor);
    same(ours.emptyRowIndicator, theirs.emptyRowIndicator as tf.Tensor);
    same(ours.reverseIndexMap, theirs.reverseIndexMap as tf.Tensor);
  });

  it('an empty dense shape with no entries gives empty outputs', () => {
    const r = ts.sparse.sparseFillEmptyRows(ts.tensor([], [0, 2], 'int32'), ts.tensor([], [0]), [0, 3], 0);
    expect(r.outputIndices.shape).toEqual([0, 2]);
    expect(r.emptyRowIndicator.shape).toEqual([0]);
  });

  it('bad indices and shapes are errors naming the op', () => {
    const f = ts.sparse.sparseFillEmptyRows;
    expect(() => f([[-1, 0]], [1], [2, 2], 0)).toThrow(/^sparse\.sparseFillEmptyRows: indices\(0, 0\) is invalid: expected a row in \[0, 2\), got -1/);
    expect(() =>
      f(
        [
          [0, 0],
          [2, 0],
        ],
        [1, 2],
        [2, 2],
        0,
      ),
    ).toThrow(/indices\(1, 0\) is invalid.*got 2/);
    expect(() => f([0, 1], [1, 2], [2, 2], 0)).toThrow(/^sparse\.sparseFillEmptyRows: expected indices of rank 2/);
    expect(() => f([[0, 0]], [[1]], [2, 2], 0)).toThrow(/expected values of rank 1/);
    expect(() => f([[0, 0]], [1], [2, 2], [0])).toThrow(/expected a scalar defaultValue/);
    expect(() => f([[0, 0]], [1, 2], [2, 2], 0)).toThrow(/one value per index row/);
    expect(() => f([[0, 0]], [1], [2], 0)).toThrow(/denseShape of length 2/);
    expect(() => f([[0.5, 0]], [1], [2, 2], 0)).toThrow(/^sparse\.sparseFillEmptyRows: .*indices/);
    expect(() => f([[0, 0]], [1], [0, 2], 0)).toThrow(/denseShape\[0\] is 0 but indices has 1 rows/);
  });
});

describe('sparse.sparseReshape', () => {
  it.each([
    [
      '2-D to 3-D with -1',
      [
        [0, 0],
        [0, 1],
        [1, 2],
        [4, 3],
      ],
      [5, 6],
      [2, 3, -1],
    ],
    [
      '3-D to 2-D',
      [
        [0, 0, 1],
        [1, 2, 0],
        [2, 1, 1],
      ],
      [3, 3, 2],
      [9, 2],
    ],
    [
      'to 1-D',
      [
        [1, 1],
        [0, 2],
      ],
      [2, 3],
      [-1],
    ],
    ['no entries', [] as number[][], [2, 3], [3, 2]],
  ])('%s: as TensorFlow.js', (_, indices, inShape, newShape) => {
    const idx = indices.length === 0 ? ts.tensor([], [0, 2], 'int32') : indices;
    const tidx = indices.length === 0 ? tf.tensor2d([], [0, 2], 'int32') : indices;
    const ours = ts.sparse.sparseReshape(idx, inShape, newShape);
    const theirs = tf.sparse.sparseReshape(tidx, inShape, newShape);
    same(ours.outputIndices, theirs.outputIndices as tf.Tensor);
    same(ours.outputShape, theirs.outputShape as tf.Tensor);
  });

  it('impossible shapes and bad indices are errors naming the op', () => {
    const r = ts.sparse.sparseReshape;
    expect(() => r([[0, 0]], [2, 3], [-1, -1])).toThrow(/^sparse\.sparseReshape: only one output dimension may be -1, not both 0 and 1/);
    expect(() => r([[0, 0]], [2, 3], [4, -1])).toThrow(/6 dense values cannot be reshaped to \[4, -1\]/);
    expect(() => r([[0, 0]], [2, 3], [7])).toThrow(/6 dense values cannot be reshaped to \[7\]/);
    expect(() => r([[0, 0]], [2, 3], [-2, 3])).toThrow(/size 0 must be non-negative, not -2/);
    expect(() => r([[0, 0]], [2, 0], [0, -1])).toThrow(/cannot infer the -1 dimension of an empty tensor/);
    expect(() => r([[0, 5]], [2, 3], [6])).toThrow(/^sparse\.sparseReshape: expected inputIndices in the input shape, got 5 at \(0, 1\)/);
    expect(() => r([[0, 0]], [2, 3, 1], [6])).toThrow(/inputShape of length 2/);
    expect(() => r([0, 0], [2, 3], [6])).toThrow(/expected inputIndices of rank 2/);
    expect(() => r([[0, 0]], [2, 3], [[6]])).toThrow(/expected newShape of rank 1/);
    expect(() => r([[0, 0]], [2, 3], [1.5, 4])).toThrow(/^sparse\.sparseReshape: expected argument 'newShape' to hold integers/);
  });
});
