// image.cropAndResize against TensorFlow.js's cpu backend: boxes inside, flipped, partly
// outside and of one pixel, both methods, odd sizes; its gradient w.r.t. the image; errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ts from '../src';
import { gradcheck } from './helpers/gradcheck';

beforeAll(() => tf.setBackend('cpu'));

const values = (n: number) => Array.from({ length: n }, (_, i) => (((i * 37) % 101) - 50) / 8);
const boxes = [
  [0.1, 0.2, 0.8, 0.9],
  [0.9, 0.7, 0.05, 0.1],
  [-0.3, 0.4, 0.6, 1.3],
  [0.5, 0.5, 0.5, 0.5],
];

describe('image.cropAndResize', () => {
  it.each([
    ['bilinear', [3, 4], 0],
    ['bilinear', [1, 5], -2],
    ['nearest', [4, 3], 7],
    ['nearest', [1, 1], 0],
  ] as const)('%s to %j, extrapolation %d: as TensorFlow.js', (method, crop, extrapolation) => {
    const shape = [2, 5, 7, 3];
    const image = values(2 * 5 * 7 * 3);
    const ind = [1, 0, 1, 0];
    const ours = ts.image.cropAndResize(ts.tensor(image, shape), boxes, ts.tensor(ind, [4], 'int32'), [...crop], method, extrapolation);
    const theirs = tf.image.cropAndResize(tf.tensor4d(image, shape as never), tf.tensor2d(boxes), tf.tensor1d(ind, 'int32'), [...crop], method, extrapolation);
    expect(ours.shape).toEqual(theirs.shape);
    const b = Array.from(theirs.dataSync());
    Array.from(ours.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
  });

  test('its gradient w.r.t. the image, by differences', () => {
    const image = ts.tensor(values(1 * 4 * 5 * 2), [1, 4, 5, 2], 'float64');
    gradcheck((x) => ts.image.cropAndResize(x, ts.tensor([[0.1, 0.2, 0.7, 0.9]], [1, 4], 'float64'), ts.tensor([0], [1], 'int32'), [3, 4]), [image]);
  });

  test('bad arguments are errors naming it', () => {
    const image = ts.zeros([2, 4, 4, 1]);
    const one = ts.tensor([0], [1], 'int32');
    expect(() => ts.image.cropAndResize(image, [[0, 0, 1]], one, [2, 2])).toThrow(
      /^image\.cropAndResize: expected boxes of shape \[numBoxes, 4\], got \[1, 3\]/,
    );
    expect(() => ts.image.cropAndResize(image, [[0, 0, 1, 1]], ts.tensor([2], [1], 'int32'), [2, 2])).toThrow(
      /^image\.cropAndResize: expected boxInd values in \[0, 2\) \(the batch\), got 2 at 0/,
    );
    expect(() => ts.image.cropAndResize(image, [[0, 0, 1, 1]], one, [0, 2])).toThrow(
      /^image\.cropAndResize: expected cropSize to be a positive integer or a pair of them/,
    );
    expect(() => ts.image.cropAndResize(image, [[0, 0, 1, 1]], one, [2, 2], 'cubic' as never)).toThrow(
      /^image\.cropAndResize: expected method 'bilinear' or 'nearest', got 'cubic'/,
    );
    expect(() => ts.image.cropAndResize(image, [[0, 0, 1, 1]], ts.tensor([0, 0], [2], 'int32'), [2, 2])).toThrow(
      /^image\.cropAndResize: expected boxInd of shape \[1\]/,
    );
    expect(ts.image.cropAndResize(image, ts.zeros([0, 4]), ts.tensor([], [0], 'int32'), [2, 3]).shape).toEqual([0, 2, 3, 1]);
  });
});
