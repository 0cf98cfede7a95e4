// ts.util's dtype and typed-array helpers (TensorFlow.js's tf.util.getArrayFromDType,
// toTypedArray, inferDtype, ...), for Tessera's dtypes: float64 is one more, and
// TensorFlow.js's 'string' and 'complex64' are refused by name (no such tensors here).
import { allocTypedArray, checkAllocation, checkDType, type DType, type TypedArray } from '../tensor/dtype';
import { MAX_RANK, describe, sizeOf } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';
import { checkDims, checkInteger, checkNumbers, checkUtilDType } from './tfjs_util_checks';
import { flatten } from './tfjs_util';

/** A nested array of numbers, as toNestedArray returns it (a number for a scalar). */
export type NestedNumbers = number | NestedNumbers[];

const BYTES: Record<DType, number> = { float32: 4, int32: 4, float64: 8, bool: 1 };

/** A zero-filled typed array of `dtype` (float32 by default) with `size` elements. */
export function getTypedArrayFromDType(dtype: DType | null | undefined, size: number): TypedArray {
  if (arguments.length > 2) throw tooManyArguments('util.getTypedArrayFromDType', 2, arguments.length);
  return zeros('util.getTypedArrayFromDType', dtype, size);
}

/** getTypedArrayFromDType under TensorFlow.js's other name. */
export function getArrayFromDType(dtype: DType | null | undefined, size: number): TypedArray {
  if (arguments.length > 2) throw tooManyArguments('util.getArrayFromDType', 2, arguments.length);
  return zeros('util.getArrayFromDType', dtype, size);
}

/** A zero-filled typed array of `dtype` (float32 by default) with `size` elements. */
export function makeZerosTypedArray(size: number, dtype?: DType | null): TypedArray {
  if (arguments.length > 2) throw tooManyArguments('util.makeZerosTypedArray', 2, arguments.length);
  return zeros('util.makeZerosTypedArray', dtype, size);
}

/** A typed array of `dtype` (float32 by default) with `size` ones. */
export function makeOnesTypedArray(size: number, dtype?: DType | null): TypedArray {
  if (arguments.length > 2) throw tooManyArguments('util.makeOnesTypedArray', 2, arguments.length);
  return zeros('util.makeOnesTypedArray', dtype, size).fill(1);
}

function zeros(op: string, dtype: unknown, size: unknown): TypedArray {
  const dt = checkUtilDType(op, dtype);
  return allocTypedArray(dt, checkInteger(op, 'size', size), op);
}

/** Nested arrays of zeros in `shape` (a number for []), `dtype` float32 by default. */
export function makeZerosNestedTypedArray(shape: number[], dtype?: DType | null): NestedNumbers {
  if (arguments.length > 2) throw tooManyArguments('util.makeZerosNestedTypedArray', 2, arguments.length);
  const op = 'util.makeZerosNestedTypedArray';
  const dt = checkUtilDType(op, dtype);
  const size = sizeOf(checkDims(op, 'shape', shape));
  return nest(op, shape, allocTypedArray(dt, size, op));
}

/** The values of a flat array in nested arrays of `shape` (a number for [], [] for an empty shape). */
export function toNestedArray(shape: number[], a: ArrayLike<number>, isComplex = false): NestedNumbers {
  if (arguments.length > 3) throw tooManyArguments('util.toNestedArray', 3, arguments.length);
  const op = 'util.toNestedArray';
  if (isComplex !== false) throw new Error(`${op}: isComplex ${describe(isComplex)} is not supported: Tessera has no complex64 tensors`);
  checkDims(op, 'shape', shape);
  return nest(op, shape, checkNumbers(op, 'a', a));
}

function nest(op: string, shape: number[], a: ArrayLike<number>): NestedNumbers {
  if (shape.length === 0) return a[0];
  const size = sizeOf(shape);
  if (size === 0) return [];
  if (size !== a.length) throw new Error(`${op}: shape [${shape}] has ${size} elements, but the array holds ${a.length}`);
  // JS arrays live on V8's heap: a number each, about 8 bytes.
  checkAllocation(op, 'float64', size, 'the nested arrays', true);
  const build = (offset: number, dims: number[]): NestedNumbers[] => {
    const out: NestedNumbers[] = [];
    if (dims.length === 1) {
      for (let i = 0; i < dims[0]; i++) out.push(a[offset + i]);
      return out;
    }
    const rest = dims.slice(1);
    const len = sizeOf(rest);
    for (let i = 0; i < dims[0]; i++) out.push(build(offset + i * len, rest));
    return out;
  };
  return build(0, shape);
}

/** Throws if any value is NaN or infinite: `A tensor of type ${dtype} being uploaded contains ${value}.` */
export function checkConversionForErrors(vals: ArrayLike<number>, dtype: DType): void {
  if (arguments.length > 2) throw tooManyArguments('util.checkConversionForErrors', 2, arguments.length);
  const op = 'util.checkConversionForErrors';
  const v = checkNumbers(op, 'vals', vals);
  checkUtilDType(op, dtype);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) throw new Error(`${op}: A tensor of type ${dtype} being uploaded contains ${v[i]}.`);
  }
}

/** True for a dtype Tessera has tensors of: float32, int32, float64, bool (not TensorFlow.js's string and complex64). */
export function isValidDtype(dtype: unknown): boolean {
  if (arguments.length > 1) throw tooManyArguments('util.isValidDtype', 1, arguments.length);
  return dtype === 'float32' || dtype === 'int32' || dtype === 'float64' || dtype === 'bool';
}

// Which dtypes each converts to without loss, as TensorFlow.js counts it (int32 -> float32
// is lossless there), with float64 holding everything and held only by itself.
const LOSSLESS: Record<DType, DType[]> = {
  bool: ['bool', 'int32', 'float32', 'float64'],
  int32: ['int32', 'float32', 'float64'],
  float32: ['float32', 'float64'],
  float64: ['float64'],
};

/** True when casting from `oldType` to `newType` can lose information. */
export function hasEncodingLoss(oldType: DType, newType: DType): boolean {
  if (arguments.length > 2) throw tooManyArguments('util.hasEncodingLoss', 2, arguments.length);
  const op = 'util.hasEncodingLoss';
  // No float32 default here: both sides are the question.
  if (oldType == null || newType == null)
    throw new Error(`${op}: expected oldType and newType to be dtypes, got ${describe(oldType)} and ${describe(newType)}`);
  return !LOSSLESS[checkUtilDType(op, oldType)].includes(checkUtilDType(op, newType));
}

/** Bytes per element of a dtype. */
export function bytesPerElement(dtype: DType): number {
  if (arguments.length > 1) throw tooManyArguments('util.bytesPerElement', 1, arguments.length);
  const op = 'util.bytesPerElement';
  if (dtype == null) throw new Error(`${op}: expected dtype to be a dtype, got ${describe(dtype)}`);
  return BYTES[checkUtilDType(op, dtype)];
}

/**
 * The dtype a tensor of these values gets in TensorFlow.js: from the first value of nested
 * arrays; int32 for Int32Array, Uint8Array and Uint8ClampedArray; float64 for Float64Array
 * (TensorFlow.js has none); bool for booleans; float32 otherwise. Strings are refused.
 */
export function inferDtype(values: unknown): DType {
  if (arguments.length > 1) throw tooManyArguments('util.inferDtype', 1, arguments.length);
  let v = values;
  for (let depth = 0; Array.isArray(v); depth++) {
    // An array that holds itself (a = [a]) nests forever: the rank limit ends the walk.
    if (depth === MAX_RANK)
      throw new Error(`util.inferDtype: nested arrays deeper than ${MAX_RANK} levels (the most a tensor has); is an array inside itself?`);
    v = v[0];
  }
  if (v instanceof Float32Array) return 'float32';
  if (v instanceof Float64Array) return 'float64';
  if (v instanceof Int32Array || v instanceof Uint8Array || v instanceof Uint8ClampedArray) return 'int32';
  if (typeof v === 'string' || v instanceof String) throw new Error(`util.inferDtype: strings have no dtype here: Tessera has no string tensors`);
  if (typeof v === 'boolean') return 'bool';
  return 'float32';
}

/**
 * True for the typed arrays TensorFlow.js reads tensor data from (Float32Array, Int32Array,
 * Uint8Array, Uint8ClampedArray), and Float64Array, which Tessera's float64 tensors read.
 */
export function isTypedArray(a: unknown): a is Float32Array | Int32Array | Uint8Array | Uint8ClampedArray | Float64Array {
  if (arguments.length > 1) throw tooManyArguments('util.isTypedArray', 1, arguments.length);
  return a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray || a instanceof Float64Array;
}

/**
 * Numbers (nested arrays flattened, or a typed array) as a typed array of `dtype`: the same
 * array when it already is one; for bool, 1 where the value rounds to non-zero.
 */
export function toTypedArray(a: ArrayLike<unknown>, dtype: DType): TypedArray {
  if (arguments.length > 2) throw tooManyArguments('util.toTypedArray', 2, arguments.length);
  const op = 'util.toTypedArray';
  const dt = checkUtilDType(op, dtype);
  let values: ArrayLike<number>;
  if (Array.isArray(a)) {
    const flat = flatten(a as unknown[]);
    flat.forEach((x, i) => {
      if (typeof x !== 'number' && typeof x !== 'boolean') throw new Error(`${op}: expected numbers or booleans, got ${describe(x)} at flat index ${i}`);
    });
    values = flat as number[];
  } else {
    values = checkNumbers(op, 'a', a);
  }
  if (
    (values instanceof Float32Array && dt === 'float32') ||
    (values instanceof Int32Array && dt === 'int32') ||
    (values instanceof Uint8Array && dt === 'bool')
  )
    return values;
  if (values instanceof Float64Array && dt === 'float64') return values;
  const out = allocTypedArray(checkDType(op, dt), values.length, op);
  if (dt === 'bool') for (let i = 0; i < out.length; i++) out[i] = Math.round(values[i]) !== 0 ? 1 : 0;
  else for (let i = 0; i < out.length; i++) out[i] = values[i];
  return out;
}
