// Sum, Mean and MeanMetricWrapper: weighted sums and means of per-sample values, with
// Keras 3's reduce_to_samplewise_values.
import { mul } from '../ops/binary';
import { cast } from '../ops/cast';
import { stack } from '../ops/concat';
import { toTensor } from '../ops/convert';
import { mean as meanOp, sum as sumOp } from '../ops/reduce';
import { broadcastTo } from '../ops/tile';
import { scalar, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { alignRanks } from '../losses/inputs';
import { snakeCase } from '../losses/loss';
import { Metric, divNoNan } from './metric';
import { classOptions, wrapperOptions } from '../options/check';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * [sum of the weighted per-sample values, sum of the weights (or the batch size)], read
 * back in one transfer. Values of rank > 1 are reduced per sample by `reduce`.
 */
export function samplewiseTotals(op: string, values: TensorLike, sampleWeight: TensorLike | undefined, reduce: 'mean' | 'sum'): [number, number] {
  // A number (the loss tracker's batch loss, once a step): the float32 arithmetic of the
  // tensor path below in JS, without six kernels and a read.
  if (typeof values === 'number' && (sampleWeight === undefined || sampleWeight === null || typeof sampleWeight === 'number')) {
    if (sampleWeight === undefined || sampleWeight === null) return [Math.fround(values), 1];
    const w = Math.fround(sampleWeight);
    return [Math.fround(Math.fround(values) * w), w];
  }
  const fn = reduce === 'mean' ? meanOp : sumOp;
  const data = tidy(() => {
    let v = toTensor(op, 'values', values);
    if (v.dtype !== 'float64' && v.dtype !== 'float32') v = cast(v, 'float32');
    let count: Tensor | number = v.rank >= 1 ? v.shape[0] : 1;
    if (sampleWeight !== undefined && sampleWeight !== null) {
      let w = toTensor(op, 'sampleWeight', sampleWeight, v.dtype);
      if (w.dtype !== v.dtype) w = cast(w, v.dtype);
      [v, w] = alignRanks(v, w);
      if (v.rank > w.rank) v = fn(v, range(w.rank, v.rank));
      w = broadcastTo(w, [...v.shape]);
      v = mul(v, w);
      if (w.rank > 1) w = fn(w, range(1, w.rank));
      count = sumOp(w);
    }
    if (v.rank > 1) v = fn(v, range(1, v.rank));
    // A count known here needs no kernel: the sum alone is read.
    if (typeof count === 'number') return [sumOp(v).dataSync()[0], v.dtype === 'float32' ? Math.fround(count) : count];
    return stack([sumOp(v), count]).dataSync();
  });
  return [data[0], data[1]];
}

/**
 * The weighted sum of values (name 'sum').
 * @example const m = new Sum(); m.updateState([1, 3, 5, 7], [1, 1, 0, 0]); m.result() // 4
 */
export class Sum extends Metric {
  private total = 0;

  constructor(config: { name?: string } = {}) {
    config = classOptions('metrics', Sum, new.target, config);
    super(config.name ?? 'sum');
  }

  override updateState(values: TensorLike, sampleWeight?: TensorLike): void {
    this.total += samplewiseTotals(this.name, values, sampleWeight, 'sum')[0];
  }

  override result(): Tensor {
    return scalar(this.total);
  }

  override resetState(): void {
    this.total = 0;
  }
}

/** The running total and count behind Mean and every mean-of-a-function metric. */
export class MeanState {
  total = 0;
  count = 0;

  /** Adds a batch of per-sample values. */
  add(op: string, values: TensorLike, sampleWeight?: TensorLike): void {
    const [total, count] = samplewiseTotals(op, values, sampleWeight, 'mean');
    this.total += total;
    this.count += count;
  }

  /** total / count, 0 before any update. */
  value(): number {
    return divNoNan(this.total, this.count);
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}

/**
 * The weighted mean of values (name 'mean').
 * @example const m = new Mean(); m.updateState([1, 3, 5, 7], [1, 1, 0, 0]); m.result() // 2
 */
export class Mean extends Metric {
  protected readonly state = new MeanState();

  constructor(config: { name?: string } = {}) {
    config = classOptions('metrics', Mean, new.target, config);
    super(config.name ?? 'mean');
  }

  override updateState(values: TensorLike, sampleWeight?: TensorLike): void {
    this.state.add(this.name, values, sampleWeight);
  }

  override result(): Tensor {
    return scalar(this.state.value());
  }

  /** @internal result() as a number, read as float32 as result() holds it, unless a subclass computes result() itself. */
  override resultValue(): number | number[] {
    return this.result === Mean.prototype.result ? Math.fround(this.state.value()) : super.resultValue();
  }

  override resetState(): void {
    this.state.reset();
  }
}

/** A per-sample metric function: (yTrue, yPred, options?) -> one value per sample. */
export type MetricFunction<O = never> = (yTrue: Tensor, yPred: Tensor, options?: O) => Tensor;

/**
 * The running mean of a per-sample function (Keras's MeanMetricWrapper); options other
 * than `name` are passed to the function.
 * @example const mae = new MeanMetricWrapper(losses.meanAbsoluteError, { name: 'mae' });
 */
export class MeanMetricWrapper<O extends object = object> extends Metric {
  /** The per-sample function. */
  readonly fn: (yTrue: Tensor, yPred: Tensor, options?: O) => Tensor;
  /** Options passed to `fn`. */
  readonly options: O;
  protected readonly state = new MeanState();

  constructor(fn: (yTrue: Tensor, yPred: Tensor, options?: O) => Tensor, config: { name?: string } & NoInfer<O> = {} as { name?: string } & NoInfer<O>) {
    if (typeof fn !== 'function') throw new Error(`MeanMetricWrapper: expected a metric function, got ${typeof fn}`);
    config = wrapperOptions('metrics', new.target, config);
    const { name, ...options } = config;
    super(name ?? (fn.name ? snakeCase(fn.name) : 'mean_metric_wrapper'));
    this.fn = fn;
    this.options = options as O;
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    // Options only when there are some: a function of (yTrue, yPred) refuses a third argument.
    const options = Object.keys(this.options).length > 0 ? [this.options] : [];
    const values = tidy(() => this.fn(toTensor(this.name, 'yTrue', yTrue), toTensor(this.name, 'yPred', yPred), ...options));
    try {
      this.state.add(this.name, values, sampleWeight);
    } finally {
      values.dispose();
    }
  }

  override result(): Tensor {
    return scalar(this.state.value());
  }

  /** @internal result() as a number, read as float32 as result() holds it, unless a subclass computes result() itself. */
  override resultValue(): number | number[] {
    return this.result === MeanMetricWrapper.prototype.result ? Math.fround(this.state.value()) : super.resultValue();
  }

  override resetState(): void {
    this.state.reset();
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.options };
  }
}
