// TensorFlow.js's tf.print(x, verbose): the top-level form of x.print().
import { tooManyArguments } from '../options/arity';
import { describe } from './shape';
import { Tensor } from './tensor';

/** Writes x's values to the console; `verbose` adds its dtype, rank, shape and device. */
export function print(x: Tensor, verbose = false): void {
  if (arguments.length > 2) throw tooManyArguments('print', 2, arguments.length);
  if (!(x instanceof Tensor)) throw new Error(`print: expected a Tensor, got ${describe(x)}`);
  if (typeof verbose !== 'boolean') throw new Error(`print: expected verbose to be true or false, got ${describe(verbose)}`);
  x.print(verbose);
}
