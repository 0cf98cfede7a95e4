// dilation2d and its gradients w.r.t. the input and the filter against TensorFlow.js's
// cpu backend at odd sizes, strides, dilations and both paddings; its errors.
// The full package: tfjs-core alone registers no gradients.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';

beforeAll(() => tf.setBackend('cpu'));

const size = (s: number[]) => s.reduce((p, q) => p * q, 1);
// Distinct values in a scrambled order, so that no window holds a tie.
const values = (shape: number[], seed: number) => Array.from({ length: size(shape) }, (_, i) => (((i * 37 + seed * 11) % 101) - 50) / 8 + i * 1e-3);
const close = (ours: ts.Tensor, theirs: tf.Tensor) => {
  expect(ours.shape).toEqual(theirs.shape);
  const a = Array.from(ours.dataSync(), Number);
  const b = Array.from(theirs.dataSync(), Number);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
};

describe('dilation2d', () => {
  it.each([
    // x shape, filter shape, strides, padding, dilations
    [[2, 5, 7, 3], [3, 2, 3], 1, 'valid', 1],
    [[2, 5, 7, 3], [3, 2, 3], 1, 'same', 1],
    [[1, 7, 6, 2], [2, 3, 2], [2, 3], 'same', 1],
    [[1, 7, 6, 2], [2, 3, 2], 2, 'valid', 1],
    [[2, 6, 5, 1], [3, 2, 1], 1, 'same', [2, 3]],
    [[2, 9, 8, 2], [2, 2, 2], 1, 'valid', 3],
    [[5, 4, 2], [3, 3, 2], 2, 'same', 2],
  ] as const)('x %j, filter %j, strides %j, %s, dilations %j: values and both gradients', (xs, fs, strides, pad, dilations) => {
    const xv = values([...xs], 1);
    const fv = values([...fs], 2);
    const ours = ts.tidy(() => {
      const x = ts.tensor(xv, [...xs]);
      const f = ts.tensor(fv, [...fs]);
      const y = ts.dilation2d(x, f, strides as never, pad, dilations as never);
      const dy = ts.tensor(values(y.shape, 3), y.shape);
      const [dx, df] = ts.grads((a: ts.Tensor, b: ts.Tensor) => ts.sum(ts.mul(ts.dilation2d(a, b, strides as never, pad, dilations as never), dy)))([x, f]);
      return [y, dx, df];
    });
    const theirs = tf.tidy(() => {
      const x: tf.Tensor = tf.tensor(xv, [...xs] as number[]);
      const f = tf.tensor3d(fv, [...fs] as [number, number, number]);
      const y = tf.dilation2d(x as tf.Tensor4D, f, strides as never, pad, dilations as never);
      const dy = tf.tensor(values(y.shape, 3), y.shape);
      const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.dilation2d(a as tf.Tensor4D, b as tf.Tensor3D, strides as never, pad, dilations as never), dy)),
      )([x, f]);
      return [y, dx, df];
    });
    ours.forEach((t, i) => close(t, theirs[i]));
    ts.dispose(ours);
    tf.dispose(theirs);
  });

  test('a tie sends the gradient to the first maximal tap, as TensorFlow does', () => {
    const x = ts.zeros([1, 2, 2, 1]);
    const f = ts.zeros([2, 2, 1]);
    const [dx, df] = ts.grads((a: ts.Tensor, b: ts.Tensor) => ts.sum(ts.dilation2d(a, b, 1, 'valid')))([x, f]);
    expect(Array.from(dx.dataSync())).toEqual([1, 0, 0, 0]);
    expect(Array.from(df.dataSync())).toEqual([1, 0, 0, 0]);
  });

  test('the method is the op', () => {
    const x = ts.tensor(values([1, 4, 4, 1], 1), [1, 4, 4, 1]);
    const f = ts.tensor(values([2, 2, 1], 2), [2, 2, 1]);
    expect(Array.from(x.dilation2d(f, 1, 'same', 2).dataSync())).toEqual(Array.from(ts.dilation2d(x, f, 1, 'same', 2).dataSync()));
  });

  test('bad arguments are errors naming dilation2d', () => {
    const x = ts.zeros([1, 4, 4, 2]);
    const f = ts.zeros([2, 2, 2]);
    expect(() => ts.dilation2d(x, ts.zeros([2, 2, 3]), 1, 'same')).toThrow(
      /^dilation2d: expected filter depth 2 \(x's channels\), got filter shape \[2, 2, 3\]/,
    );
    expect(() => ts.dilation2d(x, ts.zeros([2, 2]), 1, 'same')).toThrow(/^dilation2d: expected filter of rank 3/);
    expect(() => ts.dilation2d(ts.zeros([4, 2]), f, 1, 'same')).toThrow(/^dilation2d: expected x of rank 3 or 4 \(NHWC\)/);
    expect(() => ts.dilation2d(x, f, 1, 'full' as never)).toThrow(/^dilation2d: expected padding 'valid' or 'same', got 'full'/);
    expect(() => ts.dilation2d(x, f, 0, 'same')).toThrow(/^dilation2d: expected strides to be a positive integer/);
    expect(() => ts.dilation2d(x, f, 1, 'same', 1, 'NCHW' as never)).toThrow(/^dilation2d: expected dataFormat 'NHWC'/);
    expect(() => ts.dilation2d(x, f, 1, 'valid', 4)).toThrow(/^dilation2d: the window \(5 with dilation\) is larger than the input \(4\)/);
    expect(() => (ts.dilation2d as (...a: unknown[]) => unknown)(x, f, 1, 'same', 1, 'NHWC', 7)).toThrow(/^dilation2d: expected at most 6 arguments, got 7/);
  });

  test('a huge dilation with same padding allocates no huge padding', () => {
    const x = ts.tensor([1, 2, 3], [1, 3, 1, 1]);
    const y = ts.dilation2d(x, ts.zeros([2, 1, 1]), 1, 'same', [2 ** 32, 1]);
    // Both taps lie beyond the input from every output: no window holds a pixel.
    expect(Array.from(y.dataSync())).toEqual([-Infinity, -Infinity, -Infinity]);
  });
});
