// The plain options of fit, evaluate and predict, checked once before any work: each wrong
// value an error naming the call. Before, several were read loosely and trained silently
// (initialEpoch 'a' or 1.5 ran no epoch, shuffle 'yes' shuffled, classWeight 'x' and
// verbose 7 were accepted, validationFreq 0 was never checked).
import { checkInteger, checkObject } from '../options/check_args';
import { describe, quoted } from '../tensor/shape';

/**
 * verbose: 0 (silent), 1 (a progress bar), 2 (one line per epoch), 'auto' (Keras's: the
 * call's default), or true / false (TensorFlow.js's predict: 1 / 0).
 */
export function checkVerbose(op: string, v: unknown, fallback: number): number {
  if (v === undefined || v === 'auto') return fallback;
  if (v === 0 || v === 1 || v === 2) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new Error(
    `${op}: expected verbose to be 0 (silent), 1 (a progress bar), 2 (one line per epoch), 'auto' or true / false, got ${typeof v === 'string' ? quoted(v) : describe(v)}`,
  );
}

/** validationSplit: a fraction in (0, 1), or 0, null or undefined for none. */
export function checkValidationSplit(op: string, v: unknown): number | undefined {
  if (v === undefined || v === null || v === 0) return undefined;
  if (typeof v !== 'number' || !(v > 0 && v < 1)) throw new Error(`${op}: expected validationSplit in (0, 1), got ${describe(v)}`);
  return v;
}

/** An optional integer option of at least `min`: undefined when not given. */
export function optionalInteger(op: string, what: string, v: unknown, min: number): number | undefined {
  return v === undefined ? undefined : checkInteger(op, what, v, min);
}

/**
 * classWeight: class index -> weight (an object, or an array indexed by class), each index
 * an integer >= 0 and each weight a finite number >= 0.
 */
export function checkClassWeight(op: string, v: unknown): Record<number, number> | undefined {
  if (v === undefined || v === null) return undefined;
  const weights = Array.isArray(v) ? { ...v } : checkObject(op, 'classWeight (class index -> weight)', v);
  for (const [k, w] of Object.entries(weights)) {
    if (!/^(0|[1-9]\d*)$/.test(k)) throw new Error(`${op}: expected classWeight's keys to be class indices (integers >= 0), got ${quoted(k)}`);
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0)
      throw new Error(`${op}: expected classWeight[${k}] to be a finite number >= 0, got ${describe(w)}`);
  }
  return weights as Record<number, number>;
}
