// Naive JS references for op tests: broadcasting, random data, closeness checks.
import { tensor, type Tensor } from '../../src';

/** Deterministic pseudo-random numbers in [lo, hi) (mulberry32). */
export function randomData(n: number, seed = 1, lo = -1, hi = 1): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out.push(lo + (hi - lo) * u);
  }
  return out;
}

export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A random float tensor of `shape` (float32 unless asked). */
export function randomTensor(shape: number[], seed = 1, dtype: 'float32' | 'float64' = 'float32', lo = -1, hi = 1): Tensor {
  return tensor(randomData(sizeOf(shape), seed, lo, hi), shape, dtype);
}

/** NumPy broadcasting, element by element. */
export function refBroadcast(shapes: number[][], datas: ArrayLike<number>[], fn: (...v: number[]) => number): { shape: number[]; data: number[] } {
  const rank = Math.max(...shapes.map((s) => s.length));
  const padded = shapes.map((s) => [...new Array(rank - s.length).fill(1), ...s]);
  const shape = Array.from({ length: rank }, (_, d) => Math.max(...padded.map((s) => s[d])));
  const n = sizeOf(shape);
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    let rem = i;
    const idx = new Array(rank);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
    }
    const vals = padded.map((s, k) => {
      let off = 0;
      for (let d = 0; d < rank; d++) off = off * s[d] + (s[d] === 1 ? 0 : idx[d]);
      return datas[k][off];
    });
    data.push(fn(...vals));
  }
  return { shape, data };
}

/** Expects `got` close to `want` elementwise (relative and absolute tolerance). */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w)) {
      if (!Number.isNaN(g)) throw new Error(`element ${i}: expected NaN, got ${g}`);
      continue;
    }
    if (!Number.isFinite(w)) {
      if (g !== w) throw new Error(`element ${i}: expected ${w}, got ${g}`);
      continue;
    }
    if (Math.abs(g - w) > atol + rtol * Math.abs(w)) throw new Error(`element ${i}: expected ${w}, got ${g} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Expects t to have `shape` and values close to `want`. */
export function expectTensor(t: Tensor, shape: number[], want: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  expect(t.shape).toEqual(shape);
  expectClose(Array.from(t.dataSync()), want, rtol, atol);
}
