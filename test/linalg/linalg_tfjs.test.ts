// ts.linalg.qr, ts.linalg.gramSchmidt, ts.norm and ts.euclideanNorm against TensorFlow.js's
// own (@tensorflow/tfjs in node_modules), and the decompositions' reconstructions where the
// signs are not defined (full SVD, complete QR of a tall matrix, eigh).
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';
import { type Tensor } from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { expectClose, randomData, randomTensor } from '../helpers/reference';

tf.setBackend('cpu');

const close = (ours: Tensor, theirs: tf.Tensor, tol = 1e-4) => {
  expect(ours.shape).toEqual(theirs.shape);
  expectClose(ours.dataSync() as Float32Array, theirs.dataSync() as Float32Array, tol, tol);
};

// Q with orthonormal columns, R upper triangular, Q R = X (signs aside).
function expectQr(q: Tensor, r: Tensor, x: Tensor, tol = 1e-4): void {
  expectClose(ts.matMul(q, r).dataSync(), x.dataSync(), tol, tol);
  const k = q.shape[q.rank - 1];
  const qtq = ts.matMul(q, q, true);
  expectClose(qtq.dataSync(), ts.broadcastTo(ts.eye(k, k, null, q.dtype), qtq.shape).dataSync(), tol, tol);
  expectClose(ts.linalg.bandPart(r, 0, -1).dataSync(), r.dataSync(), 0, 0);
}

describe('TensorFlow.js parity', () => {
  test.each([
    [[4, 3], false],
    [[3, 5], false],
    [[4, 3], true],
    [[2, 3, 3], false],
  ] as const)('qr of %j (fullMatrices %s) as tf.linalg.qr, up to column signs', (shape, full) => {
    const data = randomData(
      shape.reduce((a, b) => a * b, 1),
      3,
    );
    const [q, r] = ts.linalg.qr(ts.tensor(data, [...shape]), full);
    const [tq, tr] = tf.linalg.qr(tf.tensor(data, [...shape]), full);
    expect(q.shape).toEqual(tq.shape);
    expect(r.shape).toEqual(tr.shape);
    // The signs of the columns of Q (and rows of R) are a convention: compare |Q| and |R|.
    close(ts.abs(r), tf.abs(tr));
    close(ts.abs(q), tf.abs(tq));
    expectQr(q, r, ts.tensor(data, [...shape]));
  });

  test("qr's Keras mode names and TF.js's flag agree", () => {
    const x = randomTensor([5, 3], 4);
    const [q1, r1] = ts.linalg.qr(x, 'complete');
    const [q2, r2] = ts.linalg.qr(x, true);
    expect(q1.shape).toEqual([5, 5]);
    expect(Array.from(q1.dataSync())).toEqual(Array.from(q2.dataSync()));
    expect(Array.from(r1.dataSync())).toEqual(Array.from(r2.dataSync()));
    expect(ts.linalg.qr(x)[0].shape).toEqual([5, 3]);
  });

  test('gramSchmidt of a matrix and of an array of vectors, as tf.linalg.gramSchmidt', () => {
    const data = randomData(12, 5);
    const ours = ts.linalg.gramSchmidt(ts.tensor(data, [3, 4])) as Tensor;
    close(ours, tf.linalg.gramSchmidt(tf.tensor2d(data, [3, 4])) as tf.Tensor);
    const rows = [0, 1, 2].map((i) => data.slice(4 * i, 4 * i + 4));
    const list = ts.linalg.gramSchmidt(rows.map((r) => ts.tensor1d(r))) as Tensor[];
    const theirs = tf.linalg.gramSchmidt(rows.map((r) => tf.tensor1d(r))) as tf.Tensor1D[];
    expect(list).toHaveLength(3);
    list.forEach((t, i) => close(t, theirs[i]));
    gradcheck((x) => ts.linalg.gramSchmidt(x) as Tensor, [ts.tensor(data, [3, 4], 'float64')]);
  });

  test.each([
    ['euclidean', null],
    [1, null],
    [2, 1],
    [Infinity, 0],
    [-Infinity, 1],
    ['fro', [0, 1]],
    [1, [0, 1]],
    [Infinity, [0, 1]],
    [-Infinity, [0, 1]],
  ] as const)('norm(x, %s, %j) as tf.norm, keepDims too', (ord, axis) => {
    const data = randomData(12, 6);
    for (const keep of [false, true]) {
      const ax: number | number[] | null = axis === null ? null : typeof axis === 'number' ? axis : [...axis];
      close(ts.norm(ts.tensor(data, [3, 4]), ord, ax, keep), tf.norm(tf.tensor2d(data, [3, 4]), ord, ax as number, keep));
    }
  });

  test('euclideanNorm over a pair of axes, as tf.euclideanNorm', () => {
    const data = randomData(24, 8);
    close(ts.euclideanNorm(ts.tensor(data, [2, 3, 4]), [1, 2]), tf.euclideanNorm(tf.tensor3d(data, [2, 3, 4]), [1, 2]));
  });

  test('norm refuses the ords TF.js refuses, naming the op', () => {
    const x = ts.ones([3, 4]);
    expect(() => ts.norm(x, 3)).toThrow(/^norm: expected ord/);
    expect(() => ts.norm(x, 2, [0, 1])).toThrow(/^norm: expected a matrix norm's ord/);
    expect(() => ts.norm(x, 2, [0, 1, 1] as unknown as number[])).toThrow(/^norm: expected axis to be one axis or a pair/);
    expect(() => ts.norm(x, 2, [1, -1])).toThrow(/^norm: expected two different axes/);
  });
});

describe('reconstructions where the signs are not defined', () => {
  test.each([
    [[5, 3], true],
    [[3, 5], true],
    [[2, 4, 3], false],
  ] as const)('svd of %j (fullMatrices %s): u diag(s) vh = x, orthonormal u and vh', (shape, full) => {
    const x = randomTensor([...shape], 9, 'float64');
    const [u, s, vh] = ts.linalg.svd(x, full) as [Tensor, Tensor, Tensor];
    const [m, n] = shape.slice(-2);
    const k = Math.min(m, n);
    expect(u.shape).toEqual([...shape.slice(0, -2), m, full ? m : k]);
    expect(vh.shape).toEqual([...shape.slice(0, -2), full ? n : k, n]);
    const uk = ts.slice(
      u,
      u.shape.map(() => 0),
      [...shape.slice(0, -2), m, k],
    );
    const vk = ts.slice(
      vh,
      vh.shape.map(() => 0),
      [...shape.slice(0, -2), k, n],
    );
    expectClose(ts.matMul(ts.mul(uk, ts.expandDims(s, -2)), vk).dataSync(), x.dataSync(), 1e-10, 1e-10);
    for (const [z, t] of [
      [u, true],
      [vh, false],
    ] as const) {
      const zz = ts.matMul(z, z, t, !t);
      const d = zz.shape[zz.rank - 1];
      expectClose(zz.dataSync(), ts.broadcastTo(ts.eye(d, d, null, 'float64'), zz.shape).dataSync(), 1e-10, 1e-10);
    }
    const sv = Array.from(s.dataSync());
    for (let i = 1; i < k; i++) expect(sv[i]).toBeLessThanOrEqual(sv[i - 1]);
  });

  test('svd of a rank-deficient matrix completes u to an orthonormal basis', () => {
    const x = ts.tensor([1, 2, 2, 4, 3, 6], [3, 2], 'float64');
    const [u, s] = ts.linalg.svd(x) as [Tensor, Tensor, Tensor];
    expectClose(s.dataSync(), [Math.sqrt(70), 0], 1e-12, 1e-12);
    expectClose(ts.matMul(u, u, true).dataSync(), ts.eye(3, 3, null, 'float64').dataSync(), 1e-12, 1e-12);
  });

  test('complete qr of a tall matrix, and eigh: v diag(w) v^T = x', () => {
    const x = randomTensor([6, 4], 10, 'float64');
    const [q, r] = ts.linalg.qr(x, 'complete');
    expect(r.shape).toEqual([6, 4]);
    expectQr(q, r, x, 1e-12);
    const sym = ts.add(x.matMul(x, true), ts.eye(4, 4, null, 'float64'));
    const [w, v] = ts.linalg.eigh(sym);
    expectClose(ts.matMul(ts.mul(v, ts.expandDims(w, -2)), v, false, true).dataSync(), sym.dataSync(), 1e-10, 1e-10);
  });
});

describe("Keras's docstring examples and higher order", () => {
  test('keras.ops.linalg.norm(reshape(arange(9) - 4, (3, 3))) is 7.7459664', () => {
    const x = ts.reshape(ts.sub(ts.range(0, 9), 4), [3, 3]);
    expectClose(ts.linalg.norm(x).dataSync(), [7.7459664], 1e-6, 1e-6);
    // The matrix norms of the same x, as NumPy's: 1 (largest column sum) and 2 (largest singular value).
    expectClose(ts.linalg.norm(x, 1).dataSync(), [7], 1e-6, 1e-6);
    expectClose(ts.linalg.norm(x, 2).dataSync(), [7.3484692], 1e-6, 1e-6);
  });

  test("inv's gradient is itself differentiable (second order against central differences)", () => {
    const a = ts.add(randomTensor([3, 3], 11, 'float64'), ts.mul(ts.eye(3, 3, null, 'float64'), 3));
    gradcheck((m) => ts.grad((v: Tensor) => ts.sum(ts.square(ts.linalg.inv(v))))(m), [a]);
  });
});
