// HashedCrossing: two or more categorical features of one sample -> one bin of their
// cross, by Keras's hash (tf.sparse.cross_hashed: FingerprintCat64 over the features, from
// its default key; strings by FarmHash Fingerprint64, integers as their 64-bit value), so
// the bins match Keras's. Like Keras's layer it belongs in the input pipeline: applied
// directly it takes JS strings, number arrays and int32 tensors; inside a model, int32 tensors.
import type { DType } from '../../tensor/dtype';
import { tensor } from '../../tensor/creation';
import { describe } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import { tooManyArguments } from '../../options/arity';
import { checkOptions } from '../../options/check';
import { Layer, type CallOptions, type LayerArgs } from '../layer';
import { layerOptions } from '../layer_options';
import type { Nested } from '../structure';
import type { SymbolicShape, SymbolicTensor } from '../symbolic_tensor';
import { checkPositiveInt } from '../weight_settings';
import { encodeCounts, outputModeOf, type TfjsModeSpelling } from './category_encoding';
import { fingerprint64 } from './farmhash';
import { isStringBatch, type StringBatch } from './strings';
import { everyEntry } from '../../options/every_entry';

/** Options of hashedCrossing. */
export interface HashedCrossingArgs extends LayerArgs {
  /** Number of hash bins. */
  numBins: number;
  /** 'int' (default): the bin ids; 'one_hot': rows of width numBins. */
  outputMode?: 'int' | 'one_hot' | TfjsModeSpelling<'one_hot'>;
  /** Not supported (there is no sparse tensor): must be false. */
  sparse?: boolean;
}

/** One feature's values as the cross reads them: strings, or integers. */
type FeatureValues = readonly string[] | ArrayLike<number>;

const M64 = (1n << 64n) - 1n;
const K_MUL = 0xc6a4a7935bd1e995n;
// tf.sparse.cross_hashed's key when none is given.
const DEFAULT_HASH_KEY = 0xdecafcaffen;
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

/** TensorFlow's FingerprintCat64: two 64-bit fingerprints combined into one. */
export function fingerprintCat64(fp1: bigint, fp2: bigint): bigint {
  let r = fp1 ^ K_MUL;
  r ^= (shiftMix((fp2 * K_MUL) & M64) * K_MUL) & M64;
  r = (r * K_MUL) & M64;
  r = (shiftMix(r) * K_MUL) & M64;
  return shiftMix(r);
}

/** Crosses categorical features into numBins bins (Keras's hashing trick). */
export class HashedCrossing extends Layer {
  static override className = 'HashedCrossing';
  /** Number of hash bins. */
  readonly numBins: number;
  /** Bin ids, or one-hot rows. */
  readonly outputMode: 'int' | 'one_hot';

  constructor(args: HashedCrossingArgs) {
    args = layerOptions(HashedCrossing, new.target, args);
    const { numBins, outputMode, sparse, ...rest } = args;
    super(rest);
    this.numBins = checkPositiveInt(this.name, 'numBins', numBins);
    // Bins are int32 here (Keras's are int64).
    if (this.numBins > 2 ** 31) throw new Error(`${this.name}: expected numBins <= 2^31 (bins are int32), got ${numBins}`);
    this.outputMode = outputModeOf(this.name, outputMode, 'int', ['int', 'one_hot']);
    if (sparse) throw new Error(`${this.name}: sparse outputs are not supported (Tessera has no sparse tensor); leave sparse false`);
  }

  /**
   * Crosses the features: a list of two or more of equal shape ([], [batch] or [batch, 1]),
   * each JS strings, JS integers or an int32 tensor, computed now; symbolic tensors build a model.
   * @example layers.hashedCrossing({numBins: 5}).apply([['A', 'B'], [101, 101]])  // bins [1, 4]
   */
  override apply(inputs: Nested<SymbolicTensor>, options?: CallOptions): SymbolicTensor;
  override apply(inputs: (Tensor | string[] | string[][] | number[] | number[][])[], options?: CallOptions): Tensor;
  override apply(inputs: Nested<Tensor> | StringBatch, options?: CallOptions): Tensor;
  override apply(
    inputs: Nested<Tensor> | Nested<SymbolicTensor> | StringBatch | (Tensor | string[] | string[][] | number[] | number[][])[],
    options: CallOptions | null = {},
  ): unknown {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    if (Array.isArray(inputs) && inputs.length > 0 && everyEntry(inputs as unknown[], (x) => typeof x === 'string' || typeof x === 'number')) {
      throw new Error(
        `${this.name}: expected a list of two or more features, each an array of one value per sample ([['A', 'B'], [101, 102]]), got one array of values ${describe(inputs)}`,
      );
    }
    if (Array.isArray(inputs) && inputs.some((x) => Array.isArray(x))) {
      checkOptions(`${this.name}.apply`, options, 'Layer.apply');
      this.checkNotDisposed();
      const features = this.checkFeatures(inputs.map((x, i) => this.rawFeature(x, i)));
      return this.cross(
        features.map((f) => f.values),
        features[0].shape,
      );
    }
    return super.apply(inputs as Nested<Tensor>, options ?? {});
  }

  override call(inputs: Tensor | Tensor[] | { [name: string]: Tensor }, options: CallOptions): Tensor {
    void options;
    if (!Array.isArray(inputs)) throw this.notAList(inputs);
    const features = this.checkFeatures(
      inputs.map((x, i) => {
        if (x.dtype !== 'int32')
          throw new Error(`${this.name}: expected input ${i} to be int32 (or JS strings), got a ${x.dtype} tensor (Keras crosses integers or strings)`);
        return { values: x.dataSync(), shape: x.shape };
      }),
    );
    return this.cross(
      features.map((f) => f.values),
      features[0].shape,
    );
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    if (!Array.isArray(inputShape[0])) throw this.notAList(inputShape);
    const first = (inputShape as SymbolicShape[])[0];
    if (this.outputMode === 'int') return first;
    return first.length === 2 && first[1] === 1 ? [first[0], this.numBins] : [...first, this.numBins];
  }

  protected override outputDType(): DType {
    return this.outputMode === 'int' ? 'int32' : 'float32';
  }

  /** @internal Raw strings have no tensor form: the cross runs before the model (Keras's advice too). */
  protected override takeRawStrings(t: SymbolicTensor): SymbolicTensor {
    throw new Error(
      `${this.name}: input '${t.sourceLayer.name}' holds raw strings; cross string features before the model ` +
        `(${this.name}.apply([strings, ...]) or in a Dataset map) and feed the model the bins`,
    );
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), numBins: this.numBins, outputMode: this.outputMode, sparse: false };
  }

  private notAList(inputs: unknown): Error {
    return new Error(`${this.name}: expected a list of two or more features, got ${describe(inputs)}`);
  }

  private rawFeature(x: unknown, i: number): { values: FeatureValues; shape: number[] } {
    if (x instanceof Tensor) {
      if (x.dtype !== 'int32')
        throw new Error(`${this.name}: expected input ${i} to be int32 (or JS strings), got a ${x.dtype} tensor (Keras crosses integers or strings)`);
      return { values: x.dataSync(), shape: x.shape };
    }
    if (!Array.isArray(x)) throw new Error(`${this.name}: expected input ${i} to be JS strings, JS integers or an int32 tensor, got ${describe(x)}`);
    const rows = x.length > 0 && Array.isArray(x[0]);
    const flat: unknown[] = rows ? (x as unknown[][]).map((r, j) => (Array.isArray(r) && r.length === 1 ? r[0] : this.badRow(i, j, r))) : x;
    const strings = isStringBatch(flat);
    flat.forEach((v, j) => {
      if (strings ? typeof v !== 'string' : !Number.isInteger(v)) {
        throw new Error(`${this.name}: expected input ${i} to hold only ${strings ? 'strings' : 'integers'}, got ${describe(v)} at sample ${j}`);
      }
    });
    return { values: flat as FeatureValues, shape: rows ? [flat.length, 1] : [flat.length] };
  }

  private badRow(i: number, j: number, row: unknown): never {
    throw new Error(`${this.name}: expected input ${i} to be [batch] or [batch, 1], got ${describe(row)} at sample ${j}`);
  }

  // Keras's checks: at least two features, each of shape [], [batch] or [batch, 1], all equal.
  private checkFeatures<F extends { shape: number[] }>(features: F[]): F[] {
    if (features.length < 2) throw new Error(`${this.name}: expected a list of two or more features, got ${features.length}`);
    const shape = features[0].shape;
    if (shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
      throw new Error(`${this.name}: expected features of shape [], [batch] or [batch, 1], got [${shape.join(', ')}]`);
    }
    features.forEach((f, i) => {
      if (f.shape.length !== shape.length || f.shape.some((d, k) => d !== shape[k])) {
        throw new Error(`${this.name}: expected features of equal shape, got [${shape.join(', ')}] for input 0 and [${f.shape.join(', ')}] for input ${i}`);
      }
    });
    return features;
  }

  private cross(features: FeatureValues[], shape: number[]): Tensor {
    const count = shape.reduce((a, b) => a * b, 1);
    const buckets = BigInt(this.numBins);
    const bins = new Int32Array(count);
    for (let s = 0; s < count; s++) {
      let h = DEFAULT_HASH_KEY;
      for (const f of features) {
        const v = f[s];
        h = fingerprintCat64(h, typeof v === 'string' ? fingerprint64(v) : BigInt.asUintN(64, BigInt(v)));
      }
      bins[s] = Number(h % buckets);
    }
    return this.outputMode === 'int' ? tensor(bins, shape, 'int32') : encodeCounts(this.name, bins, shape, this.numBins, 'one_hot');
  }
}
