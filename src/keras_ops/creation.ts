// keras.ops's creation ops where the top level differs: array and identity (absent there),
// linspace with Keras's endpoint and dtype, full in float32 unless told, eye with an offset k,
// diag that extracts a 2-D input's diagonal (TensorFlow.js's builds a matrix from any rank),
// oneHot with Keras's (numClasses, axis, dtype) rather than (depth, onValue, offValue), and
// zerosLike / onesLike with a dtype.
import { tooManyArguments } from '../options/arity';
import { convertToTensor } from '../ops/keras_gap';
import { cast } from '../ops/cast';
import { full as npFull, fullLike as npFullLike } from '../ops/numpy_create';
import { moveaxis } from '../ops/numpy_reorder';
import { diagflat, diagonal } from '../ops/numpy_triangle';
import { oneHot as tfOneHot } from '../ops/gather';
import { toTensor } from '../ops/convert';
import { asOp } from '../ops/op_name';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray, checkDType, type DType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe, type Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { flag } from './common';

// num values from f(i) computed in float64 on the host, then stored in dtype (as logspace does).
function hostSequence(op: string, num: number, dtype: DType, f: (i: number) => number): Tensor {
  const out = allocTypedArray('float64', num, op);
  for (let i = 0; i < num; i++) out[i] = f(i);
  return tidy(() => cast(fromTypedArray(out, [num], 'float64'), dtype));
}

function count(op: string, what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error(`${op}: expected ${what} to be a non-negative integer, got ${describe(n)}`);
  return n;
}

/** Keras's array: x as a tensor of `dtype` (null: a tensor's own, float32 for numbers, bool for booleans). */
export function array(x: TensorLike, dtype: DType | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('array', 2, arguments.length);
  return asOp('array', () => convertToTensor(x, dtype));
}

/** Keras's identity: the n x n identity matrix, float32 unless `dtype` says otherwise. */
export function identity(n: number, dtype: DType | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('identity', 2, arguments.length);
  return asOp('identity', () => eye(n, null, 0, dtype));
}

/** Keras's eye: N x M (null: N) with ones on the k-th diagonal (k > 0 above the main one), float32 unless `dtype` says otherwise. */
export function eye(N: number, M: number | null = null, k = 0, dtype: DType | null = null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('eye', 4, arguments.length);
  const op = 'eye';
  const rows = count(op, 'N', N);
  const cols = M === null ? rows : count(op, 'M', M);
  if (!Number.isInteger(k)) throw new Error(`${op}: expected k to be an integer, got ${describe(k)}`);
  const dt = dtype === null ? 'float32' : checkDType(op, dtype);
  const out = allocTypedArray(dt, rows * cols, op);
  for (let i = Math.max(0, -k); i < rows && i + k < cols; i++) out[i * cols + i + k] = 1;
  return fromTypedArray(out, [rows, cols], dt);
}

/** Keras's linspace: num numbers from start to stop (stop left out when endpoint is false), float32 unless `dtype` says otherwise. */
export function linspace(start: number, stop: number, num = 50, endpoint = true, retstep = false, dtype: DType | null = null, axis = 0): Tensor {
  if (arguments.length > 7) throw tooManyArguments('linspace', 7, arguments.length);
  const op = 'linspace';
  if (typeof start !== 'number' || typeof stop !== 'number')
    throw new Error(`${op}: expected start and stop to be numbers, got ${describe(start)} and ${describe(stop)}`);
  const n = count(op, 'num', num);
  flag(op, 'endpoint', endpoint);
  // retstep's (samples, step) tuple would change the return type: the step is (stop - start) / (num - 1).
  if (retstep !== false) throw new Error(`${op}: retstep is not supported (the step is (stop - start) / (num - ${endpoint ? 1 : 0}))`);
  if (axis !== 0 && axis !== -1) throw new Error(`${op}: expected axis 0 or -1 (start and stop are numbers), got ${describe(axis)}`);
  const dt = dtype === null ? 'float32' : checkDType(op, dtype);
  const step = (stop - start) / (endpoint ? Math.max(n - 1, 1) : Math.max(n, 1));
  return hostSequence(op, n, dt, (i) => (endpoint && i === n - 1 && n > 1 ? stop : start + i * step));
}

/** Keras's full: a tensor of `shape` filled with fillValue, float32 unless `dtype` says otherwise. */
export function full(shape: Shape, fillValue: number | boolean, dtype: DType | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('full', 3, arguments.length);
  return asOp('full', () => npFull(shape, fillValue, dtype ?? 'float32'));
}

/** Keras's diag: of a vector, the matrix with it on the k-th diagonal; of a matrix, its k-th diagonal. */
export function diag(x: TensorLike, k = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('diag', 2, arguments.length);
  const op = 'diag';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      if (t.rank === 1) return diagflat(t, k);
      if (t.rank === 2) return diagonal(t, k);
      throw new Error(`${op}: expected x of rank 1 or 2, got shape [${t.shape.join(', ')}]`);
    }),
  );
}

/** Keras's one_hot: integer classes x -> one-hot vectors of numClasses on `axis` (default last), float32 unless `dtype` says otherwise. */
export function oneHot(x: TensorLike, numClasses: number, axis = -1, dtype: DType | null = null, sparse = false): Tensor {
  if (arguments.length > 5) throw tooManyArguments('oneHot', 5, arguments.length);
  const op = 'oneHot';
  if (flag(op, 'sparse', sparse)) throw new Error(`${op}: sparse one-hot tensors are not supported; pass sparse false`);
  return asOp(op, () =>
    tidy(() => {
      const y = tfOneHot(x, numClasses, 1, 0, dtype ?? 'float32');
      return axis === -1 ? y : moveaxis(y, -1, axis);
    }),
  );
}

/** Keras's zeros_like: zeros of x's shape, in `dtype` (null: x's). */
export function zerosLike(x: TensorLike, dtype: DType | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('zerosLike', 2, arguments.length);
  return asOp('zerosLike', () => tidy(() => npFullLike(x, 0, dtype)));
}

/** Keras's ones_like: ones of x's shape, in `dtype` (null: x's). */
export function onesLike(x: TensorLike, dtype: DType | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('onesLike', 2, arguments.length);
  return asOp('onesLike', () => tidy(() => npFullLike(x, 1, dtype)));
}
