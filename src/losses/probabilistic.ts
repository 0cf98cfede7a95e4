// Losses between distributions or counts: Kullback-Leibler divergence and Poisson.
import { add, div, mul, sub } from '../ops/binary';
import { clipByValue } from '../ops/clip';
import { mean, sum } from '../ops/reduce';
import { log } from '../ops/unary';
import type { TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { perSample } from './inputs';
import { tooManyArguments } from '../options/arity';
import { epsilon } from '../config/settings';

/** sum(yTrue log(yTrue / yPred)) over the last axis, both clipped to [1e-7, 1]. */
export function kullbackLeiblerDivergence(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('kullbackLeiblerDivergence', 2, arguments.length);
  return perSample('kullbackLeiblerDivergence', yTrue, yPred, (t, p) => {
    const tc = clipByValue(t, epsilon(), 1);
    const pc = clipByValue(p, epsilon(), 1);
    return sum(mul(tc, log(div(tc, pc))), -1);
  });
}

/** mean(yPred - yTrue log(yPred + 1e-7)) over the last axis. */
export function poisson(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('poisson', 2, arguments.length);
  return perSample('poisson', yTrue, yPred, (t, p) => mean(sub(p, mul(t, log(add(p, epsilon())))), -1));
}
