// Keras 3's keras.name_scope: a sub-namespace of variable paths. The scope stack is the one
// layers enter while they build and run (src/layers/naming.ts), so a layer first built in
// a scope, or a variable made in one, gets a path under it ('outer/dense/kernel').
import { currentScopePath, inScope } from '../layers/naming';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { checkCallback, checkNotPromise } from './sync_callback';

/**
 * Runs `fn` inside the name scope `name` and returns what it returns (Keras's
 * `with keras.name_scope(name):`). Variables made inside (`ts.variable(x, true, 'v')`)
 * get the path 'name/v', and layers first built inside, 'name/layer/weight'; scopes nest
 * ('outer/inner/v'). A layer built before keeps its path. The scope ends when `fn` returns
 * or throws; `fn` must be synchronous (one returning a Promise is refused).
 * @example ts.nameScope('encoder', () => ts.variable(ts.zeros([2]), true, 'v')).path // 'encoder/v'
 */
export function nameScope<T>(name: string, fn: () => T): T {
  const op = 'nameScope';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  // Keras refuses '/' (a path separator); an empty name would make an empty path segment.
  if (typeof name !== 'string' || name.length === 0 || name.includes('/'))
    throw new Error(`${op}: expected name to be a non-empty string without '/', got ${describe(name)}`);
  checkCallback(op, `'${name}'`, fn);
  const parent = currentScopePath();
  return checkNotPromise(op, `'${name}'`, inScope(parent === '' ? name : `${parent}/${name}`, fn));
}
