// Numeric arguments checked against their allowed interval, with an error that names the
// op, the argument, the interval and the value (stddev -1, beta1 1.5, momentum 2 ...).
import { describe } from './shape';

/** An interval: '[0, 1)' style bounds; `hi` may be Infinity. */
export interface Interval {
  lo: number;
  hi: number;
  /** Include lo (default true) and hi (default true). */
  loClosed?: boolean;
  hiClosed?: boolean;
}

function show(r: Interval): string {
  const loClosed = r.loClosed ?? true;
  if (r.lo === -Infinity && r.hi === Infinity) return 'to be a finite number';
  if (r.hi === Infinity) return `${loClosed ? '>=' : '>'} ${r.lo}`;
  if (r.lo === -Infinity) return `${(r.hiClosed ?? true) ? '<=' : '<'} ${r.hi}`;
  return `in ${loClosed ? '[' : '('}${r.lo}, ${r.hi}${(r.hiClosed ?? true) ? ']' : ')'}`;
}

/** Throws unless `value` is a finite number in `range`; returns it. */
export function checkInRange(op: string, what: string, value: unknown, range: Interval): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    ((range.loClosed ?? true) ? value >= range.lo : value > range.lo) &&
    ((range.hiClosed ?? true) ? value <= range.hi : value < range.hi);
  if (!ok) throw new Error(`${op}: expected ${what} ${show(range)}, got ${describe(value)}`);
  return value as number;
}

/** Any finite number. */
export const FINITE: Interval = { lo: -Infinity, hi: Infinity };
/** [0, Infinity): epsilons, standard deviations, accumulator values. */
export const NON_NEGATIVE: Interval = { lo: 0, hi: Infinity };
/** [0, 1]: momentum, rho. */
export const UNIT: Interval = { lo: 0, hi: 1 };
/** [0, 1): Adam's betas (1 would divide by zero in the bias correction). */
export const UNIT_OPEN_ABOVE: Interval = { lo: 0, hi: 1, hiClosed: false };

/**
 * Throws unless `value` is a number (NaN and infinities included: a pad or fill value may
 * be either); returns it. A bigint, a string or a one-element array is refused here
 * rather than turned into NaN or failing inside the kernel call.
 */
export function checkNumber(op: string, what: string, value: unknown): number {
  if (typeof value !== 'number') throw new Error(`${op}: expected ${what} to be a number, got ${describe(value)}`);
  return value;
}
