// The Loss classes of Keras 3 (`new losses.MeanSquaredError({reduction: 'sum'})`): each
// wraps its per-sample function under Keras's default name.
import { Tensor } from '../tensor/tensor';
import {
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  sparseCategoricalCrossentropyMasked,
  type BinaryCrossentropyOptions,
  type BinaryFocalCrossentropyOptions,
  type CategoricalCrossentropyOptions,
  type SparseCategoricalCrossentropyOptions,
} from './crossentropy';
import { categoricalFocalCrossentropy, type CategoricalFocalCrossentropyOptions } from './categorical_focal';
import { circle, circleMasked, type CircleConfig } from './circle';
import { ctc } from './ctc';
import { categoricalGeneralizedCrossEntropy, checkQ, type CategoricalGeneralizedCrossEntropyOptions } from './generalized_cross_entropy';
import { categoricalHinge, hinge, squaredHinge } from './hinge';
import { LossFunctionWrapper, type LossConfig, type MaskedLosses } from './loss';
import { dice, tversky, type DiceOptions, type TverskyOptions } from './overlap';
import { kullbackLeiblerDivergence, poisson } from './probabilistic';
import {
  cosineSimilarity,
  huber,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  type CosineSimilarityOptions,
  type HuberOptions,
} from './regression';

/** Mean squared error (name 'mean_squared_error'). */
export class MeanSquaredError extends LossFunctionWrapper {
  constructor(config: LossConfig = {}) {
    super(meanSquaredError, config, 'mean_squared_error');
  }
}
/** Mean absolute error (name 'mean_absolute_error'). */
export class MeanAbsoluteError extends LossFunctionWrapper {
  constructor(config: LossConfig = {}) {
    super(meanAbsoluteError, config, 'mean_absolute_error');
  }
}
/** Mean absolute percentage error (name 'mean_absolute_percentage_error'). */
export class MeanAbsolutePercentageError extends LossFunctionWrapper {
  constructor(config: LossConfig = {}) {
    super(meanAbsolutePercentageError, config, 'mean_absolute_percentage_error');
  }
}
/** Mean squared logarithmic error (name 'mean_squared_logarithmic_error'). */
export class MeanSquaredLogarithmicError extends LossFunctionWrapper {
  constructor(config: LossConfig = {}) {
    super(meanSquaredLogarithmicError, config, 'mean_squared_logarithmic_error');
  }
}
/** Huber loss with `delta` (name 'huber_loss'). */
export class Huber extends LossFunctionWrapper<HuberOptions> {
  constructor(config: LossConfig & HuberOptions = {}) {
    super(huber, config, 'huber_loss');
  }
}
/** Log-cosh loss (name 'log_cosh'). */
export class LogCosh extends LossFunctionWrapper {
  constructor(config: LossConfig = {}) {
    super(logCosh, config, 'log_cosh');
  }
}
/** Negative cosine similarity along `axis` (name 'cosine_similarity'). */
export class CosineSimilarity extends LossFunctionWrapper<CosineSimilarityOptions> {
  constructor(config: LossConfig & CosineSimilarityOptions = {}) {
    super(cosineSimilarity, config, 'cosine_similarity');
  }
}
/** Binary cross-entropy (name 'binary_crossentropy'). */
export class BinaryCrossentropy extends LossFunctionWrapper<BinaryCrossentropyOptions> {
  constructor(config: LossConfig & BinaryCrossentropyOptions = {}) {
    super(binaryCrossentropy, config, 'binary_crossentropy');
  }
}
/** Binary focal cross-entropy (name 'binary_focal_crossentropy'). */
export class BinaryFocalCrossentropy extends LossFunctionWrapper<BinaryFocalCrossentropyOptions> {
  constructor(config: LossConfig & BinaryFocalCrossentropyOptions = {}) {
    super(binaryFocalCrossentropy, config, 'binary_focal_crossentropy');
  }
}
/** Categorical cross-entropy of one-hot labels (name 'categorical_crossentropy'). */
export class CategoricalCrossentropy extends LossFunctionWrapper<CategoricalCrossentropyOptions> {
  constructor(config: LossConfig & CategoricalCrossentropyOptions = {}) {
    super(categoricalCrossentropy, config, 'categorical_crossentropy');
  }
}
/**
 * Categorical cross-entropy of integer labels (name 'sparse_categorical_crossentropy').
 * Samples labelled `ignoreClass` count neither in the sum nor in the mean.
 */
export class SparseCategoricalCrossentropy extends LossFunctionWrapper<SparseCategoricalCrossentropyOptions> {
  constructor(config: LossConfig & SparseCategoricalCrossentropyOptions = {}) {
    super(sparseCategoricalCrossentropy, config, 'sparse_categorical_crossentropy');
  }

  /** @internal The per-sample losses, with samples labelled `ignoreClass` masked out. */
  override callMasked(yTrue: Tensor, yPred: Tensor): MaskedLosses {
    return sparseCategoricalCrossentropyMasked(yTrue, yPred, this.options);
  }
}
/** Hinge loss (name 'hinge'). */
export class Hinge extends LossFunctionWrapper {
  constructor(config: LossConfig = {}) {
    super(hinge, config, 'hinge');
  }
}
/** Squared hinge loss (name 'squared_hinge'). */
export class SquaredHinge extends LossFunctionWrapper {
  constructor(config: LossConfig = {}) {
    super(squaredHinge, config, 'squared_hinge');
  }
}
/** Categorical hinge loss (name 'categorical_hinge'). */
export class CategoricalHinge extends LossFunctionWrapper {
  constructor(config: LossConfig = {}) {
    super(categoricalHinge, config, 'categorical_hinge');
  }
}
/** Kullback-Leibler divergence (name 'kl_divergence'). */
export class KLDivergence extends LossFunctionWrapper {
  constructor(config: LossConfig = {}) {
    super(kullbackLeiblerDivergence, config, 'kl_divergence');
  }
}
/** Poisson loss (name 'poisson'). */
export class Poisson extends LossFunctionWrapper {
  constructor(config: LossConfig = {}) {
    super(poisson, config, 'poisson');
  }
}
/** Categorical focal cross-entropy of one-hot labels (name 'categorical_focal_crossentropy'). */
export class CategoricalFocalCrossentropy extends LossFunctionWrapper<CategoricalFocalCrossentropyOptions> {
  constructor(config: LossConfig & CategoricalFocalCrossentropyOptions = {}) {
    super(categoricalFocalCrossentropy, config, 'categorical_focal_crossentropy');
  }

  override getConfig(): Record<string, unknown> {
    return { alpha: 0.25, gamma: 2, fromLogits: false, labelSmoothing: 0, axis: -1, ...super.getConfig() };
  }
}
/** Generalized cross-entropy (1 - p^q) / q of integer labels (name 'categorical_generalized_cross_entropy'). */
export class CategoricalGeneralizedCrossEntropy extends LossFunctionWrapper<CategoricalGeneralizedCrossEntropyOptions> {
  constructor(config: LossConfig & CategoricalGeneralizedCrossEntropyOptions = {}) {
    super(categoricalGeneralizedCrossEntropy, config, 'categorical_generalized_cross_entropy');
    checkQ(this.name, this.options.q ?? 0.5);
  }

  override getConfig(): Record<string, unknown> {
    return { q: 0.5, ...super.getConfig() };
  }
}
/** Dice loss over `axis` (name 'dice'). */
export class Dice extends LossFunctionWrapper<DiceOptions> {
  constructor(config: LossConfig & DiceOptions = {}) {
    super(dice, config, 'dice');
  }

  override getConfig(): Record<string, unknown> {
    return { axis: null, ...super.getConfig() };
  }
}
/** Tversky loss over `axis`, false positives weighted by alpha and false negatives by beta (name 'tversky'). */
export class Tversky extends LossFunctionWrapper<TverskyOptions> {
  constructor(config: LossConfig & TverskyOptions = {}) {
    super(tversky, config, 'tversky');
  }

  override getConfig(): Record<string, unknown> {
    return { alpha: 0.5, beta: 0.5, axis: null, ...super.getConfig() };
  }
}
/**
 * Circle loss of integer labels and L2-normalized embeddings (name 'circle'). Samples
 * whose loss is 0 (no positive or no negative pair) leave the mean, as Keras masks them.
 */
export class Circle extends LossFunctionWrapper<CircleConfig> {
  constructor(config: LossConfig & CircleConfig = {}) {
    super(circle, config, 'circle');
  }

  /** @internal The per-sample losses, those of 0 masked out. */
  override callMasked(yTrue: Tensor, yPred: Tensor): MaskedLosses {
    return circleMasked(yTrue, yPred, this.options);
  }

  override getConfig(): Record<string, unknown> {
    return { gamma: 80, margin: 0.4, removeDiagonal: true, ...super.getConfig() };
  }
}
/** CTC loss of integer labels (0: blank and padding) against logits (name 'ctc'). */
export class CTC extends LossFunctionWrapper {
  constructor(config: LossConfig = {}) {
    super(ctc, config, 'ctc');
  }
}
