// ts.linalg against torch.linalg (test/fixtures/nn/linalg.json, scripts/fixtures/
// make_linalg_fixtures.py): values and the gradients of sum(output * upstream) with respect
// to the parameters the matrices are built from, in float64 and (looser) float32.
import * as ts from '../../src';
import { type Tensor } from '../../src';
import { loadFixture, type FixtureCase, type FixtureTensor } from '../helpers/fixtures';
import { expectTensor } from '../helpers/reference';

const cases = loadFixture('linalg');
type DT = 'float32' | 'float64';

const from = (t: FixtureTensor, dtype: DT | 'int32' = 'float64') => ts.tensor(t.data, t.shape, dtype);

// The op's matrix from the parameter p, as the fixture script builds it.
function build(op: string, p: Tensor, attrs: Record<string, unknown>): Tensor {
  const n = p.shape[p.rank - 1];
  const id = ts.eye(n, n, null, p.dtype);
  if (op === 'cholesky') return ts.add(ts.matMul(p, p, false, true), ts.mul(id, n));
  if (op === 'eigh')
    return ts.div(
      ts.add(
        p,
        ts.transpose(
          p,
          [...p.shape.keys()].map((i) => (i < p.rank - 2 ? i : 2 * p.rank - 3 - i)),
        ),
      ),
      2,
    );
  if (op === 'detSingular') {
    const rows = ts.slice(p, [0, 0, 0], [p.shape[0], n - 1, n]);
    return ts.concat([rows, ts.sum(rows, 1, true)], 1);
  }
  if (op === 'choleskyInverse') return ts.add(ts.linalg.bandPart(p, attrs.upper ? 0 : -1, attrs.upper ? -1 : 0), ts.mul(id, 3));
  if (['inv', 'det', 'solve', 'solveTriangular'].includes(op)) return ts.add(p, ts.mul(id, (attrs.boost as number) ?? 3));
  return p;
}

function run(c: FixtureCase, p: Tensor, b: Tensor | undefined): Record<string, Tensor> {
  const a = build(c.attrs.op as string, p, c.attrs);
  const at = c.attrs;
  switch (at.op) {
    case 'cholesky':
      return { y: ts.linalg.cholesky(a, (at.upper as boolean) ?? false) };
    case 'inv':
      return { y: ts.linalg.inv(a) };
    case 'choleskyInverse':
      return { y: ts.linalg.choleskyInverse(a, at.upper as boolean) };
    case 'det':
    case 'detSingular':
      return { y: ts.linalg.det(a) };
    case 'solve':
      return { y: ts.linalg.solve(a, b!) };
    case 'solveTriangular':
      return { y: ts.linalg.solveTriangular(a, b!, at.lower as boolean) };
    case 'qr': {
      const [q, r] = ts.linalg.qr(a, at.mode as 'reduced');
      return { q, r };
    }
    case 'eigh': {
      const [w, v] = ts.linalg.eigh(a);
      return { w, vv: ts.mul(v, v) };
    }
    case 'svd':
      return { s: ts.linalg.svd(a, false, false) };
    case 'norm': {
      const ord = at.ord === 'inf' ? Infinity : at.ord === '-inf' ? -Infinity : (at.ord as number | 'fro' | 'nuc' | null);
      return { y: ts.linalg.norm(a, ord, at.axis as number[] | null, at.keepDims as boolean) };
    }
    default:
      throw new Error(`no runner for ${String(at.op)}`);
  }
}

function check(c: FixtureCase, dtype: DT): void {
  const [rtol, atol] = dtype === 'float64' ? [1e-6, 1e-8] : [2e-3, 2e-4];
  const p = from(c.inputs.p, dtype);
  const b = c.inputs.b ? from(c.inputs.b, dtype) : undefined;
  const outs = run(c, p, b);
  for (const [k, want] of Object.entries(c.outputs)) {
    expect(outs[k].dtype).toBe(dtype);
    expectTensor(outs[k], want.shape, want.data, rtol, atol);
  }
  if (Object.keys(c.grads).length === 0) return;
  const wrt = b ? [p, b] : [p];
  const loss = (...xs: Tensor[]) => {
    const o = run(c, xs[0], xs[1]);
    return ts.addN(Object.keys(c.outputs).map((k) => ts.sum(ts.mul(o[k], from(c.upstream[k], dtype)))));
  };
  const gs = ts.grads(loss)(wrt);
  expectTensor(gs[0], c.grads.p.shape, c.grads.p.data, rtol, atol);
  if (b) expectTensor(gs[1], c.grads.b.shape, c.grads.b.data, rtol, atol);
}

const differentiable = cases.filter((c) => !['luFactor', 'lstsq'].includes(c.attrs.op as string));

describe('ts.linalg against torch.linalg', () => {
  test.each(differentiable.map((c) => [c.name, c] as const))('%s (float64)', (_, c) => ts.tidy(() => check(c, 'float64')));
  test.each(differentiable.map((c) => [c.name, c] as const))('%s (float32)', (_, c) => ts.tidy(() => check(c, 'float32')));

  test.each(cases.filter((c) => c.attrs.op === 'luFactor').map((c) => [c.name, c] as const))('%s: lu and 0-based pivots', (_, c) =>
    ts.tidy(() => {
      const [lu, piv] = ts.linalg.luFactor(from(c.inputs.p));
      expectTensor(lu, c.outputs.lu.shape, c.outputs.lu.data, 1e-6, 1e-8);
      expect(piv.dtype).toBe('int32');
      expect(Array.from(piv.dataSync())).toEqual(c.outputs.pivots.data);
    }),
  );

  test.each(cases.filter((c) => c.attrs.op === 'lstsq').map((c) => [c.name, c] as const))('%s (gelsd)', (_, c) =>
    ts.tidy(() => {
      const x = ts.linalg.lstsq(from(c.inputs.p), from(c.inputs.b), c.attrs.rcond as number);
      expectTensor(x, c.outputs.y.shape, c.outputs.y.data, 1e-6, 1e-8);
    }),
  );
});
