// Precision and Recall at thresholds, optionally over the top-k predictions or one class.
import { fromTypedArray, scalar, type TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { accumulateCounts, emptyCounts, evenlyDistributed, keepTopK, NEG_INF, readBatch, selectClass, type ConfusionCounts } from './confusion';
import { Metric, divNoNan } from './metric';
import { classOptions } from '../options/check';
import { describe } from '../tensor/shape';

/** Options of Precision and Recall. */
export interface PrecisionRecallConfig {
  /** One threshold or several (one result each) in [0, 1]; default 0.5, or none with topK. */
  thresholds?: number | number[];
  /** Count only the k highest predictions of each sample as positive. */
  topK?: number;
  /** Count only this class (the last axis of yPred). */
  classId?: number;
  /** The name in logs (default 'precision' or 'recall'). */
  name?: string;
}

// What Precision and Recall share: thresholds, top-k and class filtering, and the counts.
abstract class ThresholdedMetric extends Metric {
  readonly thresholds: number[];
  protected counts: ConfusionCounts;

  constructor(
    private readonly config: PrecisionRecallConfig,
    name: string,
  ) {
    super(config.name ?? name);
    const given = config.thresholds === undefined ? undefined : Array.isArray(config.thresholds) ? config.thresholds : [config.thresholds];
    for (const t of given ?? []) if (!(t >= 0 && t <= 1)) throw new Error(`${this.name}: expected thresholds in [0, 1], got ${describe(t)}`);
    this.thresholds = given ?? [config.topK === undefined ? 0.5 : NEG_INF];
    this.counts = emptyCounts(this.thresholds.length);
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    let batch = readBatch(this.name, yTrue, yPred, sampleWeight);
    if (this.config.topK !== undefined) batch = keepTopK(batch, this.config.topK);
    if (this.config.classId !== undefined) batch = selectClass(this.name, batch, this.config.classId);
    // Keras buckets evenly spaced thresholds (0, 1/(n-1), ..., 1), clipping predictions to [0, 1].
    accumulateCounts(this.counts, batch, this.thresholds, evenlyDistributed(this.thresholds));
  }

  /** The ratio per threshold (one threshold: a scalar). */
  protected ratio(numerator: Float64Array, other: Float64Array): Tensor {
    const values = Float32Array.from(numerator, (n, i) => divNoNan(n, n + other[i]));
    return values.length === 1 ? scalar(values[0]) : fromTypedArray(values, [values.length], 'float32');
  }

  override resetState(): void {
    this.counts = emptyCounts(this.thresholds.length);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.config.thresholds, topK: this.config.topK, classId: this.config.classId };
  }
}

/**
 * true positives / (true positives + false positives) (name 'precision').
 * @example const m = new Precision(); m.updateState([0, 1, 1, 1], [1, 0, 1, 1]); m.result() // 0.667
 */
export class Precision extends ThresholdedMetric {
  constructor(config: PrecisionRecallConfig = {}) {
    config = classOptions('metrics', Precision, new.target, config);
    super(config, 'precision');
  }

  override result(): Tensor {
    return this.ratio(this.counts.tp, this.counts.fp);
  }
}

/**
 * true positives / (true positives + false negatives) (name 'recall').
 * @example const m = new Recall(); m.updateState([0, 1, 1, 1], [1, 0, 1, 1]); m.result() // 0.667
 */
export class Recall extends ThresholdedMetric {
  constructor(config: PrecisionRecallConfig = {}) {
    config = classOptions('metrics', Recall, new.target, config);
    super(config, 'recall');
  }

  override result(): Tensor {
    return this.ratio(this.counts.tp, this.counts.fn);
  }
}
