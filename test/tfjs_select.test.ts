// TensorFlow.js's whereAsync, booleanMaskAsync, unique, randomUniformInt, outerProduct,
// linalg.bandPart, and the runtime calls at the top of its programs (version, time,
// enableProdMode, LayersModel), against TensorFlow.js itself where the result is
// deterministic.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../src';
import { howItEnded, runTsBody } from './helpers/child';
import { gradcheck } from './helpers/gradcheck';
import { liveTensors } from './helpers/memory';

tf.setBackend('cpu');

const same = (ours: ts.Tensor, theirs: tf.Tensor) => {
  expect(ours.shape).toEqual(theirs.shape);
  expect(Array.from(ours.dataSync(), Number)).toEqual(Array.from(theirs.dataSync(), Number));
};
const both = (values: number[], shape: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32') =>
  [ts.tensor(values, shape, dtype), tf.tensor(values, shape, dtype)] as const;

describe('whereAsync and booleanMaskAsync', () => {
  it('whereAsync gives the coordinates of the true values, as TensorFlow.js', async () => {
    const [a, b] = both([1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0], [2, 3, 2], 'bool');
    same(await ts.whereAsync(a), await tf.whereAsync(b));
    const [e, f] = both([0, 0], [2], 'bool');
    same(await ts.whereAsync(e), await tf.whereAsync(f));
    await expect(ts.whereAsync(ts.tensor([1, 0]))).rejects.toThrow(/^whereAsync: .*bool/);
  });

  it.each([
    [[2, 3, 2], [2], 0],
    [[2, 3, 2], [2, 3], 0],
    [[2, 3, 2], [3], 1],
    [[2, 3, 2], [3, 2], 1],
  ])('booleanMaskAsync of %j by a mask %j from axis %d, as TensorFlow.js', async (shape, maskShape, axis) => {
    const n = shape.reduce((p, q) => p * q, 1);
    const m = maskShape.reduce((p, q) => p * q, 1);
    const values = Array.from({ length: n }, (_, i) => i * 1.5 - 3);
    const maskValues = Array.from({ length: m }, (_, i) => (i % 3 === 1 ? 0 : 1));
    const [x, tx] = both(values, shape);
    const [mask, tmask] = both(maskValues, maskShape, 'bool');
    same(await ts.booleanMaskAsync(x, mask, axis), await tf.booleanMaskAsync(tx, tmask, axis));
  });

  it('booleanMaskAsync keeps the rows and checks its mask and axis', async () => {
    const x = ts.tensor2d(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      undefined,
      'float64',
    );
    const mask = ts.tensor1d([1, 0, 1], 'bool');
    const kept = await ts.booleanMaskAsync(x, mask);
    expect(kept.arraySync()).toEqual([
      [1, 2],
      [5, 6],
    ]);
    await expect(ts.booleanMaskAsync(x, ts.tensor1d([1, 0], 'bool'))).rejects.toThrow(
      /^booleanMaskAsync: expected mask of shape \[3\] \(tensor \[3, 2\] from axis 0\), got \[2\]/,
    );
    await expect(ts.booleanMaskAsync(x, mask, 2)).rejects.toThrow(/expected axis to be an integer from 0 to 1/);
  });
});

describe('unique', () => {
  it.each([
    [[3, 1, 3, 2, 1, 3], [6], 0],
    [[1, 2, 1, 2, 3, 4, 1, 2], [4, 2], 0],
    [[1, 2, 1, 2, 3, 1, 2, 1], [2, 4], 1],
  ])('of %j (shape %j) along axis %d, as TensorFlow.js', (values, shape, axis) => {
    const [x, tx] = both(values, shape);
    const ours = ts.unique(x, axis);
    const theirs = tf.unique(tx, axis);
    same(ours.values, theirs.values);
    same(ours.indices, theirs.indices);
    expect(ours.indices.dtype).toBe('int32');
  });
  it('keeps every NaN apart and checks its axis', () => {
    expect(Array.from(ts.unique(ts.tensor1d([NaN, 1, NaN])).indices.dataSync())).toEqual([0, 1, 2]);
    expect(() => ts.unique(ts.tensor1d([1]), 1)).toThrow(/^unique: expected axis in \[-1, 1\), got 1/);
  });
});

describe('randomUniformInt, outerProduct, linalg.bandPart', () => {
  it('randomUniformInt: integers in [minval, maxval), seeded', () => {
    const a = ts.randomUniformInt([1000], -3, 4, 5);
    const values = Array.from(a.dataSync());
    expect(a.dtype).toBe('int32');
    expect(Math.min(...values)).toBe(-3);
    expect(Math.max(...values)).toBe(3);
    expect(Array.from(ts.randomUniformInt([1000], -3, 4, 5).dataSync())).toEqual(values);
    expect(() => ts.randomUniformInt([2], 0.5, 4)).toThrow(/^randomUniformInt: expected minval to be an integer, got 0.5/);
  });

  it('outerProduct as TensorFlow.js, with its gradient', () => {
    same(ts.outerProduct([1, 2, 3], [4, -5]), tf.outerProduct([1, 2, 3], [4, -5]));
    gradcheck((a, b) => ts.outerProduct(a, b), [ts.tensor1d([1, -2, 3], 'float64'), ts.tensor1d([0.5, 2], 'float64')]);
    expect(() => ts.outerProduct(ts.zeros([2, 2]), [1])).toThrow(/^outerProduct: expected v1 to be a vector/);
  });

  it.each([
    [0, 0],
    [1, 0],
    [-1, 0],
    [0, -1],
    [1, 2],
    [-1, -1],
  ])('linalg.bandPart(a, %d, %d) as TensorFlow.js, batched and in int32', (lower, upper) => {
    const values = Array.from({ length: 2 * 3 * 4 }, (_, i) => i + 1);
    const [a, ta] = both(values, [2, 3, 4]);
    same(ts.linalg.bandPart(a, lower, upper), tf.linalg.bandPart(ta, lower, upper));
    const [b, tb] = both(values, [2, 3, 4], 'int32');
    const ours = ts.linalg.bandPart(b, lower, upper);
    expect(ours.dtype).toBe('int32');
    same(ours, tf.linalg.bandPart(tb, lower, upper));
  });

  it('linalg.bandPart keeps a bool tensor bool, and copies an empty one without building a mask', () => {
    const b = ts.linalg.bandPart(
      ts.tensor([
        [true, true],
        [true, true],
      ]),
      0,
      -1,
    );
    expect(b.dtype).toBe('bool');
    expect(b.arraySync()).toEqual([
      [true, true],
      [false, true],
    ]);
    const e = ts.linalg.bandPart(ts.zeros([0, 3, 2], 'int32'), 0, -1);
    expect([e.shape, e.dtype]).toEqual([[0, 3, 2], 'int32']);
    // In a child: the mask of [2^30, 2^30] took a minute and 8 GB before a misleading error.
    const r = runTsBody(`const t = ts.linalg.bandPart(ts.zeros([0, 2 ** 30, 2 ** 30]), 0, -1); console.log(JSON.stringify(t.shape));`, [], 20_000);
    expect(howItEnded(r) + r.stderr).toBe('exit 0');
    expect(r.stdout.trim()).toBe(`[0,${2 ** 30},${2 ** 30}]`);
  });

  it('linalg.bandPart passes the gradient inside the band only', () => {
    const g = ts.grad((x) => ts.sum(ts.linalg.bandPart(x, -1, 0)))(ts.ones([2, 2]));
    expect(g.arraySync()).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });
});

describe('the runtime calls at the top of a TensorFlow.js program', () => {
  it('version, time, enableProdMode and LayersModel', async () => {
    expect(ts.version.tessera).toMatch(/^\d+\.\d+\.\d+/);
    const before = liveTensors();
    const t = await ts.time(() => ts.matMul(ts.ones([64, 64]), ts.ones([64, 64])));
    expect(t.wallMs).toBeGreaterThan(0);
    expect(t.kernelMs).toBe(t.wallMs);
    expect(liveTensors()).toBe(before); // what f made is released
    await expect(ts.time(async () => 1)).rejects.toThrow(/^time: f returned a Promise/);
    ts.enableDebugMode();
    expect(ts.env().getBool('DEBUG')).toBe(true);
    expect(ts.enableProdMode()).toBeUndefined();
    expect(ts.env().getBool('DEBUG')).toBe(false);
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    expect(model).toBeInstanceOf(ts.LayersModel);
    expect(() => ts.LayersModel.fromConfig(ts.LayersModel as never)).toThrow(/expected an options object, got a function/);
    model.dispose();
  });
});
