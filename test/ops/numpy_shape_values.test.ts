// The NumPy-style shape, index and linear ops against NumPy's own values
// (test/fixtures/numpy/shape.json, from scripts/fixtures/make_numpy_shape_fixtures.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { expectClose } from '../helpers/reference';

interface FixtureTensor {
  shape: number[];
  data: number[];
  dtype: 'float64' | 'int32' | 'bool';
}
interface Case {
  name: string;
  op: string;
  args: unknown[];
  out: FixtureTensor | FixtureTensor[];
}

const fixture: { cases: Case[] } = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'numpy', 'shape.json'), 'utf8'));

// Fixture arguments: {t: tensor} becomes a tensor, lists are walked, the rest passes as is.
const toArg = (a: unknown): unknown => {
  if (Array.isArray(a)) return a.map(toArg);
  if (a !== null && typeof a === 'object' && 't' in a) {
    const f = (a as { t: FixtureTensor }).t;
    return ts.tensor(f.dtype === 'bool' ? f.data.map(Boolean) : f.data, f.shape, f.dtype);
  }
  return a;
};

const expectMatches = (got: ts.Tensor, want: FixtureTensor) => {
  expect({ shape: got.shape, dtype: got.dtype }).toEqual({
    shape: want.shape,
    dtype: want.dtype === 'float64' && got.dtype === 'float32' ? 'float32' : want.dtype,
  });
  expectClose(Array.from(got.dataSync(), Number), want.data, 1e-9, 1e-9);
};

describe('NumPy-style ops match NumPy', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const fn = (ts as unknown as Record<string, (...args: unknown[]) => ts.Tensor | ts.Tensor[]>)[c.op];
    ts.tidy(() => {
      const got = fn(...c.args.map(toArg));
      if (Array.isArray(c.out)) {
        expect(Array.isArray(got)).toBe(true);
        expect((got as ts.Tensor[]).length).toBe(c.out.length);
        c.out.forEach((w, i) => expectMatches((got as ts.Tensor[])[i], w));
      } else {
        expectMatches(got as ts.Tensor, c.out);
      }
    });
  });

  it('arange, full and fullLike pick their dtype from the values, as Keras does', () => {
    expect(ts.arange(3).dtype).toBe('int32');
    expect(ts.arange(0, 1, 0.5).dtype).toBe('float32');
    expect(Array.from(ts.arange(2, 8, 3, 'float64').dataSync())).toEqual([2, 5]);
    expect(ts.full([2], 3).dtype).toBe('int32');
    expect(ts.full([2], 0.5).dtype).toBe('float32');
    expect(ts.full([2], true).dtype).toBe('bool');
    const like = ts.fullLike(ts.zeros([2, 3], 'float64'), 7);
    expect({ shape: like.shape, dtype: like.dtype, data: Array.from(like.dataSync()) }).toEqual({ shape: [2, 3], dtype: 'float64', data: [7, 7, 7, 7, 7, 7] });
    expect(ts.fullLike([1, 2], 1, 'bool').dtype).toBe('bool');
  });

  it('tensordot and inner take integers and bools (matMul takes floats), keeping their dtype', () => {
    const i = ts.tensordot(
      ts.tensor(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        undefined,
        'int32',
      ),
      ts.tensor([[1], [2], [3]], undefined, 'int32'),
      1,
    );
    expect({ dtype: i.dtype, data: Array.from(i.dataSync()) }).toEqual({ dtype: 'int32', data: [14, 32] });
    const b = ts.inner(
      ts.tensor([true, false]),
      ts.tensor([
        [false, true],
        [true, true],
      ]),
    );
    expect({ dtype: b.dtype, data: Array.from(b.dataSync()) }).toEqual({ dtype: 'bool', data: [0, 1] });
  });

  it('sort puts NaN last and argsort keeps equal values in index order', () => {
    expect(Array.from(ts.sort([3, NaN, -Infinity, Infinity, 2]).dataSync())).toEqual([-Infinity, 2, 3, Infinity, NaN]);
    expect(Array.from(ts.argsort([1, 0, 1, 0, 1]).dataSync())).toEqual([1, 3, 0, 2, 4]);
  });

  it('isin never finds NaN and finds -0 as 0 (NumPy)', () => {
    expect(Array.from(ts.isin([NaN, -0, 2], [NaN, 0]).dataSync())).toEqual([0, 1, 0]);
  });

  it('empty inputs give empty outputs', () => {
    expect(ts.diagonal(ts.zeros([0, 3])).shape).toEqual([0]);
    expect(ts.repeat(ts.zeros([0]), 3).shape).toEqual([0]);
    expect(ts.diff(ts.zeros([2, 0]), 2).shape).toEqual([2, 0]);
    expect(ts.nonzero(ts.zeros([2, 3])).map((t) => t.shape)).toEqual([[0], [0]]);
    expect(ts.sort(ts.zeros([0, 4]), 0).shape).toEqual([0, 4]);
  });
});
