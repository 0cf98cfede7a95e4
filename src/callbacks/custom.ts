// TensorFlow.js's habits with callbacks: a plain object of hook functions where a Callback
// goes (`fit(x, y, { callbacks: { onEpochEnd: ... } })`), one callback without an array,
// and the CustomCallback class those objects become.
import { Callback, type AnyCallback } from './callback';
import { LambdaCallback, type CallbackHooks } from './simple';
import { describe } from '../tensor/shape';
import { checkHookMethods } from './hook_names';

/**
 * TensorFlow.js's name for a callback made of hook functions (LambdaCallback here):
 * `new CustomCallback({ onBatchEnd: (batch, logs) => ... })`.
 */
export class CustomCallback extends LambdaCallback {
  /** @param hooks - hook functions by name (onEpochEnd, onBatchEnd, onYield, ...). */
  constructor(hooks: CallbackHooks = {}, ...rest: unknown[]) {
    super(hooks);
    // TensorFlow.js's second argument is yieldEvery, which belongs to fit here.
    if (rest.length > 0) throw new Error(`CustomCallback: expected one argument, the hooks; pass yieldEvery to fit instead (got ${rest.length + 1} arguments)`);
  }
}

/** What a loop's `callbacks` option takes: a Callback, an object of hook functions, or an array of them. */
export type CallbacksArg = AnyCallback | CallbackHooks | (AnyCallback | CallbackHooks)[];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The callbacks of `op`'s `callbacks` option, each plain object of hooks made a
 * CustomCallback; a Callback with a method named like a hook that is not one is refused.
 */
export function callbacksFrom(op: string, value: unknown): AnyCallback[] {
  if (value === undefined || value === null) return [];
  const one = (v: unknown, where: string): AnyCallback => {
    if (v instanceof Callback) {
      try {
        checkHookMethods(v);
      } catch (e) {
        throw new Error(`${op}: ${where}: ${(e as Error).message}`, { cause: e });
      }
      return v;
    }
    if (isPlainObject(v)) {
      try {
        return new CustomCallback(v as CallbackHooks);
      } catch (e) {
        throw new Error(`${op}: ${where}: ${(e as Error).message}`, { cause: e });
      }
    }
    throw new Error(`${op}: expected ${where} to be a Callback or an object of hook functions ({ onEpochEnd: (epoch, logs) => ... }), got ${describe(v)}`);
  };
  if (Array.isArray(value)) return value.map((v, i) => one(v, `callbacks[${i}]`));
  return [one(value, 'callbacks')];
}
