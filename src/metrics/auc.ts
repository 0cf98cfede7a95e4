// AUC: the area under the ROC or precision-recall curve, from confusion counts at
// thresholds, with Keras 3's Riemann sums and its interpolated PR area (Davis & Goadrich).
import { scalar, type TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { accumulateCounts, emptyCounts, readBatch, type ConfusionCounts } from './confusion';
import { Metric, divNoNan } from './metric';
import { classOptions } from '../options/check';
import { describe, quoted } from '../tensor/shape';
import { epsilon } from '../config/settings';

/** Options of AUC. */
export interface AUCConfig {
  /** Evenly spaced thresholds in [0, 1] (default 200). */
  numThresholds?: number;
  /** 'ROC' (default) or 'PR'. */
  curve?: 'ROC' | 'PR';
  /** 'interpolation' (default), 'minoring' (left sums) or 'majoring' (right sums). */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Explicit thresholds instead of numThresholds evenly spaced ones. */
  thresholds?: number[];
  /** Apply a sigmoid to yPred first (default false). */
  fromLogits?: boolean;
  /** The name in logs (default 'auc'). */
  name?: string;
}

/**
 * Area under the ROC or PR curve (name 'auc'), approximated at numThresholds thresholds.
 * @example const m = new AUC(); m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]); m.result() // 0.75
 */
export class AUC extends Metric {
  /** The thresholds, -1e-7 and 1 + 1e-7 included. */
  readonly thresholds: number[];
  /** Which curve's area: 'ROC' or 'PR' (precision-recall). */
  readonly curve: 'ROC' | 'PR';
  /** How the area between thresholds is summed. */
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  private counts: ConfusionCounts;
  private readonly evenlySpaced: boolean;
  private readonly fromLogits: boolean;

  constructor(config: AUCConfig = {}) {
    config = classOptions('metrics', AUC, new.target, config);
    super(config.name ?? 'auc');
    const { numThresholds = 200, summationMethod = 'interpolation' } = config;
    // Keras's AUCCurve.from_str takes 'roc' and 'pr' too (earlier Tessera files wrote them so).
    const curve = config.curve === ('roc' as never) ? 'ROC' : config.curve === ('pr' as never) ? 'PR' : (config.curve ?? 'ROC');
    if (curve !== 'ROC' && curve !== 'PR') throw new Error(`${this.name}: expected curve 'ROC' or 'PR', got ${quoted(curve)}`);
    if (!['interpolation', 'minoring', 'majoring'].includes(summationMethod)) {
      throw new Error(`${this.name}: expected summationMethod 'interpolation', 'minoring' or 'majoring', got ${quoted(summationMethod)}`);
    }
    let inner: number[];
    if (config.thresholds !== undefined) {
      inner = [...config.thresholds].sort((a, b) => a - b);
    } else {
      if (!Number.isInteger(numThresholds) || numThresholds <= 1)
        throw new Error(`${this.name}: expected numThresholds to be an integer > 1, got ${describe(numThresholds)}`);
      inner = Array.from({ length: numThresholds - 2 }, (_, i) => (i + 1) / (numThresholds - 1));
    }
    this.thresholds = [-epsilon(), ...inner, 1 + epsilon()];
    this.evenlySpaced = config.thresholds === undefined;
    this.curve = curve;
    this.summationMethod = summationMethod;
    this.fromLogits = config.fromLogits ?? false;
    this.counts = emptyCounts(this.thresholds.length);
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    const batch = readBatch(this.name, yTrue, yPred, sampleWeight);
    const predictions = this.fromLogits ? Float64Array.from(batch.predictions, (x) => 1 / (1 + Math.exp(-x))) : batch.predictions;
    // Keras's bucketed path (evenly spaced thresholds) clips predictions to [0, 1].
    accumulateCounts(this.counts, { ...batch, predictions }, this.thresholds, this.evenlySpaced);
  }

  override result(): Tensor {
    const { tp, fp, tn, fn } = this.counts;
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') return scalar(interpolatedPrAuc(this.counts));
    const recall = Float64Array.from(tp, (v, i) => divNoNan(v, v + fn[i]));
    const [x, y] =
      this.curve === 'ROC'
        ? [Float64Array.from(fp, (v, i) => divNoNan(v, v + tn[i])), recall]
        : [recall, Float64Array.from(tp, (v, i) => divNoNan(v, v + fp[i]))];
    let area = 0;
    for (let i = 0; i + 1 < x.length; i++) {
      const height =
        this.summationMethod === 'interpolation'
          ? (y[i] + y[i + 1]) / 2
          : this.summationMethod === 'minoring'
            ? Math.min(y[i], y[i + 1])
            : Math.max(y[i], y[i + 1]);
      area += (x[i] - x[i + 1]) * height;
    }
    return scalar(area);
  }

  override resetState(): void {
    this.counts = emptyCounts(this.thresholds.length);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      numThresholds: this.thresholds.length,
      curve: this.curve,
      summationMethod: this.summationMethod,
      fromLogits: this.fromLogits,
      ...(this.evenlySpaced ? {} : { thresholds: this.thresholds.slice(1, -1) }),
    };
  }
}

// Keras's interpolate_pr_auc: precision varies as TP and predicted positives vary
// linearly between thresholds, integrated in closed form.
function interpolatedPrAuc({ tp, fp, fn }: ConfusionCounts): number {
  let area = 0;
  for (let i = 0; i + 1 < tp.length; i++) {
    const dtp = tp[i] - tp[i + 1];
    const pA = tp[i] + fp[i];
    const pB = tp[i + 1] + fp[i + 1];
    const slope = divNoNan(dtp, Math.max(pA - pB, 0));
    const intercept = tp[i + 1] - slope * pB;
    const ratio = pA > 0 && pB > 0 ? divNoNan(pA, Math.max(pB, 0)) : 1;
    area += divNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1] + fn[i + 1], 0));
  }
  return area;
}
