// Argument checks shared by ts.util's functions (TensorFlow.js's tf.util): a wrong argument
// is an error naming the function, not NaN or a TypeError from inside it.
import { checkDType, type DType } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import { ownEntry } from '../options/own_entry';
import { checkReadableView } from '../tensor/typed_array_checks';

/** A plain number or typed array of numbers, as tf.util's numeric helpers take them. */
export type NumericArray =
  number[] | Float32Array | Int32Array | Float64Array | Uint8Array | Uint8ClampedArray | Uint32Array | Int16Array | Uint16Array | Int8Array;

/** Throws unless `v` is a number (NaN refused: it would pass through every helper unseen). */
export function checkNumber(op: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`${op}: expected ${what} to be a number, got ${describe(v)}`);
  return v;
}

/** Throws unless `v` is an integer in [min, max]. */
export function checkInteger(op: string, what: string, v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new Error(`${op}: expected ${what} to be an integer ${range}, got ${describe(v)}`);
  }
  return v;
}

/** Throws unless `v` is an array or typed array of numbers. */
export function checkNumbers(op: string, what: string, v: unknown): ArrayLike<number> {
  if (ArrayBuffer.isView(v)) {
    checkReadableView(op, what, v);
    return v as unknown as ArrayLike<number>;
  }
  if (!Array.isArray(v)) throw new Error(`${op}: expected ${what} to be an array or typed array of numbers, got ${describe(v)}`);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'number') throw new Error(`${op}: expected ${what} to hold numbers, got ${describe(v[i])} at index ${i}`);
  }
  return v as number[];
}

/** Throws unless `v` is an array of integers >= `min` (a shape: no rank limit, as TensorFlow.js has none). */
export function checkDims(op: string, what: string, v: unknown, min = 0): number[] {
  if (!Array.isArray(v)) throw new Error(`${op}: expected ${what} to be an array of integers, got ${describe(v)}`);
  for (let i = 0; i < v.length; i++) {
    const d = v[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < min || d > Number.MAX_SAFE_INTEGER) {
      throw new Error(`${op}: expected ${what} entries to be integers >= ${min}, got ${describe(d)} at index ${i}`);
    }
  }
  return v as number[];
}

// TensorFlow.js's dtypes that Tessera has no tensors of.
const TFJS_ONLY: Record<string, string> = {
  string: 'Tessera has no string tensors',
  complex64: 'Tessera has no complex64 tensors',
};

/**
 * A dtype argument: one of Tessera's, float32 when null or undefined (TensorFlow.js's
 * default); TensorFlow.js's 'string' and 'complex64' refused by name.
 */
export function checkUtilDType(op: string, dtype: unknown): DType {
  if (dtype === undefined || dtype === null) return 'float32';
  const tfjsOnly = ownEntry(TFJS_ONLY, dtype);
  if (tfjsOnly !== undefined) throw new Error(`${op}: dtype '${String(dtype)}' is not supported: ${tfjsOnly} (float32, int32, float64, bool)`);
  return checkDType(op, dtype);
}
