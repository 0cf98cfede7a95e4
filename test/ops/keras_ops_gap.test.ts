// keras.ops names that Tessera lacked (istft, unfold / fold, extractSequences, averagePool,
// var, erfinv, angle, conj, polar, viewAsComplex / viewAsReal, rearrange) against Keras 3.15 with JAX in float64:
// test/fixtures/nn/keras_ops_gap.json, made by scripts/fixtures/make_keras_ops_gap_fixtures.py.
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
  if ('o' in a) return Object.fromEntries(Object.entries((a as { o: Record<string, unknown> }).o).map(([k, v]) => [k, decode(v)]));
  const t = (a as { t: Encoded }).t;
  return ts.tensor(t.data.map(decodeNum), t.shape, t.dtype);
};

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'nn', 'keras_ops_gap.json'), 'utf8'));
const cases: Case[] = fixture.cases;

function expectMatches(got: ts.Tensor, want: Encoded, name: string, rtol?: number): void {
  expect({ name, shape: got.shape, dtype: got.dtype }).toEqual({ name, shape: want.shape, dtype: want.dtype });
  const tol = rtol ?? (got.dtype === 'float32' ? 2e-6 : 1e-9);
  const g = Array.from(got.dataSync() as ArrayLike<number>, Number);
  want.data.map(decodeNum).forEach((w, i) => {
    const v = g[i];
    const ok = Number.isNaN(w) ? Number.isNaN(v) : !Number.isFinite(w) ? v === w : Math.abs(v - w) <= tol + tol * Math.abs(w);
    if (!ok) throw new Error(`${name}: element ${i} is ${v}, Keras gives ${w}`);
  });
}

describe('keras.ops names against Keras 3.15 (JAX, float64)', () => {
  it('the fixture is Keras 3.15 JAX', () => {
    expect([fixture.keras.startsWith('3.15'), fixture.backend]).toEqual([true, 'jax']);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    ts.tidy(() => {
      // 'polar#1': the second tensor of the pair polar returns; 'signal.istft': ts.signal's.
      const [name, index] = c.op.split('#');
      const fn = name.split('.').reduce((o: unknown, k) => (o as Record<string, unknown>)[k], ts) as (...a: unknown[]) => ts.Tensor | ts.Tensor[];
      const out = fn(...c.args.map(decode));
      expectMatches(index === undefined ? (out as ts.Tensor) : (out as ts.Tensor[])[Number(index)], c.out[0], c.name, c.rtol);
    });
  });
});
