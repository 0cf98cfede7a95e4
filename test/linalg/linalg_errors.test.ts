// ts.linalg's refusals: each names the op, what it expected and what came (non-square,
// singular, not positive definite, wrong ranks and shapes, gradients that are not defined).
import * as ts from '../../src';
import { type Tensor } from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { expectClose, randomTensor } from '../helpers/reference';

const singular = () => ts.tensor([1, 2, 2, 4], [2, 2]);

describe('ts.linalg errors', () => {
  test('non-square matrices and wrong ranks', () => {
    const wide = ts.ones([2, 3]);
    for (const [name, fn] of [
      ['cholesky', () => ts.linalg.cholesky(wide)],
      ['inv', () => ts.linalg.inv(wide)],
      ['det', () => ts.linalg.det(wide)],
      ['eigh', () => ts.linalg.eigh(wide)],
      ['luFactor', () => ts.linalg.luFactor(wide)],
      ['solve', () => ts.linalg.solve(wide, ts.ones([2]))],
    ] as const) {
      expect(fn).toThrow(new RegExp(`^linalg\\.${name}: expected square matrices in \\w+, got shape \\[2, 3\\] \\(2 x 3\\)`));
    }
    expect(() => ts.linalg.qr(ts.ones([3]))).toThrow(/^linalg\.qr: expected x of rank 2 or more \(a batch of matrices\), got shape \[3\]/);
    expect(() => ts.linalg.svd(ts.ones([2, 2], 'int32'))).toThrow(/^linalg\.svd: expected argument 'x' to have dtype float32 or float64, got int32/);
  });

  test('singular matrices are refused by inv, solve and solveTriangular, naming the batch index', () => {
    expect(() => ts.linalg.inv(singular())).toThrow(/^linalg\.inv: the matrix is singular/);
    expect(() => ts.linalg.inv(ts.stack([ts.eye(2), singular()]))).toThrow(/^linalg\.inv: the matrix at batch index 1 is singular/);
    expect(() => ts.linalg.solve(singular(), ts.ones([2]))).toThrow(/^linalg\.solve: the matrix is singular/);
    expect(() => ts.linalg.solveTriangular(ts.tensor([1, 0, 5, 0], [2, 2]), ts.ones([2]), true)).toThrow(/^linalg\.solveTriangular: the matrix is singular/);
    // A singular matrix has a determinant (0) and an LU factorization.
    expect(Math.abs(ts.linalg.det(singular()).dataSync()[0])).toBe(0);
    expect(ts.linalg.luFactor(singular())[0].shape).toEqual([2, 2]);
  });

  test('cholesky refuses a matrix that is not positive definite (as torch and TensorFlow on CPU)', () => {
    expect(() => ts.linalg.cholesky(ts.tensor([1, 2, 2, 1], [2, 2]))).toThrow(/^linalg\.cholesky: the matrix is not positive definite/);
    expect(() => ts.linalg.cholesky(ts.tensor([1, 0, 0, NaN], [2, 2]))).toThrow(/not positive definite/);
    expect(() => ts.linalg.cholesky(ts.eye(2), 'upper' as unknown as boolean)).toThrow(/^linalg\.cholesky: expected upper to be true or false, got 'upper'/);
  });

  test('right-hand sides of the wrong shape or dtype', () => {
    const a = ts.eye(3);
    expect(() => ts.linalg.solve(a, ts.ones([4]))).toThrow(/^linalg\.solve: expected b of shape \[3\] or \[3, k\] beside a of shape \[3, 3\], got \[4\]/);
    expect(() => ts.linalg.solve(a, ts.ones([3], 'float64'))).toThrow(/^linalg\.solve: expected a and b of one dtype, got float32 and float64/);
    expect(() => ts.linalg.solveTriangular(a, ts.ones([2, 3, 1]))).toThrow(/^linalg\.solveTriangular: expected b of shape/);
    expect(() => ts.linalg.solveTriangular(a, ts.ones([3]), 1 as unknown as boolean)).toThrow(
      /^linalg\.solveTriangular: expected lower to be true or false, got 1/,
    );
    expect(() => ts.linalg.lstsq(ts.ones([4, 3]), ts.ones([3]))).toThrow(/^linalg\.lstsq: expected b of shape \[4\] or \[4, k\]/);
    expect(() => ts.linalg.lstsq(ts.ones([4, 3]), ts.ones([4]), NaN)).toThrow(/^linalg\.lstsq: expected rcond to be a finite number or null, got NaN/);
  });

  test('options: qr mode, svd flags, norm ord and axis', () => {
    expect(() => ts.linalg.qr(ts.eye(2), 'full' as 'reduced')).toThrow(
      /^linalg\.qr: expected mode 'reduced' or 'complete' \(or TensorFlow\.js's fullMatrices, true or false\), got 'full'/,
    );
    expect(() => ts.linalg.choleskyInverse(ts.eye(2), 0 as unknown as boolean)).toThrow(/^linalg\.choleskyInverse: expected upper to be true or false, got 0/);
    expect(() => ts.linalg.choleskyInverse(ts.tensor([1, 0, 0, 0], [2, 2]))).toThrow(/^linalg\.choleskyInverse: .*singular/);
    expect(() => ts.linalg.svd(ts.eye(2), 1 as unknown as boolean)).toThrow(/^linalg\.svd: expected fullMatrices to be true or false, got 1/);
    expect(() => ts.linalg.norm(ts.ones([3]), 'nuc')).toThrow(/^linalg\.norm: ord 'nuc' is a matrix norm, but axis/);
    expect(() => ts.linalg.norm(ts.ones([2, 2]), 3)).toThrow(/^linalg\.norm: expected a matrix norm's ord to be 'fro', 'nuc'/);
    expect(() => ts.linalg.norm(ts.ones([2, 2, 2]), 1)).toThrow(/^linalg\.norm: an ord with no axis needs x of rank 1 or 2, got shape \[2, 2, 2\]/);
    expect(() => ts.linalg.norm(ts.ones([2, 2]), null, 2)).toThrow(/^linalg\.norm: expected axis in \[-2, 2\), got 2/);
    expect(() => ts.linalg.gramSchmidt([ts.ones([2]), ts.ones([3])])).toThrow(/^linalg\.gramSchmidt: expected vectors of one length/);
    expect(() => ts.linalg.gramSchmidt(ts.ones([3, 2]))).toThrow(/^linalg\.gramSchmidt: 3 vectors cannot be orthonormal in 2 dimensions/);
  });

  test('gradients that are not defined are errors, not zeros', () => {
    const x = randomTensor([4, 3], 2, 'float64');
    const sumOf = (f: (x: Tensor) => Tensor) => ts.grad((v: Tensor) => ts.sum(f(v)))(x);
    expect(() => sumOf((v) => (ts.linalg.svd(v) as Tensor[])[0])).toThrow(/^linalg\.svd: no gradient through the singular vectors u and vh/);
    expect(() => sumOf((v) => ts.linalg.qr(v, 'complete')[0])).toThrow(/^linalg\.qr: no gradient for mode 'complete' with more rows than columns \(4 x 3\)/);
    expect(() => ts.grad((v: Tensor) => ts.sum(ts.linalg.luFactor(v)[0]))(ts.eye(3, 3, null, 'float64'))).toThrow(/^linalg\.luFactor: no gradient/);
    // Through s alone, the gradient flows.
    expect(sumOf((v) => (ts.linalg.svd(v) as Tensor[])[1]).shape).toEqual([4, 3]);
  });

  test('gradients against central differences', () => {
    const a = ts.add(randomTensor([3, 3], 3, 'float64'), ts.mul(ts.eye(3, 3, null, 'float64'), 3));
    const b = randomTensor([3, 2], 4, 'float64');
    gradcheck((m, r) => ts.linalg.solve(m, r), [a, b]);
    gradcheck((m) => ts.linalg.det(m), [a]);
    gradcheck((m) => ts.linalg.qr(m)[0], [randomTensor([3, 5], 5, 'float64')]);
    gradcheck((m) => ts.linalg.norm(m, 2), [randomTensor([3, 4], 6, 'float64')]);
  });

  test('empty batches and 0 x 0 matrices give results of the promised shapes, and gradients', () => {
    for (const shape of [
      [0, 3, 3],
      [2, 0, 0],
    ]) {
      const x = ts.zeros(shape, 'float64');
      const n = shape[2];
      expect(ts.linalg.inv(x).shape).toEqual(shape);
      expect(ts.linalg.cholesky(x).shape).toEqual(shape);
      expect(ts.linalg.det(x).shape).toEqual([shape[0]]);
      expect(ts.linalg.solve(x, ts.zeros([shape[0], n], 'float64')).shape).toEqual([shape[0], n]);
      expect(ts.linalg.eigh(x).map((t) => t.shape)).toEqual([[shape[0], n], shape]);
      expect(ts.linalg.qr(x).map((t) => t.shape)).toEqual([shape, shape]);
      expect((ts.linalg.svd(x) as Tensor[]).map((t) => t.shape)).toEqual([shape, [shape[0], n], shape]);
      expect(ts.grad((v: Tensor) => ts.sum(ts.linalg.inv(v)))(x).shape).toEqual(shape);
    }
    // The determinant of a 0 x 0 matrix is 1 (the empty product), as NumPy's.
    expect(Array.from(ts.linalg.det(ts.zeros([2, 0, 0])).dataSync())).toEqual([1, 1]);
    const [u, s, vh] = ts.linalg.svd(ts.zeros([0, 3])) as Tensor[];
    expect([u.shape, s.shape, vh.shape]).toEqual([[0, 0], [0], [3, 3]]);
    // 0 x 2**32 with reduced matrices: empty results at once (the transposes used to loop over 2**32 empty rows).
    const wide = (ts.linalg.svd(ts.zeros([0, 2 ** 32]), false) as Tensor[]).map((t) => t.shape);
    expect(wide).toEqual([[0, 0], [0], [0, 2 ** 32]]);
  });

  test("det's gradient at exactly singular matrices: the cofactors, by the SVD", () => {
    const a = ts.tensor([1, 2, 2, 4], [2, 2], 'float64');
    expectClose(
      ts
        .grad((v: Tensor) => ts.linalg.det(v))(a)
        .dataSync(),
      [4, -2, -2, 1],
      1e-12,
      1e-12,
    );
    const b = ts.tensor([1, 2, 3, 4, 5, 6, 0, 0, 0], [3, 3], 'float64');
    expectClose(
      ts
        .grad((v: Tensor) => ts.linalg.det(v))(b)
        .dataSync(),
      [0, 0, 0, 0, 0, 0, -3, 6, -3],
      1e-12,
      1e-12,
    );
    // Its second order there is refused, not a silent zero.
    const second = () => ts.grad((v: Tensor) => ts.sum(ts.grad((w: Tensor) => ts.linalg.det(w))(v)))(b);
    expect(second).toThrow(/^linalg\.det: no gradient: no second order at a singular matrix/);
  });
});
