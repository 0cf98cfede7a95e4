// ts.util's asynchronous helpers (TensorFlow.js's tf.util.repeatedTry and fetch).
import { describe } from '../tensor/shape';
import { checkFunction } from '../tensor/check_function';
import { tooManyArguments } from '../options/arity';
import { checkInteger } from './tfjs_util_checks';

// setTimeout's longest delay (2^31 - 1 ms); longer ones fire at once, with a warning.
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Calls `checkFn` until it returns true (a boolean; anything else rejects), waiting `delayFn(tries)` milliseconds between
 * tries (0 by default), through `scheduleFn(fn, delay)` when given (else setTimeout).
 * Resolves when `checkFn` is true; rejects after `maxCounter` tries (no limit when null),
 * with an Error saying so where TensorFlow.js rejects with undefined.
 */
export function repeatedTry(
  checkFn: () => boolean,
  delayFn: (counter: number) => number = () => 0,
  maxCounter?: number | null,
  scheduleFn?: ((fn: () => void, delay: number) => void) | null,
): Promise<void> {
  if (arguments.length > 4) throw tooManyArguments('util.repeatedTry', 4, arguments.length);
  const op = 'util.repeatedTry';
  checkFunction(op, 'checkFn', checkFn);
  checkFunction(op, 'delayFn', delayFn);
  if (maxCounter != null) checkInteger(op, 'maxCounter', maxCounter, 1);
  if (scheduleFn != null) checkFunction(op, 'scheduleFn', scheduleFn);
  return new Promise<void>((resolve, reject) => {
    let tryCount = 0;
    const tryFn = (): void => {
      try {
        const ok: unknown = checkFn();
        // A Promise (an async checkFn) is always truthy: it would end the tries at once.
        if (typeof ok !== 'boolean') return reject(new Error(`${op}: expected checkFn to return true or false, got ${describe(ok)}`));
        if (ok) return resolve();
        tryCount++;
        const nextBackoff = delayFn(tryCount);
        if (maxCounter != null && tryCount >= maxCounter) return reject(new Error(`${op}: checkFn was still false after ${tryCount} tries (maxCounter)`));
        if (typeof nextBackoff !== 'number' || !(nextBackoff >= 0 && nextBackoff <= MAX_DELAY_MS)) {
          return reject(new Error(`${op}: expected delayFn to return a delay from 0 to ${MAX_DELAY_MS} ms, got ${describe(nextBackoff)}`));
        }
        if (scheduleFn != null) scheduleFn(tryFn, nextBackoff);
        else setTimeout(tryFn, nextBackoff);
      } catch (e) {
        reject(e);
      }
    };
    tryFn();
  });
}

/** The global fetch (Node 18+) of `path`; a failure is an error naming the function and the path. */
export function fetch(path: string, requestInits?: RequestInit): Promise<Response> {
  if (arguments.length > 2) throw tooManyArguments('util.fetch', 2, arguments.length);
  const op = 'util.fetch';
  if (typeof path !== 'string') throw new Error(`${op}: expected path to be a string (a URL), got ${describe(path)}`);
  const proto = requestInits != null && typeof requestInits === 'object' ? Object.getPrototypeOf(requestInits) : undefined;
  if (requestInits != null && proto !== Object.prototype && proto !== null) {
    throw new Error(`${op}: expected requestInits to be an object of fetch options, got ${describe(requestInits)}`);
  }
  return globalThis.fetch(path, requestInits ?? undefined).catch((e: unknown) => {
    const cause = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e);
    throw new Error(`${op}: could not fetch ${path}: ${cause}`, { cause: e });
  });
}
