// Gradient clipping as Keras 3's BaseOptimizer does it: per variable by norm, by the
// global norm of all gradients, or elementwise by value. No values are read back.
import { tooManyArguments } from '../options/arity';
import { add, maximum, minimum, mul, div, sub } from '../ops/binary';
import { cast } from '../ops/cast';
import { clipByValue } from '../ops/clip';
import { sum } from '../ops/reduce';
import { reciprocal, sqrt, square } from '../ops/unary';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** g * clipnorm / max(||g||, clipnorm): gradients longer than clipnorm are scaled down to it. */
export function clipByNorm(g: Tensor, clipnorm: number): Tensor {
  if (arguments.length > 2) throw tooManyArguments('optimizers.clipByNorm', 2, arguments.length);
  if (!(g instanceof Tensor)) throw new Error(`clipByNorm: expected a Tensor, got ${describe(g)}`);
  if (typeof clipnorm !== 'number' || !(clipnorm > 0)) throw new Error(`clipByNorm: expected clipnorm to be a number > 0, got ${describe(clipnorm)}`);
  return div(mul(g, clipnorm), maximum(sqrt(sum(square(g))), clipnorm));
}

/**
 * Every gradient scaled by clipnorm / max(global norm, clipnorm); a non-finite global
 * norm makes every gradient NaN, as in Keras.
 */
export function clipByGlobalNorm(grads: Tensor[], clipnorm: number): Tensor[] {
  if (arguments.length > 2) throw tooManyArguments('optimizers.clipByGlobalNorm', 2, arguments.length);
  const op = 'clipByGlobalNorm';
  if (!Array.isArray(grads) || grads.length === 0) throw new Error(`${op}: expected a non-empty array of gradients, got ${describe(grads)}`);
  grads.forEach((g, i) => {
    if (!(g instanceof Tensor)) throw new Error(`${op}: expected a Tensor at index ${i}, got ${describe(g)}`);
  });
  if (typeof clipnorm !== 'number' || !(clipnorm > 0)) throw new Error(`${op}: expected clipnorm to be a number > 0, got ${describe(clipnorm)}`);
  let total = sum(square(grads[0]));
  for (let i = 1; i < grads.length; i++) total = add(total, sum(square(grads[i])));
  const norm = sqrt(total);
  const scale = add(mul(minimum(reciprocal(norm), 1 / clipnorm), clipnorm), sub(norm, norm));
  // Each gradient keeps its dtype (a float64 norm would otherwise promote float32 gradients).
  return grads.map((g) => mul(g, g.dtype === scale.dtype ? scale : cast(scale, g.dtype)));
}

/** Each element limited to [-clipvalue, clipvalue]. */
export function clipElementwise(g: Tensor, clipvalue: number): Tensor {
  return clipByValue(g, -clipvalue, clipvalue);
}
