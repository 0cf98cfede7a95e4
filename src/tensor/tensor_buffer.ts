// TensorFlow.js's TensorBuffer: a mutable host array with a shape, filled element by element
// (`buf.set(value, i, j)`) and then turned into a tensor. Every location is checked: a
// wrong count or an index out of range is an error, never a write somewhere else.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray } from './creation';
import { allocTypedArray, checkDType, type DType, type TypedArray } from './dtype';
import { checkElementCount, checkShape, describe, sizeOf, type Shape } from './shape';
import type { Tensor } from './tensor';
import { checkReadableView } from './typed_array_checks';

/** A mutable array of `shape` and `dtype` on the host, as TensorFlow.js's TensorBuffer. */
export class TensorBuffer {
  /** The buffer's shape. */
  readonly shape: Shape;
  /** The dtype of its values and of the tensor toTensor makes. */
  readonly dtype: DType;
  /** Its values, row-major (bool as 0 / 1). */
  readonly values: TypedArray;
  /** How many values it holds. */
  readonly size: number;
  /** Row-major strides of the leading dimensions (TensorFlow.js's: the last is 1 and left out). */
  readonly strides: number[];

  /** A buffer of zeros, or over `values` (a typed array of the dtype's, or numbers, copied). */
  constructor(shape: Shape, dtype: DType = 'float32', values?: TypedArray | ArrayLike<number | boolean>) {
    if (arguments.length > 3) throw tooManyArguments('TensorBuffer', 3, arguments.length);
    const op = 'buffer';
    this.shape = checkShape(op, shape).slice();
    this.dtype = checkDType(op, dtype);
    checkElementCount(op, this.shape);
    this.size = sizeOf(this.shape);
    this.strides = this.shape.slice(1).map((_, i) => sizeOf(this.shape.slice(i + 1)));
    if (values === undefined || values === null) this.values = allocTypedArray(this.dtype, this.size, op);
    else {
      if (typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
        throw new Error(`${op}: expected values to be an array or a typed array, got ${describe(values)}`);
      }
      if (ArrayBuffer.isView(values)) checkReadableView(op, 'values', values);
      if (values.length !== this.size) throw new Error(`${op}: expected ${this.size} values for shape [${this.shape.join(', ')}], got ${values.length}`);
      this.values = allocTypedArray(this.dtype, this.size, op);
      for (let i = 0; i < this.size; i++) {
        const v = values[i];
        if (typeof v !== 'number' && typeof v !== 'boolean') throw new Error(`${op}: expected numbers or booleans, got ${describe(v)} at index ${i}`);
        this.values[i] = Number(v);
      }
    }
  }

  /** Its rank. */
  get rank(): number {
    return this.shape.length;
  }

  /** Writes `value` at the location (one index per dimension). */
  set(value: number | boolean, ...locs: number[]): void {
    if (typeof value !== 'number' && typeof value !== 'boolean')
      throw new Error(`TensorBuffer.set: expected a number or boolean value, got ${describe(value)}`);
    this.values[this.locToIndex(locs)] = Number(value);
  }

  /** The value at the location (one index per dimension); a bool buffer's as true / false. */
  get(...locs: number[]): number | boolean {
    const v = this.values[this.locToIndex(locs)];
    return this.dtype === 'bool' ? v !== 0 : v;
  }

  /** The flat (row-major) index of a location. */
  locToIndex(locs: number[]): number {
    if (arguments.length > 1) throw tooManyArguments('TensorBuffer.locToIndex', 1, arguments.length);
    if (!Array.isArray(locs) || locs.length !== this.rank) {
      throw new Error(`TensorBuffer: expected ${this.rank} indices for shape [${this.shape.join(', ')}], got ${describe(locs)}`);
    }
    let index = 0;
    for (let d = 0; d < this.rank; d++) {
      const i = locs[d];
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[d]) {
        throw new Error(`TensorBuffer: index ${describe(i)} out of range for dimension ${d} of size ${this.shape[d]} (shape [${this.shape.join(', ')}])`);
      }
      index += d < this.rank - 1 ? i * this.strides[d] : i;
    }
    return index;
  }

  /** The location (one index per dimension) of a flat index. */
  indexToLoc(index: number): number[] {
    if (arguments.length > 1) throw tooManyArguments('TensorBuffer.indexToLoc', 1, arguments.length);
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new Error(`TensorBuffer.indexToLoc: expected an integer index in [0, ${this.size}), got ${describe(index)}`);
    }
    return this.shape.map((_, d) => (d < this.rank - 1 ? Math.floor(index / this.strides[d]) % this.shape[d] : index % this.shape[d]));
  }

  /** A new tensor of the buffer's values (copied: later writes do not reach it). */
  toTensor(): Tensor {
    if (arguments.length > 0) throw tooManyArguments('TensorBuffer.toTensor', 0, arguments.length);
    return fromTypedArray(this.values.slice(), this.shape, this.dtype);
  }
}

/**
 * A TensorBuffer of `shape` and `dtype` (default float32): zeros, or `values`
 * (TensorFlow.js's tf.buffer).
 * @example const b = buffer([2, 2]); b.set(5, 0, 1); b.toTensor()
 */
export function buffer(shape: Shape, dtype: DType = 'float32', values?: TypedArray | ArrayLike<number | boolean>): TensorBuffer {
  if (arguments.length > 3) throw tooManyArguments('buffer', 3, arguments.length);
  return new TensorBuffer(shape, dtype, values);
}
