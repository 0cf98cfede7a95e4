// Shared argument handling of the keras.ops wrappers.
import { cast } from '../ops/cast';
import { toTensor } from '../ops/convert';
import type { TensorLike } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/** @internal x as floats: int32 and bool become float32, as Keras's float-valued ops return. */
export function floatInput(op: string, x: TensorLike): Tensor {
  const t = toTensor(op, 'x', x);
  return isFloatDType(t.dtype) ? t : cast(t, 'float32');
}

/** @internal An axis argument that may be null (Keras's None: over the flattened input). */
export function axisOrNull(op: string, axis: unknown): number | null {
  if (axis === null || axis === undefined) return null;
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new Error(`${op}: expected axis to be an integer or null, got ${describe(axis)}`);
  return axis;
}

/** @internal A boolean flag, checked. */
export function flag(op: string, what: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new Error(`${op}: expected ${what} to be true or false, got ${describe(v)}`);
  return v;
}
