// The stack of tidy() scopes. Every tensor an op creates is registered in the innermost
// scope so that tidy() can release what its function did not return; other resources
// bound to a scope (a gradient tape) register a callback that ends them with it.
import type { Tensor } from './tensor';

/** Called when a scope closes; `threw` when its function threw. */
export type ScopeCloser = (threw: boolean) => void;

const scopes: Tensor[][] = [];
const closers: (ScopeCloser[] | null)[] = [];

/** Registers a new tensor in the innermost open scope, if any. */
export function trackTensor(t: Tensor): void {
  if (scopes.length > 0) scopes[scopes.length - 1].push(t);
}

/** Runs `fn` when the innermost open scope closes; false when no scope is open. */
export function onScopeClose(fn: ScopeCloser): boolean {
  if (scopes.length === 0) return false;
  (closers[closers.length - 1] ??= []).push(fn);
  return true;
}

export function openScope(): void {
  scopes.push([]);
  closers.push(null);
}

/** Closes the innermost scope, runs its closers and returns the tensors created in it. */
export function closeScope(threw: boolean): Tensor[] {
  const s = scopes.pop();
  const fns = closers.pop();
  if (!s) throw new Error('tidy: no scope is open (internal error)');
  if (fns) for (const fn of fns) fn(threw);
  return s;
}
