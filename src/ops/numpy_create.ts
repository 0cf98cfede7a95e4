// keras.ops's creation functions NumPy spells differently (arange, full, full_like); the
// default dtype follows the values, as Keras's: integers int32, other numbers float32.
import { tooManyArguments } from '../options/arity';
import { fill, range, type TensorLike } from '../tensor/creation';
import { checkDType, type DType } from '../tensor/dtype';
import { describe, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';
import { asOp } from './op_name';

/**
 * Evenly spaced numbers from start (inclusive) to stop (exclusive) by step; with stop
 * null, from 0 to start. dtype null: int32 when all three are integers, else float32.
 * @example arange(5) // [0, 1, 2, 3, 4] (int32)
 */
export function arange(start: number, stop: number | null = null, step = 1, dtype: DType | null = null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('arange', 4, arguments.length);
  const op = 'arange';
  for (const [name, v] of [
    ['start', start],
    ['step', step],
  ] as const) {
    if (typeof v !== 'number') throw new Error(`${op}: expected ${name} to be a number, got ${describe(v)}`);
  }
  if (stop !== null && stop !== undefined && typeof stop !== 'number') throw new Error(`${op}: expected stop to be a number or null, got ${describe(stop)}`);
  const [lo, hi] = stop === null || stop === undefined ? [0, start] : [start, stop];
  const type = dtype === null || dtype === undefined ? ([lo, hi, step].every(Number.isInteger) ? 'int32' : 'float32') : checkDType(op, dtype);
  if (step === 0 || !Number.isFinite(step)) throw new Error(`${op}: expected a finite, non-zero step, got ${describe(step)}`);
  return asOp(op, () => range(lo, hi, step, type));
}

function fillDType(op: string, value: unknown, dtype: DType | null | undefined, fallback?: DType): DType {
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new Error(`${op}: expected fillValue to be a number or boolean, got ${describe(value)}`);
  if (dtype !== null && dtype !== undefined) return checkDType(op, dtype);
  if (fallback) return fallback;
  return typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int32' : 'float32';
}

/** A tensor of `shape` filled with fillValue; dtype null follows the value (bool, int32 or float32). */
export function full(shape: Shape, fillValue: number | boolean, dtype: DType | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('full', 3, arguments.length);
  return asOp('full', () => fill(shape, fillValue as number, fillDType('full', fillValue, dtype)));
}

/** A tensor shaped like x filled with fillValue, of x's dtype unless dtype says otherwise. */
export function fullLike(x: TensorLike, fillValue: number | boolean, dtype: DType | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('fullLike', 3, arguments.length);
  const t = toTensor('fullLike', 'x', x);
  return asOp('fullLike', () => fill(t.shape, fillValue as number, fillDType('fullLike', fillValue, dtype, t.dtype), t.device));
}
