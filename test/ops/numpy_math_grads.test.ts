// Gradients of the differentiable keras.ops NumPy math, against central differences
// (test/helpers/gradcheck.ts, float64), and the gradient at ties and NaN where it is defined.
import * as ts from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { randomData } from '../helpers/reference';

const t = (shape: number[], seed: number, lo = -2, hi = 2) =>
  ts.tensor(
    randomData(
      shape.reduce((a, b) => a * b, 1),
      seed,
      lo,
      hi,
    ),
    shape,
    'float64',
  );

describe('keras.ops NumPy math gradients', () => {
  it('unary: cbrt, log2, log10, exp2, deg2rad, rad2deg, sinc', () => {
    gradcheck((x) => ts.cbrt(x), [t([3, 5], 1, 0.2, 2)]);
    gradcheck((x) => ts.cbrt(x), [t([3, 5], 2, -2, -0.2)]);
    gradcheck((x) => ts.log2(x), [t([3, 5], 3, 0.2, 3)]);
    gradcheck((x) => ts.log10(x), [t([3, 5], 4, 0.2, 3)]);
    gradcheck((x) => ts.exp2(x), [t([3, 5], 5)]);
    gradcheck((x) => ts.deg2rad(x), [t([2, 3], 6)]);
    gradcheck((x) => ts.rad2deg(x), [t([2, 3], 7)]);
    gradcheck((x) => ts.sinc(x), [t([3, 5], 8)]);
  });

  it('sinc has gradient 0 at 0, not NaN', () => {
    const g = ts.grad((x: ts.Tensor) => ts.sum(ts.sinc(x)))(ts.tensor([0, 0.5], [2], 'float64'));
    expect(g.dataSync()[0]).toBe(0);
  });

  it('binary with broadcasting: logaddexp, logaddexp2, hypot', () => {
    gradcheck((a, b) => ts.logaddexp(a, b), [t([3, 1, 4], 9), t([5, 4], 10)]);
    gradcheck((a, b) => ts.logaddexp2(a, b), [t([3, 1, 4], 11), t([5, 4], 12)]);
    gradcheck((a, b) => ts.hypot(a, b), [t([3, 1, 4], 13), t([5, 4], 14)]);
  });

  it('logaddexp shares the gradient equally at a tie, and is exact for large inputs', () => {
    const [ga, gb] = ts.grads((a: ts.Tensor, b: ts.Tensor) => ts.sum(ts.logaddexp(a, b)))([ts.tensor([1.5], [1], 'float64'), ts.tensor([1.5], [1], 'float64')]);
    expect(ga.dataSync()[0]).toBeCloseTo(0.5, 12);
    expect(gb.dataSync()[0]).toBeCloseTo(0.5, 12);
    expect(ts.logaddexp(1000, 1000).dataSync()[0]).toBeCloseTo(1000 + Math.LN2, 3);
    // float32 would overflow squaring 3e30.
    expect(ts.hypot(3e30, 4e30).dataSync()[0] / 5e30).toBeCloseTo(1, 6);
  });

  it('statistics: std, variance, ptp, average', () => {
    gradcheck((x) => ts.std(x, 1), [t([3, 4, 5], 15)]);
    gradcheck((x) => ts.variance(x, [0, 2], true), [t([3, 4, 5], 16)]);
    gradcheck((x) => ts.std(x), [t([3, 5], 17)]);
    gradcheck((x) => ts.ptp(x, -1), [t([3, 5], 18)]);
    gradcheck((x, w) => ts.average(x, 1, w), [t([3, 4, 2], 19), t([4], 20, 0.5, 2)]);
    gradcheck((x, w) => ts.average(x, null, w), [t([3, 4], 21), t([3, 4], 22, 0.5, 2)]);
  });

  it('nan-reductions: the gradient reaches the values that are not NaN, 0 at NaN', () => {
    const data = randomData(20, 23, -2, 2);
    const nanAt = [2, 7, 8, 13];
    nanAt.forEach((i) => (data[i] = NaN));
    const x = ts.tensor(data, [4, 5], 'float64');
    for (const f of [ts.nansum, ts.nanmean, ts.nanvar, ts.nanstd, ts.nanmax, ts.nanmin, ts.nanprod]) {
      const g = Array.from(
        ts
          .grad((v: ts.Tensor) => ts.sum(f(v, 1)))(x)
          .dataSync(),
      );
      nanAt.forEach((i) => expect({ f: f.name, i, g: g[i] }).toEqual({ f: f.name, i, g: 0 }));
      // Elsewhere: central differences of the row's reduction.
      const h = 1e-6;
      for (const i of [0, 4, 9, 19]) {
        const at = (d: number) => {
          const moved = data.slice();
          moved[i] += d;
          return ts.sum(f(ts.tensor(moved, [4, 5], 'float64'), 1)).dataSync()[0];
        };
        expect({ f: f.name, i, g: g[i] }).toEqual({ f: f.name, i, g: expect.closeTo((at(h) - at(-h)) / (2 * h), 5) });
      }
    }
  });

  it('quantile, percentile and median: the gradient reaches the selected elements', () => {
    for (const method of ['linear', 'lower', 'higher', 'midpoint', 'nearest'] as const) {
      gradcheck((x) => ts.quantile(x, ts.tensor([0.1, 0.5, 0.8]), 1, method), [t([3, 6], 24)]);
    }
    gradcheck((x) => ts.percentile(x, 30, [0, 2]), [t([3, 2, 4], 25)]);
    gradcheck((x) => ts.median(x, 0, true), [t([4, 3], 26)]);
    gradcheck((x) => ts.median(x), [t([5, 3], 27)]);
  });

  it('segment reductions: sum, max, min, prod', () => {
    const ids = ts.tensor([0, 2, 0, 1, 2, 2, 4], [7], 'int32');
    gradcheck((d) => ts.segmentSum(d, ids, 5), [t([7, 3], 28)]);
    gradcheck((d) => ts.segmentMax(d, ids, 5), [t([7, 3], 29)]);
    gradcheck((d) => ts.segmentMin(d, ids), [t([7, 3], 30)]);
    gradcheck((d) => ts.segmentProd(d, ids), [t([7, 3], 31, 0.5, 2)]);
  });
  it('matrix statistics: corrcoef, cdist (every p), slogdet, logdet', () => {
    gradcheck((x) => ts.corrcoef(x), [t([3, 6], 32)]);
    for (const p of [1, 2, 3.5, Infinity]) gradcheck((a, b) => ts.cdist(a, b, p), [t([2, 4, 3], 33), t([2, 5, 3], 34)]);
    const boosted = ts.add(t([2, 3, 3], 35), ts.mul(ts.eye(3, undefined, undefined, 'float64'), 3));
    gradcheck((x) => ts.slogdet(x)[1], [boosted]);
    gradcheck((x) => ts.logdet(x), [boosted]);
  });

  it('cdist: a zero distance has gradient 0, not NaN', () => {
    const a = ts.tensor([1, 2, 3, 4], [2, 2], 'float64');
    const g = ts.grad((x: ts.Tensor) => ts.sum(ts.cdist(x, a)))(a);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  });
});
