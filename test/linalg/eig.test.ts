// ts.linalg.eig against numpy.linalg.eig (LAPACK dgeev; test/fixtures/nn/eig.json from
// scripts/fixtures/make_eig_fixtures.py): eigenvalues in numpy's order, eigenvectors with
// dgeev's normalization (up to a sign per vector, which rounding can flip: see eig.ts), and
// for every case A v = w v with |v| = 1; then batches, dtypes and refusals.
import * as ts from '../../src';
import { type Tensor } from '../../src';
import { loadFixture, type FixtureCase } from '../helpers/fixtures';
import { randomTensor } from '../helpers/reference';

type DT = 'float32' | 'float64';
const data = (t: Tensor) => Array.from(t.dataSync() as ArrayLike<number>);

// [wr, wi, vr, vi] of the n x n matrix a as plain arrays.
function eigOf(a: number[], n: number, dtype: DT = 'float64') {
  const [[wr, wi], [vr, vi]] = ts.linalg.eig(ts.tensor(a, [n, n], dtype));
  for (const t of [wr, wi, vr, vi]) expect(t.dtype).toBe(dtype);
  expect([wr.shape, vr.shape]).toEqual([[n], [n, n]]);
  return { wr: data(wr), wi: data(wi), vr: data(vr), vi: data(vi) };
}

// A v = w v and |v| = 1 for each column, relative to the size of a.
function expectEigenpairs(a: number[], n: number, r: ReturnType<typeof eigOf>, tol: number): void {
  const scale = Math.max(1, ...a.map(Math.abs)) * n;
  for (let j = 0; j < n; j++) {
    let norm = 0;
    for (let i = 0; i < n; i++) {
      let [avr, avi] = [0, 0];
      for (let k = 0; k < n; k++) [avr, avi] = [avr + a[i * n + k] * r.vr[k * n + j], avi + a[i * n + k] * r.vi[k * n + j]];
      const [v, w] = [
        [r.vr[i * n + j], r.vi[i * n + j]],
        [r.wr[j], r.wi[j]],
      ];
      expect(Math.abs(avr - (w[0] * v[0] - w[1] * v[1]))).toBeLessThan(tol * scale);
      expect(Math.abs(avi - (w[0] * v[1] + w[1] * v[0]))).toBeLessThan(tol * scale);
      norm += v[0] ** 2 + v[1] ** 2;
    }
    expect(Math.abs(Math.sqrt(norm) - 1)).toBeLessThan(tol);
  }
}

function expectNear(got: number[], want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(tol));
}

describe('ts.linalg.eig against numpy.linalg.eig', () => {
  const cases = loadFixture('eig');
  // Columns compared, and those that needed a sign flip to match (float64 only).
  const flips = { columns: 0, flipped: 0 };
  const check = (c: FixtureCase, dtype: DT) => {
    const n = c.inputs.a.shape[0];
    const a = c.inputs.a.data;
    // float32 inputs hold other matrices than numpy factored: only well separated eigenvalues
    // (attrs.vectors) stay close (tiny and huge entries do not fit float32 at all).
    if (dtype === 'float32' && (!c.attrs.vectors || /tiny|huge|badly/.test(c.name))) return;
    const r = eigOf(a, n, dtype);
    const scale = Math.max(1e-300, ...a.map(Math.abs));
    const tol = dtype === 'float64' ? 1e-10 : 2e-4;
    expectNear(r.wr, c.outputs.wr.data, tol * scale * Math.max(1, n / 4));
    expectNear(r.wi, c.outputs.wi.data, tol * scale * Math.max(1, n / 4));
    expectEigenpairs(
      a.map((x) => x / scale),
      n,
      { ...r, wr: r.wr.map((x) => x / scale), wi: r.wi.map((x) => x / scale) },
      dtype === 'float64' ? 1e-12 : 1e-5,
    );
    if (!c.attrs.vectors) return;
    for (let j = 0; j < n; j++) {
      const col = (v: number[]) => Array.from({ length: n }, (_, i) => v[i * n + j]);
      const want = [...col(c.outputs.vr.data), ...col(c.outputs.vi.data)];
      const got = [...col(r.vr), ...col(r.vi)];
      // Up to the sign: dgeev's choice of it follows rounding (eig.ts says why).
      const sign = got.reduce((s, g, i) => s + g * want[i], 0) < 0 ? -1 : 1;
      if (dtype === 'float64') [flips.columns, flips.flipped] = [flips.columns + 1, flips.flipped + (sign < 0 ? 1 : 0)];
      expectNear(
        got.map((g) => sign * g),
        want,
        dtype === 'float64' ? 1e-8 : 5e-3,
      );
    }
  };

  test.each(cases.map((c) => [c.name, c] as const))('%s (float64)', (_, c) => check(c, 'float64'));
  test('all cases in float32', () => cases.forEach((c) => check(c, 'float32')));
  // The sign is dgeev's but for the rare rounding-decided cases (a few % of random complex vectors).
  test('eigenvectors have the sign numpy gives almost always', () => {
    expect(flips.columns).toBeGreaterThan(200);
    expect(flips.flipped).toBeLessThanOrEqual(flips.columns * 0.05);
  });

  test('complex vectors: unit norm with the largest entry real, pairs conjugate', () => {
    for (const c of cases) {
      const n = c.inputs.a.shape[0];
      const r = eigOf(c.inputs.a.data, n);
      for (let j = 0; j < n; j++) {
        if (r.wi[j] === 0) {
          for (let i = 0; i < n; i++) expect(r.vi[i * n + j]).toBe(0);
          continue;
        }
        if (r.wi[j] < 0) continue;
        expect(r.wi[j + 1]).toBe(-r.wi[j]);
        expect(r.wr[j + 1]).toBe(r.wr[j]);
        const mags = Array.from({ length: n }, (_, i) => Math.hypot(r.vr[i * n + j], r.vi[i * n + j]));
        // (Entries of equal size, as in rotations, tie: one of them is the real one.)
        const real = mags.filter((m, i) => r.vi[i * n + j] === 0 && m >= Math.max(...mags) - 1e-12);
        expect(real.length).toBeGreaterThan(0);
        for (let i = 0; i < n; i++) {
          expect(r.vr[i * n + j + 1] === r.vr[i * n + j] && r.vi[i * n + j + 1] === -r.vi[i * n + j]).toBe(true);
        }
      }
    }
  });
});

describe('ts.linalg.eig structured matrices', () => {
  test('a rotation gives +i and -i, numpy vectors', () => {
    const r = eigOf([0, -1, 1, 0], 2);
    expect([r.wr, r.wi]).toEqual([
      [0, 0],
      [1, -1],
    ]);
    const h = Math.SQRT1_2;
    expectNear(r.vr, [h, h, 0, 0], 1e-15);
    expectNear(r.vi, [0, 0, -h, h], 1e-15);
  });

  test('a Jordan block (defective): numpy eigenvectors, the second one parallel at rounding level', () => {
    const r = eigOf([1, 1, 0, 1], 2);
    expect([r.wr, r.wi]).toEqual([
      [1, 1],
      [0, 0],
    ]);
    expectNear(r.vr, [1, -1, 0, 2.220446049250313e-16], 1e-30);
  });

  test('diagonal, zero and identity: the diagonal in order, the identity as vectors', () => {
    expect(eigOf([3, 0, 0, 0, -1, 0, 0, 0, 2], 3)).toEqual({ wr: [3, -1, 2], wi: [0, 0, 0], vr: [1, 0, 0, 0, 1, 0, 0, 0, 1], vi: Array(9).fill(0) });
    expect(eigOf(Array(9).fill(0), 3)).toEqual({ wr: [0, 0, 0], wi: [0, 0, 0], vr: [1, 0, 0, 0, 1, 0, 0, 0, 1], vi: Array(9).fill(0) });
    expect(eigOf([1, 0, 0, 1], 2).wr).toEqual([1, 1]);
  });

  test('triangular matrices: their diagonals, in numpy order', () => {
    expect(eigOf([1, 2, 3, 0, 4, 5, 0, 0, 6], 3).wr).toEqual([1, 4, 6]);
    expect(eigOf([1, 0, 0, 2, 4, 0, 3, 5, 6], 3).wr).toEqual([6, 4, 1]);
  });

  test('1 x 1 and 0 x 0 matrices', () => {
    expect(eigOf([-2.5], 1)).toEqual({ wr: [-2.5], wi: [0], vr: [1], vi: [0] });
    const [[wr], [vr]] = ts.linalg.eig(ts.zeros([2, 0, 0]));
    expect([wr.shape, vr.shape]).toEqual([
      [2, 0],
      [2, 0, 0],
    ]);
  });

  test('float64 keeps the precision float32 cannot hold', () => {
    // Eigenvalues 1 and 1 + 1e-10: apart in float64, one value in float32.
    const a = [1, 1, 0, 1 + 1e-10];
    expectNear(eigOf(a, 2).wr, [1, 1 + 1e-10], 1e-16);
    expect(eigOf(a, 2, 'float32').wr).toEqual([1, 1]);
  });
});

describe('ts.linalg.eig batches and dtypes', () => {
  test('a [2, 3, 5, 5] batch is each matrix on its own', () => {
    const x = randomTensor([2, 3, 5, 5], 7, 'float64');
    const [[wr, wi], [vr, vi]] = ts.linalg.eig(x);
    expect([wr.shape, wi.shape, vr.shape, vi.shape]).toEqual([
      [2, 3, 5],
      [2, 3, 5],
      [2, 3, 5, 5],
      [2, 3, 5, 5],
    ]);
    const all = data(x);
    for (let b = 0; b < 6; b++) {
      const one = eigOf(all.slice(b * 25, (b + 1) * 25), 5);
      expect(data(wr).slice(b * 5, (b + 1) * 5)).toEqual(one.wr);
      expect(data(wi).slice(b * 5, (b + 1) * 5)).toEqual(one.wi);
      expect(data(vr).slice(b * 25, (b + 1) * 25)).toEqual(one.vr);
      expect(data(vi).slice(b * 25, (b + 1) * 25)).toEqual(one.vi);
    }
  });

  test('an empty batch gives empty results', () => {
    const [[wr, wi], [vr, vi]] = ts.linalg.eig(ts.zeros([0, 3, 3]));
    expect([wr.shape, wi.shape, vr.shape, vi.shape]).toEqual([
      [0, 3],
      [0, 3],
      [0, 3, 3],
      [0, 3, 3],
    ]);
    // 2**31 matrices of 0 x 0: at once, not one by one.
    expect(ts.linalg.eig(ts.zeros([2 ** 31, 0, 0]))[1][0].shape).toEqual([2 ** 31, 0, 0]);
  });

  test('int32 and bool are computed in float32, as Keras on JAX', () => {
    const [[wr, wi]] = ts.linalg.eig(ts.tensor([1, 2, 3, 4], [2, 2], 'int32'));
    expect([wr.dtype, wi.dtype]).toEqual(['float32', 'float32']);
    expectNear(data(wr), [-0.3722813232690143, 5.372281323269014], 1e-6);
    const [[bw]] = ts.linalg.eig(ts.tensor([true, false, true, true], [2, 2], 'bool'));
    expect([bw.dtype, data(bw)]).toEqual(['float32', [1, 1]]);
  });
});

describe('ts.linalg.eig refusals', () => {
  test('NaN or Infinity (numpy: LinAlgError), naming the batch index', () => {
    expect(() => ts.linalg.eig(ts.tensor([NaN, 1, 0, 1], [2, 2]))).toThrow(/^linalg\.eig: the matrix holds NaN or Infinity/);
    const x = ts.stack([ts.eye(2), ts.tensor([1, Infinity, 0, 1], [2, 2])]);
    expect(() => ts.linalg.eig(x)).toThrow(/^linalg\.eig: the matrix at batch index 1 holds NaN or Infinity/);
  });

  test('non-square, rank < 2, other dtypes, extra arguments', () => {
    expect(() => ts.linalg.eig(ts.ones([2, 3]))).toThrow(/^linalg\.eig: expected square matrices in x, got shape \[2, 3\] \(2 x 3\)/);
    expect(() => ts.linalg.eig(ts.ones([3]))).toThrow(/^linalg\.eig: expected x of rank 2 or more \(a batch of matrices\), got shape \[3\]/);
    expect(() => ts.linalg.eig('abc' as unknown as Tensor)).toThrow(/^linalg\.eig: .*x/);
    expect(() => (ts.linalg.eig as (...a: unknown[]) => unknown)(ts.eye(2), 1)).toThrow(/^linalg\.eig: expected at most 1 argument/);
  });

  test('no gradient', () => {
    const f = (v: Tensor) => ts.sum(ts.linalg.eig(v)[0][0]);
    expect(() => ts.grad(f)(ts.eye(3, 3, null, 'float64'))).toThrow(/^linalg\.eig: no gradient: eig is not differentiable here/);
  });
});
