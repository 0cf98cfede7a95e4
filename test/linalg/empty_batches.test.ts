// A huge batch of empty matrices ([2**31, 0, 0]) answers at once: no pass per matrix (each
// of these ran for minutes, looping 2**31 times over nothing).
import * as ts from '../../src';

const HUGE = 2 ** 31;
const shapes = (r: ts.Tensor | ts.Tensor[]): number[][] => (Array.isArray(r) ? r : [r]).map((t) => t.shape);

describe('linalg over a huge batch of empty matrices', () => {
  const z = ts.zeros([HUGE, 0, 0]);
  const rhs = ts.zeros([HUGE, 0, 1]);
  it.each([
    ['cholesky', () => ts.linalg.cholesky(z), [[HUGE, 0, 0]]],
    [
      'qr',
      () => ts.linalg.qr(z),
      [
        [HUGE, 0, 0],
        [HUGE, 0, 0],
      ],
    ],
    [
      'eigh',
      () => ts.linalg.eigh(z),
      [
        [HUGE, 0],
        [HUGE, 0, 0],
      ],
    ],
    [
      'svd',
      () => ts.linalg.svd(z),
      [
        [HUGE, 0, 0],
        [HUGE, 0],
        [HUGE, 0, 0],
      ],
    ],
    ['svd without u, v', () => ts.linalg.svd(z, false, false), [[HUGE, 0]]],
    [
      'luFactor',
      () => ts.linalg.luFactor(z),
      [
        [HUGE, 0, 0],
        [HUGE, 0],
      ],
    ],
    ['inv', () => ts.linalg.inv(z), [[HUGE, 0, 0]]],
    ['solve', () => ts.linalg.solve(z, rhs), [[HUGE, 0, 1]]],
    ['solveTriangular', () => ts.linalg.solveTriangular(z, rhs), [[HUGE, 0, 1]]],
    ['lstsq', () => ts.linalg.lstsq(z, rhs), [[HUGE, 0, 1]]],
    ['choleskyInverse', () => ts.linalg.choleskyInverse(z), [[HUGE, 0, 0]]],
    ['matMul', () => ts.matMul(z, z, true), [[HUGE, 0, 0]]],
  ] as [string, () => ts.Tensor | ts.Tensor[], number[][]][])('%s', (_, run, expected) => {
    expect(shapes(run())).toEqual(expected);
  });

  it('gives what one empty matrix gives, for every matrix: det 1, tall empty QR', () => {
    expect(Array.from(ts.linalg.det(ts.zeros([2, 3, 0, 0])).dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(ts.linalg.det(ts.zeros([2, 3, 0, 0])).shape).toEqual([2, 3]);
    const [q, r] = ts.linalg.qr(ts.zeros([5, 4, 0]));
    expect([q.shape, r.shape]).toEqual([
      [5, 4, 0],
      [5, 0, 0],
    ]);
    const [, piv] = ts.linalg.luFactor(ts.zeros([3, 0, 0]));
    expect(piv.dtype).toBe('int32');
  });

  it('keeps gradients flowing to the empty input', () => {
    const x = ts.zeros([4, 0, 0]);
    const [g] = ts.grads((a: ts.Tensor) => ts.sum(ts.linalg.det(a)))([x]);
    expect(g.shape).toEqual([4, 0, 0]);
  });
});
