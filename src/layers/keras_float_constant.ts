// A whole number written as a float among a Keras operation's constants (`1.0 - x`,
// `x * 2.0`). JSON parsed in JS has no 1.0 apart from 1, yet in Keras the difference is
// the result's dtype: a Python float next to an int or bool tensor makes the result
// floatx, a Python int keeps it int (keras/src/backend/common/dtypes.py: Python scalars
// are "weak" types). Loading marks such constants (saving/keras_json) and they run here
// as Keras's weak floats; saving writes them back as '1.0'.
import { floatx } from '../config/settings';
import { FLOAT_DTYPES } from '../ops/convert';
import { scalar } from '../tensor/creation';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** @internal A float constant of an operation's call, as a KerasOperation's args hold it. */
export interface FloatConstant {
  class_name: '__float__';
  config: { value: number };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @internal Whether `v` is a float constant's marker (its value unchecked). */
export const isFloatConstant = (v: unknown): v is FloatConstant => isObj(v) && v.class_name === '__float__';

/** @internal The marker of the float constant `value`. */
export const floatConstant = (value: number): FloatConstant => ({ class_name: '__float__', config: { value } });

/** @internal Throws, naming `where`, for a float constant among `args` (nested in lists) whose value is not a finite number. */
export function checkFloatConstants(args: unknown, where: string): void {
  if (Array.isArray(args)) for (const a of args) checkFloatConstants(a, where);
  else if (isFloatConstant(args)) {
    const value = isObj(args.config) ? args.config.value : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || Object.keys(args).length !== 2 || Object.keys(args.config).length !== 1)
      throw new Error(`${where}: expected a float constant {class_name: '__float__', config: {value: <finite number>}}, got ${describe(args)}`);
  }
}

/**
 * @internal The call's arguments with the scalar constants at the `operands` positions
 * (those whose dtypes make the result's, as Keras's result_type takes them) as Keras's
 * weak types: a float constant is a number (taking a float tensor's dtype) when some
 * operand is a float tensor, else a floatx scalar, which promotes int and bool operands;
 * with no tensor among the operands (`where(c, 1, 0)`), an int is an int32 scalar. Float
 * constants elsewhere are left for the op to refuse.
 */
export function weakScalars(args: unknown[], operands: readonly number[]): unknown[] {
  const tensors = operands.filter((i) => args[i] instanceof Tensor);
  const floats = operands.some((i) => isFloatConstant(args[i]));
  if (!floats && tensors.length > 0) return args;
  const float = tensors.some((i) => FLOAT_DTYPES.includes((args[i] as Tensor).dtype));
  return args.map((a, i) => {
    if (!operands.includes(i)) return a;
    if (isFloatConstant(a)) return float ? a.config.value : scalar(a.config.value, floatx());
    return tensors.length === 0 && typeof a === 'number' && Number.isInteger(a) && Math.abs(a) < 2 ** 31 ? scalar(a, 'int32') : a;
  });
}
