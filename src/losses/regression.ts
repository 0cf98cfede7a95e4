// Regression losses, per sample (the last axis reduced), with Keras 3's formulas.
import { add, div, maximum, mul, sub } from '../ops/binary';
import { lessEqual, where } from '../ops/compare';
import { l2Normalize } from '../ops/clip';
import { mean, sum } from '../ops/reduce';
import { abs, log1p, softplus, square } from '../ops/unary';
import type { TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { perSample } from './inputs';
import { checkOptions } from '../options/check';
import { describe } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';
import { epsilon } from '../config/settings';

/**
 * mean((yTrue - yPred)^2) over the last axis: Keras's per-sample loss. TensorFlow.js's
 * `losses.meanSquaredError(labels, predictions, weights, reduction)` weighs and reduces;
 * its weights and reduction are refused here, pointing to the Loss class and to
 * computeWeightedLoss (tfjs_losses.ts), which do. (A
 * third argument that is an options object, as the Loss and Metric wrappers pass, has no
 * keys to give.)
 */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike, options?: object, reduction?: never): Tensor {
  if (arguments.length > 4) throw tooManyArguments('meanSquaredError', 4, arguments.length);
  const op = 'meanSquaredError';
  const isOptions = options === undefined || (typeof options === 'object' && options !== null && !Array.isArray(options) && !(options instanceof Tensor));
  if (!isOptions || reduction !== undefined) {
    throw new Error(
      `${op}: this is Keras's per-sample loss (yTrue, yPred); TensorFlow.js's weights and reduction are not taken here, got ${describe(isOptions ? reduction : options)}. ` +
        'Weigh and reduce with the class, new losses.MeanSquaredError({ reduction }).apply(yTrue, yPred, sampleWeight), ' +
        'or as TensorFlow.js does: losses.computeWeightedLoss(squaredDifference(labels, predictions), weights, Reduction.MEAN)',
    );
  }
  const keys = Object.keys(options ?? {});
  if (keys.length > 0) throw new Error(`${op}: takes no options, got ${keys.map((k) => `'${k}'`).join(', ')}`);
  return perSample(op, yTrue, yPred, (t, p) => mean(square(sub(t, p)), -1));
}

/** mean(|yTrue - yPred|) over the last axis. */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('meanAbsoluteError', 2, arguments.length);
  return perSample('meanAbsoluteError', yTrue, yPred, (t, p) => mean(abs(sub(t, p)), -1));
}

/** 100 mean(|(yTrue - yPred) / max(|yTrue|, 1e-7)|) over the last axis. */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('meanAbsolutePercentageError', 2, arguments.length);
  return perSample('meanAbsolutePercentageError', yTrue, yPred, (t, p) => mul(mean(abs(div(sub(t, p), maximum(abs(t), epsilon()))), -1), 100));
}

/** mean((log(max(yPred, 1e-7) + 1) - log(max(yTrue, 1e-7) + 1))^2) over the last axis. */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('meanSquaredLogarithmicError', 2, arguments.length);
  return perSample('meanSquaredLogarithmicError', yTrue, yPred, (t, p) => mean(square(sub(log1p(maximum(p, epsilon())), log1p(maximum(t, epsilon())))), -1));
}

/** Options of huber. */
export interface HuberOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/** mean(0.5 e^2 where |e| <= delta, else delta |e| - 0.5 delta^2) over the last axis, e = yPred - yTrue. */
export function huber(yTrue: TensorLike, yPred: TensorLike, options: HuberOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('huber', 3, arguments.length);
  options = checkOptions('huber', options, 'losses.huber');
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new Error(`huber: expected delta > 0, got ${describe(delta)}`);
  return perSample('huber', yTrue, yPred, (t, p) => {
    const error = sub(p, t);
    const absError = abs(error);
    const quadratic = mul(square(error), 0.5);
    const linear = sub(mul(absError, delta), 0.5 * delta * delta);
    return mean(where(lessEqual(absError, delta), quadratic, linear), -1);
  });
}

/** mean(log(cosh(yPred - yTrue))) over the last axis, as x + softplus(-2x) - log 2 so it never overflows. */
export function logCosh(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('logCosh', 2, arguments.length);
  return perSample('logCosh', yTrue, yPred, (t, p) => {
    const x = sub(p, t);
    return mean(sub(add(x, softplus(mul(x, -2))), Math.LN2), -1);
  });
}

/** Options of cosineSimilarity. */
export interface CosineSimilarityOptions {
  /** The axis along which similarity is computed (default -1). */
  axis?: number;
}

/** -sum(l2Normalize(yTrue) l2Normalize(yPred)) along `axis`: -1 for parallel vectors, 0 for orthogonal ones. */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike, options: CosineSimilarityOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('cosineSimilarity', 3, arguments.length);
  options = checkOptions('cosineSimilarity', options, 'losses.cosineSimilarity');
  const axis = options.axis ?? -1;
  return perSample('cosineSimilarity', yTrue, yPred, (t, p) =>
    mul(sum(mul(l2Normalize(t, axis, epsilon() * epsilon()), l2Normalize(p, axis, epsilon() * epsilon())), axis), -1),
  );
}
