// The accuracy metrics (running means of the accuracy functions) and the choice Keras's
// compile makes for metrics: ['accuracy'].
import { Loss } from '../losses/loss';
import { snakeCase } from '../losses/loss';
import {
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  topKCategoricalAccuracy,
  type BinaryAccuracyOptions,
  type TopKOptions,
} from './accuracy';
import { MeanMetricWrapper } from './mean';
import { describe } from '../tensor/shape';
import { everyEntry } from '../options/every_entry';

/** Options of a metric that only has a name. */
export interface MetricConfig {
  /** The name in logs (default: the metric's own, e.g. 'accuracy'). */
  name?: string;
}

/** How often yPred equals yTrue exactly (name 'accuracy'). */
export class Accuracy extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(accuracy, { name: 'accuracy', ...config });
  }
}
/** How often thresholded predictions match binary labels (name 'binary_accuracy'). */
export class BinaryAccuracy extends MeanMetricWrapper<BinaryAccuracyOptions> {
  constructor(config: MetricConfig & BinaryAccuracyOptions = {}) {
    super(binaryAccuracy, { name: 'binary_accuracy', threshold: 0.5, ...config });
  }
}
/** How often the arg max matches one-hot labels (name 'categorical_accuracy'). */
export class CategoricalAccuracy extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(categoricalAccuracy, { name: 'categorical_accuracy', ...config });
  }
}
/** How often the arg max matches integer labels (name 'sparse_categorical_accuracy'). */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(sparseCategoricalAccuracy, { name: 'sparse_categorical_accuracy', ...config });
  }
}
/** How often the one-hot target is in the top k (name 'top_k_categorical_accuracy'). */
export class TopKCategoricalAccuracy extends MeanMetricWrapper<TopKOptions> {
  constructor(config: MetricConfig & TopKOptions = {}) {
    super(topKCategoricalAccuracy, { name: 'top_k_categorical_accuracy', k: 5, ...config });
  }
}
/** How often the integer label is in the top k (name 'sparse_top_k_categorical_accuracy'). */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper<TopKOptions> {
  constructor(config: MetricConfig & TopKOptions = {}) {
    super(sparseTopKCategoricalAccuracy, { name: 'sparse_top_k_categorical_accuracy', k: 5, ...config });
  }
}

/** Shapes of a batch's labels and predictions. */
export interface AccuracyShapes {
  /** The shape of the labels. */
  yTrue: readonly number[];
  /** The shape of the predictions. */
  yPred: readonly number[];
}

/**
 * The metric `metrics: ['accuracy']` means, named `name`. With the batch's shapes this is
 * Keras 3's rule (yPred's last dimension 1: binary; labels of lower rank, or a last
 * dimension of 1 against several classes: sparse; else categorical). Without them the
 * loss decides, as in tf.keras 2 and TensorFlow.js: a binary loss gives binary
 * accuracy, a sparse one sparse accuracy, anything else categorical accuracy.
 */
export function resolveAccuracy(
  loss?: string | ((...args: never[]) => unknown) | Loss | null,
  shapes?: AccuracyShapes,
  name = 'accuracy',
): MeanMetricWrapper<object> {
  const op = 'metrics.resolveAccuracy';
  if (loss !== undefined && loss !== null && typeof loss !== 'string' && typeof loss !== 'function' && !(loss instanceof Loss)) {
    throw new Error(`${op}: expected loss to be a name, a function or a Loss, got ${describe(loss)}`);
  }
  if (shapes !== undefined) {
    const ok = (s: unknown) => Array.isArray(s) && s.length > 0 && everyEntry(s, (d) => Number.isSafeInteger(d) && d >= 0);
    if (shapes === null || typeof shapes !== 'object' || !ok(shapes.yTrue) || !ok(shapes.yPred)) {
      throw new Error(`${op}: expected shapes to be {yTrue, yPred}, two shapes of rank 1 or more, got ${describe(shapes)}`);
    }
  }
  if (typeof name !== 'string') throw new Error(`${op}: expected name to be a string, got ${describe(name)}`);
  let kind: 'binary' | 'sparse' | 'categorical' = 'categorical';
  if (shapes !== undefined) {
    const { yTrue, yPred } = shapes;
    const lastTrue = yTrue[yTrue.length - 1];
    const lastPred = yPred[yPred.length - 1];
    if (lastPred === 1) kind = 'binary';
    else if (yTrue.length < yPred.length || (lastTrue === 1 && lastPred > 1)) kind = 'sparse';
  } else if (loss !== undefined && loss !== null) {
    const lossName = snakeCase(typeof loss === 'string' ? loss : loss instanceof Loss ? loss.name : loss.name).toLowerCase();
    if (lossName.includes('binary') || lossName === 'bce') kind = 'binary';
    else if (lossName.includes('sparse')) kind = 'sparse';
  }
  if (kind === 'binary') return new BinaryAccuracy({ name });
  return kind === 'sparse' ? new SparseCategoricalAccuracy({ name }) : new CategoricalAccuracy({ name });
}
