// keras.ops.psnr, rms_normalization and multi_hot: Keras's formulas computed here in plain
// JavaScript, gradients by finite differences, and bad arguments.
import * as ts from '../../src';
import { tensor, type Tensor } from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { expectClose, randomData } from '../helpers/reference';

describe('psnr', () => {
  test('20 log10(maxVal) - 10 log10(mse) over all entries', () => {
    const a = randomData(12, 3, 0, 1);
    const b = randomData(12, 4, 0, 1);
    const mse = a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / 12;
    const got = ts.psnr(tensor(a, [3, 4], 'float64'), tensor(b, [3, 4], 'float64'), 2);
    expect(got.shape).toEqual([]);
    expectClose(got.dataSync(), [20 * Math.log10(2) - 10 * Math.log10(mse)], 1e-10);
  });
  test('gradient', () => {
    gradcheck((x, y) => ts.psnr(x, y, 1), [tensor(randomData(6, 5), [2, 3], 'float64'), tensor(randomData(6, 6), [2, 3], 'float64')]);
  });
  test('errors', () => {
    expect(() => ts.psnr(ts.ones([2, 3]), ts.ones([3, 2]), 1)).toThrow(/psnr: expected x1 and x2 of the same shape, got \[2, 3\] and \[3, 2\]/);
    expect(() => ts.psnr(ts.ones([2]), ts.ones([2]), 0)).toThrow(/psnr: expected maxVal to be a positive number, got 0/);
    expect(() => (ts.psnr as (a: Tensor, b: Tensor) => Tensor)(ts.ones([2]), ts.ones([2]))).toThrow(/psnr: expected maxVal/);
  });
});

describe('rmsNormalization', () => {
  const data = randomData(12, 9);
  test('x / sqrt(mean(x^2) + eps) * scale over the last axis', () => {
    const scale = [0.5, 1, 2, 3];
    const want: number[] = [];
    for (let r = 0; r < 3; r++) {
      const row = data.slice(4 * r, 4 * r + 4);
      const rms = Math.sqrt(row.reduce((s, v) => s + v * v, 0) / 4 + 1e-7);
      row.forEach((v, i) => want.push((v / rms) * scale[i]));
    }
    const got = ts.rmsNormalization(tensor(data, [3, 4], 'float64'), tensor(scale, [4], 'float64'));
    expectClose(got.dataSync(), want, 1e-9);
  });
  test('default scale 1, other axes, a scalar becomes a vector of one', () => {
    const x = tensor(data, [3, 4], 'float64');
    const byCol = ts.rmsNormalization(x, 1, 0, 0);
    const col0 = [data[0], data[4], data[8]];
    const rms = Math.sqrt(col0.reduce((s, v) => s + v * v, 0) / 3);
    expectClose([byCol.dataSync()[0], byCol.dataSync()[4]], [data[0] / rms, data[4] / rms], 1e-9);
    expect(ts.rmsNormalization(ts.scalar(2)).shape).toEqual([1]);
  });
  test('gradient', () => {
    gradcheck((x, s) => ts.rmsNormalization(x, s, -1, 1e-3), [tensor(data, [3, 4], 'float64'), tensor(randomData(4, 2), [4], 'float64')]);
  });
  test('errors', () => {
    expect(() => ts.rmsNormalization(ts.ones([2, 3]), 1, 2)).toThrow(/rmsNormalization: expected axis in \[-2, 2\), got 2/);
    expect(() => ts.rmsNormalization(ts.ones([2, 3]), 1, -1, -1)).toThrow(/rmsNormalization: expected epsilon to be a number >= 0, got -1/);
    expect(() => ts.rmsNormalization(ts.ones([2, 3]), ts.ones([4]))).toThrow(/rmsNormalization: .*\[2, 3\].*\[4\]/);
  });
});

describe('multiHot', () => {
  test('a batch of id lists gives [batch, numClasses]', () => {
    const got = ts.multiHot(tensor([0, 2, 2, 1, 3, 3], [2, 3], 'int32'), 4);
    expect(got.shape).toEqual([2, 4]);
    expect(got.dtype).toBe('float32');
    expect(Array.from(got.dataSync())).toEqual([1, 0, 1, 0, 0, 1, 0, 1]);
  });
  test('a vector of ids gives one row; dtypes', () => {
    expect(Array.from(ts.multiHot(tensor([1, 3], [2], 'int32'), 5).dataSync())).toEqual([0, 1, 0, 1, 0]);
    expect(ts.multiHot([1, 3], 5, -1, 'int32').dtype).toBe('int32');
    expect(ts.multiHot([1, 3], 5, -1, 'bool').dtype).toBe('bool');
  });
  test('errors', () => {
    expect(() => ts.multiHot([1.5], 3)).toThrow(/multiHot: expected argument 'inputs' to hold integers, got 1.5/);
    expect(() => ts.multiHot([1], 3, 0)).toThrow(/multiHot: only axis -1 \(classes last\) is supported, got 0/);
    expect(() => ts.multiHot([1], 0)).toThrow(/multiHot: expected depth to be a positive int32/);
    expect(() => ts.multiHot(1, 3)).toThrow(/multiHot: expected inputs of rank >= 1, got a scalar/);
  });
});
