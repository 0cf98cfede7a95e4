// ts.image.rotateWithOffset against TensorFlow.js's cpu backend (tf.image.rotateWithOffset):
// odd sizes, angles, centres and fill values; the gradient w.r.t. the image by finite differences.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ts from '../../src';
import { gradcheck } from '../helpers/gradcheck';

beforeAll(() => tf.setBackend('cpu'));

const pixels = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => ((i * 37) % 101) / 7 - 3);

describe('image.rotateWithOffset, as TensorFlow.js', () => {
  const cases: [string, number[], number, number | [number, number, number], number | [number, number]][] = [
    ['a quarter turn about the middle', [1, 5, 7, 1], Math.PI / 2, 0, 0.5],
    ['a small angle, fill 0.5', [2, 6, 5, 2], 0.3, 0.5, 0.5],
    ['a negative angle about a corner-ish centre', [1, 7, 4, 3], -1.1, [0.1, 0.2, 0.3], [0.2, 0.8]],
    ['RGBA: the alpha fill is 255', [1, 5, 5, 4], 2.5, [1, 2, 3], 0.4],
    ['a half turn', [1, 4, 6, 2], Math.PI, -1, 0.5],
  ];
  it.each(cases)('%s', (_name, shape, radians, fillValue, center) => {
    const data = pixels(shape);
    const ours = ts.image.rotateWithOffset(ts.tensor(data, shape), radians, fillValue, center);
    const theirs = tf.image.rotateWithOffset(tf.tensor4d(data, shape as [number, number, number, number]), radians, fillValue, center);
    expect(ours.shape).toEqual(theirs.shape);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
  });

  it('int32 images are refused, as TensorFlow.js refuses them', () => {
    const data = pixels([1, 3, 5, 1]).map(Math.round);
    expect(() => tf.image.rotateWithOffset(tf.tensor4d(data, [1, 3, 5, 1], 'int32'), 0.7)).toThrow(/must be float32/);
    expect(() => ts.image.rotateWithOffset(ts.tensor(data, [1, 3, 5, 1], 'int32'), 0.7)).toThrow(/image.rotateWithOffset: .*int32/);
  });

  it('gradients w.r.t. the image match finite differences', () => {
    const x = ts.tensor(pixels([1, 4, 5, 2]), [1, 4, 5, 2], 'float64');
    gradcheck((t: ts.Tensor) => ts.image.rotateWithOffset(t, 0.6, 2), [x]);
  });

  it('refuses bad arguments, naming the op', () => {
    const x = ts.ones([1, 3, 3, 5]);
    expect(() => ts.image.rotateWithOffset(ts.ones([3, 3, 1]), 1)).toThrow(/image.rotateWithOffset: expected image of rank 4/);
    expect(() => ts.image.rotateWithOffset(x, NaN)).toThrow(/expected radians a finite number/);
    expect(() => ts.image.rotateWithOffset(x, 1, [1, 2, 3])).toThrow(/needs at most 4 channels, got 5/);
    expect(() => ts.image.rotateWithOffset(x, 1, [1, 2] as unknown as number)).toThrow(/expected fillValue a number or \[r, g, b\]/);
    expect(() => ts.image.rotateWithOffset(x, 1, 0, [0.5] as unknown as number)).toThrow(/expected center/);
    expect(() => (ts.image.rotateWithOffset as (...a: unknown[]) => unknown)(x, 1, 0, 0.5, 1)).toThrow(/at most 4/);
  });
});
