// F-beta and F1 scores for multi-class and multi-label predictions, Keras 3's formulas.
import { fromTypedArray, scalar, type TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { shapeText } from '../losses/inputs';
import { toTensor } from '../ops/convert';
import { tidy } from '../tensor/memory';
import { readBatch } from './confusion';
import { Metric } from './metric';
import { classOptions } from '../options/check';
import { describe, quoted } from '../tensor/shape';
import { epsilon } from '../config/settings';

/** How per-class scores combine: not at all (null), over all counts ('micro'), plainly or by support. */
export type FScoreAverage = null | 'micro' | 'macro' | 'weighted';

/** Options of FBetaScore and F1Score. */
export interface FScoreConfig {
  /** Default null: one score per class. */
  average?: FScoreAverage;
  /** Predictions above it are positive; default null: each sample's arg max is positive. */
  threshold?: number | null;
  /** The name in logs (default 'fbeta_score' or 'f1_score'). */
  name?: string;
}

/**
 * (1 + beta^2) precision recall / (beta^2 precision + recall) per class, or averaged
 * (name 'fbeta_score'). Inputs are [batch, classes].
 */
export class FBetaScore extends Metric {
  /** How per-class scores combine: null (one per class), 'micro', 'macro' or 'weighted'. */
  readonly average: FScoreAverage;
  /** Weight of recall relative to precision (1: F1). */
  readonly beta: number;
  /** Predictions above it are positive; null: each sample's arg max is. */
  readonly threshold: number | null;
  // Per class (one entry for 'micro'): true positives, false positives, false negatives, support.
  private tp = new Float64Array(0);
  private fp = new Float64Array(0);
  private fn = new Float64Array(0);
  private support = new Float64Array(0);

  constructor(config: FScoreConfig & { beta?: number } = {}, defaultName = 'fbeta_score') {
    config = classOptions('metrics', FBetaScore, new.target, config);
    super(config.name ?? defaultName);
    const { average = null, beta = 1, threshold = null } = config;
    if (![null, 'micro', 'macro', 'weighted'].includes(average))
      throw new Error(`${this.name}: expected average null, 'micro', 'macro' or 'weighted', got ${quoted(average)}`);
    if (!(beta > 0)) throw new Error(`${this.name}: expected beta > 0, got ${describe(beta)}`);
    if (threshold !== null && !(threshold > 0 && threshold <= 1)) throw new Error(`${this.name}: expected 0 < threshold <= 1, got ${describe(threshold)}`);
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    const { labels, predictions, weights, lastDim } = tidy(() => {
      const t = toTensor(this.name, 'yTrue', yTrue);
      const p = toTensor(this.name, 'yPred', yPred);
      // Keras 3 refuses other ranks: a rank-1 batch would otherwise count as one sample of `batch` classes.
      if (t.rank !== 2 || p.rank !== 2) {
        throw new Error(
          `${this.name}: expected yTrue and yPred of rank 2, shape [batch, classes]; got yTrue of shape ${shapeText(t.shape)} and yPred of shape ${shapeText(p.shape)}`,
        );
      }
      if (p.shape[1] === 0) throw new Error(`${this.name}: expected at least one class, got yPred of shape ${shapeText(p.shape)}`);
      return readBatch(this.name, t, p, sampleWeight);
    });
    const size = this.average === 'micro' ? 1 : lastDim;
    if (this.tp.length === 0) this.resetTo(size);
    if (this.tp.length !== size) throw new Error(`${this.name}: expected ${size} classes, as in earlier batches, got ${describe(lastDim)}`);
    for (let row = 0; row < labels.length; row += lastDim) {
      let max = -Infinity;
      for (let j = 0; j < lastDim; j++) max = Math.max(max, predictions[row + j]);
      for (let j = 0; j < lastDim; j++) {
        const p = predictions[row + j];
        const positive = this.threshold === null ? p >= max && Math.abs(p) > 1e-9 : p > this.threshold;
        const predicted = positive ? 1 : 0;
        const label = labels[row + j];
        const w = weights === null ? 1 : weights[row + j];
        const k = size === 1 ? 0 : j;
        this.tp[k] += w * predicted * label;
        this.fp[k] += w * predicted * (1 - label);
        this.fn[k] += w * (1 - predicted) * label;
        this.support[k] += w * label;
      }
    }
  }

  private resetTo(size: number): void {
    this.tp = new Float64Array(size);
    this.fp = new Float64Array(size);
    this.fn = new Float64Array(size);
    this.support = new Float64Array(size);
  }

  override result(): Tensor {
    const b2 = this.beta * this.beta;
    const scores = Float64Array.from(this.tp, (tp, k) => {
      const precision = tp / (tp + this.fp[k] + epsilon());
      const recall = tp / (tp + this.fn[k] + epsilon());
      return ((1 + b2) * precision * recall) / (b2 * precision + recall + epsilon());
    });
    if (this.average === null) return fromTypedArray(Float32Array.from(scores), [scores.length], 'float32');
    if (this.average === 'weighted') {
      const total = this.support.reduce((a, b) => a + b, 0) + epsilon();
      return scalar(scores.reduce((acc, s, k) => acc + (s * this.support[k]) / total, 0));
    }
    return scalar(scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length);
  }

  override resetState(): void {
    this.resetTo(this.tp.length);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), average: this.average, beta: this.beta, threshold: this.threshold };
  }
}

/**
 * 2 precision recall / (precision + recall) (name 'f1_score').
 * @example new F1Score({ threshold: 0.5 }) // per class; { average: 'macro' } for one number
 */
export class F1Score extends FBetaScore {
  constructor(config: FScoreConfig = {}) {
    config = classOptions('metrics', F1Score, new.target, config);
    super({ ...config, beta: 1 }, 'f1_score');
  }
}
