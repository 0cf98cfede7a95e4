// clipByValue, norms and l2Normalize.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { maximum, minimum, mul } from './binary';
import { cast } from './cast';
import { greaterEqual, lessEqual, logicalAnd } from './compare';
import { compositeOp } from './composite';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { sum } from './reduce';
import { rsqrt, square } from './unary';
import { describe } from '../tensor/shape';
import { matrixNorm, normAxes, vectorNorm } from '../linalg/norm';

/** x limited to [clipMin, clipMax]; the gradient passes where x is inside the range. */
export function clipByValue(x: TensorLike, clipMin: number, clipMax: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('clipByValue', 3, arguments.length);
  const op = 'clipByValue';
  const t = toTensor(op, 'x', x);
  if (typeof clipMin !== 'number' || typeof clipMax !== 'number' || !(clipMin <= clipMax)) {
    throw new Error(`${op}: expected clipMin <= clipMax, got ${describe(clipMin)} and ${describe(clipMax)}`);
  }
  return compositeOp(
    op,
    [t],
    () => minimum(maximum(t, clipMin), clipMax),
    () => ({
      save: [t],
      grad: ([dy], [xs]) => [mul(dy, cast(logicalAnd(greaterEqual(xs, clipMin), lessEqual(xs, clipMax)), dy.dtype))],
    }),
  );
}

/** The order of a norm: 'euclidean' (= 2, and 'fro' for matrices), 1, 2, Infinity or -Infinity. */
export type NormOrder = 'euclidean' | 'fro' | 1 | 2 | number;

/**
 * TensorFlow.js's norm: the vector norm of x over `axis` (all entries when omitted), or with
 * a pair of axes the matrix norm ('euclidean' / 'fro', 1, Infinity, -Infinity; the spectral
 * norm is ts.linalg.norm's ord 2).
 */
export function norm(x: TensorLike, ord: NormOrder = 'euclidean', axis?: number | number[] | null, keepDims = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('norm', 4, arguments.length);
  const op = 'norm';
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, FLOAT_DTYPES);
  if (typeof keepDims !== 'boolean') throw new Error(`${op}: expected keepDims to be true or false, got ${describe(keepDims)}`);
  const axes = axis === null || axis === undefined || t.rank === 0 ? undefined : normAxes(op, axis, t.rank);
  const euclidean = ord === 'euclidean' || ord === 'fro';
  if (axes?.length === 2) {
    if (!euclidean && ord !== 1 && ord !== Infinity && ord !== -Infinity) {
      throw new Error(`${op}: expected a matrix norm's ord 'euclidean', 'fro', 1, Infinity or -Infinity, got ${describe(ord)}`);
    }
    return asOp(op, () => tidy(() => matrixNorm(op, t, euclidean ? 'fro' : ord, axes as [number, number], keepDims)));
  }
  if (!euclidean && ord !== 1 && ord !== 2 && ord !== Infinity && ord !== -Infinity) {
    throw new Error(`${op}: expected ord 'euclidean', 1, 2, Infinity or -Infinity, got ${describe(ord)}`);
  }
  return asOp(op, () => tidy(() => vectorNorm(op, t, euclidean ? 2 : (ord as number), axes, keepDims)));
}

/** x / max(||x||, sqrt(epsilon)) along `axis`. */
export function l2Normalize(x: TensorLike, axis?: number | number[], epsilon = 1e-12): Tensor {
  if (arguments.length > 3) throw tooManyArguments('l2Normalize', 3, arguments.length);
  const op = 'l2Normalize';
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, FLOAT_DTYPES);
  if (typeof epsilon !== 'number' || !(epsilon >= 0)) throw new Error(`${op}: expected epsilon >= 0, got ${describe(epsilon)}`);
  return asOp(op, () => tidy(() => mul(t, rsqrt(maximum(sum(square(t), axis, true), epsilon)))));
}
