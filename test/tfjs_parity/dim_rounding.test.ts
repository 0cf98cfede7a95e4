// dimRoundingMode of maxPool, avgPool, pool, conv2d, depthwiseConv2d and conv2dTranspose
// against TensorFlow.js's cpu backend at sizes where floor, round and ceil differ.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';

tf.setBackend('cpu');

// Deterministic inputs, the same values for both libraries.
const values = (n: number, k = 0.37) => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.1) * 2);
const both = (shape: number[], k?: number) => {
  const v = values(
    shape.reduce((a, b) => a * b, 1),
    k,
  );
  return [ts.tensor(v, shape), tf.tensor(v, shape)] as const;
};
const close = (ours: ts.Tensor, theirs: tf.Tensor) => {
  expect(ours.shape).toEqual(theirs.shape);
  const a = ours.dataSync();
  const b = theirs.dataSync();
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
};
const MODES = ['floor', 'round', 'ceil'] as const;

describe('dimRoundingMode with numeric padding, as TensorFlow.js', () => {
  it.each(MODES)('maxPool and avgPool, 8x8 (window 3, stride 2, pad 1): %s', (mode) => {
    const [x, tx] = both([2, 8, 8, 3]);
    close(ts.maxPool(x, 3, 2, 1, mode), tf.maxPool(tx as tf.Tensor4D, 3, 2, 1, mode));
    close(ts.avgPool(x, 3, 2, 1, mode), tf.avgPool(tx as tf.Tensor4D, 3, 2, 1, mode));
    // Options-object form too.
    close(ts.maxPool(x, 3, { strides: 2, padding: 1, dimRoundingMode: mode }), tf.maxPool(tx as tf.Tensor4D, 3, 2, 1, mode));
  });

  it.each(MODES)('maxPool and avgPool, 9x10 (window 3, stride 2, pad 1): %s', (mode) => {
    const [x, tx] = both([1, 9, 10, 2]);
    close(ts.maxPool(x, 3, 2, 1, mode), tf.maxPool(tx as tf.Tensor4D, 3, 2, 1, mode));
    close(ts.avgPool(x, 3, 2, 1, mode), tf.avgPool(tx as tf.Tensor4D, 3, 2, 1, mode));
  });

  it.each(MODES)('explicit padding is rounded too: %s', (mode) => {
    const [x, tx] = both([1, 8, 7, 2]);
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ];
    close(ts.maxPool(x, 3, 2, pad, mode), tf.maxPool(tx as tf.Tensor4D, 3, 2, pad, mode));
    close(ts.conv2d(x, ts.ones([3, 3, 2, 2]), 2, pad, 'NHWC', 1, mode), tf.conv2d(tx as tf.Tensor4D, tf.ones([3, 3, 2, 2]), 2, pad, 'NHWC', 1, mode));
  });

  it.each(MODES)('pool: %s', (mode) => {
    const [x, tx] = both([1, 8, 8, 2]);
    close(ts.pool(x, [3, 3], 'avg', 1, 1, 2, mode), tf.pool(tx as tf.Tensor4D, [3, 3], 'avg', 1, 1, 2, mode));
    close(ts.pool(x, [3, 3], 'max', 1, 1, 2, mode), tf.pool(tx as tf.Tensor4D, [3, 3], 'max', 1, 1, 2, mode));
  });

  it.each(MODES)('conv2d and depthwiseConv2d, 8x8 (filter 3, stride 2, pad 1): %s', (mode) => {
    const [x, tx] = both([1, 8, 8, 2]);
    const [f, tf4] = both([3, 3, 2, 4], 0.91);
    close(ts.conv2d(x, f, 2, 1, 'NHWC', 1, mode), tf.conv2d(tx as tf.Tensor4D, tf4 as tf.Tensor4D, 2, 1, 'NHWC', 1, mode));
    const [d, td] = both([3, 3, 2, 2], 0.53);
    close(ts.depthwiseConv2d(x, d, 2, 1, 'NHWC', 1, mode), tf.depthwiseConv2d(tx as tf.Tensor4D, td as tf.Tensor4D, 2, 1, 'NHWC', 1, mode));
  });

  it('conv2dTranspose with numeric pad and ceil: the transpose of the rounded conv2d', () => {
    const [dy, tdy] = both([1, 5, 5, 3]);
    const [f, tf4] = both([3, 3, 2, 3], 0.77);
    close(ts.conv2dTranspose(dy, f, [1, 8, 8, 2], 2, 1, 'ceil'), tf.conv2dTranspose(tdy as tf.Tensor4D, tf4 as tf.Tensor4D, [1, 8, 8, 2], 2, 1, 'ceil'));
    // Without rounding, a numeric pad as TensorFlow.js: [1, 4, 4, 3] -> [1, 7, 7, 2].
    const [dy2, tdy2] = both([1, 4, 4, 3]);
    close(ts.conv2dTranspose(dy2, f, [1, 7, 7, 2], 2, 1), tf.conv2dTranspose(tdy2 as tf.Tensor4D, tf4 as tf.Tensor4D, [1, 7, 7, 2], 2, 1));
    expect(() => ts.conv2dTranspose(dy, f, [1, 8, 8, 2], 2, 1)).toThrow(/^conv2dTranspose: output size \[8, 8\] is inconsistent with input \[5, 5\]/);
  });

  // The gradients are checked against PyTorch, not TensorFlow.js: TensorFlow.js's maxPool and
  // conv2d gradients drop the rounded-up windows (its maxPool gradient sums to 16 here, for
  // 25 windows), and its avgPool gradient divides border windows by the whole window.
  it('the gradient counts the rounded-up windows (maxPool: one per window; conv2d: as PyTorch)', () => {
    const [x] = both([1, 8, 8, 1]);
    expect(
      ts
        .grad((t: ts.Tensor) => ts.maxPool(t, 3, 2, 1, 'ceil').sum())(x)
        .sum()
        .dataSync()[0],
    ).toBe(25);
    const [f] = both([3, 3, 1, 2], 0.6);
    const [dx, df] = ts.grads((a: ts.Tensor, b: ts.Tensor) => ts.conv2d(a, b, 2, 1, 'NHWC', 1, 'ceil').square().sum())([x, f]);
    // PyTorch 1.13: conv2d(pad(x, (1, 2, 1, 2)), f, stride=2), the same values, NCHW / OIHW permuted.
    const torchDf = [
      380.453, 332.105, 422.895, 261.514, 384.425, 218.725, -432.302, -360.964, -472.89, -284.656, -449.511, -248.196, 391.311, 350.265, 460.808, 288.564,
      468.987, 270.712,
    ];
    Array.from(df.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(torchDf[i], 2));
    expect(dx.sum().dataSync()[0]).toBeCloseTo(-649.6487, 2);
    expect(Array.from(dx.dataSync().slice(0, 8), (v) => +v.toFixed(3))).toEqual([-3.433, 21.945, 30.102, 50.355, 63.626, 49.512, 63.87, 15.578]);
  });

  it('bad modes and paddings are errors naming the op', () => {
    const x = ts.ones([1, 8, 8, 1]);
    expect(() => ts.maxPool(x, 3, 2, 'same', 'ceil')).toThrow(/^maxPool: dimRoundingMode 'ceil' takes a numeric or explicit pad .*got pad 'same'/);
    expect(() => ts.avgPool(x, 3, 2, 1, 'up' as never)).toThrow(/^avgPool: expected dimRoundingMode 'floor', 'round' or 'ceil', got 'up'/);
    expect(() => ts.conv2d(x, ts.ones([3, 3, 1, 1]), 2, 'valid', 'NHWC', 1, 'round')).toThrow(/^conv2d: dimRoundingMode 'round' takes a numeric/);
    expect(() => ts.maxPool(x, 3, { strides: 2, padding: 1, dimRoundingMode: 'nope' as never })).toThrow(/^maxPool: .*dimRoundingMode/);
    // A rounded-up window of padding alone is refused (TensorFlow.js fills it with -Infinity or NaN).
    expect(() => ts.maxPool(ts.ones([1, 7, 7, 1]), 2, 2, 1, 'ceil')).toThrow(/^maxPool: dimRoundingMode 'ceil' would add a height window of padding alone/);
    // Ops without numeric padding keep refusing it.
    expect(() => ts.conv1d(ts.ones([1, 8, 1]), ts.ones([3, 1, 1]), 2, 'valid', 'NWC', 1, 'ceil')).toThrow(/^conv1d: dimRoundingMode is not supported here/);
    expect(() => (ts.maxPool1d as (...a: unknown[]) => unknown)(ts.ones([1, 8, 1]), 2, 2, 'valid', 'ceil')).toThrow(
      /^maxPool1d: dimRoundingMode is not supported/,
    );
  });
});
