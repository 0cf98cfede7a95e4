// rand and randomGamma: rand against TensorFlow.js with a deterministic function,
// randomGamma by its seed and its moments (mean alpha / beta, variance alpha / beta^2).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ts from '../../src';

beforeAll(() => tf.setBackend('cpu'));

const counter = () => {
  let k = 0;
  return () => (k++ * 7) % 5;
};

describe('rand', () => {
  it.each(['float32', 'int32'] as const)('calls the function per element, as TensorFlow.js (%s)', (dtype) => {
    const ours = ts.rand([2, 3], counter(), dtype);
    const theirs = tf.rand([2, 3], counter(), dtype);
    expect(ours.shape).toEqual(theirs.shape);
    expect(ours.dtype).toBe(dtype);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
  });
  it('refuses values that do not fit the dtype and a missing function', () => {
    expect(() => ts.rand([2], () => 0.5, 'int32')).toThrow(/^rand: randFunction returned 0.5 for element 0, which is not a int32 value/);
    expect(() => ts.rand([2], (() => 'a') as unknown as () => number)).toThrow(/^rand: randFunction returned 'a'/);
    expect(() => ts.rand([2], 3 as unknown as () => number)).toThrow(/^rand: expected randFunction to be a function/);
  });
});

describe('randomGamma', () => {
  it.each([
    [0.5, 1],
    [2.5, 2],
    [9, 0.5],
  ])('alpha %d beta %d has the moments of Gamma(alpha, rate beta)', (alpha, beta) => {
    const x = Array.from(ts.randomGamma([20000], alpha, beta, 'float64', 11).dataSync());
    const mean = x.reduce((p, q) => p + q, 0) / x.length;
    const variance = x.reduce((p, q) => p + (q - mean) ** 2, 0) / x.length;
    expect(Math.min(...x)).toBeGreaterThan(0);
    expect(Math.abs(mean - alpha / beta)).toBeLessThan(0.05 * (alpha / beta));
    expect(Math.abs(variance - alpha / beta ** 2)).toBeLessThan(0.1 * (alpha / beta ** 2));
  });
  it('repeats itself for a seed, truncates for int32 and checks its arguments', () => {
    const a = ts.randomGamma([3, 4], 1.5, 1, 'float32', 5).dataSync();
    expect(Array.from(ts.randomGamma([3, 4], 1.5, 1, 'float32', 5).dataSync())).toEqual(Array.from(a));
    const ints = ts.randomGamma([50], 20, 1, 'int32', 3);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync()).every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    expect(() => ts.randomGamma([2], 0)).toThrow(/^randomGamma: expected alpha to be a positive finite number, got 0/);
    expect(() => ts.randomGamma([2], 1, -1)).toThrow(/^randomGamma: expected beta to be a positive finite number, got -1/);
    expect(() => ts.randomGamma([2], 1, 1, 'bool' as 'int32')).toThrow(/^randomGamma: expected dtype float32, float64 or int32, got 'bool'/);
  });
});
