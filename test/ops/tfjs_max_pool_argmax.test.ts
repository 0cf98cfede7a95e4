// TensorFlow.js's maxPoolWithArgmax against TensorFlow.js itself (cpu backend) on odd
// shapes, both paddings, with and without the batch in the index; the result's gradient.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { randomData } from '../helpers/reference';

tf.setBackend('cpu');

describe('maxPoolWithArgmax', () => {
  it.each([
    [[2, 5, 7, 3], 2, 2, 'valid', false],
    [[2, 5, 7, 3], [3, 2], [2, 1], 'same', true],
    [[1, 4, 3, 1], 3, 1, 'same', false],
    [[3, 6, 5, 2], [2, 3], [3, 2], 'valid', true],
  ])('of %j, filter %j, strides %j, %s, batch in index %s as TensorFlow.js', (shape, filter, strides, pad, batch) => {
    const s = shape as number[];
    const v = randomData(
      s.reduce((p, d) => p * d, 1),
      4,
    );
    const ours = ts.maxPoolWithArgmax(ts.tensor(v, s), filter as number, strides as number, pad as 'valid', batch as boolean);
    const theirs = tf.maxPoolWithArgmax(
      tf.tensor4d(v, s as [number, number, number, number]),
      filter as number,
      strides as number,
      pad as 'valid',
      batch as boolean,
    );
    expect(ours.result.shape).toEqual(theirs.result.shape);
    expect(Array.from(ours.result.dataSync())).toEqual(Array.from(theirs.result.dataSync()));
    expect(ours.indexes.dtype).toBe('int32');
    expect(Array.from(ours.indexes.dataSync())).toEqual(Array.from(theirs.indexes.dataSync()));
  });

  it('equal maxima give the first in window order', () => {
    const { indexes } = ts.maxPoolWithArgmax(ts.ones([1, 2, 2, 1]), 2, 2, 'valid');
    expect(Array.from(indexes.dataSync())).toEqual([0]);
  });

  it("the result's gradient by finite differences", () => {
    gradcheck((x) => ts.maxPoolWithArgmax(x, 2, 1, 'same').result, [ts.tensor(randomData(30, 6), [1, 3, 5, 2], 'float64')]);
  });

  it('refuses bad arguments, naming the op', () => {
    const x = ts.ones([1, 4, 4, 1]);
    expect(() => ts.maxPoolWithArgmax(x, 2, 2, 'valid', 1 as never)).toThrow(/^maxPoolWithArgmax: expected includeBatchInIndex to be a boolean, got 1/);
    expect(() => ts.maxPoolWithArgmax(x, 0, 2, 'valid')).toThrow(/^maxPoolWithArgmax: /);
    expect(() => ts.maxPoolWithArgmax(ts.ones([4, 4]), 2, 2, 'valid')).toThrow(/^maxPoolWithArgmax: expected x of rank 4/);
  });
});
