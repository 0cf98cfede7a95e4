// TruePositives, FalsePositives, TrueNegatives, FalseNegatives: Keras 3's
// _ConfusionMatrixConditionCount, the weighted count of one confusion condition per threshold.
import { fromTypedArray, scalar, type TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { accumulateCounts, emptyCounts, evenlyDistributed, parseThresholds, readBatch, type ConfusionCounts } from './confusion';
import { Metric } from './metric';
import { classOptions } from '../options/check';

/** Options of TruePositives, FalsePositives, TrueNegatives and FalseNegatives. */
export interface ConditionCountConfig {
  /** One threshold or several (one count each) in [0, 1]; a prediction above it is positive (default 0.5). */
  thresholds?: number | number[];
  /** The name in logs (default: the class name in snake_case, e.g. 'true_positives'). */
  name?: string;
}

abstract class ConditionCount extends Metric {
  /** The thresholds, one count each. */
  readonly thresholds: number[];
  private counts: ConfusionCounts;
  private readonly evenly: boolean;

  constructor(
    private readonly config: ConditionCountConfig,
    private readonly condition: keyof ConfusionCounts,
  ) {
    super(config.name ?? undefined);
    this.thresholds = parseThresholds(this.name, config.thresholds, 0.5);
    this.evenly = evenlyDistributed(this.thresholds);
    this.counts = emptyCounts(this.thresholds.length);
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    accumulateCounts(this.counts, readBatch(this.name, yTrue, yPred, sampleWeight), this.thresholds, this.evenly);
  }

  /** The count per threshold (one threshold: a scalar). */
  override result(): Tensor {
    const counts = this.counts[this.condition];
    return counts.length === 1 ? scalar(counts[0]) : fromTypedArray(Float32Array.from(counts), [counts.length], 'float32');
  }

  override resetState(): void {
    this.counts = emptyCounts(this.thresholds.length);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.config.thresholds ?? null };
  }
}

/**
 * The weighted count of positive labels predicted positive (name 'true_positives').
 * @example const m = new TruePositives(); m.updateState([0, 1, 1, 1], [1, 0, 1, 1]); m.result() // 2
 */
export class TruePositives extends ConditionCount {
  constructor(config: ConditionCountConfig = {}) {
    super(classOptions('metrics', TruePositives, new.target, config), 'tp');
  }
}

/**
 * The weighted count of negative labels predicted positive (name 'false_positives').
 * @example const m = new FalsePositives(); m.updateState([0, 1, 0, 0], [0, 0, 1, 1]); m.result() // 2
 */
export class FalsePositives extends ConditionCount {
  constructor(config: ConditionCountConfig = {}) {
    super(classOptions('metrics', FalsePositives, new.target, config), 'fp');
  }
}

/**
 * The weighted count of negative labels predicted negative (name 'true_negatives').
 * @example const m = new TrueNegatives(); m.updateState([0, 1, 0, 0], [1, 1, 0, 0]); m.result() // 2
 */
export class TrueNegatives extends ConditionCount {
  constructor(config: ConditionCountConfig = {}) {
    super(classOptions('metrics', TrueNegatives, new.target, config), 'tn');
  }
}

/**
 * The weighted count of positive labels predicted negative (name 'false_negatives').
 * @example const m = new FalseNegatives(); m.updateState([0, 1, 1, 1], [0, 1, 0, 0]); m.result() // 2
 */
export class FalseNegatives extends ConditionCount {
  constructor(config: ConditionCountConfig = {}) {
    super(classOptions('metrics', FalseNegatives, new.target, config), 'fn');
  }
}
