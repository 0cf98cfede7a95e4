// keras.ops's all, any, cumsum and cumprod: axis null (the default) works on the flattened
// input where the top level (TensorFlow.js) needs an axis, and all / any take numbers
// (non-zero is true) where the top level takes bools.
import { tooManyArguments } from '../options/arity';
import { all as allBool, any as anyBool } from '../ops/logical_reduce';
import { cast } from '../ops/cast';
import { notEqual } from '../ops/compare';
import { toTensor } from '../ops/convert';
import { asOp } from '../ops/op_name';
import { cumsum as tfCumsum } from '../ops/reduce';
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
