// Regression metrics: running MSE, MAE and RMSE, and the R2 score.
import { fromTypedArray, scalar, type TensorLike } from '../tensor/creation';
import { sub } from '../ops/binary';
import { square } from '../ops/unary';
import { Tensor } from '../tensor/tensor';
import { lossPair } from '../losses/inputs';
import { meanAbsoluteError, meanSquaredError } from '../losses/regression';
import { readBatch } from './confusion';
import { MeanMetricWrapper } from './mean';
import { Metric, divNoNan } from './metric';
import type { MetricConfig } from './accuracy_metrics';
import { classOptions } from '../options/check';
import { describe, quoted } from '../tensor/shape';

/** The running mean squared error (name 'mean_squared_error'). */
export class MeanSquaredError extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(meanSquaredError, { name: 'mean_squared_error', ...config });
  }
}
/** The running mean absolute error (name 'mean_absolute_error'). */
export class MeanAbsoluteError extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(meanAbsoluteError, { name: 'mean_absolute_error', ...config });
  }
}

const squaredError = (yTrue: Tensor, yPred: Tensor) => square(sub(...lossPair('root_mean_squared_error', yTrue, yPred)));

/**
 * sqrt of the running mean squared error (name 'root_mean_squared_error').
 * @example const m = new RootMeanSquaredError(); m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]); m.result() // 0.5
 */
export class RootMeanSquaredError extends MeanMetricWrapper {
  constructor(config: MetricConfig = {}) {
    super(squaredError, { name: 'root_mean_squared_error', ...config });
  }

  override result(): Tensor {
    return scalar(Math.sqrt(this.state.value()));
  }
}

/** Options of R2Score. */
export interface R2ScoreConfig {
  /** How per-output scores combine: 'uniform_average' (default), 'variance_weighted_average' or null (one per output). */
  classAggregation?: 'uniform_average' | 'variance_weighted_average' | null;
  /** The number of regressors, for the adjusted R2 (default 0: plain R2). */
  numRegressors?: number;
  /** The name in logs (default 'r2_score'). */
  name?: string;
}

/**
 * The coefficient of determination 1 - SS_res / SS_tot per output of [batch, outputs]
 * inputs, aggregated (name 'r2_score').
 * @example const m = new R2Score(); m.updateState([[1], [4], [3]], [[2], [4], [4]]); m.result() // 0.571
 */
export class R2Score extends Metric {
  /** How per-output scores combine: 'uniform_average', 'variance_weighted_average' or null (one per output). */
  readonly classAggregation: 'uniform_average' | 'variance_weighted_average' | null;
  /** The number of regressors, for the adjusted R2 (0: plain R2). */
  readonly numRegressors: number;
  private sum = new Float64Array(0);
  private squaredSum = new Float64Array(0);
  private residual = new Float64Array(0);
  private count = new Float64Array(0);
  private numSamples = 0;

  constructor(config: R2ScoreConfig = {}) {
    config = classOptions('metrics', R2Score, new.target, config);
    super(config.name ?? 'r2_score');
    const { classAggregation = 'uniform_average', numRegressors = 0 } = config;
    if (![null, 'uniform_average', 'variance_weighted_average'].includes(classAggregation)) {
      throw new Error(`${this.name}: expected classAggregation null, 'uniform_average' or 'variance_weighted_average', got ${quoted(classAggregation)}`);
    }
    if (!(Number.isInteger(numRegressors) && numRegressors >= 0)) throw new Error(`${this.name}: expected numRegressors >= 0, got ${describe(numRegressors)}`);
    this.classAggregation = classAggregation;
    this.numRegressors = numRegressors;
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    const { labels, predictions, weights, lastDim } = readBatch(this.name, yTrue, yPred, sampleWeight);
    const outputs = labels.length === 0 ? this.sum.length : lastDim;
    if (this.sum.length === 0) this.resetTo(outputs);
    if (outputs !== this.sum.length) throw new Error(`${this.name}: expected ${this.sum.length} outputs, as in earlier batches, got ${describe(outputs)}`);
    for (let row = 0; row < labels.length; row += outputs) {
      let any = false;
      for (let k = 0; k < outputs; k++) {
        const w = weights === null ? 1 : weights[row + k];
        const t = labels[row + k];
        this.sum[k] += w * t;
        this.squaredSum[k] += w * t * t;
        this.residual[k] += w * (t - predictions[row + k]) ** 2;
        this.count[k] += w;
        if (w !== 0) any = true;
      }
      if (any) this.numSamples++;
    }
  }

  private resetTo(outputs: number): void {
    this.sum = new Float64Array(outputs);
    this.squaredSum = new Float64Array(outputs);
    this.residual = new Float64Array(outputs);
    this.count = new Float64Array(outputs);
    this.numSamples = 0;
  }

  override result(): Tensor {
    const totals = Float64Array.from(this.sum, (s, k) => this.squaredSum[k] - s * (s / this.count[k]));
    const raw = Float64Array.from(totals, (total, k) => {
      const r = 1 - this.residual[k] / total;
      return Number.isFinite(r) || Number.isNaN(r) ? r : 0;
    });
    let score: number | Float64Array = raw;
    if (this.classAggregation === 'uniform_average') score = raw.reduce((a, b) => a + b, 0) / raw.length;
    else if (this.classAggregation === 'variance_weighted_average')
      score = divNoNan(
        raw.reduce((a, r, k) => a + r * totals[k], 0),
        totals.reduce((a, b) => a + b, 0),
      );
    const n = this.numSamples;
    const p = this.numRegressors;
    if (p !== 0 && p < n - 1) {
      const adjust = (r: number) => 1 - ((1 - r) * (n - 1)) / (n - p - 1);
      score = typeof score === 'number' ? adjust(score) : score.map(adjust);
    }
    return typeof score === 'number' ? scalar(score) : fromTypedArray(Float32Array.from(score), [score.length], 'float32');
  }

  override resetState(): void {
    this.resetTo(this.sum.length);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), classAggregation: this.classAggregation, numRegressors: this.numRegressors };
  }
}
