// Turning op arguments into tensors, with errors that name the op and the argument.
import { tensor, type TensorLike } from '../tensor/creation';
import { type DType } from '../tensor/dtype';
import { checkNoHoles, describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/**
 * x as a tensor. Numbers and arrays become tensors of `dtype` (default: float32, or the
 * dtype of the other operand for binary ops); the caller disposes what was created here
 * when `created` is given.
 */
export function toTensor(op: string, arg: string, x: TensorLike, dtype?: DType, created?: Tensor[]): Tensor {
  if (x instanceof Tensor) {
    if (x.isDisposed) throw new Error(`${op}: argument '${arg}' is a disposed tensor (shape [${x.shape.join(', ')}])`);
    return x;
  }
  if (typeof x === 'number' || typeof x === 'boolean' || Array.isArray(x) || ArrayBuffer.isView(x)) {
    // tensor() would name itself, not the op, for a hole ([0, , 1]).
    checkNoHoles(op, `argument '${arg}'`, x, arg);
    const t = tensor(x, undefined, dtype);
    created?.push(t);
    return t;
  }
  // keras.ops on a functional model's symbolic tensors has no counterpart: the way is a layer.
  const symbolic = x !== null && typeof x === 'object' && (x as object).constructor?.name === 'SymbolicTensor';
  const hint = symbolic
    ? `; ops compute on tensors, so inside a functional model wrap the computation in a layer: layers.lambda({ function: (x) => ts.${op}(x, ...) })`
    : '';
  throw new Error(`${op}: expected argument '${arg}' to be a Tensor, number, boolean or array, got ${describe(x)}${hint}`);
}

/**
 * toTensor for int32 indices. Given as JS numbers they must be integers: converting to
 * int32 would truncate 1.5 to 1 and pick a slice nobody asked for.
 */
export function toIndexTensor(op: string, arg: string, x: TensorLike, created?: Tensor[]): Tensor {
  if (!(x instanceof Tensor)) {
    checkNoHoles(op, `argument '${arg}'`, x, arg);
    const bad = firstNonInteger(x);
    if (bad !== undefined) throw new Error(`${op}: expected argument '${arg}' to hold integers, got ${describe(bad)}`);
  }
  return toTensor(op, arg, x, 'int32', created);
}

// The first number in nested arrays or a typed array that is not an integer.
function firstNonInteger(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isInteger(x) ? undefined : x;
  if (x instanceof Float32Array || x instanceof Float64Array) return x.find((v) => !Number.isInteger(v));
  if (!Array.isArray(x)) return undefined;
  for (const v of x) {
    const bad = firstNonInteger(v);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/** Throws unless x has one of the allowed dtypes. */
export function checkInputDType(op: string, arg: string, x: Tensor, allowed: readonly DType[]): void {
  if (!allowed.includes(x.dtype)) {
    throw new Error(`${op}: expected argument '${arg}' to have dtype ${allowed.join(' or ')}, got ${x.dtype}`);
  }
}

export const FLOAT_DTYPES: readonly DType[] = ['float32', 'float64'];
export const NUMERIC_DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];
