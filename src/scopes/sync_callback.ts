// The callbacks of Tessera's scopes (nameScope, device): Keras's context managers are
// synchronous, and a scope left when the callback returns would be gone before the awaits
// of an async callback ran, so those are refused rather than half-scoped.
import { describe } from '../tensor/shape';

/** @internal Checks a scope's callback before it runs. */
export function checkCallback(op: string, scope: string, fn: unknown): asserts fn is () => unknown {
  if (typeof fn !== 'function') throw new Error(`${op}: expected a function to run inside the scope ${scope}, got ${describe(fn)}`);
}

/** @internal Refuses a callback's Promise or thenable (a Promise's rejection is caught: the error thrown here reports it). */
export function checkNotPromise<T>(op: string, scope: string, out: T): T {
  // Any thenable (a Promise of another realm or library): `await` would run it outside the scope.
  if (out instanceof Promise || (typeof out === 'object' && out !== null && typeof (out as { then?: unknown }).then === 'function')) {
    if (out instanceof Promise) out.catch(() => undefined);
    throw new Error(
      `${op}: the callback of the scope ${scope} returned ${out instanceof Promise ? 'a Promise' : 'a thenable (an object with a then method)'}; scopes are synchronous as Keras's (the scope ends when the callback returns, before its awaits run): pass a synchronous function`,
    );
  }
  return out;
}
