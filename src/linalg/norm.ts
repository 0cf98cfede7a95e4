// Vector and matrix norms: keras.ops.linalg.norm (NumPy's ord and axis rules) and the pieces
// TensorFlow.js's ts.norm shares. Compositions of differentiable ops (the spectral and
// nuclear norms through the singular values).
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { cast } from '../ops/cast';
import { notEqual } from '../ops/compare';
import { FLOAT_DTYPES, checkInputDType, toTensor } from '../ops/convert';
import { asOp } from '../ops/op_name';
import { max, min, sum } from '../ops/reduce';
import { reshape } from '../ops/reshape';
import { transpose } from '../ops/transpose';
import { abs, sqrt, square } from '../ops/unary';
import { pow } from '../ops/binary';
import { svd } from './factor';

/** The vector norm of order `ord` (a number, Infinity and -Infinity included; 0 counts the nonzeros) over `axes`. */
export function vectorNorm(op: string, t: Tensor, ord: number, axes: number[] | undefined, keepDims: boolean): Tensor {
  if (typeof ord !== 'number' || Number.isNaN(ord))
    throw new Error(`${op}: expected a vector norm's ord to be a number (or Infinity, -Infinity), got ${describe(ord)}`);
  if (ord === 2) return sqrt(sum(square(t), axes, keepDims));
  if (ord === 1) return sum(abs(t), axes, keepDims);
  if (ord === Infinity) return max(abs(t), axes, keepDims);
  if (ord === -Infinity) return min(abs(t), axes, keepDims);
  if (ord === 0) return sum(cast(notEqual(t, 0), t.dtype), axes, keepDims);
  return pow(sum(pow(abs(t), ord), axes, keepDims), 1 / ord);
}

/** The ords of a matrix norm: Keras's ('fro', 'nuc', +-1, +-2, +-Infinity). */
export type MatrixOrd = 'fro' | 'nuc' | number;

/** The matrix norm of order `ord` over the axis pair [rows, cols] (normalized, distinct). */
export function matrixNorm(op: string, t: Tensor, ord: MatrixOrd, [r, c]: [number, number], keepDims: boolean): Tensor {
  const kept = t.shape.map((d, i) => (i === r || i === c ? 1 : d));
  const outShape = keepDims ? kept : t.shape.filter((_, i) => i !== r && i !== c);
  if (ord === 'fro') return sqrt(sum(square(t), [r, c], keepDims));
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    // 1: the largest column sum (over the rows); Infinity: the largest row sum.
    const [inner, outer] = ord === 1 || ord === -1 ? [r, c] : [c, r];
    const sums = sum(abs(t), inner, true);
    return reshape(ord > 0 ? max(sums, outer, true) : min(sums, outer, true), outShape);
  }
  if (ord === 2 || ord === -2 || ord === 'nuc') {
    const others = t.shape.map((_, i) => i).filter((i) => i !== r && i !== c);
    const s = svd(transpose(t, [...others, r, c]), false, false);
    const last = s.rank - 1;
    return reshape(ord === 2 ? max(s, last) : ord === -2 ? min(s, last) : sum(s, last), outShape);
  }
  throw new Error(`${op}: expected a matrix norm's ord to be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity, got ${describe(ord)}`);
}

/** `axis` as one or two distinct normalized axes of a rank-`rank` tensor. */
export function normAxes(op: string, axis: number | number[], rank: number): number[] {
  const list = Array.isArray(axis) ? axis : [axis];
  if (list.length !== 1 && list.length !== 2) throw new Error(`${op}: expected axis to be one axis or a pair of axes, got ${describe(axis)}`);
  const axes = list.map((a) => {
    if (!Number.isInteger(a)) throw new Error(`${op}: expected axis to hold integers, got ${describe(axis)}`);
    return normalizeAxis(op, a, rank);
  });
  if (axes.length === 2 && axes[0] === axes[1]) throw new Error(`${op}: expected two different axes, got ${describe(axis)}`);
  return axes;
}

/**
 * keras.ops.linalg.norm: with `axis` one axis, the vector norm of order `ord` (default 2;
 * any number, Infinity, -Infinity, 0 the count of nonzeros); with a pair, the matrix norm
 * ('fro' the default, 'nuc', 1, -1, 2, -2, Infinity, -Infinity). With no axis: a vector
 * or matrix norm for x of rank 1 or 2, and with no ord the 2-norm of all entries.
 */
export function norm(x: TensorLike, ord: MatrixOrd | null = null, axis: number | number[] | null = null, keepDims = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('linalg.norm', 4, arguments.length);
  const op = 'linalg.norm';
  if (typeof keepDims !== 'boolean') throw new Error(`${op}: expected keepDims to be true or false, got ${describe(keepDims)}`);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, FLOAT_DTYPES);
      if (axis === null || axis === undefined) {
        if (ord === null || ord === undefined) return sqrt(sum(square(t), undefined, keepDims));
        if (t.rank !== 1 && t.rank !== 2) throw new Error(`${op}: an ord with no axis needs x of rank 1 or 2, got shape [${t.shape.join(', ')}]`);
        axis = t.rank === 1 ? [0] : [0, 1];
      }
      const axes = normAxes(op, axis, t.rank);
      if (axes.length === 2) return matrixNorm(op, t, ord ?? 'fro', axes as [number, number], keepDims);
      if (ord === 'fro' || ord === 'nuc') throw new Error(`${op}: ord '${ord}' is a matrix norm, but axis ${describe(axis)} names one axis`);
      return vectorNorm(op, t, ord ?? 2, axes, keepDims);
    }),
  );
}
