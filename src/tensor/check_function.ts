// Function arguments (grad's f, tidy's and noGrad's fn, customGrad's f) checked where the
// user passes them, so a wrong value is an error naming the public function, not
// "f is not a function" from inside it, later.
import { describe } from './shape';

/** Throws unless `f` is a function; returns it. */
export function checkFunction<F>(op: string, what: string, f: F): F {
  if (typeof f !== 'function') throw new Error(`${op}: expected ${what} to be a function, got ${describe(f)}`);
  return f;
}
