// ts.util's scalar arithmetic (TensorFlow.js's tf.util.clamp, sum, tanh, ...): plain JS
// numbers, the same results as TensorFlow.js, arguments checked.
import { seededRandom } from '../tensor/seeded_random';
import { describe } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';
import { checkInteger, checkNumber, checkNumbers, type NumericArray } from './tfjs_util_checks';

/** `x` limited to [min, max]. */
export function clamp(min: number, x: number, max: number): number {
  if (arguments.length > 3) throw tooManyArguments('util.clamp', 3, arguments.length);
  const op = 'util.clamp';
  return Math.max(checkNumber(op, 'min', min), Math.min(checkNumber(op, 'x', x), checkNumber(op, 'max', max)));
}

/** `val` if even, else `val + 1`. */
export function nearestLargerEven(val: number): number {
  if (arguments.length > 1) throw tooManyArguments('util.nearestLargerEven', 1, arguments.length);
  checkInteger('util.nearestLargerEven', 'val', val, -Number.MAX_SAFE_INTEGER);
  return val % 2 === 0 ? val : val + 1;
}

/** The sum of the values of an array or typed array (0 for an empty one). */
export function sum(arr: NumericArray): number {
  if (arguments.length > 1) throw tooManyArguments('util.sum', 1, arguments.length);
  const a = checkNumbers('util.sum', 'arr', arr);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** A uniform random number between `a` and `b`, drawn from the global seed (setSeed() repeats it). */
export function randUniform(a: number, b: number): number {
  if (arguments.length > 2) throw tooManyArguments('util.randUniform', 2, arguments.length);
  const op = 'util.randUniform';
  checkNumber(op, 'a', a);
  checkNumber(op, 'b', b);
  const r = seededRandom(op)();
  return b * r + (1 - r) * a;
}

/** The squared Euclidean distance between two arrays of one length. */
export function distSquared(a: NumericArray, b: NumericArray): number {
  if (arguments.length > 2) throw tooManyArguments('util.distSquared', 2, arguments.length);
  const op = 'util.distSquared';
  const x = checkNumbers(op, 'a', a);
  const y = checkNumbers(op, 'b', b);
  if (x.length !== y.length) throw new Error(`${op}: the arrays differ in length (${x.length} and ${y.length})`);
  let result = 0;
  for (let i = 0; i < x.length; i++) {
    const diff = x[i] - y[i];
    result += diff * diff;
  }
  return result;
}

/** True for a number with no fractional part. */
export function isInt(a: number): boolean {
  if (arguments.length > 1) throw tooManyArguments('util.isInt', 1, arguments.length);
  if (typeof a !== 'number') throw new Error(`util.isInt: expected a to be a number, got ${describe(a)}`);
  return a % 1 === 0;
}

/** The hyperbolic tangent of a number. */
export function tanh(x: number): number {
  if (arguments.length > 1) throw tooManyArguments('util.tanh', 1, arguments.length);
  return Math.tanh(checkNumber('util.tanh', 'x', x));
}

/**
 * The smallest divisor of `size` that is at least `start`, else `size` itself. Divisors
 * are searched up to the square root and paired, so a large prime takes no time to refuse.
 */
export function nearestDivisor(size: number, start: number): number {
  if (arguments.length > 2) throw tooManyArguments('util.nearestDivisor', 2, arguments.length);
  const op = 'util.nearestDivisor';
  checkInteger(op, 'size', size, 1);
  checkInteger(op, 'start', start, 1);
  const root = Math.floor(Math.sqrt(size));
  for (let i = start; i <= root && i < size; i++) if (size % i === 0) return i;
  // A divisor above the root is size / j for a j below it: the smallest such, the largest j.
  for (let j = Math.min(root, Math.floor(size / start)); j >= 2; j--) if (size % j === 0 && size / j >= start) return size / j;
  return size;
}

/** Swaps two entries of an array in place. */
export function swap<T>(object: { [index: number]: T; length: number }, left: number, right: number): void {
  if (arguments.length > 3) throw tooManyArguments('util.swap', 3, arguments.length);
  const op = 'util.swap';
  if (!Array.isArray(object) && !(ArrayBuffer.isView(object) && !(object instanceof DataView))) {
    throw new Error(`${op}: expected object to be an array or typed array, got ${describe(object)}`);
  }
  const n = (object as ArrayLike<T>).length;
  checkInteger(op, 'left', left, 0, Math.max(n - 1, 0));
  checkInteger(op, 'right', right, 0, Math.max(n - 1, 0));
  if (n === 0) throw new Error(`${op}: the array is empty: no entries to swap`);
  const temp = object[left];
  object[left] = object[right];
  object[right] = temp;
}
