// bitwiseAnd on int32 against TensorFlow.js's cpu backend (negative values, the int32
// extremes), its broadcasting, and its errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ts from '../../src';

beforeAll(() => tf.setBackend('cpu'));

describe('bitwiseAnd', () => {
  test('int32 values, the sign bit included, as TensorFlow.js', () => {
    const a = [12, -1, 0, 2147483647, -2147483648, -6, 255, 1023];
    const b = [10, 7, -1, -1, -1, -3, -256, 513];
    const ours = ts.bitwiseAnd(ts.tensor(a, [2, 4], 'int32'), ts.tensor(b, [2, 4], 'int32'));
    const theirs = tf.bitwiseAnd(tf.tensor(a, [2, 4], 'int32'), tf.tensor(b, [2, 4], 'int32'));
    expect(ours.dtype).toBe('int32');
    expect(ours.shape).toEqual([2, 4]);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
  });

  test('the shapes broadcast (Keras bitwise_and)', () => {
    const y = ts.bitwiseAnd(ts.tensor([6, 5, 3], [3, 1], 'int32'), ts.tensor([1, 2, 4], [3], 'int32'));
    expect(y.shape).toEqual([3, 3]);
    expect(Array.from(y.dataSync())).toEqual([0, 2, 4, 1, 0, 4, 1, 2, 0]);
  });

  test('other dtypes, shapes that do not broadcast and extra arguments are errors naming bitwiseAnd', () => {
    const i = ts.tensor([1, 2], [2], 'int32');
    expect(() => ts.bitwiseAnd(ts.tensor([1, 2]), i)).toThrow(/^bitwiseAnd: expected argument 'x' to have dtype int32, got float32/);
    expect(() => ts.bitwiseAnd(i, ts.tensor([true, false]))).toThrow(/^bitwiseAnd: expected argument 'y' to have dtype int32, got bool/);
    expect(() => ts.bitwiseAnd(i, ts.tensor([1, 2, 3], [3], 'int32'))).toThrow(/^bitwiseAnd: .*\[2\].*\[3\]/);
    expect(() => (ts.bitwiseAnd as (...a: unknown[]) => unknown)(i, i, i)).toThrow(/^bitwiseAnd: expected at most 2 arguments, got 3/);
  });
});
