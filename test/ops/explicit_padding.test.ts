// TensorFlow.js's numeric and explicit padding of conv2d and depthwiseConv2d (values and
// gradients against its cpu backend), and of maxPool, avgPool and pool: values (and
// max's gradients) against its cpu backend at odd sizes and strides, avg's gradients by
// central differences (TensorFlow.js's divides every window by its full size, padded taps
// included, where its forward pass divides by the taps inside); the pads it cannot mean.
// The full package: tfjs-core alone registers no gradients.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';
import { gradcheck } from '../helpers/gradcheck';

beforeAll(() => tf.setBackend('cpu'));

const size = (s: number[]) => s.reduce((p, q) => p * q, 1);
const values = (shape: number[], seed: number) => Array.from({ length: size(shape) }, (_, i) => (((i * 37 + seed * 11) % 101) - 50) / 8 + i * 1e-3);
const close = (ours: ts.Tensor, theirs: tf.Tensor) => {
  expect(ours.shape).toEqual(theirs.shape);
  const b = Array.from(theirs.dataSync(), Number);
  Array.from(ours.dataSync(), Number).forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
};
type Pad = number | [[number, number], [number, number], [number, number], [number, number]];

describe('numeric and explicit padding', () => {
  it.each([
    // op, x shape, window, strides, pad
    // numeric pads with square windows and strides: TensorFlow.js sizes both axes by the height's
    ['maxPool', [2, 5, 7, 3], 3, 1, 1],
    ['avgPool', [1, 5, 4, 2], 3, 2, 1],
    [
      'maxPool',
      [1, 6, 5, 2],
      3,
      [2, 3],
      [
        [0, 0],
        [2, 1],
        [0, 2],
        [0, 0],
      ],
    ],
    [
      'avgPool',
      [1, 6, 5, 2],
      3,
      [2, 3],
      [
        [0, 0],
        [2, 1],
        [0, 2],
        [0, 0],
      ],
    ],
    [
      'avgPool',
      [1, 7, 4, 1],
      [2, 3],
      2,
      [
        [0, 0],
        [1, 0],
        [2, 2],
        [0, 0],
      ],
    ],
    [
      'pool max',
      [1, 5, 6, 2],
      [2, 2],
      2,
      [
        [0, 0],
        [1, 1],
        [0, 1],
        [0, 0],
      ],
    ],
    ['pool avg', [1, 5, 3, 1], 3, 1, 2],
  ] as const)('%s of x %j, window %j, strides %j, pad %j: values and gradient', (op, xs, window, strides, pad) => {
    const xv = values([...xs], 1);
    const call = (lib: typeof ts | typeof tf, x: never): unknown => {
      const p = pad as Pad as never;
      if (op === 'maxPool') return lib.maxPool(x, window as never, strides as never, p);
      if (op === 'avgPool') return lib.avgPool(x, window as never, strides as never, p);
      return lib.pool(x, window as never, op === 'pool max' ? 'max' : 'avg', p, 1, strides as never);
    };
    const ours = ts.tidy(() => {
      const x = ts.tensor(xv, [...xs]);
      const y = call(ts, x as never) as ts.Tensor;
      const dy = ts.tensor(values(y.shape, 3), y.shape);
      const [dx] = ts.grads((a: ts.Tensor) => ts.sum(ts.mul(call(ts, a as never) as ts.Tensor, dy)))([x]);
      return [y, dx];
    });
    const theirs = tf.tidy(() => {
      const x = tf.tensor(xv, [...xs]);
      const y = call(tf, x as never) as tf.Tensor;
      const dy = tf.tensor(values(y.shape, 3), y.shape);
      const [dx] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(call(tf, a as never) as tf.Tensor, dy)))([x]);
      return [y, dx];
    });
    close(ours[0], theirs[0]);
    if (op.includes('max')) close(ours[1], theirs[1]);
    else gradcheck((a) => call(ts, a as never) as ts.Tensor, [ts.tensor(xv, [...xs], 'float64')]);
    ts.dispose(ours);
    tf.dispose(theirs);
  });

  it.each([
    // op, x shape, filter shape, strides, pad, dilations
    ['conv2d', [2, 5, 6, 3], [3, 3, 3, 4], 1, 1, 1],
    [
      'conv2d',
      [1, 7, 5, 2],
      [3, 3, 2, 3],
      [2, 3],
      [
        [0, 0],
        [2, 0],
        [1, 2],
        [0, 0],
      ],
      1,
    ],
    [
      'conv2d',
      [1, 6, 5, 1],
      [2, 3, 1, 2],
      1,
      [
        [0, 0],
        [0, 1],
        [3, 0],
        [0, 0],
      ],
      [2, 2],
    ],
    [
      'depthwiseConv2d',
      [1, 5, 4, 2],
      [3, 2, 2, 1],
      1,
      [
        [0, 0],
        [1, 2],
        [0, 1],
        [0, 0],
      ],
      [1, 2],
    ],
  ] as const)(
    '%s of x %j, filter %j, strides %j, pad %j, dilations %j: values and both gradients (dilated: by differences)',
    (op, xs, fs, strides, pad, dilations) => {
      const [xv, fv] = [values([...xs], 1), values([...fs], 2)];
      const call = (lib: typeof ts | typeof tf, x: never, f: never) =>
        (lib[op] as (...a: unknown[]) => unknown)(x, f, strides, pad, 'NHWC', dilations) as ts.Tensor & tf.Tensor;
      const ours = ts.tidy(() => {
        const [x, f] = [ts.tensor(xv, [...xs]), ts.tensor(fv, [...fs])];
        const y = call(ts, x as never, f as never);
        const dy = ts.tensor(values(y.shape, 3), y.shape);
        return [y, ...ts.grads((a: ts.Tensor, b: ts.Tensor) => ts.sum(ts.mul(call(ts, a as never, b as never), dy)))([x, f])];
      });
      const theirs = tf.tidy(() => {
        const [x, f] = [tf.tensor(xv, [...xs]), tf.tensor(fv, [...fs])];
        const y = call(tf, x as never, f as never);
        const dy = tf.tensor(values(y.shape, 3), y.shape);
        return dilations === 1 ? [y, ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(call(tf, a as never, b as never), dy)))([x, f])] : [y];
      });
      close(ours[0], theirs[0]);
      // TensorFlow.js has no gradient of a dilated convolution.
      if (dilations === 1) ours.slice(1).forEach((t, i) => close(t, theirs[i + 1]));
      else gradcheck((a, b) => call(ts, a as never, b as never), [ts.tensor(xv, [...xs], 'float64'), ts.tensor(fv, [...fs], 'float64')]);
      ts.dispose(ours);
      tf.dispose(theirs);
    },
  );

  test('[[top, bottom], [left, right]] is the explicit form without the batch and channel pairs', () => {
    const x = ts.tensor(values([1, 5, 4, 2], 2), [1, 5, 4, 2]);
    const short = ts.maxPool(x, 3, 2, [
      [2, 0],
      [1, 2],
    ] as never);
    const long = ts.maxPool(x, 3, 2, [
      [0, 0],
      [2, 0],
      [1, 2],
      [0, 0],
    ]);
    expect(short.shape).toEqual([1, 3, 3, 2]);
    expect(Array.from(short.dataSync())).toEqual(Array.from(long.dataSync()));
  });

  test('pads it cannot mean are errors naming the op', () => {
    const x = ts.zeros([1, 4, 4, 1]);
    const pads = (t: number, b: number, l: number, r: number) =>
      [
        [0, 0],
        [t, b],
        [l, r],
        [0, 0],
      ] as never;
    expect(() => ts.maxPool(x, 2, 1, pads(2, 0, 0, 0))).toThrow(/^maxPool: expected each height pad to be smaller than the window \(2\), got \[2, 0\]/);
    expect(() => ts.avgPool(x, 2, 1, 2 ** 32)).toThrow(/^avgPool: expected each height pad to be smaller than the window \(2\)/);
    expect(() => ts.avgPool(x, [2, 9], 1, pads(0, 0, 1, 1))).toThrow(/^avgPool: the window \(9\) is larger than the padded input \(6\) along width/);
    expect(() => ts.maxPool(x, 2, 1, -1)).toThrow(/^maxPool: expected padding 'valid', 'same', a non-negative integer/);
    expect(() => ts.maxPool(x, 2, 1, 0.5)).toThrow(/^maxPool: expected padding/);
    expect(() =>
      ts.maxPool(x, 2, 1, [
        [1, 0, 0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ] as never),
    ).toThrow(/^maxPool: expected padding/);
    expect(() =>
      ts.maxPool(x, 2, 1, [
        [1, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ] as never),
    ).toThrow(/^maxPool: expected padding/);
    expect(() => ts.conv2d(x, ts.zeros([2, 2, 1, 1]), 1, pads(0, 0, 0, 2 ** 32))).toThrow(
      /^conv2d: expected each width pad to be smaller than the window \(2\), got \[0, 4294967296\]/,
    );
    expect(() => ts.conv2d(x, ts.zeros([2, 2, 1, 1]), 1, pads(0, 0, 0, 2), 'NHWC', 2)).not.toThrow();
    expect(() => ts.conv2d(x, ts.zeros([2, 2, 1, 1]), 1, 'causal' as never)).toThrow(/^conv2d: expected padding 'valid' or 'same' \('causal' is for conv1d\)/);
    expect(() => ts.conv2d(x, ts.zeros([2, 2, 1, 1]), 1, { top: 1 } as never)).toThrow(/^conv2d: expected padding 'valid', 'same', a non-negative integer/);
    expect(() => ts.pool(x, 2, 'max', 1, 2)).toThrow(/^pool: numeric or explicit padding takes dilations 1 \(TensorFlow\.js ignores it with dilations\)/);
    expect(() => (ts.maxPool1d as (...a: unknown[]) => unknown)(ts.zeros([1, 4, 1]), 2, 1, 1)).toThrow(/^maxPool1d: expected padding 'valid' or 'same', got 1/);
  });
});
