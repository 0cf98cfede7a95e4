// ts.image.cropAndResize against TensorFlow.js's cpu backend (tf.image.cropAndResize) on odd
// sizes, both methods, boxes that flip and reach past the image; its gradient; its errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ts from '../src';
import { type Tensor } from '../src';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, randomData, randomTensor } from './helpers/reference';

beforeAll(() => tf.setBackend('cpu'));

const BOXES = [
  [0.1, 0.2, 0.7, 0.9],
  [0.8, 0.9, 0.15, 0.05], // flipped both ways
  [-0.3, -0.2, 1.25, 1.4], // reaches past every side
  [0.33, 0.5, 0.33, 0.5], // a point
  [0.5, -0.6, 0.9, 0.4],
];

describe('image.cropAndResize (TensorFlow.js cpu)', () => {
  const shape = [2, 7, 9, 3];
  const data = randomData(2 * 7 * 9 * 3, 11);
  for (const method of ['bilinear', 'nearest'] as const) {
    for (const [cropSize, extrapolation] of [
      [[5, 4], 0],
      [[1, 3], -0.5],
      [[6, 1], 2],
      [[1, 1], 0],
    ] as [[number, number], number][]) {
      it(`${method}, cropSize [${cropSize.join(', ')}], extrapolationValue ${extrapolation}`, () => {
        const boxInd = [0, 1, 1, 0, 1];
        const want = tf.image.cropAndResize(
          tf.tensor4d(data, shape as never),
          tf.tensor2d(BOXES),
          tf.tensor1d(boxInd, 'int32'),
          cropSize,
          method,
          extrapolation,
        );
        const got = ts.image.cropAndResize(ts.tensor(data, shape), BOXES, ts.tensor(boxInd, [5], 'int32'), cropSize, method, extrapolation);
        expect(got.shape).toEqual(want.shape);
        expectClose(got.dataSync(), want.dataSync() as Float32Array, 1e-5, 1e-6);
      });
    }
  }

  it('takes int32 images as TensorFlow.js (float32 result)', () => {
    const ints = Array.from({ length: 5 * 6 }, (_, i) => (i * 7) % 11);
    const want = tf.image.cropAndResize(tf.tensor4d(ints, [1, 5, 6, 1], 'int32'), tf.tensor2d([BOXES[0], BOXES[2]]), tf.tensor1d([0, 0], 'int32'), [4, 3]);
    const got = ts.image.cropAndResize(ts.tensor(ints, [1, 5, 6, 1], 'int32'), [BOXES[0], BOXES[2]], ts.tensor([0, 0], [2], 'int32'), [4, 3]);
    expect(got.dtype).toBe('float32');
    expectClose(got.dataSync(), want.dataSync() as Float32Array, 1e-6, 1e-6);
  });
});

describe('image.cropAndResize', () => {
  it('is differentiable w.r.t. the image (finite differences, float64)', () => {
    const boxInd = ts.tensor([0, 1, 1], [3], 'int32');
    const image = randomTensor([2, 3, 4, 1], 12, 'float64');
    gradcheck((t: Tensor) => ts.image.cropAndResize(t, BOXES.slice(0, 3), boxInd, [3, 3], 'bilinear', 0.5), [image]);
    gradcheck((t: Tensor) => ts.image.cropAndResize(t, BOXES.slice(0, 3), boxInd, [2, 3], 'nearest'), [image]);
  });

  it('refuses bad arguments with errors naming the op', () => {
    const image = randomTensor([2, 4, 5, 2], 12);
    const ind = ts.tensor([0], [1], 'int32');
    const box = [[0, 0, 1, 1]];
    expect(() => ts.image.cropAndResize(randomTensor([4, 5, 2], 1), box, ind, [2, 2])).toThrow(/image\.cropAndResize: expected image of rank 4/);
    expect(() => ts.image.cropAndResize(image, [[0, 0, 1]], ind, [2, 2])).toThrow(/boxes of shape \[numBoxes, 4\]/);
    expect(() => ts.image.cropAndResize(image, box, ts.tensor([0, 1], [2], 'int32'), [2, 2])).toThrow(/boxInd of shape \[1\]/);
    expect(() => ts.image.cropAndResize(image, box, ts.tensor([2], [1], 'int32'), [2, 2])).toThrow(/boxInd\[0\] = 2 is not an image index in \[0, 2\)/);
    expect(() => ts.image.cropAndResize(image, [[0, NaN, 1, 1]], ind, [2, 2])).toThrow(/non-finite coordinate/);
    expect(() => ts.image.cropAndResize(image, box, ind, [0, 2])).toThrow(/cropSize to be \[height, width\], two integers >= 1/);
    expect(() => ts.image.cropAndResize(image, box, ind, [2, 2], 'bicubic' as never)).toThrow(/method 'bilinear' or 'nearest'/);
    expect(() => ts.image.cropAndResize(image, box, ind, [2, 2], 'nearest', '0' as never)).toThrow(/extrapolationValue to be a number/);
    expect(() => ts.image.cropAndResize(image, box, ind, [2 ** 32, 2 ** 32])).toThrow(/output shape .* more than 2\^53 - 1/);
    expect(() => ts.image.cropAndResize(image, box, ind, [2 ** 20, 2 ** 10])).toThrow(/more than 2\^28/);
    expect(() => (ts.image.cropAndResize as (...a: unknown[]) => Tensor)(image, box, ind, [2, 2], 'nearest', 0, 1)).toThrow(/at most 6 arguments/);
  });
});
