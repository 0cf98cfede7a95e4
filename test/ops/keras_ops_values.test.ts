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
      const [, name, index] = /^(\w+)#?(\d?)$/.exec(c.op)!;
      const fn = (ts as unknown as Record<string, (...a: unknown[]) => ts.Tensor | ts.Tensor[]>)[name];
      const out = fn(...c.args.map(decode));
      const got = index === '' ? (out as ts.Tensor) : (out as ts.Tensor[])[Number(index)];
      expectMatches(got, c.out[0], c.name, c.rtol);
    });
  });
});
