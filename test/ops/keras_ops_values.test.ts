// keras.ops spellings and NumPy ops against NumPy: test/fixtures/nn/keras_ops.json, made by
// scripts/fixtures/make_keras_ops_fixtures.py (odd shapes, broadcasting, NaN and infinities).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';

interface Encoded {
  shape: number[];
  dtype: 'float64' | 'float32' | 'int32' | 'bool';
  data: (number | string)[];
}
interface Case {
  name: string;
  op: string;
  args: unknown[];
  out: Encoded[];
  rtol?: number;
}

const decodeNum = (v: number | string): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number));
const decode = (a: unknown): unknown => {
  if (Array.isArray(a)) return a.map(decode);
  if (a === null || typeof a !== 'object') return a;
  if ('null' in a) return null;
  const t = (a as { t: Encoded }).t;
  return ts.tensor(t.data.map(decodeNum), t.shape, t.dtype);
};

const cases: Case[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'nn', 'keras_ops.json'), 'utf8')).cases;

function expectMatches(got: ts.Tensor, want: Encoded, name: string, rtol?: number): void {
  expect({ name, shape: got.shape }).toEqual({ name, shape: want.shape });
  const kind = (d: string) => (d === 'float64' ? 'float' : d);
  // 'float32' in the fixture: an int input whose result Keras gives as float32.
  expect({ name, dtype: kind(got.dtype) }).toEqual({ name, dtype: kind(want.dtype) });
  const tol = rtol ?? (got.dtype === 'float32' ? 2e-6 : 1e-9);
  const g = Array.from(got.dataSync() as ArrayLike<number>, Number);
  want.data.map(decodeNum).forEach((w, i) => {
    const v = g[i];
    const ok = Number.isNaN(w) ? Number.isNaN(v) : !Number.isFinite(w) ? v === w : Math.abs(v - w) <= tol + tol * Math.abs(w);
    if (!ok) throw new Error(`${name}: element ${i} is ${v}, NumPy gives ${w}`);
  });
}

describe('keras.ops spellings and NumPy ops against NumPy', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    ts.tidy(() => {
      // 'dsplit#1': the second of the tensors dsplit returns; 'linalg.pinv': ts.linalg's.
      const [, name, index = ''] = /^([\w.]+?)(?:#(\d))?$/.exec(c.op)!;
      const fn = name.split('.').reduce((o: unknown, k) => (o as Record<string, unknown>)[k], ts) as (...a: unknown[]) => ts.Tensor | ts.Tensor[];
      const out = fn(...c.args.map(decode));
      const got = index === '' ? (out as ts.Tensor) : (out as ts.Tensor[])[Number(index)];
      expectMatches(got, c.out[0], c.name, c.rtol);
    });
  });
});

describe('gradients and refusals of the new ops', () => {
  // d sum(fn(x)) / dx by central differences, in float64.
  const numeric = (fn: (x: ts.Tensor) => ts.Tensor, x: number[], h = 1e-6): number[] =>
    x.map((_, i) => {
      const at = (d: number) =>
        ts.tidy(
          () =>
            (
              ts
                .sum(
                  fn(
                    ts.tensor(
                      x.map((v, j) => (j === i ? v + d : v)),
                      undefined,
                      'float64',
                    ),
                  ),
                )
                .dataSync() as Float64Array
            )[0],
        );
      return (at(h) - at(-h)) / (2 * h);
    });
  it.each([
    ['i0', (t: ts.Tensor) => ts.i0(t), [0.3, -2.5, 7.9, 8.2, -12]],
    ['vander', (t: ts.Tensor) => ts.vander(t, 4), [0, 1.5, -0.7]],
    ['trapezoid', (t: ts.Tensor) => ts.trapezoid(ts.square(t), ts.tensor([0, 0.5, 2, 2.5], undefined, 'float64')), [1, -2, 0.5, 3]],
    ['nanquantile', (t: ts.Tensor) => ts.nanquantile(ts.where(ts.tensor([false, false, true, false, false]), NaN, t), 0.3), [0.4, -1.1, 0, 2.2, 0.9]],
    ['erfc', (t: ts.Tensor) => ts.erfc(t), [-1.2, 0.2, 0.6, 2.5]],
    [
      'correlate',
      (t: ts.Tensor) => ts.mul(ts.correlate(t, ts.slice(t, [1], [3]), 'same'), ts.tensor([1, -2, 3, 0.5, 1], undefined, 'float64')),
      [0.3, -1, 2, 0.7, -0.4],
    ],
    ['fmax', (t: ts.Tensor) => ts.fmax(t, ts.tensor([0, NaN, 1], undefined, 'float64')), [0.5, -2, 0.25]],
  ])('%s matches finite differences', (_name, fn, x) => {
    const got = ts.tidy(() =>
      Array.from(
        ts
          .grad((t: ts.Tensor) => ts.sum(fn(t)))(ts.tensor(x, undefined, 'float64'))
          .dataSync() as Float64Array,
      ),
    );
    const want = numeric(fn, x);
    got.forEach((g, i) => {
      expect(Math.abs(g - want[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i])));
    });
  });
  it('refuse bad arguments with the op named', () => {
    expect(() => ts.hamming(-1)).toThrow('hamming: expected x, the window length, to be an integer >= 0, got -1');
    expect(() => ts.geomspace(0, 5)).toThrow('geomspace: a geometric sequence cannot include zero');
    expect(() => ts.unravelIndex([0, 15], [3, 5])).toThrow('unravelIndex: index 15 (entry 1) is out of bounds for shape [3, 5] of 15 entries');
    expect(() => ts.inTopK([0, 4], ts.ones([2, 4]), 1)).toThrow('inTopK: target 4 at index 1 is not a class index in [0, 4)');
    expect(() => ts.argpartition(ts.ones([3]), 3)).toThrow('argpartition: expected kth to be an integer in [-3, 3) for axis 0 of size 3, got 3');
    expect(() => ts.leftShift(ts.ones([2]), 1)).toThrow("leftShift: expected argument 'x1' to have dtype int32, got float32");
    expect(() => ts.ldexp(ts.ones([2]), ts.ones([2]))).toThrow("ldexp: expected argument 'x2' to have dtype int32, got float32");
    expect(ts.ndim(ts.ones([2, 3, 1]))).toBe(3);
    expect(ts.size([[1, 2, 3]])).toBe(3);
  });
  it('argpartition partitions around kth', () => {
    ts.tidy(() => {
      const x = ts.tensor([5, -1, 3, 3, 9, 0, 2]);
      const idx = Array.from(ts.argpartition(x, 3).dataSync());
      const v = Array.from(x.dataSync());
      const kth = v[idx[3]];
      expect(kth).toBe(3);
      expect(idx.slice(0, 3).every((i) => v[i] <= kth) && idx.slice(4).every((i) => v[i] >= kth)).toBe(true);
    });
  });
});
