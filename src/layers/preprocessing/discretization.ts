// Discretization: numbers -> bucket indices by bin boundaries (given, or quantiles that
// adapt computes for numBins with Keras's approximate quantile summary, so they are the
// boundaries Keras finds), optionally encoded as one_hot / multi_hot / count.
import type { DType } from '../../tensor/dtype';
import { tensor } from '../../tensor/creation';
import { describe } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import { Layer, type CallOptions, type LayerArgs } from '../layer';
import { layerOptions } from '../layer_options';
import type { SymbolicShape } from '../symbolic_tensor';
import { outputModeOf, type TfjsModeSpelling, encodeCounts, type CountMode } from './category_encoding';
import { isStringBatch, stringsRefused } from './strings';
import { emptyAdapt } from './vocabulary';
import { runAdapt } from './adapt_run';
import { addBatch, binBoundaries, emptySummary } from './quantile_summary';
import { tooManyArguments } from '../../options/arity';

/** Options of discretization. */
export interface DiscretizationArgs extends LayerArgs {
  /** Sorted boundaries: bucket i holds boundaries[i-1] <= x < boundaries[i]. */
  binBoundaries?: number[] | null;
  /** With adapt: the number of buckets (numBins - 1 quantile boundaries). */
  numBins?: number | null;
  /**
   * adapt's error tolerance, in (0, 1): the quantile summary keeps about 1 / epsilon points
   * per batch merged in (Keras's approximation, reproduced). Default 0.01.
   */
  epsilon?: number;
  /** Default 'int'. */
  outputMode?: 'int' | CountMode | TfjsModeSpelling<CountMode>;
  /** Not supported: must be false. */
  sparse?: boolean;
}

/** Buckets numbers by boundaries (given or adapted as quantiles). */
export class Discretization extends Layer {
  static override className = 'Discretization';
  /** Buckets adapt makes (null when binBoundaries were given). */
  readonly numBins: number | null;
  /** adapt's error tolerance. */
  readonly epsilon: number;
  /** Bucket ids, or encoded rows. */
  readonly outputMode: 'int' | CountMode;
  private boundaries: number[] | null;

  constructor(args: DiscretizationArgs = {}) {
    args = layerOptions(Discretization, new.target, args);
    const { binBoundaries, numBins, epsilon, outputMode, sparse, ...rest } = args;
    super(rest);
    const given = binBoundaries !== undefined && binBoundaries !== null;
    const bins = numBins ?? null;
    if (given === (bins !== null)) throw new Error(`${this.name}: give exactly one of binBoundaries and numBins, got ${given ? 'both' : 'neither'}`);
    if (bins !== null && (!Number.isInteger(bins) || bins < 2))
      throw new Error(`${this.name}: expected numBins to be an integer >= 2, got ${describe(numBins)}`);
    this.numBins = bins;
    const eps = epsilon ?? 0.01;
    if (typeof eps !== 'number' || !(eps > 0 && eps < 1)) throw new Error(`${this.name}: expected epsilon to be a number in (0, 1), got ${describe(epsilon)}`);
    this.epsilon = eps;
    this.boundaries = given ? sortedBoundaries(this.name, binBoundaries) : null;
    this.outputMode = outputModeOf(this.name, outputMode, 'int', ['int', 'one_hot', 'multi_hot', 'count']);
    if (sparse) throw new Error(`${this.name}: sparse outputs are not supported (Tessera has no sparse tensor); leave sparse false`);
  }

  /** The bucket boundaries (null before adapt). */
  get binBoundaries(): number[] | null {
    return this.boundaries === null ? null : [...this.boundaries];
  }

  private get bucketCount(): number {
    return (this.boundaries?.length ?? this.numBins! - 1) + 1;
  }

  /**
   * Sets binBoundaries to the data's quantiles, approximated as Keras does (a tensor or an
   * array is one batch, a Dataset's elements are batches merged in turn): a tensor or an
   * array is done before adapt returns, as in Keras; a Dataset, await the returned Promise.
   */
  adapt(data: Tensor | number[] | number[][] | AsyncIterable<unknown>): Promise<void> {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.adapt`, 1, arguments.length);
    const n = this.numBins;
    if (n === null) throw new Error(`${this.name}.adapt: the layer was given binBoundaries; adapt needs numBins`);
    let summary = emptySummary();
    let seen = 0;
    const add = (e: unknown): void => {
      let batch: ArrayLike<number>;
      if (isStringBatch(e)) throw stringsRefused(this.name);
      if (e instanceof Tensor) batch = e.dataSync();
      else if (Array.isArray(e)) batch = (e as unknown[]).flat(Infinity as 1).map((v) => Number(v));
      else throw new Error(`${this.name}.adapt: expected tensors or number arrays, got ${describe(e)}`);
      summary = addBatch(summary, batch, this.epsilon);
      seen += batch.length;
    };
    const finish = (): void => {
      if (seen === 0) throw emptyAdapt(this.name);
      this.boundaries = binBoundaries(summary, n);
    };
    return runAdapt(this, data, { add, finish });
  }

  override call(inputs: Tensor | Tensor[] | { [name: string]: Tensor }, options: CallOptions): Tensor {
    void options;
    const x = inputs as Tensor;
    const b = this.boundaries;
    if (b === null) throw new Error(`${this.name}: the layer has no binBoundaries; call adapt(data) first`);
    const ids = Int32Array.from(x.dataSync(), (v) => {
      let lo = 0;
      let hi = b.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v >= b[mid]) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    });
    if (this.outputMode === 'int') return tensor(ids, x.shape, 'int32');
    return encodeCounts(this.name, ids, x.shape, this.bucketCount, this.outputMode);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = inputShape as SymbolicShape;
    if (this.outputMode === 'int') return s;
    if (this.outputMode === 'one_hot') return s.length === 2 && s[1] === 1 ? [s[0], this.bucketCount] : [...s, this.bucketCount];
    return [s[0] ?? null, this.bucketCount];
  }

  protected override outputDType(): DType {
    return this.outputMode === 'int' ? 'int32' : 'float32';
  }

  /** A layer from its config; an adapted one's holds both numBins and binBoundaries (as Keras's from_config takes). */
  static override fromConfig<T extends Layer<any>>(this: new (args: any) => T, config: Record<string, unknown>): T {
    const { binBoundaries, ...rest } = config;
    const adapted = binBoundaries !== undefined && binBoundaries !== null && rest.numBins !== undefined && rest.numBins !== null;
    const layer = new this(adapted ? rest : config);
    if (adapted) {
      const d = layer as unknown as Discretization;
      d.boundaries = sortedBoundaries(d.name, binBoundaries);
    }
    return layer;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      binBoundaries: this.binBoundaries,
      // Both after adapt, as Keras writes them (fromConfig takes that).
      numBins: this.numBins,
      epsilon: this.epsilon,
      outputMode: this.outputMode,
      sparse: false,
    };
  }
}

function sortedBoundaries(op: string, b: unknown): number[] {
  if (!Array.isArray(b) || b.some((v, i) => typeof v !== 'number' || Number.isNaN(v) || (i > 0 && v < b[i - 1])))
    throw new Error(`${op}: expected binBoundaries to be sorted numbers, got ${describe(b)}`);
  return [...(b as number[])];
}
