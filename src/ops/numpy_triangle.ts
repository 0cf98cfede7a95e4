// keras.ops's triangles and diagonals (NumPy's tril, triu, tri, diagonal, trace, diagflat):
// masks (where) and gathers, so gradients flow through theirs.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, range, zeros, type TensorLike } from '../tensor/creation';
import { allocTypedArray, checkDType, type DType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { sub } from './binary';
import { cast } from './cast';
import { greaterEqual, lessEqual, where } from './compare';
import { concat } from './concat';
import { toTensor } from './convert';
import { gather } from './gather';
import { axisList, checkMinRank, intArg } from './numpy_checks';
import { moveaxisPerm } from './numpy_reorder';
import { asOp } from './op_name';
import { sum } from './reduce';
import { reshape } from './reshape';
import { transpose } from './transpose';

// i - j for every entry of an [m, n] matrix (int32).
function rowMinusColumn(m: number, n: number): Tensor {
  return sub(reshape(range(0, m, 1, 'int32'), [m, 1]), reshape(range(0, n, 1, 'int32'), [1, n]));
}

function triangle(op: string, x: TensorLike, k: number, lower: boolean): Tensor {
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      intArg(op, 'k', k);
      checkMinRank(op, 'x', t, 2);
      if (t.size === 0) return t.clone();
      const [m, n] = t.shape.slice(-2);
      const d = rowMinusColumn(m, n);
      // tril keeps j <= i + k (i - j >= -k); triu keeps j >= i + k (i - j <= -k).
      const keep = lower ? greaterEqual(d, -k) : lessEqual(d, -k);
      return where(keep, t, zeros([], t.dtype));
    }),
  );
}

/** x with the entries above the k-th diagonal of each innermost matrix set to 0. */
export function tril(x: TensorLike, k = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('tril', 2, arguments.length);
  return triangle('tril', x, k, true);
}

/** x with the entries below the k-th diagonal of each innermost matrix set to 0. */
export function triu(x: TensorLike, k = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('triu', 2, arguments.length);
  return triangle('triu', x, k, false);
}

/** An [N, M] matrix of ones at and below the k-th diagonal, zeros above (M defaults to N). */
export function tri(N: number, M: number | null = null, k = 0, dtype: DType = 'float32'): Tensor {
  if (arguments.length > 4) throw tooManyArguments('tri', 4, arguments.length);
  const op = 'tri';
  intArg(op, 'N', N, 0);
  const cols = M === null || M === undefined ? N : intArg(op, 'M', M, 0);
  intArg(op, 'k', k);
  checkDType(op, dtype);
  return asOp(op, () => tidy(() => cast(greaterEqual(rowMinusColumn(N, cols), -k), dtype)));
}

/**
 * The offset-th diagonal of the matrices in the plane of axis1 and axis2 (NumPy's
 * diagonal): those two axes removed, the diagonal appended as the last axis.
 */
export function diagonal(x: TensorLike, offset = 0, axis1 = 0, axis2 = 1): Tensor {
  if (arguments.length > 4) throw tooManyArguments('diagonal', 4, arguments.length);
  const op = 'diagonal';
  return asOp(op, () => tidy(() => diagonalOf(op, x, offset, axis1, axis2)));
}

function diagonalOf(op: string, x: TensorLike, offset: number, axis1: number, axis2: number): Tensor {
  const t = toTensor(op, 'x', x);
  intArg(op, 'offset', offset);
  checkMinRank(op, 'x', t, 2);
  const a1 = axisList(op, 'axis1', axis1, t.rank)[0];
  const a2 = axisList(op, 'axis2', axis2, t.rank)[0];
  if (a1 === a2) throw new Error(`${op}: expected axis1 and axis2 to differ, got ${describe(axis1)} and ${describe(axis2)}`);
  const moved = transpose(t, moveaxisPerm(t.rank, [a1, a2], [t.rank - 2, t.rank - 1]));
  const [m, n] = [t.shape[a1], t.shape[a2]];
  const row0 = Math.max(-offset, 0);
  const col0 = Math.max(offset, 0);
  const len = Math.max(0, Math.min(m - row0, n - col0));
  const idx = allocTypedArray('int32', len, op);
  for (let i = 0; i < len; i++) idx[i] = (i + row0) * n + i + col0;
  const flat = reshape(moved, [...moved.shape.slice(0, -2), m * n]);
  return gather(flat, fromTypedArray(idx, [len], 'int32', t.device), -1);
}

/** The sum of the offset-th diagonal in the plane of axis1 and axis2 (NumPy's trace). */
export function trace(x: TensorLike, offset = 0, axis1 = 0, axis2 = 1): Tensor {
  if (arguments.length > 4) throw tooManyArguments('trace', 4, arguments.length);
  const op = 'trace';
  return asOp(op, () => tidy(() => sum(diagonalOf(op, x, offset, axis1, axis2), -1)));
}

/** A square matrix with the flattened x on its k-th diagonal, zeros elsewhere. */
export function diagflat(x: TensorLike, k = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('diagflat', 2, arguments.length);
  const op = 'diagflat';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      intArg(op, 'k', k);
      const v = t.size;
      const size = v + Math.abs(k);
      // A gather from [0, x...]: index 0 for the zeros, i + 1 for x[i] on the diagonal.
      const idx = allocTypedArray('int32', size * size, op);
      const [row0, col0] = [Math.max(-k, 0), Math.max(k, 0)];
      for (let i = 0; i < v; i++) idx[(i + row0) * size + i + col0] = i + 1;
      const source = concat([zeros([1], t.dtype), reshape(t, [v])], 0);
      return gather(source, fromTypedArray(idx, [size, size], 'int32', t.device));
    }),
  );
}
