// ts.util's value tests and string helpers (TensorFlow.js's tf.util.isString, rightPad,
// encodeString, ...): what a TensorFlow.js program calls on plain JS values.
import { describe } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';
import { checkInteger } from './tfjs_util_checks';

/** True for a string (a String object too). */
export function isString(value: unknown): value is string {
  if (arguments.length > 1) throw tooManyArguments('util.isString', 1, arguments.length);
  return typeof value === 'string' || value instanceof String;
}

/** True for a boolean. */
export function isBoolean(value: unknown): value is boolean {
  if (arguments.length > 1) throw tooManyArguments('util.isBoolean', 1, arguments.length);
  return typeof value === 'boolean';
}

/** True for a number (NaN too, as typeof says). */
export function isNumber(value: unknown): value is number {
  if (arguments.length > 1) throw tooManyArguments('util.isNumber', 1, arguments.length);
  return typeof value === 'number';
}

/** True for something callable (has call and apply), as TensorFlow.js tests it. */
export function isFunction(f: unknown): f is (...args: unknown[]) => unknown {
  if (arguments.length > 1) throw tooManyArguments('util.isFunction', 1, arguments.length);
  const g = f as { constructor?: unknown; call?: unknown; apply?: unknown } | null | undefined;
  return !!(g && g.constructor && g.call && g.apply);
}

/**
 * True for a thenable (an object with a then method), as TensorFlow.js tests it (not
 * instanceof Promise: other Promise implementations pass). Always a boolean here, where
 * TensorFlow.js returns the falsy value itself.
 */
export function isPromise(object: unknown): object is PromiseLike<unknown> {
  if (arguments.length > 1) throw tooManyArguments('util.isPromise', 1, arguments.length);
  const o = object as { then?: unknown } | null | undefined;
  return !!(o && o.then && typeof o.then === 'function');
}

/** Throws unless `a` is neither null nor undefined. */
export function assertNonNull(a: unknown): void {
  if (arguments.length > 1) throw tooManyArguments('util.assertNonNull', 1, arguments.length);
  if (a == null) throw new Error(`util.assertNonNull: expected a non-null value, got ${describe(a)}`);
}

// V8's longest string (2^29 - 24 characters).
const MAX_STRING_LENGTH = 2 ** 29 - 24;

/** `a` padded with spaces on the right to `size` characters (unchanged when already as long). */
export function rightPad(a: string, size: number): string {
  if (arguments.length > 2) throw tooManyArguments('util.rightPad', 2, arguments.length);
  const op = 'util.rightPad';
  if (typeof a !== 'string') throw new Error(`${op}: expected a to be a string, got ${describe(a)}`);
  checkInteger(op, 'size', size, 0, MAX_STRING_LENGTH);
  return size <= a.length ? a : a + ' '.repeat(size - a.length);
}

/** The total byte length of encoded strings (Uint8Arrays, as encodeString returns them); 0 for null. */
export function bytesFromStringArray(arr: Uint8Array[] | null | undefined): number {
  if (arguments.length > 1) throw tooManyArguments('util.bytesFromStringArray', 1, arguments.length);
  const op = 'util.bytesFromStringArray';
  if (arr == null) return 0;
  if (!Array.isArray(arr)) throw new Error(`${op}: expected arr to be an array of Uint8Arrays, got ${describe(arr)}`);
  let bytes = 0;
  arr.forEach((x: unknown, i) => {
    if (!(x instanceof Uint8Array)) throw new Error(`${op}: expected arr to hold Uint8Arrays (encoded strings), got ${describe(x)} at index ${i}`);
    bytes += x.length;
  });
  return bytes;
}

// Node's built-in encoder writes UTF-8 only (as TensorFlow.js's Node platform says).
function checkEncoding(op: string, encoding: unknown): string {
  if (encoding === undefined || encoding === null || encoding === '') return 'utf-8';
  if (typeof encoding !== 'string') throw new Error(`${op}: expected encoding to be a string, got ${describe(encoding)}`);
  return encoding;
}

/** The bytes of a string in UTF-8 (the only encoding Node's built-in encoder writes). */
export function encodeString(s: string, encoding = 'utf-8'): Uint8Array {
  if (arguments.length > 2) throw tooManyArguments('util.encodeString', 2, arguments.length);
  const op = 'util.encodeString';
  if (typeof s !== 'string') throw new Error(`${op}: expected s to be a string, got ${describe(s)}`);
  const enc = checkEncoding(op, encoding);
  if (enc !== 'utf-8' && enc !== 'utf8') throw new Error(`${op}: Node's built-in encoder writes utf-8 only, got encoding '${enc}'`);
  return new TextEncoder().encode(s);
}

/** The string that bytes encode, in `encoding` (utf-8 by default; any the WHATWG TextDecoder knows). */
export function decodeString(bytes: Uint8Array, encoding = 'utf-8'): string {
  if (arguments.length > 2) throw tooManyArguments('util.decodeString', 2, arguments.length);
  const op = 'util.decodeString';
  if (!(bytes instanceof Uint8Array)) throw new Error(`${op}: expected bytes to be a Uint8Array, got ${describe(bytes)}`);
  const enc = checkEncoding(op, encoding);
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(enc);
  } catch {
    throw new Error(`${op}: unknown encoding '${enc}' (utf-8, utf-16le, latin1, ... as TextDecoder names them)`);
  }
  return bytes.length === 0 ? '' : decoder.decode(bytes);
}
