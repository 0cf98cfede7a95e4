// The stack of tidy() scopes. Every tensor an op creates is registered in the innermost
// scope so that tidy() can release what its function did not return.
import type { Tensor } from './tensor';

const scopes: Tensor[][] = [];

/** Registers a new tensor in the innermost open scope, if any. */
export function trackTensor(t: Tensor): void {
  if (scopes.length > 0) scopes[scopes.length - 1].push(t);
}

export function openScope(): void {
  scopes.push([]);
}

/** Closes the innermost scope and returns the tensors created in it. */
export function closeScope(): Tensor[] {
  const s = scopes.pop();
  if (!s) throw new Error('tidy: no scope is open (internal error)');
  return s;
}
