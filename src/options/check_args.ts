// Checks for the plain (non-tensor) arguments of public functions: a wrong value is an
// error naming the function and what it expected, never a TypeError from inside it.
import { describe } from '../tensor/shape';

/** Throws unless `v` is a string; returns it. */
export function checkString(op: string, what: string, v: unknown): string {
  if (typeof v !== 'string') throw new Error(`${op}: expected ${what} to be a string, got ${describe(v)}`);
  return v;
}

/** Throws unless `v` is a non-null object that is not an array; returns it. */
export function checkObject(op: string, what: string, v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${op}: expected ${what} to be an object, got ${describe(v)}`);
  return v as Record<string, unknown>;
}

/** Throws unless `v` is an array; returns it. */
export function checkArray(op: string, what: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${op}: expected ${what} to be an array, got ${describe(v)}`);
  return v;
}

/** Throws unless `v` is an object of numbers by name (training logs); returns it. */
export function checkLogs(op: string, v: unknown): Record<string, number> {
  const logs = checkObject(op, 'logs', v);
  for (const [k, x] of Object.entries(logs)) {
    if (typeof x !== 'number') throw new Error(`${op}: expected logs of numbers, got ${describe(x)} for '${k}'`);
  }
  return logs as Record<string, number>;
}

/** Throws unless `v` is an integer of at least `min` (named `what`); returns it. */
export function checkInteger(op: string, what: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    const kind = min === 1 ? 'a positive integer' : min === 0 ? 'an integer >= 0' : `an integer >= ${min}`;
    throw new Error(`${op}: expected ${what} to be ${kind}, got ${describe(v)}`);
  }
  return v;
}

/** @internal Throws unless `value` is a positive integer (named `what`). */
export function checkPositiveInt(op: string, what: string, value: unknown): number {
  return checkInteger(op, what, value, 1);
}

/** Throws unless `v` is true or false (named `what`); returns it. */
export function checkBoolean(op: string, what: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new Error(`${op}: expected ${what} to be true or false, got ${describe(v)}`);
  return v;
}
