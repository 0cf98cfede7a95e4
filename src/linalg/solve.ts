// keras.ops.linalg's inverse, determinant and solves, batched over leading dimensions, on
// the host in float64 (LU with partial pivoting); their gradients are compositions of these.
import { tooManyArguments } from '../options/arity';
import { eye, type TensorLike } from '../tensor/creation';
import { broadcastTo } from '../ops/tile';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { mul } from '../ops/binary';
import { neg } from '../ops/unary';
import { toTensor } from '../ops/convert';
import { asOp } from '../ops/op_name';
import { matMul } from '../ops/matmul';
import { reshape } from '../ops/reshape';
import { fromBatch, hostOp, mT, matrices, matrixAt, noGradient, overEmptyBatch, triangle } from './batch';
import { luHost, luSolveHost, svdHost, triSolveInPlace } from './host';

// The error for a singular matrix of a batch.
const singular = (op: string, b: number, batch: number) =>
  new Error(`${op}: the matrix${batch > 1 ? ` at batch index ${b}` : ''} is singular (a zero pivot), so it has no inverse`);

/** The inverse of each square matrix of a; a singular one is an error. */
export function inv(a: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('linalg.inv', 1, arguments.length);
  const op = 'linalg.inv';
  const { t, batch, n } = matrices(op, 'a', a, true);
  const empty = overEmptyBatch(t, (first) => inv(first));
  if (empty !== null) return empty;
  const identity = new Float64Array(n * n);
  for (let i = 0; i < n; i++) identity[i * n + i] = 1;
  const [y] = hostOp(
    op,
    [t],
    () => {
      const data = t.dataSync() as ArrayLike<number>;
      const parts = Array.from({ length: batch }, (_, b) => {
        const f = luHost(matrixAt(data, b, n * n), n);
        if (f.singular) throw singular(op, b, batch);
        return luSolveHost(f, n, identity, n);
      });
      return [fromBatch(parts, t.shape, t.dtype, t.device)];
    },
    ([y]) => ({
      save: [y],
      // d(A^-1) = -A^-1 dA A^-1, so dA = -A^-T g A^-T.
      grad: ([g], [ys]) => [neg(matMul(matMul(ys, g, true), ys, false, true))],
    }),
  );
  return y;
}

/** The determinant of each square matrix of a (shape a.shape[:-2]). */
export function det(a: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('linalg.det', 1, arguments.length);
  const op = 'linalg.det';
  const { t, batch, n } = matrices(op, 'a', a, true);
  const empty = overEmptyBatch(t, (first) => det(first));
  if (empty !== null) return empty;
  const outShape = t.shape.slice(0, -2);
  const [y] = hostOp(
    op,
    [t],
    () => {
      const data = t.dataSync() as ArrayLike<number>;
      const dets = Array.from({ length: batch }, (_, b) => {
        const f = luHost(matrixAt(data, b, n * n), n);
        let d = f.sign;
        for (let i = 0; i < n; i++) d *= f.lu[i * n + i];
        return Float64Array.of(d);
      });
      return [fromBatch(dets, outShape, t.dtype, t.device)];
    },
    ([y]) => ({
      save: [t, y],
      // d det(A) / dA = det(A) A^-T (Jacobi's formula), the cofactor matrix; at a singular
      // A (no inverse) the cofactors come from the SVD, as torch's.
      grad: ([g], [ts, ys]) => {
        const g4 = reshape(g, [...outShape, 1, 1]);
        if (anySingular(ts)) return [mul(g4, cofactors(ts))];
        return [mul(mul(g4, reshape(ys, [...outShape, 1, 1])), mT(inv(ts)))];
      },
    }),
  );
  return y;
}

// Whether a matrix of the batch t has a zero pivot.
function anySingular(t: Tensor): boolean {
  const n = t.shape[t.rank - 1];
  const data = t.dataSync() as ArrayLike<number>;
  for (let b = 0; b * n * n < data.length; b++) if (luHost(matrixAt(data, b, n * n), n).singular) return true;
  return false;
}

// The cofactor matrices (adj(A)^T) of the batch t by the SVD A = U S V^T: det(U) det(V)
// U diag(prod of the other s) V^T. A host result whose own gradient is refused.
function cofactors(t: Tensor): Tensor {
  const op = 'linalg.det';
  const n = t.shape[t.rank - 1];
  const batch = t.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const [c] = hostOp(
    op,
    [t],
    () => {
      const data = t.dataSync() as ArrayLike<number>;
      const parts = Array.from({ length: batch }, (_, b) => {
        const { u, s, v } = svdHost(matrixAt(data, b, n * n), n, n, false);
        const detOf = (x: Float64Array) => {
          const f = luHost(x, n);
          return f.lu.reduce((p, e, i) => (i % (n + 1) === 0 ? p * e : p), f.sign);
        };
        const sign = Math.sign(detOf(u) * detOf(v));
        const out = new Float64Array(n * n);
        for (let k = 0; k < n; k++) {
          let p = sign;
          for (let j = 0; j < n; j++) if (j !== k) p *= s[j];
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] += p * u[i * n + k] * v[j * n + k];
        }
        return out;
      });
      return [fromBatch(parts, t.shape, t.dtype, t.device)];
    },
    () => ({ grad: noGradient(op, 'no second order at a singular matrix') }),
  );
  return c;
}

// b as a batch of [n, k] matrices beside the [.., n, n] a: b of a's rank, or one less (vectors).
function rightHandSide(op: string, t: Tensor, x: TensorLike): { rhs: Tensor; vector: boolean } {
  const b = toTensor(op, 'b', x);
  if (b.dtype !== t.dtype) throw new Error(`${op}: expected a and b of one dtype, got ${t.dtype} and ${b.dtype}`);
  const batchShape = t.shape.slice(0, -2);
  const n = t.shape[t.rank - 1];
  const vector = b.rank === t.rank - 1;
  const ok = (vector || b.rank === t.rank) && b.shape[t.rank - 2] === n && batchShape.every((d, i) => b.shape[i] === d);
  if (!ok) {
    throw new Error(
      `${op}: expected b of shape [${[...batchShape, n].join(', ')}] or [${[...batchShape, n].join(', ')}, k] beside a of shape [${t.shape.join(', ')}], got [${b.shape.join(', ')}]`,
    );
  }
  return { rhs: vector ? reshape(b, [...b.shape, 1]) : b, vector };
}

// x with a x = b for each square a of the batch and b of shape [..., n] or [..., n, k]:
// `solveEach(matrix index, a's [n, n] matrix, b's [n, k] matrix, k, n, batch size)` solves one
// system, `grad(g, a, x)` gives [ga, gb].
function solveSystems(
  op: string,
  a: TensorLike,
  b: TensorLike,
  solveEach: (i: number, am: Float64Array, bm: Float64Array, k: number, n: number, batch: number) => Float64Array,
  grad: (g: Tensor, a: Tensor, x: Tensor) => Tensor[],
): Tensor {
  return asOp(op, () =>
    tidy(() => {
      const { t, batch } = matrices(op, 'a', a, true);
      const { rhs, vector } = rightHandSide(op, t, b);
      const n = t.shape[t.rank - 1];
      const k = rhs.shape[rhs.rank - 1];
      const [x] = hostOp(
        op,
        [t, rhs],
        () => {
          const ad = t.dataSync() as ArrayLike<number>;
          const bd = rhs.dataSync() as ArrayLike<number>;
          // Empty solutions need no pass per matrix (a batch of 2**31 would take minutes).
          const parts = Array.from({ length: n * k === 0 ? 0 : batch }, (_, i) => solveEach(i, matrixAt(ad, i, n * n), matrixAt(bd, i, n * k), k, n, batch));
          return [fromBatch(parts, rhs.shape, t.dtype, t.device)];
        },
        ([x]) => ({ save: [t, x], grad: ([g], [ts, xs]) => grad(g, ts, xs) }),
      );
      return vector ? reshape(x, x.shape.slice(0, -1)) : x;
    }),
  );
}

/** x with a x = b for each square a of the batch: b of shape [..., n] or [..., n, k]; a singular a is an error. */
export function solve(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('linalg.solve', 2, arguments.length);
  const op = 'linalg.solve';
  return solveSystems(
    op,
    a,
    b,
    (i, am, bm, k, n, batch) => {
      const f = luHost(am, n);
      if (f.singular) throw singular(op, i, batch);
      return luSolveHost(f, n, bm, k);
    },
    // gb = A^-T g, ga = -gb x^T.
    (g, ts, xs) => {
      const gb = solve(mT(ts), g);
      return [neg(matMul(gb, xs, false, true)), gb];
    },
  );
}

/**
 * x with a x = b for the lower (or, by default as Keras, upper) triangle of each square a,
 * the other triangle not read; b of shape [..., n] or [..., n, k]. A zero on the diagonal is an error.
 */
export function solveTriangular(a: TensorLike, b: TensorLike, lower = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('linalg.solveTriangular', 3, arguments.length);
  const op = 'linalg.solveTriangular';
  if (typeof lower !== 'boolean') throw new Error(`${op}: expected lower to be true or false, got ${describe(lower)}`);
  return solveSystems(
    op,
    a,
    b,
    (i, am, bm, k, n, batch) => {
      for (let d = 0; d < n; d++) if (am[d * n + d] === 0) throw singular(op, i, batch);
      triSolveInPlace(am, n, bm, k, lower);
      return bm;
    },
    // As solve's, with ga kept to the triangle read.
    (g, ts, xs) => {
      const gb = solveTriangular(mT(ts), g, !lower);
      return [neg(triangle(matMul(gb, xs, false, true), lower)), gb];
    },
  );
}

/**
 * The inverse of a symmetric positive definite matrix from its Cholesky factor (Keras's
 * cholesky_inverse): lower L (a = L L^T) or, with `upper`, U (a = U^T U); only that triangle
 * is read. (L^-1)^T L^-1, so gradients reach the factor through solveTriangular.
 */
export function choleskyInverse(x: TensorLike, upper = false): Tensor {
  if (arguments.length > 2) throw tooManyArguments('linalg.choleskyInverse', 2, arguments.length);
  const op = 'linalg.choleskyInverse';
  if (typeof upper !== 'boolean') throw new Error(`${op}: expected upper to be true or false, got ${describe(upper)}`);
  return asOp(op, () =>
    tidy(() => {
      const { t, n } = matrices(op, 'x', x, true);
      const id = broadcastTo(eye(n, n, null, t.dtype), t.shape);
      const factorInv = solveTriangular(t, id, !upper);
      return upper ? matMul(factorInv, factorInv, false, true) : matMul(factorInv, factorInv, true);
    }),
  );
}
