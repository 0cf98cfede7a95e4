// Normalization: (x - mean) / sqrt(variance) per feature, with mean and variance given or
// computed by adapt (kept as the non-trainable weights 'mean' and 'variance', with Keras 3's
// unused 'count', so they are saved with the model's weights as Keras's); invert maps back.
import { add, div, maximum, mul, sub } from '../../ops/binary';
import { reshape } from '../../ops/reshape';
import { sqrt } from '../../ops/unary';
import { tensor } from '../../tensor/creation';
import { describe } from '../../tensor/shape';
import { Tensor, type Variable } from '../../tensor/tensor';
import { Layer, type CallOptions, type LayerArgs } from '../layer';
import { layerOptions } from '../layer_options';
import type { SymbolicShape } from '../symbolic_tensor';
import { isStringBatch, stringsRefused } from './strings';
import { emptyAdapt } from './vocabulary';
import { runAdapt } from './adapt_run';
import { tooManyArguments } from '../../options/arity';
import { epsilon } from '../../config/settings';

/** Options of normalization. */
export interface NormalizationArgs extends LayerArgs {
  /** The axes kept (one mean per index along them); default -1; null: one mean over everything. */
  axis?: number | number[] | null;
  /** A given mean (broadcast to the kept axes) instead of adapt. */
  mean?: number | number[] | null;
  /** A given variance, with mean. */
  variance?: number | number[] | null;
  /** Map normalized values back: x * sqrt(variance) + mean. Default false. */
  invert?: boolean;
}

/** Feature-wise standardization, with statistics from adapt or given. */
export class Normalization extends Layer {
  static override className = 'Normalization';
  /** The kept axes (one statistic per index along them). */
  readonly axis: number[];
  /** Whether the layer maps normalized values back. */
  readonly invert: boolean;
  private readonly givenMean: number[] | null;
  private readonly givenVariance: number[] | null;
  /** The adapted mean (a non-trainable weight; null with a given mean). */
  mean: Variable | null = null;
  /** The adapted variance (a non-trainable weight; null with a given variance). */
  variance: Variable | null = null;
  /**
   * A scalar integer weight Keras 3 keeps beside the adapted statistics for older files (adapt
   * leaves it at 0); here too, so Keras's weight files (EfficientNet's) match (null with a given mean).
   */
  count: Variable | null = null;
  private keptShape: number[] = [];
  private broadcastShape: number[] = [];

  constructor(args: NormalizationArgs = {}) {
    args = layerOptions(Normalization, new.target, args);
    const { axis, mean, variance, invert, ...rest } = args;
    super(rest);
    const a = axis === undefined ? [-1] : axis === null ? [] : Array.isArray(axis) ? axis : [axis];
    if (a.some((v) => !Number.isInteger(v))) throw new Error(`${this.name}: expected axis to be an integer, a list of integers or null, got ${describe(axis)}`);
    this.axis = a;
    this.invert = invert ?? false;
    // As Keras 3: an elementwise map, so a mask on the input holds for the output.
    this.supportsMasking = true;
    if ((mean === undefined || mean === null) !== (variance === undefined || variance === null)) {
      throw new Error(`${this.name}: give both mean and variance, or neither (and call adapt)`);
    }
    this.givenMean = mean === undefined || mean === null ? null : Array.isArray(mean) ? mean : [mean];
    this.givenVariance = variance === undefined || variance === null ? null : Array.isArray(variance) ? variance : [variance];
  }

  private keptAxes(rank: number): number[] {
    const axes = this.axis.map((a) => (a < 0 ? a + rank : a));
    for (const a of axes)
      if (a < 1 || a >= rank) throw new Error(`${this.name}: axis ${a} is out of range for inputs of rank ${rank} (the batch axis 0 cannot be kept)`);
    return axes;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const s = inputShape as SymbolicShape;
    const kept = this.keptAxes(s.length);
    this.keptShape = kept.map((a) => {
      const d = s[a];
      if (d === null) throw new Error(`${this.name}: the kept axis ${a} needs a known size, got shape ${describe(s)}`);
      return d;
    });
    this.broadcastShape = s.map((d, i) => (kept.includes(i) ? (d as number) : 1));
    if (this.givenMean !== null) return;
    this.mean = this.addWeight('mean', this.keptShape, 'float32', 'zeros', null, false);
    this.variance = this.addWeight('variance', this.keptShape, 'float32', 'ones', null, false);
    this.count = this.addWeight('count', [], 'int32', 'zeros', null, false);
  }

  /**
   * Computes the mean and variance over the kept axes from data: a tensor or an array (done
   * before adapt returns, as in Keras), or a Dataset of tensors (await the returned Promise).
   */
  adapt(data: Tensor | number[] | number[][] | AsyncIterable<unknown>): Promise<void> {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.adapt`, 1, arguments.length);
    if (this.givenMean !== null) throw new Error(`${this.name}.adapt: the layer was given mean and variance; adapt would replace them`);
    let sum: Float64Array | null = null;
    let sumSq: Float64Array | null = null;
    let count = 0;
    const addElement = (e: unknown): void => {
      if (isStringBatch(e)) throw stringsRefused(this.name);
      const x = e instanceof Tensor ? e : Array.isArray(e) ? (e.length === 0 ? null : tensor(e as number[])) : undefined;
      if (x === undefined) throw new Error(`${this.name}.adapt: expected tensors or number arrays, got ${describe(e)}`);
      if (x === null || x.size === 0) return;
      const shape = x.rank === 1 ? [x.shape[0], 1] : x.shape;
      if (!this.built) this.buildOnce(shape);
      const kept = this.keptAxes(shape.length);
      const values = x.dataSync();
      if (x !== e) x.dispose();
      const n = this.keptShape.reduce((a, b) => a * b, 1);
      sum ??= new Float64Array(n);
      sumSq ??= new Float64Array(n);
      // The flat index of each element's kept coordinates.
      const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
      const keptStrides = kept.map((_, j) => this.keptShape.slice(j + 1).reduce((a, b) => a * b, 1));
      for (let i = 0; i < values.length; i++) {
        let k = 0;
        for (let j = 0; j < kept.length; j++) k += (Math.floor(i / strides[kept[j]]) % shape[kept[j]]) * keptStrides[j];
        sum[k] += values[i];
        sumSq[k] += values[i] * values[i];
      }
      count += values.length / n;
    };
    const finish = (): void => {
      if (count === 0 || sum === null || sumSq === null) throw emptyAdapt(this.name);
      const mean = Float32Array.from(sum, (s) => s / count);
      const variance = Float32Array.from(sumSq, (s, i) => Math.max(0, s / count - (sum![i] / count) ** 2));
      const m = tensor(mean, this.keptShape);
      const v = tensor(variance, this.keptShape);
      this.mean!.assign(m);
      this.variance!.assign(v);
      m.dispose();
      v.dispose();
    };
    return runAdapt(this, data, { add: addElement, finish });
  }

  private buildOnce(shape: number[]): void {
    const s = [null, ...shape.slice(1)];
    this.build(s);
    this.built = true;
    this.buildInputShape = s;
  }

  override call(inputs: Tensor | Tensor[] | { [name: string]: Tensor }, options: CallOptions): Tensor {
    void options;
    const x = inputs as Tensor;
    const given = this.givenMean !== null;
    const n = this.keptShape.reduce((a, b) => a * b, 1);
    const fill = (v: number[]) => (v.length === 1 ? new Array<number>(n).fill(v[0]) : v);
    if (given && (fill(this.givenMean!).length !== n || fill(this.givenVariance!).length !== n)) {
      throw new Error(`${this.name}: mean and variance need ${n} values (or one), got ${this.givenMean!.length} and ${this.givenVariance!.length}`);
    }
    const mean = given ? tensor(fill(this.givenMean!), this.broadcastShape) : reshape(this.mean!, this.broadcastShape);
    const variance = given ? tensor(fill(this.givenVariance!), this.broadcastShape) : reshape(this.variance!, this.broadcastShape);
    const std = maximum(sqrt(variance), epsilon());
    return this.invert ? add(mean, mul(x, std)) : div(sub(x, mean), std);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, mean: this.givenMean, variance: this.givenVariance, invert: this.invert };
  }
}
