// ts.util: the TensorFlow.js tf.util functions a user's data preparation calls
// (`tf.util.shuffle(data)` in TensorFlow.js's getting-started tutorials). Shuffles draw from
// the global seed, so setSeed() repeats them.
import { shuffleInPlace } from '../data/dataset';
import { seededRandom } from '../tensor/seeded_random';
import { checkFunction } from '../tensor/check_function';
import { allocTypedArray } from '../tensor/dtype';
import { checkShape, describe, sizeOf } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';
import { checkReadableView } from '../tensor/typed_array_checks';

type Shuffleable<T> = T[] | Uint32Array | Int32Array | Float32Array;

function checkShuffleable(op: string, what: string, array: unknown): { length: number } {
  if (!Array.isArray(array) && !(array instanceof Uint32Array || array instanceof Int32Array || array instanceof Float32Array))
    throw new Error(`${op}: expected ${what} to be an array or a Uint32Array / Int32Array / Float32Array, got ${describe(array)}`);
  return array;
}

/** Shuffles `array` in place (Fisher-Yates). */
export function shuffle<T>(array: Shuffleable<T>): void {
  if (arguments.length > 1) throw tooManyArguments('util.shuffle', 1, arguments.length);
  checkShuffleable('util.shuffle', 'array', array);
  shuffleInPlace(array as T[], seededRandom('util.shuffle'));
}

/** Shuffles two arrays of one length in place, in the same order (samples and their labels). */
export function shuffleCombo<T, U>(array: Shuffleable<T>, array2: Shuffleable<U>): void {
  if (arguments.length > 2) throw tooManyArguments('util.shuffleCombo', 2, arguments.length);
  const op = 'util.shuffleCombo';
  const a = checkShuffleable(op, 'array', array);
  const b = checkShuffleable(op, 'array2', array2);
  if (a.length !== b.length) throw new Error(`${op}: the arrays differ in length (${a.length} and ${b.length})`);
  const order = createShuffledIndices(a.length);
  const copyA = Array.from(array as ArrayLike<T>);
  const copyB = Array.from(array2 as ArrayLike<U>);
  for (let i = 0; i < order.length; i++) {
    (array as T[])[i] = copyA[order[i]];
    (array2 as U[])[i] = copyB[order[i]];
  }
}

/** 0 .. n - 1 in a random order. */
export function createShuffledIndices(n: number): Uint32Array {
  if (arguments.length > 1) throw tooManyArguments('util.createShuffledIndices', 1, arguments.length);
  const op = 'util.createShuffledIndices';
  // int32's range: the indices are for gather and slices, whose indices are int32.
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) throw new Error(`${op}: expected n to be an integer from 0 to 2^31 - 1, got ${describe(n)}`);
  // int32's size and limits (a clear error for a length no array can have), read as uint32.
  const order = new Uint32Array(allocTypedArray('int32', n, op).buffer);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleInPlace(order, seededRandom(op));
  return order;
}

/** The number of elements of a shape (1 for []). */
export function sizeFromShape(shape: number[]): number {
  if (arguments.length > 1) throw tooManyArguments('util.sizeFromShape', 1, arguments.length);
  return sizeOf(checkShape('util.sizeFromShape', shape));
}

/**
 * The values of nested arrays (typed arrays too, unless skipTypedArray), in order,
 * appended to `result` (a new array by default), which is returned.
 */
export function flatten<T>(arr: T | T[] | unknown[], result: T[] = [], skipTypedArray = false): T[] {
  if (arguments.length > 3) throw tooManyArguments('util.flatten', 3, arguments.length);
  const op = 'util.flatten';
  if (!Array.isArray(result)) throw new Error(`${op}: expected result to be an array, got ${describe(result)}`);
  if (typeof skipTypedArray !== 'boolean') throw new Error(`${op}: expected skipTypedArray to be true or false, got ${describe(skipTypedArray)}`);
  // The arrays being visited: one met again inside itself would recurse until the stack ran out.
  const open = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v) || (!skipTypedArray && ArrayBuffer.isView(v) && !(v instanceof DataView))) {
      if (ArrayBuffer.isView(v)) checkReadableView(op, 'a typed array in arr', v);
      if (open.has(v)) throw new Error(`${op}: an array holds itself (a cyclic array), so it has no flat values`);
      open.add(v);
      Array.prototype.forEach.call(v, visit);
      open.delete(v);
    } else result.push(v as T);
  };
  visit(arr);
  return result;
}

/** Milliseconds, with sub-millisecond resolution (performance.now()). */
export function now(): number {
  if (arguments.length > 0) throw tooManyArguments('util.now', 0, arguments.length);
  return performance.now();
}

/** Throws Error(msg) unless `expr` is true; `msg` a string or a function that makes it (called only on failure). */
export function assert(expr: boolean, msg: string | (() => string)): void {
  if (arguments.length > 2) throw tooManyArguments('util.assert', 2, arguments.length);
  if (typeof msg !== 'string') checkFunction('util.assert', 'msg (a string or a function)', msg);
  if (!expr) throw new Error(typeof msg === 'string' ? msg : msg());
}

// The rest of tf.util, one file per purpose.
export * from './tfjs_util_math';
export * from './tfjs_util_shapes';
export * from './tfjs_util_dtypes';
export * from './tfjs_util_values';
export * from './tfjs_util_async';
