// SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision:
// Keras 3's SensitivitySpecificityBase. Confusion counts at numThresholds evenly spaced
// thresholds; the result is the best of one rate among the thresholds where the other
// rate reaches the target value (0 where none does).
import { scalar, type TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { accumulateCounts, emptyCounts, readBatch, selectClass, type ConfusionCounts } from './confusion';
import { Metric, divNoNan } from './metric';
import { classOptions } from '../options/check';
import { describe } from '../tensor/shape';

/** Options shared by the four metrics besides their target value. */
export interface RateAtRateOptions {
  /** The number of evenly spaced thresholds in [0, 1] to search (default 200; 1 means the single threshold 0.5). */
  numThresholds?: number;
  /** Count only this class (the last axis of yPred). */
  classId?: number;
  /** The name in logs (default: the class name in snake_case). */
  name?: string;
}

/** Options of SensitivityAtSpecificity. */
export interface SensitivityAtSpecificityConfig extends RateAtRateOptions {
  /** The specificity to reach, in [0, 1] (required). */
  specificity: number;
}
/** Options of SpecificityAtSensitivity. */
export interface SpecificityAtSensitivityConfig extends RateAtRateOptions {
  /** The sensitivity to reach, in [0, 1] (required). */
  sensitivity: number;
}
/** Options of PrecisionAtRecall. */
export interface PrecisionAtRecallConfig extends RateAtRateOptions {
  /** The recall to reach, in [0, 1] (required). */
  recall: number;
}
/** Options of RecallAtPrecision. */
export interface RecallAtPrecisionConfig extends RateAtRateOptions {
  /** The precision to reach, in [0, 1] (required). */
  precision: number;
}

type Rate = 'sensitivity' | 'specificity' | 'precision';

// Each rate per threshold, from the counts.
const RATES: Record<Rate, (c: ConfusionCounts, i: number) => number> = {
  sensitivity: (c, i) => divNoNan(c.tp[i], c.tp[i] + c.fn[i]),
  specificity: (c, i) => divNoNan(c.tn[i], c.tn[i] + c.fp[i]),
  precision: (c, i) => divNoNan(c.tp[i], c.tp[i] + c.fp[i]),
};

abstract class RateAtRate extends Metric {
  /** The thresholds searched: 0, 1/(n-1), ..., 1 (or [0.5] for numThresholds 1). */
  readonly thresholds: number[];
  /** The target value of the constrained rate. */
  readonly value: number;
  /** The class counted (the last axis of yPred), or null for every value. */
  readonly classId: number | null;
  private counts: ConfusionCounts;

  constructor(
    config: RateAtRateOptions,
    private readonly valueKey: string,
    value: unknown,
    private readonly constrained: Rate,
    private readonly maximized: Rate,
  ) {
    super(config.name ?? undefined);
    if (typeof value !== 'number' || !(value >= 0 && value <= 1))
      throw new Error(`${this.name}: expected ${valueKey} to be a number in [0, 1], got ${describe(value)}`);
    const { numThresholds = 200, classId = null } = config;
    if (!Number.isInteger(numThresholds) || numThresholds < 1)
      throw new Error(`${this.name}: expected numThresholds to be an integer > 0, got ${describe(numThresholds)}`);
    if (classId !== null && !(Number.isInteger(classId) && classId >= 0))
      throw new Error(`${this.name}: expected classId to be a non-negative integer, got ${describe(classId)}`);
    this.value = value;
    this.classId = classId;
    this.thresholds = numThresholds === 1 ? [0.5] : Array.from({ length: numThresholds }, (_, i) => i / (numThresholds - 1));
    this.counts = emptyCounts(this.thresholds.length);
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    let batch = readBatch(this.name, yTrue, yPred, sampleWeight);
    if (this.classId !== null) batch = selectClass(this.name, batch, this.classId);
    // Keras buckets evenly spaced thresholds, clipping predictions to [0, 1] first.
    accumulateCounts(this.counts, batch, this.thresholds, this.thresholds.length > 1);
  }

  /** The largest maximized rate among thresholds where the constrained rate >= value; 0 if none. */
  override result(): Tensor {
    let best = 0;
    for (let i = 0; i < this.thresholds.length; i++) {
      if (RATES[this.constrained](this.counts, i) >= this.value) best = Math.max(best, RATES[this.maximized](this.counts, i));
    }
    return scalar(best);
  }

  override resetState(): void {
    this.counts = emptyCounts(this.thresholds.length);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), classId: this.classId, numThresholds: this.thresholds.length, [this.valueKey]: this.value };
  }
}

// A required target value: the config itself must be an object holding it.
function valueOf(config: unknown, key: string): unknown {
  return config !== null && typeof config === 'object' ? (config as Record<string, unknown>)[key] : undefined;
}

/**
 * The best sensitivity (recall) where specificity >= `specificity` (name 'sensitivity_at_specificity').
 * @example const m = new SensitivityAtSpecificity({ specificity: 0.5 }); m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); m.result() // 0.5
 */
export class SensitivityAtSpecificity extends RateAtRate {
  constructor(config: SensitivityAtSpecificityConfig) {
    config = classOptions('metrics', SensitivityAtSpecificity, new.target, config);
    super(config ?? {}, 'specificity', valueOf(config, 'specificity'), 'specificity', 'sensitivity');
  }
}

/**
 * The best specificity where sensitivity (recall) >= `sensitivity` (name 'specificity_at_sensitivity').
 * @example const m = new SpecificityAtSensitivity({ sensitivity: 0.5 }); m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); m.result() // 0.667
 */
export class SpecificityAtSensitivity extends RateAtRate {
  constructor(config: SpecificityAtSensitivityConfig) {
    config = classOptions('metrics', SpecificityAtSensitivity, new.target, config);
    super(config ?? {}, 'sensitivity', valueOf(config, 'sensitivity'), 'sensitivity', 'specificity');
  }
}

/**
 * The best precision where recall >= `recall` (name 'precision_at_recall').
 * @example const m = new PrecisionAtRecall({ recall: 0.5 }); m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); m.result() // 0.5
 */
export class PrecisionAtRecall extends RateAtRate {
  constructor(config: PrecisionAtRecallConfig) {
    config = classOptions('metrics', PrecisionAtRecall, new.target, config);
    super(config ?? {}, 'recall', valueOf(config, 'recall'), 'sensitivity', 'precision');
  }
}

/**
 * The best recall where precision >= `precision` (name 'recall_at_precision').
 * @example const m = new RecallAtPrecision({ precision: 0.8 }); m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]); m.result() // 0.5
 */
export class RecallAtPrecision extends RateAtRate {
  constructor(config: RecallAtPrecisionConfig) {
    config = classOptions('metrics', RecallAtPrecision, new.target, config);
    super(config ?? {}, 'precision', valueOf(config, 'precision'), 'precision', 'sensitivity');
  }
}
