// keras.backend's dtype helpers: Keras's dtype names, what kind each is, and the dtype
// operands of several dtypes are computed in.
import { tooManyArguments } from '../options/arity';
import { upcastDType, type DType } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import { floatx } from './settings';
import { ownEntry } from '../options/own_entry';

// Keras's ALLOWED_DTYPES (keras/src/backend/common/dtypes.py).
const KERAS_DTYPES = new Set([
  'float16',
  'float32',
  'float64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'int8',
  'int16',
  'int32',
  'int64',
  'bfloat16',
  'bool',
  'string',
  'float8_e4m3fn',
  'float8_e5m2',
  'complex64',
  'complex128',
]);

// Python's types by name, as Keras's PYTHON_DTYPES_MAP maps them (JAX backend); 'float'
// stands for Python's float, which JavaScript cannot pass.
const PYTHON_NAMES: Record<string, string> = { int: 'int32', float: 'float32', bool: 'bool', str: 'string', complex: 'complex64' };

/**
 * A dtype name as Keras spells it: null or undefined give floatx, 'int' int32, 'float'
 * float32, 'str' string; a 'torch.float32' or 'jnp.int8' form gives its last part. Names
 * Keras does not know are an error.
 */
export function standardizeDtype(dtype?: string | null): string {
  if (arguments.length > 1) throw tooManyArguments('backend.standardizeDtype', 1, arguments.length);
  return standardize('backend.standardizeDtype', dtype);
}

function standardize(op: string, dtype: unknown): string {
  if (dtype === undefined || dtype === null) return floatx();
  if (typeof dtype !== 'string') throw new Error(`${op}: expected a dtype name such as 'float32' or 'int32', got ${describe(dtype)}`);
  let name = ownEntry(PYTHON_NAMES, dtype) ?? dtype;
  if (/^(torch|jax\.numpy|jnp|np|numpy|tf)\./.test(name)) name = name.slice(name.lastIndexOf('.') + 1);
  if (!KERAS_DTYPES.has(name)) throw new Error(`${op}: unknown dtype '${dtype}'; expected one of ${[...KERAS_DTYPES].join(', ')}`);
  return name;
}

/** True for Keras's float dtypes (float16, bfloat16, float32, float64, float8_*); unknown names are an error. */
export function isFloatDtype(dtype: string): boolean {
  if (arguments.length > 1) throw tooManyArguments('backend.isFloatDtype', 1, arguments.length);
  const name = standardize('backend.isFloatDtype', dtype);
  return name.startsWith('float') || name.startsWith('bfloat');
}

/** True for Keras's signed and unsigned integer dtypes; unknown names are an error. */
export function isIntDtype(dtype: string): boolean {
  if (arguments.length > 1) throw tooManyArguments('backend.isIntDtype', 1, arguments.length);
  const name = standardize('backend.isIntDtype', dtype);
  return name.startsWith('int') || name.startsWith('uint');
}

const TENSOR_DTYPES = new Set<string>(['bool', 'int32', 'float32', 'float64']);

/**
 * The dtype operands of these dtypes are computed in (keras.backend.result_type): Keras's
 * JAX-style promotion over Tessera's tensor dtypes, bool < int32 < float32 < float64. No
 * dtype gives floatx. Keras's other dtypes have no tensors here and are an error.
 */
export function resultType(...dtypes: string[]): DType {
  const op = 'backend.resultType';
  if (dtypes.length === 0) return floatx();
  let result: DType | null = null;
  for (const d of dtypes) {
    const name = standardize(op, d);
    if (!TENSOR_DTYPES.has(name)) throw new Error(`${op}: dtype '${name}' has no tensors in Tessera; expected bool, int32, float32 or float64`);
    result = result === null ? (name as DType) : upcastDType(result, name as DType);
  }
  return result!;
}
