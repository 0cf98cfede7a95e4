// Metrics by name: Keras 3's class names, their snake_case names (what logs show), the
// camelCase names of TensorFlow.js, Keras's aliases, and the losses usable as metrics.
import { didYouMean } from '../options/check';
import { Tensor } from '../tensor/tensor';
import { snakeCase } from '../losses/loss';
import * as accuracyMetrics from './accuracy_metrics';
import * as counts from './condition_counts';
import { ConcordanceCorrelation, PearsonCorrelation } from './correlation';
import { BinaryIoU } from './iou_variants';
import * as lossMetrics from './loss_metrics';
import { AUC } from './auc';
import { F1Score, FBetaScore } from './f_score';
import { Mean, MeanMetricWrapper, Sum } from './mean';
import { Metric } from './metric';
import { Precision, Recall } from './precision_recall';
import { MeanAbsoluteError, MeanSquaredError, R2Score, RootMeanSquaredError } from './regression_metrics';
import { tooManyArguments } from '../options/arity';
import { customObjectsHint, findCustomObject, isClass } from '../serialization/custom_objects';

const CLASSES: Record<string, new () => Metric> = {
  Accuracy: accuracyMetrics.Accuracy,
  BinaryAccuracy: accuracyMetrics.BinaryAccuracy,
  CategoricalAccuracy: accuracyMetrics.CategoricalAccuracy,
  SparseCategoricalAccuracy: accuracyMetrics.SparseCategoricalAccuracy,
  TopKCategoricalAccuracy: accuracyMetrics.TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy: accuracyMetrics.SparseTopKCategoricalAccuracy,
  Precision,
  Recall,
  AUC,
  F1Score,
  FBetaScore,
  MeanSquaredError,
  MeanAbsoluteError,
  RootMeanSquaredError,
  R2Score,
  Mean,
  Sum,
  TruePositives: counts.TruePositives,
  FalsePositives: counts.FalsePositives,
  TrueNegatives: counts.TrueNegatives,
  FalseNegatives: counts.FalseNegatives,
  BinaryIoU,
  PearsonCorrelation,
  ConcordanceCorrelation,
};

// Losses that Keras also offers as metrics: the class, under the name the metric logs.
const LOSS_METRICS: [string, new () => Metric, string[]][] = [
  ['mean_absolute_percentage_error', lossMetrics.MeanAbsolutePercentageError, ['mape', 'MAPE', 'MeanAbsolutePercentageError']],
  ['mean_squared_logarithmic_error', lossMetrics.MeanSquaredLogarithmicError, ['msle', 'MSLE', 'MeanSquaredLogarithmicError']],
  ['binary_crossentropy', lossMetrics.BinaryCrossentropy, ['bce', 'BCE', 'BinaryCrossentropy']],
  ['categorical_crossentropy', lossMetrics.CategoricalCrossentropy, ['CategoricalCrossentropy']],
  ['sparse_categorical_crossentropy', lossMetrics.SparseCategoricalCrossentropy, ['SparseCategoricalCrossentropy']],
  ['kl_divergence', lossMetrics.KLDivergence, ['kld', 'KLD', 'KLDivergence', 'kullback_leibler_divergence']],
  ['poisson', lossMetrics.Poisson, ['Poisson']],
  ['hinge', lossMetrics.Hinge, ['Hinge']],
  ['squared_hinge', lossMetrics.SquaredHinge, ['SquaredHinge']],
  ['categorical_hinge', lossMetrics.CategoricalHinge, ['CategoricalHinge']],
  ['logcosh', lossMetrics.LogCoshError, ['log_cosh', 'LogCoshError', 'log_cosh_error']],
  ['cosine_similarity', lossMetrics.CosineSimilarity, ['CosineSimilarity']],
];

const camelCase = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const BY_NAME = new Map<string, () => Metric>();
for (const [className, cls] of Object.entries(CLASSES)) {
  const snake = snakeCase(className);
  for (const name of [className, snake, camelCase(snake)]) BY_NAME.set(name, () => new cls());
}
for (const [alias, className] of [
  ['mse', 'MeanSquaredError'],
  ['MSE', 'MeanSquaredError'],
  ['mae', 'MeanAbsoluteError'],
  ['MAE', 'MeanAbsoluteError'],
  ['rmse', 'RootMeanSquaredError'],
  ['f1', 'F1Score'],
]) {
  BY_NAME.set(alias, () => new CLASSES[className]());
}
for (const [name, cls, aliases] of LOSS_METRICS) {
  for (const n of [name, camelCase(name), ...aliases]) BY_NAME.set(n, () => new cls());
}

/** Every name metrics.get() knows. */
export function metricNames(): string[] {
  if (arguments.length > 0) throw tooManyArguments('metrics.metricNames', 0, arguments.length);
  return [...BY_NAME.keys()];
}

/**
 * A fresh metric by name (as Keras's metrics.get: 'accuracy' is exact-match Accuracy; see
 * resolveAccuracy for compile's choice), a per-sample function wrapped in a
 * MeanMetricWrapper, or the Metric given.
 * @example metrics.get('precision'); metrics.get('mse'); metrics.get((t, p) => abs(sub(t, p)))
 */
export function get(identifier: string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor)): Metric {
  if (arguments.length > 1) throw tooManyArguments('metrics.get', 1, arguments.length);
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') return new MeanMetricWrapper(identifier);
  // A load's customObjects come first (Keras 3's custom_objects): a Metric class or a per-sample function.
  const custom = findCustomObject(identifier, (v) => v.prototype instanceof Metric || !isClass(v));
  if (custom !== undefined) {
    const { value } = custom;
    return value.prototype instanceof Metric
      ? new (value as new () => Metric)()
      : new MeanMetricWrapper(value as (yTrue: Tensor, yPred: Tensor) => Tensor, { name: identifier as string });
  }
  const make = typeof identifier === 'string' ? BY_NAME.get(identifier) : undefined;
  if (make === undefined) {
    throw new Error(
      `metrics.get: unknown metric ${typeof identifier === 'string' ? `'${identifier}'` : typeof identifier}; ${didYouMean(identifier, metricNames())}expected a Metric, a function (yTrue, yPred) => Tensor or one of: ${metricNames().join(', ')}${customObjectsHint()}`,
    );
  }
  return make();
}
