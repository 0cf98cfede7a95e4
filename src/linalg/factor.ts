// keras.ops.linalg's factorizations (cholesky, qr, eigh, svd, luFactor) and lstsq, batched
// over leading dimensions, computed on the host in float64; the gradients compose ops.
import { tooManyArguments } from '../options/arity';
import { eye, fromTypedArray, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { recordOp } from '../tensor/run';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, div, mul, sub } from '../ops/binary';
import { concat } from '../ops/concat';
import { equal, where } from '../ops/compare';
import { toTensor } from '../ops/convert';
import { matMul } from '../ops/matmul';
import { asOp } from '../ops/op_name';
import { expandDims } from '../ops/reshape';
import { slice } from '../ops/slice';
import { checkFinite, checkFits, fromBatch, hostOp, mT, matrices, matrixAt, noGradient, overEmptyBatch, triangle } from './batch';
import { choleskyHost, eighHost, luHost, qrHost, svdHost, transposeHost } from './host';
import { solveTriangular } from './solve';

/**
 * The Cholesky factor of each symmetric positive definite matrix of a: lower L with
 * a = L L^T (`upper`: U = L^T, a = U^T U). Only the lower triangle of a is read. A matrix
 * that is not positive definite is an error (as torch.linalg.cholesky and TensorFlow's CPU
 * kernel; JAX returns NaNs instead).
 */
export function cholesky(a: TensorLike, upper = false): Tensor {
  if (arguments.length > 2) throw tooManyArguments('linalg.cholesky', 2, arguments.length);
  const op = 'linalg.cholesky';
  if (typeof upper !== 'boolean') throw new Error(`${op}: expected upper to be true or false, got ${describe(upper)}`);
  const { t, batch, n } = matrices(op, 'a', a, true);
  const empty = overEmptyBatch(t, (first) => cholesky(first, upper));
  if (empty !== null) return empty;
  const [l] = hostOp(
    op,
    [t],
    () => {
      const data = t.dataSync() as ArrayLike<number>;
      const parts = Array.from({ length: batch }, (_, b) => {
        const f = choleskyHost(matrixAt(data, b, n * n), n);
        if (f === null) throw new Error(`${op}: the matrix${batch > 1 ? ` at batch index ${b}` : ''} is not positive definite, so it has no Cholesky factor`);
        return upper ? transposeHost(f, n, n) : f;
      });
      return [fromBatch(parts, t.shape, t.dtype, t.device)];
    },
    ([y]) => ({
      save: [y],
      // torch's rule: gA = L^-T phi(L^T gL) L^-1, symmetrized, where phi keeps the lower
      // triangle and halves the diagonal.
      grad: ([g], [ys]) => {
        const lo = upper ? mT(ys) : ys;
        const gl = upper ? mT(g) : g;
        const p = triangle(matMul(lo, gl, true), true);
        const phi = sub(p, mul(p, mul(eye(n, n, null, lo.dtype), 0.5)));
        const left = solveTriangular(mT(lo), phi, false);
        const ga = mT(solveTriangular(mT(lo), mT(left), false));
        return [mul(add(ga, mT(ga)), 0.5)];
      },
    }),
  );
  return l;
}

// Keras's mode names and TensorFlow.js's fullMatrices flag, as one flag.
function completeMode(op: string, mode: unknown): boolean {
  if (mode === 'reduced' || mode === false) return false;
  if (mode === 'complete' || mode === true) return true;
  throw new Error(`${op}: expected mode 'reduced' or 'complete' (or TensorFlow.js's fullMatrices, true or false), got ${describe(mode)}`);
}

/**
 * The QR decomposition of each matrix of x: [q, r] with x = q r, q with orthonormal columns
 * and r upper triangular. `mode` is Keras's ('reduced', the default, or 'complete') or
 * TensorFlow.js's fullMatrices (false or true). Householder reflections, so r's diagonal has
 * LAPACK's signs (as torch.linalg.qr).
 */
export function qr(x: TensorLike, mode: 'reduced' | 'complete' | boolean = 'reduced'): [Tensor, Tensor] {
  if (arguments.length > 2) throw tooManyArguments('linalg.qr', 2, arguments.length);
  const op = 'linalg.qr';
  const complete = completeMode(op, mode);
  const { t, batch, m, n } = matrices(op, 'x', x, false);
  const empty = overEmptyBatch(t, (first) => qr(first, mode));
  if (empty !== null) return empty;
  const k = complete ? m : Math.min(m, n);
  const lead = t.shape.slice(0, -2);
  checkFits(op, 'q', batch * m * k);
  const [q, r] = hostOp(
    op,
    [t],
    () => {
      const data = t.dataSync() as ArrayLike<number>;
      const fs = Array.from({ length: batch }, (_, b) => qrHost(matrixAt(data, b, m * n), m, n, complete));
      return [
        fromBatch(
          fs.map((f) => f.q),
          [...lead, m, k],
          t.dtype,
          t.device,
        ),
        fromBatch(
          fs.map((f) => f.r),
          [...lead, k, n],
          t.dtype,
          t.device,
        ),
      ];
    },
    () => ({
      saveOutputs: true,
      nullForUnused: true,
      grad: (dys: (Tensor | null)[], [qs, rs]) => {
        if (complete && m > n) throw new Error(`${op}: no gradient for mode 'complete' with more rows than columns (${m} x ${n}): q is not unique`);
        const dq = dys[0] ?? mul(qs, 0);
        const dr = dys[1] ?? mul(rs, 0);
        return [qrGrad(qs, rs, dq, dr, m, n)];
      },
    }),
  );
  return [q, r];
}

// TensorFlow's QR gradient (linalg_grad.py): the square-or-tall rule, and the wide case
// x = [X | Y] through X = Q U.
function qrGrad(q: Tensor, r: Tensor, dq: Tensor, dr: Tensor, m: number, n: number): Tensor {
  if (m >= n) return qrGradTall(q, r, dq, dr);
  const cut = (x: Tensor, from: number, size: number) => slice(x, [...x.shape.slice(0, -1).map(() => 0), from], [...x.shape.slice(0, -1), size]);
  const u = cut(r, 0, m);
  const dv = cut(dr, m, n - m);
  // The part of the input right of the square block: q r[:, m:], and its own dependence.
  const y = matMul(q, cut(r, m, n - m));
  const dx = qrGradTall(q, u, add(dq, matMul(y, dv, false, true)), cut(dr, 0, m));
  return concat([dx, matMul(q, dv)], -1);
}

// x r^-T for upper triangular r.
const rightSolveT = (x: Tensor, r: Tensor) => mT(solveTriangular(r, mT(x), false));

function qrGradTall(q: Tensor, r: Tensor, dq: Tensor, dr: Tensor): Tensor {
  const qdq = matMul(q, dq, true);
  const rdr = matMul(r, dr, false, true);
  const tril = triangle(add(sub(qdq, mT(qdq)), sub(rdr, mT(rdr))), true);
  const gradA = matMul(q, add(dr, rightSolveT(tril, r)));
  const gradB = rightSolveT(sub(dq, matMul(q, qdq)), r);
  return add(gradA, gradB);
}

/**
 * The eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix of x,
 * [w, v] with x = v diag(w) v^T; only the lower triangle of x is read. Eigenvectors' signs
 * are not defined. The gradient assumes distinct eigenvalues (as torch's).
 */
export function eigh(x: TensorLike): [Tensor, Tensor] {
  if (arguments.length > 1) throw tooManyArguments('linalg.eigh', 1, arguments.length);
  const op = 'linalg.eigh';
  const { t, batch, n } = matrices(op, 'x', x, true);
  const empty = overEmptyBatch(t, (first) => eigh(first));
  if (empty !== null) return empty;
  const lead = t.shape.slice(0, -2);
  const [w, v] = hostOp(
    op,
    [t],
    () => {
      const data = t.dataSync() as ArrayLike<number>;
      const fs = Array.from({ length: batch }, (_, b) => {
        const a = matrixAt(data, b, n * n);
        checkFinite(op, a, b, batch);
        return eighHost(a, n);
      });
      return [
        fromBatch(
          fs.map((f) => f.w),
          [...lead, n],
          t.dtype,
          t.device,
        ),
        fromBatch(
          fs.map((f) => f.v),
          t.shape,
          t.dtype,
          t.device,
        ),
      ];
    },
    () => ({
      saveOutputs: true,
      nullForUnused: true,
      // torch's rule: gA = V (diag(gw) + skew(V^T gV) / (w_j - w_i)) V^T.
      grad: ([gw, gv]: (Tensor | null)[], [ws, vs]) => {
        const id = eye(n, n, null, vs.dtype);
        let inner = gw ? mul(expandDims(gw, -1), id) : mul(id, 0);
        if (gv) {
          const vgv = matMul(vs, gv, true);
          const skew = mul(sub(vgv, mT(vgv)), 0.5);
          const gaps = sub(expandDims(ws, -2), expandDims(ws, -1));
          const off = equal(id, 0);
          inner = add(inner, where(off, div(skew, where(off, gaps, 1)), 0));
        }
        return [matMul(matMul(vs, inner), vs, false, true)];
      },
    }),
  );
  return [w, v];
}

/**
 * The singular value decomposition of each matrix of x: [u, s, vh] with x = u diag(s) vh,
 * s descending (min(m, n) values); u m x m and vh n x n with `fullMatrices` (Keras's
 * default), else m x k and k x n; only s when `computeUv` is false. Singular vectors' signs
 * are not defined. Gradients reach x through s only; one through u or vh is an error.
 */
export function svd(x: TensorLike, fullMatrices?: boolean, computeUv?: true): [Tensor, Tensor, Tensor];
export function svd(x: TensorLike, fullMatrices: boolean, computeUv: false): Tensor;
export function svd(x: TensorLike, fullMatrices?: boolean, computeUv?: boolean): Tensor | [Tensor, Tensor, Tensor];
export function svd(x: TensorLike, fullMatrices = true, computeUv = true): Tensor | [Tensor, Tensor, Tensor] {
  if (arguments.length > 3) throw tooManyArguments('linalg.svd', 3, arguments.length);
  const op = 'linalg.svd';
  for (const [name, v] of [
    ['fullMatrices', fullMatrices],
    ['computeUv', computeUv],
  ] as const) {
    if (typeof v !== 'boolean') throw new Error(`${op}: expected ${name} to be true or false, got ${describe(v)}`);
  }
  const { t, batch, m, n } = matrices(op, 'x', x, false);
  const empty = overEmptyBatch(t, (first) => svd(first, fullMatrices, computeUv));
  if (empty !== null) return empty;
  const k = Math.min(m, n);
  const lead = t.shape.slice(0, -2);
  const full = fullMatrices && computeUv;
  checkFits(op, 'u and vh', batch * (full ? m * m + n * n : 2 * k * Math.max(m, n)));
  const outs = asOp(op, () =>
    tidy(() => {
      const data = t.dataSync() as ArrayLike<number>;
      const fs = Array.from({ length: batch }, (_, b) => {
        const a = matrixAt(data, b, m * n);
        checkFinite(op, a, b, batch);
        return svdHost(a, m, n, full);
      });
      const make = (parts: Float64Array[], shape: number[]) => fromBatch(parts, shape, t.dtype, t.device);
      const ku = full ? m : k;
      const kv = full ? n : k;
      const u = make(
        fs.map((f) => f.u),
        [...lead, m, ku],
      );
      const s = make(
        fs.map((f) => f.s),
        [...lead, k],
      );
      const vh = make(
        fs.map((f) => transposeHost(f.v, n, kv)),
        [...lead, kv, n],
      );
      return [u, s, vh];
    }),
  );
  const [u, s, vh] = outs;
  const cut = (z: Tensor, rows: number, cols: number) =>
    slice(
      z,
      z.shape.map(() => 0),
      [...lead, rows, cols],
    );
  const recorded = computeUv ? outs : [s];
  // Not hostOp: u and vh are kept for the gradient even when not returned.
  recordOp(op, [t], recorded, {
    save: [u, vh],
    nullForUnused: true,
    grad: (dys: (Tensor | null)[], [us, vhs]) => {
      if (computeUv && (dys[0] !== null || dys[2] !== null)) {
        throw new Error(`${op}: no gradient through the singular vectors u and vh (only through s)`);
      }
      const ds = computeUv ? dys[1]! : dys[0]!;
      // gA = U_k diag(gs) Vh_k.
      return [matMul(mul(cut(us, m, k), expandDims(ds, -2)), cut(vhs, k, n))];
    },
  });
  if (computeUv) return [u, s, vh];
  u.dispose();
  vh.dispose();
  return s;
}

/**
 * The LU factorization with partial pivoting of each square matrix of x: [lu, pivots], L
 * (unit diagonal, not stored) below the diagonal of lu and U on and above it; row i was
 * swapped with row pivots[i] (int32, 0-based, as Keras's). A singular matrix factors too
 * (a zero on U's diagonal). No gradient.
 */
export function luFactor(x: TensorLike): [Tensor, Tensor] {
  if (arguments.length > 1) throw tooManyArguments('linalg.luFactor', 1, arguments.length);
  const op = 'linalg.luFactor';
  const { t, batch, n } = matrices(op, 'x', x, true);
  const empty = overEmptyBatch(t, (first) => luFactor(first));
  if (empty !== null) return empty;
  const lead = t.shape.slice(0, -2);
  const [lu, piv] = hostOp(
    op,
    [t],
    () => {
      const data = t.dataSync() as ArrayLike<number>;
      const fs = Array.from({ length: batch }, (_, b) => luHost(matrixAt(data, b, n * n), n));
      const pivots = new Int32Array(batch * n);
      fs.forEach((f, b) => pivots.set(f.pivots, b * n));
      return [
        fromBatch(
          fs.map((f) => f.lu),
          t.shape,
          t.dtype,
          t.device,
        ),
        fromTypedArray(pivots, [...lead, n], 'int32', t.device),
      ];
    },
    () => ({ grad: noGradient(op, 'luFactor is not differentiable here') }),
  );
  return [lu, piv];
}

/**
 * The least-squares solution x of a x = b (minimal norm when a is rank deficient) for each
 * matrix a ([..., m, n]) and b ([..., m] or [..., m, k]), by the SVD: singular values at or
 * below rcond times the largest count as zero; rcond defaults to the dtype's epsilon times
 * max(m, n) (JAX's default). No gradient.
 */
export function lstsq(a: TensorLike, b: TensorLike, rcond: number | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('linalg.lstsq', 3, arguments.length);
  const op = 'linalg.lstsq';
  if (rcond !== null && rcond !== undefined && (typeof rcond !== 'number' || !Number.isFinite(rcond))) {
    throw new Error(`${op}: expected rcond to be a finite number or null, got ${describe(rcond)}`);
  }
  const { t, batch, m, n } = matrices(op, 'a', a, false);
  const rhs = toTensor(op, 'b', b);
  if (rhs.dtype !== t.dtype) throw new Error(`${op}: expected a and b of one dtype, got ${t.dtype} and ${rhs.dtype}`);
  const lead = t.shape.slice(0, -2);
  const vector = rhs.rank === t.rank - 1;
  if ((!vector && rhs.rank !== t.rank) || rhs.shape[t.rank - 2] !== m || lead.some((d, i) => rhs.shape[i] !== d)) {
    throw new Error(
      `${op}: expected b of shape [${[...lead, m].join(', ')}] or [${[...lead, m].join(', ')}, k] beside a of shape [${t.shape.join(', ')}], got [${rhs.shape.join(', ')}]`,
    );
  }
  const kb = vector ? 1 : rhs.shape[rhs.rank - 1];
  const cutoff = rcond ?? (t.dtype === 'float64' ? 2 ** -52 : 2 ** -23) * Math.max(m, n);
  const [x] = hostOp(
    op,
    [t, rhs],
    () => {
      const ad = t.dataSync() as ArrayLike<number>;
      const bd = rhs.dataSync() as ArrayLike<number>;
      const k = Math.min(m, n);
      // Empty solutions need no pass per matrix (a batch of 2**31 would take minutes).
      const parts = Array.from({ length: n * kb === 0 ? 0 : batch }, (_, i) => {
        const am = matrixAt(ad, i, m * n);
        checkFinite(op, am, i, batch);
        const f = svdHost(am, m, n, false);
        const bm = matrixAt(bd, i, m * kb);
        const out = new Float64Array(n * kb);
        const limit = cutoff * (k > 0 ? f.s[0] : 0);
        for (let c = 0; c < k; c++) {
          if (!(f.s[c] > limit)) continue;
          // x += v_c (u_c . b) / s_c for each column of b.
          for (let j = 0; j < kb; j++) {
            let d = 0;
            for (let r = 0; r < m; r++) d += f.u[r * f.ku + c] * bm[r * kb + j];
            d /= f.s[c];
            for (let r = 0; r < n; r++) out[r * kb + j] += f.v[r * f.kv + c] * d;
          }
        }
        return out;
      });
      return [fromBatch(parts, vector ? [...lead, n] : [...lead, n, kb], t.dtype, t.device)];
    },
    () => ({ grad: noGradient(op, 'lstsq is not differentiable here') }),
  );
  return x;
}
