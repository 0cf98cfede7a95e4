// Hook names a loop would never call: a misspelled hook (onEpochEnds) or Keras's Python
// spelling (on_epoch_end) on a Callback subclass is a method fit silently skips, so
// loops refuse it, as LambdaCallback refuses such a key.
import { Callback, HOOKS, type AnyCallback } from './callback';
import { canonicalKey, closestName, didYouMean } from '../options/check';

/** The error text for `name`, which is not one of HOOKS: the hook it spells or the nearest one, then every hook. */
export function notAHook(name: string): string {
  return `'${name}' is not a callback hook; ${didYouMean(name, HOOKS)}expected one of ${HOOKS.join(', ')}`;
}

// Looks like a hook: on + an upper-case letter or '_' (onEpochEnds, on_epoch_end), or a
// hook's name in other case or underscores (onepochend, OnEpochEnd).
const looksLikeHook = (name: string): boolean => /^on[A-Z_]/.test(name) || canonicalKey(name, HOOKS) !== undefined;

/**
 * Throws when a class of `callback` below Callback defines a method named like a hook
 * that is not one; the error names the class, the method and the hook to use. Functions
 * held in fields are left alone: a user's handler (this.onProgress) is data, not a hook.
 */
export function checkHookMethods(callback: AnyCallback): void {
  for (let proto = Object.getPrototypeOf(callback); proto !== null && proto !== Callback.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if ((HOOKS as readonly string[]).includes(name) || !looksLikeHook(name)) continue;
      if (typeof Object.getOwnPropertyDescriptor(proto, name)?.value !== 'function') continue;
      throw new Error(`${proto.constructor.name}.${name} ${whyNotAHook(name)}`);
    }
  }
}

function whyNotAHook(name: string): string {
  const spelled = canonicalKey(name, HOOKS);
  if (spelled !== undefined) return `is never called: the hook is spelled '${spelled}' (camelCase, as TensorFlow.js names it); rename the method`;
  const nearest = closestName(name, HOOKS);
  return `is not a callback hook, so it would never be called; ${nearest === undefined ? '' : `did you mean '${nearest}'? `}hooks are: ${HOOKS.join(', ')}`;
}
