// Discretization: numbers -> bucket indices by bin boundaries (given, or quantiles that
// adapt computes for numBins), optionally encoded as one_hot / multi_hot / count.
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
import { tooManyArguments } from '../../options/arity';

/** Options of discretization. */
export interface DiscretizationArgs extends LayerArgs {
  /** Sorted boundaries: bucket i holds boundaries[i-1] <= x < boundaries[i]. */
  binBoundaries?: number[] | null;
  /** With adapt: the number of buckets (numBins - 1 quantile boundaries). */
  numBins?: number | null;
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
  /** Bucket ids, or encoded rows. */
  readonly outputMode: 'int' | CountMode;
  private boundaries: number[] | null;

  constructor(args: DiscretizationArgs = {}) {
    args = layerOptions(Discretization, new.target, args);
    const { binBoundaries, numBins, outputMode, sparse, ...rest } = args;
    super(rest);
    const given = binBoundaries !== undefined && binBoundaries !== null;
    const bins = numBins ?? null;
    if (given === (bins !== null)) throw new Error(`${this.name}: give exactly one of binBoundaries and numBins, got ${given ? 'both' : 'neither'}`);
    if (bins !== null && (!Number.isInteger(bins) || bins < 2))
      throw new Error(`${this.name}: expected numBins to be an integer >= 2, got ${describe(numBins)}`);
    this.numBins = bins;
    if (given) {
      if (binBoundaries.some((b, i) => typeof b !== 'number' || Number.isNaN(b) || (i > 0 && b < binBoundaries[i - 1]))) {
        throw new Error(`${this.name}: expected binBoundaries to be sorted numbers, got ${describe(binBoundaries)}`);
      }
    }
    this.boundaries = given ? [...binBoundaries] : null;
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
   * Sets binBoundaries to the quantiles of the data (exact, over all values): a tensor or an
   * array (done before adapt returns, as in Keras), or a Dataset (await the returned Promise).
   */
  adapt(data: Tensor | number[] | number[][] | AsyncIterable<unknown>): Promise<void> {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.adapt`, 1, arguments.length);
    const n = this.numBins;
    if (n === null) throw new Error(`${this.name}.adapt: the layer was given binBoundaries; adapt needs numBins`);
    const values: number[] = [];
    const add = (e: unknown): void => {
      if (isStringBatch(e)) throw stringsRefused(this.name);
      if (e instanceof Tensor) values.push(...e.dataSync());
      else if (Array.isArray(e)) values.push(...(e as unknown[]).flat(Infinity as 1).map((v) => Number(v)));
      else throw new Error(`${this.name}.adapt: expected tensors or number arrays, got ${describe(e)}`);
    };
    const finish = (): void => {
      if (values.length === 0) throw emptyAdapt(this.name);
      values.sort((a, b) => a - b);
      this.boundaries = Array.from({ length: n - 1 }, (_, i) => values[Math.min(values.length - 1, Math.floor(((i + 1) * values.length) / n))]);
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

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      binBoundaries: this.binBoundaries,
      numBins: this.boundaries === null ? this.numBins : null,
      outputMode: this.outputMode,
      sparse: false,
    };
  }
}
