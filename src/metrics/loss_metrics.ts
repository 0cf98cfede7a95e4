// The class forms of the losses Keras 3 also offers as metrics: running means of the
// per-sample loss functions, with Keras's metric names and options.
import { mul } from '../ops/binary';
import type { TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from '../losses/crossentropy';
import { categoricalHinge, hinge, squaredHinge } from '../losses/hinge';
import { kullbackLeiblerDivergence, poisson } from '../losses/probabilistic';
import { cosineSimilarity as cosineSimilarityLoss, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError } from '../losses/regression';
import { wrapperOptions } from '../options/check';
import { describe } from '../tensor/shape';
import { MeanMetricWrapper } from './mean';
import type { MetricConfig } from './accuracy_metrics';

/** Options of the BinaryCrossentropy metric. */
export interface BinaryCrossentropyMetricConfig extends MetricConfig {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Squeezes labels toward 0.5: z (1 - s) + s / 2 (default 0). */
  labelSmoothing?: number;
}
/** Options of the CategoricalCrossentropy metric. */
export interface CategoricalCrossentropyMetricConfig extends BinaryCrossentropyMetricConfig {
  /** The class axis (default -1). */
  axis?: number;
}
/** Options of the SparseCategoricalCrossentropy metric. */
export interface SparseCategoricalCrossentropyMetricConfig extends MetricConfig {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** The class axis of yPred: only the last (-1, the default), as Keras's configs hold it. */
  axis?: number;
}

// sparseCategoricalCrossentropy with Keras's axis option, which only the last axis satisfies here.
function sparseCrossentropyOnAxis(yTrue: Tensor, yPred: Tensor, options: { fromLogits?: boolean; axis?: number } = {}): Tensor {
  const { axis = -1, fromLogits } = options;
  if (axis !== -1 && axis !== yPred.rank - 1) {
    throw new Error(`sparse_categorical_crossentropy: expected axis -1 (the class axis last), got ${describe(axis)}`);
  }
  return sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits });
}
/** Options of the CosineSimilarity metric. */
export interface CosineSimilarityMetricConfig extends MetricConfig {
  /** The axis along which similarity is computed (default -1). */
  axis?: number;
}

/** sum(l2Normalize(yTrue) l2Normalize(yPred)) along `axis`: 1 for parallel vectors (the loss negated). */
export function cosineSimilarityMetric(yTrue: TensorLike, yPred: TensorLike, options: { axis?: number } = {}): Tensor {
  return mul(cosineSimilarityLoss(yTrue, yPred, options), -1);
}

// Keras's default options filled in after the user's were checked against the class.
const checked = <T extends object>(target: Function, config: T) => wrapperOptions('metrics', target, config ?? ({} as T));

/** The running mean binary cross-entropy (name 'binary_crossentropy'). */
export class BinaryCrossentropy extends MeanMetricWrapper<Omit<BinaryCrossentropyMetricConfig, 'name'>> {
  constructor(config: BinaryCrossentropyMetricConfig = {}) {
    super(binaryCrossentropy, { name: 'binary_crossentropy', fromLogits: false, labelSmoothing: 0, ...checked(new.target, config) });
  }
}
/** The running mean categorical cross-entropy (name 'categorical_crossentropy'). */
export class CategoricalCrossentropy extends MeanMetricWrapper<Omit<CategoricalCrossentropyMetricConfig, 'name'>> {
  constructor(config: CategoricalCrossentropyMetricConfig = {}) {
    super(categoricalCrossentropy, { name: 'categorical_crossentropy', fromLogits: false, labelSmoothing: 0, axis: -1, ...checked(new.target, config) });
  }
}
/** The running mean cross-entropy of integer labels (name 'sparse_categorical_crossentropy'). */
export class SparseCategoricalCrossentropy extends MeanMetricWrapper<Omit<SparseCategoricalCrossentropyMetricConfig, 'name'>> {
  constructor(config: SparseCategoricalCrossentropyMetricConfig = {}) {
    super(sparseCrossentropyOnAxis, { name: 'sparse_categorical_crossentropy', fromLogits: false, axis: -1, ...checked(new.target, config) });
  }
}
/** The running mean Kullback-Leibler divergence (name 'kl_divergence'). */
export class KLDivergence extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(kullbackLeiblerDivergence, { name: 'kl_divergence', ...checked(new.target, config) });
  }
}
/** The running mean Poisson deviance yPred - yTrue log(yPred) (name 'poisson'). */
export class Poisson extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(poisson, { name: 'poisson', ...checked(new.target, config) });
  }
}
/** The running mean hinge loss (name 'hinge'). */
export class Hinge extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(hinge, { name: 'hinge', ...checked(new.target, config) });
  }
}
/** The running mean squared hinge loss (name 'squared_hinge'). */
export class SquaredHinge extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(squaredHinge, { name: 'squared_hinge', ...checked(new.target, config) });
  }
}
/** The running mean categorical hinge loss (name 'categorical_hinge'). */
export class CategoricalHinge extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(categoricalHinge, { name: 'categorical_hinge', ...checked(new.target, config) });
  }
}
/**
 * The running mean cosine similarity (name 'cosine_similarity').
 * @example const m = new CosineSimilarity(); m.updateState([[0, 1], [1, 1]], [[1, 0], [1, 1]]); m.result() // 0.5
 */
export class CosineSimilarity extends MeanMetricWrapper<{ axis?: number }> {
  constructor(config: CosineSimilarityMetricConfig = {}) {
    super(cosineSimilarityMetric, { name: 'cosine_similarity', axis: -1, ...checked(new.target, config) });
  }
}
/** The running mean log-cosh error (name 'logcosh', as Keras logs it). */
export class LogCoshError extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(logCosh, { name: 'logcosh', ...checked(new.target, config) });
  }
}
/** The running mean absolute percentage error (name 'mean_absolute_percentage_error'). */
export class MeanAbsolutePercentageError extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(meanAbsolutePercentageError, { name: 'mean_absolute_percentage_error', ...checked(new.target, config) });
  }
}
/** The running mean squared logarithmic error (name 'mean_squared_logarithmic_error'). */
export class MeanSquaredLogarithmicError extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(meanSquaredLogarithmicError, { name: 'mean_squared_logarithmic_error', ...checked(new.target, config) });
  }
}
