// TensorFlow.js's op() and nextFrame(): wrapping a function as a named op, and yielding
// to the event loop.
import { tooManyArguments } from '../options/arity';
import { asOp } from '../ops/op_name';
import { checkFunction } from './check_function';
import { tidy } from './memory';
import { describe } from './shape';

/**
 * Wraps `f` of `{name: f}` as an op, as TensorFlow.js's tf.op: each call runs in a tidy
 * (its intermediate tensors are disposed, what it returns is kept) and its errors are
 * named `name` (a trailing '_' dropped).
 * @example const squareSum = op({ squareSum: (x: Tensor) => x.square().sum() });
 */
export function op<F extends (...args: never[]) => unknown>(f: { [name: string]: F }): F {
  if (arguments.length > 1) throw tooManyArguments('op', 1, arguments.length);
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new Error(`op: expected an object {name: function}, got ${describe(f)}`);
  const keys = Object.keys(f);
  if (keys.length !== 1) throw new Error(`op: expected an object with a single key (the op's name) mapping to a function, got ${keys.length} keys`);
  const fn = checkFunction('op', `'${keys[0]}'`, f[keys[0]]);
  const name = keys[0].endsWith('_') ? keys[0].slice(0, -1) : keys[0];
  if (!/^[A-Za-z_$][\w$.]*$/.test(name)) throw new Error(`op: expected the op's name to be an identifier, got ${describe(keys[0])}`);
  const wrapped = (...args: Parameters<F>) => asOp(name, () => tidy(() => fn(...args)));
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped as unknown as F;
}

/** Resolves after the event loop's pending work (setImmediate), as TensorFlow.js's nextFrame does in Node. */
export function nextFrame(): Promise<void> {
  if (arguments.length > 0) throw tooManyArguments('nextFrame', 0, arguments.length);
  return new Promise((resolve) => setImmediate(resolve));
}
