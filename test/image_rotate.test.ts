// image.rotateWithOffset against TensorFlow.js's cpu backend: angles, centers, a number or
// per-channel fill (alpha 255 on a 4th channel); its errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ts from '../src';

beforeAll(() => tf.setBackend('cpu'));

const values = (n: number) => Array.from({ length: n }, (_, i) => (((i * 37) % 101) - 50) / 8);

describe('image.rotateWithOffset', () => {
  it.each([
    [[2, 5, 7, 3], 0.7, 0, 0.5],
    [[1, 6, 4, 1], -2.1, -3, [0.25, 0.8]],
    [[1, 5, 6, 3], 1.2, [1, 2, 3], 0.3],
    [[1, 4, 5, 4], 3.9, [7, 8, 9], [0.6, 0.4]],
  ] as const)('x %j by %d radians, fill %j, center %j: as TensorFlow.js', (shape, radians, fill, center) => {
    const image = values(shape.reduce((p: number, q: number) => p * q, 1));
    const ours = ts.image.rotateWithOffset(ts.tensor(image, [...shape]), radians, fill as never, center as never);
    const theirs = tf.image.rotateWithOffset(tf.tensor4d(image, [...shape] as never), radians, fill as never, center as never);
    expect(ours.shape).toEqual(theirs.shape);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
  });

  test('bad arguments are errors naming it', () => {
    const x = ts.zeros([1, 3, 3, 2]);
    expect(() => ts.image.rotateWithOffset(x, 1, [1, 2, 3])).toThrow(
      /^image\.rotateWithOffset: an \[r, g, b\] fillValue takes images of 3 or 4 channels, got shape \[1, 3, 3, 2\]/,
    );
    expect(() => ts.image.rotateWithOffset(x, 1, [1, 2] as never)).toThrow(/^image\.rotateWithOffset: expected fillValue a number or \[r, g, b\]/);
    expect(() => ts.image.rotateWithOffset(x, NaN)).toThrow(/^image\.rotateWithOffset: expected radians a finite number/);
    expect(() => ts.image.rotateWithOffset(x, 1, 0, [0.5] as never)).toThrow(/^image\.rotateWithOffset: expected center a number or \[x, y\]/);
    expect(() => ts.image.rotateWithOffset(ts.zeros([3, 3, 2]), 1)).toThrow(/^image\.rotateWithOffset: expected image of rank 4/);
  });
});
