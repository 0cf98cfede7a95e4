// keras.ops's reductions where the top level differs: all / any take numbers (non-zero is
// true), cumsum / cumprod flatten for axis null (the default), sum and prod count bools as
// int32 (prod with a dtype), max and min take Keras's `initial` and keep bools bools.
import { tooManyArguments } from '../options/arity';
import { all as allBool, any as anyBool } from '../ops/logical_reduce';
import { cast } from '../ops/cast';
import { notEqual } from '../ops/compare';
import { toTensor } from '../ops/convert';
import { asOp } from '../ops/op_name';
import { cumsum as tfCumsum, prod as tfProd, sum as tfSum } from '../ops/reduce';
import { amax, amin } from '../ops/keras_aliases';
import { maximum, minimum } from '../ops/binary';
import { reshape } from '../ops/reshape';
import { cumprod as tfCumprod } from '../ops/tfjs_grid';
import type { TensorLike } from '../tensor/creation';
import { checkDType, type DType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { axisOrNull, flag } from './common';

function truth(op: string, x: TensorLike): Tensor {
  const t = toTensor(op, 'x', x);
  return t.dtype === 'bool' ? t : notEqual(t, 0);
}

/** Keras's all: whether every element (non-zero is true) is, over `axis` (null: all axes). */
export function all(x: TensorLike, axis: number | number[] | null = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('all', 3, arguments.length);
  flag('all', 'keepdims', keepdims);
  return asOp('all', () => tidy(() => allBool(truth('all', x), axis ?? undefined, keepdims)));
}

/** Keras's any: whether any element (non-zero is true) is, over `axis` (null: all axes). */
export function any(x: TensorLike, axis: number | number[] | null = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('any', 3, arguments.length);
  flag('any', 'keepdims', keepdims);
  return asOp('any', () => tidy(() => anyBool(truth('any', x), axis ?? undefined, keepdims)));
}

// x in `dtype` (null: as is; bool counts as int32), flattened when axis is null.
function scanInput(op: string, x: TensorLike, axis: unknown, dtype: DType | null): [Tensor, number] {
  const a = axisOrNull(op, axis);
  let t = toTensor(op, 'x', x);
  if (dtype !== null) t = cast(t, checkDType(op, dtype));
  else if (t.dtype === 'bool') t = cast(t, 'int32');
  return a === null ? [reshape(t, [-1]), 0] : [t, a];
}

/** Keras's cumsum: running sums along `axis` (null: of the flattened input), in `dtype` (null: x's). */
export function cumsum(x: TensorLike, axis: number | null = null, dtype: DType | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('cumsum', 3, arguments.length);
  return asOp('cumsum', () => tidy(() => tfCumsum(...scanInput('cumsum', x, axis, dtype))));
}

/** Keras's cumprod: running products along `axis` (null: of the flattened input), in `dtype` (null: x's). */
export function cumprod(x: TensorLike, axis: number | null = null, dtype: DType | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('cumprod', 3, arguments.length);
  return asOp('cumprod', () => tidy(() => tfCumprod(...scanInput('cumprod', x, axis, dtype))));
}

// Keras's sum and prod count bools as int32; `dtype` (null: x's) casts the input first.
function reduceInput(op: string, x: TensorLike, dtype: DType | null): Tensor {
  const t = toTensor(op, 'x', x);
  if (dtype !== null) return cast(t, checkDType(op, dtype));
  return t.dtype === 'bool' ? cast(t, 'int32') : t;
}

/** Keras's sum: over `axis` (null: all axes); bools count as int32. */
export function sum(x: TensorLike, axis: number | number[] | null = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('sum', 3, arguments.length);
  flag('sum', 'keepdims', keepdims);
  return asOp('sum', () => tidy(() => tfSum(reduceInput('sum', x, null), axis ?? undefined, keepdims)));
}

/** Keras's prod: the product over `axis` (null: all axes), in `dtype` (null: x's; bools as int32). */
export function prod(x: TensorLike, axis: number | number[] | null = null, keepdims = false, dtype: DType | null = null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('prod', 4, arguments.length);
  flag('prod', 'keepdims', keepdims);
  return asOp('prod', () => tidy(() => tfProd(reduceInput('prod', x, dtype), axis ?? undefined, keepdims)));
}

// max and min: amax / amin, then bounded by `initial`; a bool input gives bools, as in Keras.
function extremum(
  op: string,
  f: typeof amax,
  bound: typeof maximum,
  x: TensorLike,
  axis: number | number[] | null,
  keepdims: boolean,
  initial: number | null,
): Tensor {
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      let y = f(t, axis, keepdims);
      if (initial !== null) y = bound(y, initial);
      return t.dtype === 'bool' ? cast(y, 'bool') : y;
    }),
  );
}

/** Keras's max: the maximum over `axis` (null: all axes), at least `initial` when given. */
export function max(x: TensorLike, axis: number | number[] | null = null, keepdims = false, initial: number | null = null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('max', 4, arguments.length);
  return extremum('max', amax, maximum, x, axis, keepdims, initial);
}

/** Keras's min: the minimum over `axis` (null: all axes), at most `initial` when given. */
export function min(x: TensorLike, axis: number | number[] | null = null, keepdims = false, initial: number | null = null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('min', 4, arguments.length);
  return extremum('min', amin, minimum, x, axis, keepdims, initial);
}
