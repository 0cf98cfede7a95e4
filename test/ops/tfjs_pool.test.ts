// TensorFlow.js's pool (max or average, with dilations) against TensorFlow.js itself (cpu
// backend) on odd shapes, both paddings, with gradients by finite differences.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { randomData } from '../helpers/reference';

tf.setBackend('cpu');

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);
const close = (ours: ts.Tensor, theirs: tf.Tensor, tol = 2e-5) => {
  expect(ours.shape).toEqual(theirs.shape);
  const [a, b] = [Array.from(ours.dataSync(), Number), Array.from(theirs.dataSync(), Number)];
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]))));
};

describe('pool', () => {
  type Case = [number[], [number, number], 'avg' | 'max', 'valid' | 'same', [number, number], [number, number]];
  const cases: Case[] = [
    [[1, 7, 6, 2], [2, 2], 'max', 'valid', [2, 2], [1, 1]],
    [[2, 7, 5, 3], [3, 2], 'avg', 'same', [2, 3], [1, 1]],
    [[1, 6, 7, 1], [2, 3], 'max', 'same', [3, 1], [1, 1]],
    [[2, 5, 5, 2], [2, 2], 'avg', 'valid', [1, 1], [2, 1]],
    [[1, 5, 6, 2], [3, 3], 'max', 'same', [1, 1], [2, 2]],
    [[5, 7, 2], [2, 2], 'avg', 'valid', [2, 2], [1, 1]],
  ];
  it.each(cases)('of %j, window %j, %s, %s, dilations %j, strides %j as TensorFlow.js', (shape, window, type, pad, dilations, strides) => {
    const v = randomData(size(shape), 3);
    const ours = ts.pool(ts.tensor(v, shape), window, type, pad, dilations, strides);
    const theirs = (tf.pool as (...a: unknown[]) => tf.Tensor)(tf.tensor(v, shape), window, type, pad, dilations, strides);
    close(ours, theirs);
  });

  it('pad 0 is valid, and dilations and strides default to 1', () => {
    const v = randomData(32, 2);
    close(ts.pool(ts.tensor(v, [1, 4, 4, 2]), 2, 'max', 0), tf.pool(tf.tensor(v, [1, 4, 4, 2]) as tf.Tensor4D, 2, 'max', 0 as never));
  });

  it('gradients by finite differences, dilated and not', () => {
    const x = () => ts.tensor(randomData(60, 5), [1, 6, 5, 2], 'float64');
    gradcheck((a) => ts.pool(a, [2, 2], 'avg', 'same', [2, 2]), [x()]);
    gradcheck((a) => ts.pool(a, [2, 2], 'max', 'valid', [2, 1]), [x()]);
    gradcheck((a) => ts.pool(a, [3, 2], 'avg', 'valid', 1, [2, 1]), [x()]);
  });

  it('refuses bad arguments, naming pool', () => {
    const x = ts.ones([1, 4, 4, 1]);
    expect(() => ts.pool(x, 2, 'min' as never, 'valid')).toThrow(/^pool: expected poolingType 'avg' or 'max', got 'min'/);
    expect(() => ts.pool(x, 2, 'max', 'full' as never)).toThrow(
      /^pool: expected padding 'valid', 'same', a non-negative integer, or \[\[0, 0\], \[top, bottom\], \[left, right\], \[0, 0\]\].*, got 'full'/,
    );
    expect(() => ts.pool(x, 2, 'max', 'valid', 2, 2)).toThrow(/^pool: either strides or dilations must be 1, got strides \[2, 2\] and dilations \[2, 2\]/);
    expect(() => ts.pool(x, 0, 'max', 'valid')).toThrow(/^pool: expected windowShape to be a positive integer or a pair of them, got 0/);
    expect(() => ts.pool(ts.ones([4, 4]), 2, 'max', 'valid')).toThrow(/^pool: expected input of rank 3 or 4 \(NHWC\), got shape \[4, 4\]/);
  });
});
