// Metrics: stateful metrics (updateState / result / resetState), the per-sample metric
// functions, compile's accuracy choice and lookup by name.
export { Metric, type MetricArgs } from './metric';
export type { AddVariableOptions } from './metric_variables';
export { Mean, Sum, MeanMetricWrapper, type MetricFunction } from './mean';
export * from './accuracy';
export {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  type MetricConfig,
} from './accuracy_metrics';
export { Precision, Recall, type PrecisionRecallConfig } from './precision_recall';
export { AUC, type AUCConfig } from './auc';
export { FBetaScore, F1Score, type FScoreAverage, type FScoreConfig } from './f_score';
export { MeanIoU, type MeanIoUConfig } from './iou';
export { IoU, BinaryIoU, OneHotIoU, OneHotMeanIoU, type IoUConfig, type BinaryIoUConfig, type OneHotIoUConfig, type OneHotMeanIoUConfig } from './iou_variants';
export { TruePositives, FalsePositives, TrueNegatives, FalseNegatives, type ConditionCountConfig } from './condition_counts';
export {
  SensitivityAtSpecificity,
  SpecificityAtSensitivity,
  PrecisionAtRecall,
  RecallAtPrecision,
  type RateAtRateOptions,
  type SensitivityAtSpecificityConfig,
  type SpecificityAtSensitivityConfig,
  type PrecisionAtRecallConfig,
  type RecallAtPrecisionConfig,
} from './sensitivity_specificity';
export {
  PearsonCorrelation,
  ConcordanceCorrelation,
  pearsonCorrelation,
  concordanceCorrelation,
  type CorrelationOptions,
  type CorrelationConfig,
} from './correlation';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  KLDivergence,
  Poisson,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  CosineSimilarity,
  LogCoshError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  type BinaryCrossentropyMetricConfig,
  type CategoricalCrossentropyMetricConfig,
  type SparseCategoricalCrossentropyMetricConfig,
  type CosineSimilarityMetricConfig,
} from './loss_metrics';
export { MeanSquaredError, MeanAbsoluteError, RootMeanSquaredError, R2Score, type R2ScoreConfig } from './regression_metrics';
export { BLEU, type BLEUConfig } from './bleu';
export { RougeL, type RougeLConfig } from './rouge';
export type { Token, TokenSequence, Tokenizer } from './token_sequences';
export { get, metricNames } from './registry';
export { serialize, deserialize } from './keras_serialize';
export type { DeserializeOptions } from '../serialization/keras_form';
// Keras 3's keras.metrics.X functions: the per-sample loss functions (one value per sample).
export { binaryFocalCrossentropy, categoricalFocalCrossentropy, categoricalHinge, hinge, huber, klDivergence, logCosh, poisson, squaredHinge } from '../losses';
export {
  meanSquaredError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredLogarithmicError,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from '../losses';
