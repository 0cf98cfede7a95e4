// keras.ops (NumPy) math against NumPy: test/fixtures/nn/numpy_math.json, made by
// scripts/fixtures/make_numpy_math_fixtures.py (odd shapes, broadcasting, NaN and infinities).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';

interface Encoded {
  shape: number[];
  dtype: 'float64' | 'int32' | 'bool';
  data: (number | string)[];
}
interface Case {
  name: string;
  op: string;
  args: unknown[];
  out: Encoded[];
}

const decodeNum = (v: number | string): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number));
const decode = (a: unknown): unknown =>
  a === 'inf'
    ? Infinity
    : a !== null && typeof a === 'object' && 't' in (a as object)
      ? ts.tensor((a as { t: Encoded }).t.data.map(decodeNum), (a as { t: Encoded }).t.shape, (a as { t: Encoded }).t.dtype)
      : a;

const cases: Case[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'nn', 'numpy_math.json'), 'utf8')).cases;

function expectMatches(got: ts.Tensor, want: Encoded, name: string): void {
  expect({ name, shape: got.shape }).toEqual({ name, shape: want.shape });
  const kind = (d: string) => (d === 'bool' ? 'bool' : d === 'int32' ? 'int32' : 'float');
  expect({ name, dtype: kind(got.dtype) }).toEqual({ name, dtype: kind(want.dtype) });
  // float32 results (from int input) are compared at float32's precision.
  const tol = got.dtype === 'float32' ? 1e-6 : 1e-9;
  const g = Array.from(got.dataSync() as ArrayLike<number>, Number);
  want.data.map(decodeNum).forEach((w, i) => {
    const v = g[i];
    const ok = Number.isNaN(w) ? Number.isNaN(v) : !Number.isFinite(w) ? v === w : Math.abs(v - w) <= tol + tol * Math.abs(w);
    if (!ok) throw new Error(`${name}: element ${i} is ${v}, NumPy gives ${w}`);
  });
}

describe('keras.ops NumPy math against NumPy', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    ts.tidy(() => {
      // 'slogdet#1': the second of the tensors slogdet returns.
      const [, name, index] = /^(\w+)#?(\d?)$/.exec(c.op)!;
      const fn = (ts as unknown as Record<string, (...a: unknown[]) => ts.Tensor | ts.Tensor[]>)[name];
      const out = fn(...c.args.map(decode));
      const got = index === '' ? (out as ts.Tensor) : (out as ts.Tensor[])[Number(index)];
      expectMatches(got, c.out[0], c.name);
    });
  });
});
