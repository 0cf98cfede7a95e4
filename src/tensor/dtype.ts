// Element types, their native codes, and the typed arrays that hold them in JS.
import { freemem, totalmem } from 'node:os';
import { describe } from './shape';
import { ownEntry } from '../options/own_entry';

/** Element type of a tensor. `bool` is stored as one byte per element. */
export type DType = 'float32' | 'int32' | 'float64' | 'bool';

/** The typed array a tensor's data is read into. */
export type TypedArray = Float32Array | Int32Array | Float64Array | Uint8Array;

/** Native dtype codes (native/include/tessera/abi.h). */
export const DTYPE_CODE: Record<DType, number> = { float32: 0, int32: 1, float64: 2, bool: 3 };

const DTYPES: readonly DType[] = ['float32', 'int32', 'float64', 'bool'];

// Bytes per element (allocTypedArray's memory check).
const DTYPE_BYTES: Record<DType, number> = { float32: 4, int32: 4, float64: 8, bool: 1 };

/** True for dtypes that can carry gradients. */
export function isFloatDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

// Keras's and NumPy's dtypes that have no tensor of their own here: which one to write instead.
const NEAREST: Record<string, string> = {
  int64: "int32 (Keras's int64 token ids and labels are int32 here)",
  int16: 'int32',
  int8: 'int32',
  uint8: 'int32 (or float32 for pixels)',
  float16: 'float32',
  bfloat16: 'float32',
};

/** Throws unless `dtype` is a known dtype name. */
export function checkDType(op: string, dtype: unknown): DType {
  if (typeof dtype !== 'string' || !DTYPES.includes(dtype as DType)) {
    const nearest = ownEntry(NEAREST, dtype);
    throw new Error(`${op}: expected dtype to be one of ${DTYPES.join(', ')}, got ${describe(dtype)}${nearest ? `; write ${nearest}` : ''}`);
  }
  return dtype as DType;
}

// V8's largest typed array.
const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;
// From this size on, allocations are compared with the memory available (as the native
// allocator does, native/src/core/cpu_backend.cpp): a read of /proc, nothing next to the fill.
const CHECK_AVAILABLE_BYTES = 256 * 2 ** 20;

// The memory this process may still take: MemAvailable and the cgroup's headroom
// (process.availableMemory, Node 20.13+), else the free memory.
function availableBytes(): number {
  const p = process as { availableMemory?: () => number };
  return Math.min(totalmem(), typeof p.availableMemory === 'function' ? p.availableMemory() : freemem());
}

/**
 * Throws unless `length` values of `dtype` fit in the memory available now: for an op whose
 * output (or a scratch tensor) is sized by an argument's value, so that a huge size is a
 * clear error naming the op, the count and the limit before any work or allocation (the
 * native allocator would refuse it too, but later and naming an inner kernel).
 * `typedArray` adds V8's limit on one typed array (2^32 values), for data built in JS.
 */
export function checkAllocation(op: string, dtype: DType, length: number, what = 'the result', typedArray = false): void {
  const bytes = length * DTYPE_BYTES[dtype];
  if (typedArray && !(length <= MAX_TYPED_ARRAY_LENGTH)) {
    throw new Error(
      `${op}: ${what} would hold ${length} ${dtype} values (${bytes} bytes); the most a tensor built in JavaScript can hold is ${MAX_TYPED_ARRAY_LENGTH} (2^32 values)`,
    );
  }
  if (!(bytes < CHECK_AVAILABLE_BYTES)) {
    const available = availableBytes();
    if (!(bytes <= available)) {
      throw new Error(
        `${op}: ${what} would hold ${length} ${dtype} values (${bytes} bytes), more than the memory available (${available} bytes, ` +
          `${Math.floor(available / DTYPE_BYTES[dtype])} ${dtype} values)`,
      );
    }
  }
}

/**
 * A new typed array of `dtype` with `length` elements. Given `op`, a length no typed array
 * can have, or more bytes than the memory available, is a clear error naming the op
 * (not V8's "Invalid typed array length", nor gigabytes filled before failing).
 */
export function allocTypedArray(dtype: DType, length: number, op?: string): TypedArray {
  if (op === undefined) return newTypedArray(dtype, length);
  checkAllocation(op, dtype, length, 'the result', true);
  try {
    return newTypedArray(dtype, length);
  } catch (e) {
    // Within both limits, but the process may not get that much (a ulimit, memory taken
    // since): V8 says only "Array buffer allocation failed".
    if (!(e instanceof RangeError)) throw e;
    const bytes = length * DTYPE_BYTES[dtype];
    throw new Error(`${op}: could not allocate ${length} ${dtype} values (${bytes} bytes): the process was refused that much memory`, { cause: e });
  }
}

function newTypedArray(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'bool':
      return new Uint8Array(length);
  }
}

/** The dtype a typed array maps to, or undefined for other arrays. */
export function dtypeOfTypedArray(a: ArrayBufferView): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Uint8Array) return 'bool';
  return undefined;
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** The dtype two operands are computed in (as TensorFlow.js upcasts: bool < int32 < float32 < float64). */
export function upcastDType(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}
