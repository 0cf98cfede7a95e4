// The callbacks of Tessera's scopes (nameScope, device): Keras's context managers are
// synchronous, and a scope left when the callback returns would be gone before the awaits
// of an async callback ran, so those are refused rather than half-scoped.
import { describe } from '../tensor/shape';

/** @internal Checks a scope's callback before it runs. */
export function checkCallback(op: string, scope: string, fn: unknown): asserts fn is () => unknown {
  if (typeof fn !== 'function') throw new Error(`${op}: expected a function to run inside the scope ${scope}, got ${describe(fn)}`);
}

/** @internal Refuses a callback's Promise (its rejection is caught: the error thrown here reports it). */
export function checkNotPromise<T>(op: string, scope: string, out: T): T {
  if (out instanceof Promise) {
    out.catch(() => undefined);
    throw new Error(
      `${op}: the callback of the scope ${scope} returned a Promise; scopes are synchronous as Keras's (the scope ends when the callback returns, before its awaits run): pass a synchronous function`,
    );
  }
  return out;
}
