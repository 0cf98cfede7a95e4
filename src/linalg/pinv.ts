// matrixRank and pinv from the singular values (NumPy's matrix_rank and pinv).
import { tooManyArguments } from '../options/arity';
import { fill, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { div, mul } from '../ops/binary';
import { cast } from '../ops/cast';
import { greater, where } from '../ops/compare';
import { FLOAT_DTYPES, checkInputDType, toTensor } from '../ops/convert';
import { matMul } from '../ops/matmul';
import { asOp } from '../ops/op_name';
import { max, sum } from '../ops/reduce';
import { expandDims } from '../ops/reshape';
import { svd } from './factor';

const EPS = { float32: 2 ** -23, float64: 2 ** -52 } as Record<string, number>;

function checkCutoff(op: string, name: string, v: unknown): void {
  if (v !== null && v !== undefined && (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))) {
    throw new Error(`${op}: expected ${name} to be a finite number >= 0 or null, got ${describe(v)}`);
  }
}

function floatMatrices(op: string, x: TensorLike): Tensor {
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, FLOAT_DTYPES);
  if (t.rank < 2) throw new Error(`${op}: expected x of rank 2 or more (matrices), got shape [${t.shape.join(', ')}]`);
  return t;
}

/**
 * The rank of each matrix of x (int32): its singular values above `tol`, by default the
 * largest singular value times max(m, n) times the dtype's epsilon (NumPy's).
 */
export function matrixRank(x: TensorLike, tol: number | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('linalg.matrixRank', 2, arguments.length);
  const op = 'linalg.matrixRank';
  checkCutoff(op, 'tol', tol);
  return asOp(op, () =>
    tidy(() => {
      const t = floatMatrices(op, x);
      const [m, n] = t.shape.slice(-2);
      // An empty matrix has rank 0 (and no singular values to take a cutoff from).
      if (m === 0 || n === 0) return fill(t.shape.slice(0, -2), 0, 'int32');
      const s = svd(t, false, false);
      const cutoff = tol ?? mul(max(s, -1, true), Math.max(m, n) * EPS[t.dtype]);
      return sum(cast(greater(s, cutoff), 'int32'), -1);
    }),
  );
}

/**
 * The Moore-Penrose pseudo-inverse of each matrix of x ([..., m, n] gives [..., n, m]),
 * from the singular values above rcond times the largest (default: max(m, n) times the
 * dtype's epsilon, NumPy 2's and JAX's). Not differentiable: svd refuses gradients through
 * its singular vectors.
 */
export function pinv(x: TensorLike, rcond: number | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('linalg.pinv', 2, arguments.length);
  const op = 'linalg.pinv';
  checkCutoff(op, 'rcond', rcond);
  return asOp(op, () =>
    tidy(() => {
      const t = floatMatrices(op, x);
      const [m, n] = t.shape.slice(-2);
      if (m === 0 || n === 0) return fill([...t.shape.slice(0, -2), n, m], 0, t.dtype);
      const [u, s, vh] = svd(t, false, true);
      const cutoff = mul(max(s, -1, true), rcond ?? Math.max(m, n) * EPS[t.dtype]);
      const kept = greater(s, cutoff);
      const inverse = where(kept, div(1, where(kept, s, 1)), 0);
      // vh^T diag(1 / s) u^T, the rows of vh scaled first.
      return matMul(mul(vh, expandDims(inverse, -1)), u, true, true);
    }),
  );
}
