// ts.image.threshold against TensorFlow.js's tf.image.threshold on its cpu backend.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../src';

tf.setBackend('cpu');

const image = (seed: number, channels: number, dtype: 'int32' | 'float32'): number[] => {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 255;
  return Array.from({ length: 6 * 5 * channels }, () => (dtype === 'int32' ? Math.floor(next()) : next()));
};

describe('image.threshold', () => {
  it.each([
    [1, 'int32', 'binary', false, 0.5],
    [3, 'int32', 'binary', true, 0.3],
    [3, 'float32', 'otsu', false, 0.5],
    [1, 'float32', 'otsu', true, 0.5],
    [3, 'int32', 'otsu', false, 0.5],
  ] as const)('matches TF.js: %i channels, %s, %s, inverted %s, threshValue %s', (channels, dtype, method, inverted, value) => {
    for (const seed of [1, 2, 3]) {
      const v = image(seed, channels, dtype);
      const want = tf.image.threshold(tf.tensor3d(v, [6, 5, channels], dtype), method, inverted, value);
      const got = ts.image.threshold(ts.tensor(v, [6, 5, channels], dtype), method, inverted, value);
      expect([got.shape, got.dtype]).toEqual([want.shape, want.dtype]);
      expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    }
  });

  it('raises clear errors', () => {
    expect(() => ts.image.threshold(ts.zeros([2, 2, 2]))).toThrow(/image\.threshold: expected image of shape \[height, width, 1 or 3\], got shape \[2, 2, 2\]/);
    expect(() => ts.image.threshold(ts.zeros([2, 2, 1]), 'mean' as never)).toThrow(/image\.threshold: expected method 'binary' or 'otsu', got 'mean'/);
    expect(() => ts.image.threshold(ts.zeros([2, 2, 1], 'float64'))).toThrow(/^image\.threshold: .*float64/);
    expect(() => ts.image.threshold(ts.zeros([2, 2, 1]), 'binary', 1 as never)).toThrow(/image\.threshold: expected inverted to be true or false, got 1/);
  });
});
