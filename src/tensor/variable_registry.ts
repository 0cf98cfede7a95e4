// The variables alive in the process, for TensorFlow.js's disposeVariables(). Held weakly:
// a variable nobody references is still reclaimed by the garbage collector.
import { tooManyArguments } from '../options/arity';
import type { Variable } from './tensor';

let live = new Set<WeakRef<Variable>>();
// Collected entries are dropped when the set doubles since the last sweep.
let sweepAt = 1024;

/** @internal Called by the Variable constructor. */
export function registerVariable(v: Variable): void {
  live.add(new WeakRef(v));
  if (live.size < sweepAt) return;
  live = new Set([...live].filter((r) => r.deref()?.isDisposed === false));
  sweepAt = Math.max(1024, live.size * 2);
}

/**
 * Disposes every variable not yet disposed (TensorFlow.js's disposeVariables): layers'
 * weights and optimizers' slots included, so models and optimizers that hold them are
 * unusable afterwards.
 */
export function disposeVariables(): void {
  if (arguments.length > 0) throw tooManyArguments('disposeVariables', 0, arguments.length);
  const all = live;
  live = new Set();
  for (const r of all) {
    const v = r.deref();
    if (v !== undefined) v.dispose();
  }
}
