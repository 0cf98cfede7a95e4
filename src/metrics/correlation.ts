// Pearson and concordance correlation (Keras 3.7's correlation_metrics): per-sample
// coefficients along an axis, and their running means.
import { add, div, mul, sub } from '../ops/binary';
import { mean } from '../ops/reduce';
import { sqrt, square } from '../ops/unary';
import type { TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { describe, normalizeAxes } from '../tensor/shape';
import { perSample } from '../losses/inputs';
import { checkOptions, wrapperOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { MeanMetricWrapper } from './mean';
import { epsilon } from '../config/settings';
import { everyEntry } from '../options/every_entry';

// Pearson's guard against a zero deviation: fixed, as Keras 3.15's pearson_correlation reads no backend epsilon.
const PEARSON_FUZZ = 1e-7;

/** Options of pearsonCorrelation and concordanceCorrelation. */
export interface CorrelationOptions {
  /** The axis or axes along which the coefficient is computed (default -1). */
  axis?: number | number[];
}

/** Options of PearsonCorrelation and ConcordanceCorrelation. */
export interface CorrelationConfig extends CorrelationOptions {
  /** The name in logs (default 'pearson_correlation' or 'concordance_correlation'). */
  name?: string;
}

// The axes, checked against the input's rank under the function's name.
function axesOf(op: string, axis: unknown, rank: number): number[] {
  if (typeof axis !== 'number' && !(Array.isArray(axis) && axis.length > 0 && everyEntry(axis, (a) => typeof a === 'number'))) {
    throw new Error(`${op}: expected axis to be an integer or a non-empty list of integers, got ${describe(axis)}`);
  }
  return normalizeAxes(op, axis, rank);
}

/**
 * The Pearson correlation coefficient of yTrue and yPred along `axis`, one per sample
 * (Keras 3's pearson_correlation: each centred and scaled by its standard deviation + 1e-7).
 * @example pearsonCorrelation([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]) // [1, 0.993]
 */
export function pearsonCorrelation(yTrue: TensorLike, yPred: TensorLike, options: CorrelationOptions = {}): Tensor {
  const op = 'pearsonCorrelation';
  if (arguments.length > 3) throw tooManyArguments(op, 3, arguments.length);
  options = checkOptions(op, options, 'metrics.pearsonCorrelation');
  return perSample(op, yTrue, yPred, (t, p) => {
    const axes = axesOf(op, options.axis ?? -1, p.rank);
    const standardized = (x: Tensor) => {
      const centred = sub(x, mean(x, axes, true));
      const std = sqrt(mean(square(centred), axes, true));
      return div(centred, add(std, PEARSON_FUZZ));
    };
    return mean(mul(standardized(t), standardized(p)), axes);
  });
}

/**
 * Lin's concordance correlation coefficient of yTrue and yPred along `axis`, one per
 * sample: 2 cov / (var(yTrue) + var(yPred) + (mean(yTrue) - mean(yPred))^2 + 1e-7).
 * @example concordanceCorrelation([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]) // [0.976, 0.988]
 */
export function concordanceCorrelation(yTrue: TensorLike, yPred: TensorLike, options: CorrelationOptions = {}): Tensor {
  const op = 'concordanceCorrelation';
  if (arguments.length > 3) throw tooManyArguments(op, 3, arguments.length);
  options = checkOptions(op, options, 'metrics.concordanceCorrelation');
  return perSample(op, yTrue, yPred, (t, p) => {
    const axes = axesOf(op, options.axis ?? -1, p.rank);
    const tMean = mean(t, axes, true);
    const pMean = mean(p, axes, true);
    const variance = (x: Tensor, m: Tensor) => mean(square(sub(x, m)), axes, true);
    // Keras centres yTrue on yPred's mean here: the same mean, as yPred's deviations sum to 0.
    const covariance = mul(sub(t, pMean), sub(p, pMean));
    const norm = add(add(variance(t, tMean), variance(p, pMean)), square(sub(tMean, pMean)));
    return mean(div(mul(covariance, 2), add(norm, epsilon())), axes);
  });
}

/**
 * The running mean of the per-sample Pearson correlation (name 'pearson_correlation').
 * @example const m = new PearsonCorrelation(); m.updateState([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]); m.result() // 0.9967
 */
export class PearsonCorrelation extends MeanMetricWrapper<CorrelationOptions> {
  constructor(config: CorrelationConfig = {}) {
    config = wrapperOptions('metrics', new.target, config);
    super(pearsonCorrelation, { name: 'pearson_correlation', axis: -1, ...config });
  }
}

/**
 * The running mean of the per-sample concordance correlation (name 'concordance_correlation').
 * @example const m = new ConcordanceCorrelation(); m.updateState([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]); m.result() // 0.9816
 */
export class ConcordanceCorrelation extends MeanMetricWrapper<CorrelationOptions> {
  constructor(config: CorrelationConfig = {}) {
    config = wrapperOptions('metrics', new.target, config);
    super(concordanceCorrelation, { name: 'concordance_correlation', axis: -1, ...config });
  }
}
