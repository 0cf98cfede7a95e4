// Hashing: strings (or integers, hashed as their decimal text as Keras does) -> bins, with
// Keras's hashes so the bins match: FarmHash Fingerprint64 (tf.strings.to_hash_bucket_fast),
// or with a salt SipHash-2-4 keyed by it (tf.strings.to_hash_bucket_strong).
import type { DType } from '../../tensor/dtype';
import { tensor } from '../../tensor/creation';
import { Tensor } from '../../tensor/tensor';
import type { LayerArgs } from '../layer';
import { layerOptions } from '../layer_options';
import type { SymbolicShape } from '../symbolic_tensor';
import { checkPositiveInt } from '../weight_settings';
import { outputModeOf, type TfjsModeSpelling, encodeCounts, type CountMode } from './category_encoding';
import { describe } from '../../tensor/shape';
import { hashBucketFast } from './farmhash';
import { hashBucketStrong } from './siphash';
import { BoundaryLayer } from './string_input';
import { stringRows, type StringBatch } from './strings';
import { everyEntry } from '../../options/every_entry';

/** Options of hashing. */
export interface HashingArgs extends LayerArgs {
  /** Number of bins (including the mask bin when maskValue is set). */
  numBins: number;
  /** A value that maps to bin 0 (the others to 1..numBins-1); null: no mask. */
  maskValue?: string | number | null;
  /**
   * A key for SipHash-2-4 instead of FarmHash (Keras's to_hash_bucket_strong): an integer s
   * (the key [s, s]) or two integers [k0, k1]; null: FarmHash.
   */
  salt?: number | [number, number] | null;
  /** Default 'int'. */
  outputMode?: 'int' | CountMode | TfjsModeSpelling<CountMode>;
  /** Not supported: must be false. */
  sparse?: boolean;
}

/** Hashes strings or integers into numBins bins. */
export class Hashing extends BoundaryLayer {
  static override className = 'Hashing';
  /** Number of bins, including the mask bin. */
  readonly numBins: number;
  /** The value mapped to bin 0 (null: none). */
  readonly maskValue: string | number | null;
  /** Bins as ids, or encoded rows. */
  readonly outputMode: 'int' | CountMode;
  /** The SipHash key [k0, k1] (an integer salt s is [s, s]); null: FarmHash. */
  readonly salt: [number, number] | null;
  private readonly key: [bigint, bigint] | null;

  constructor(args: HashingArgs) {
    args = layerOptions(Hashing, new.target, args);
    const { numBins, maskValue, salt, outputMode, sparse, ...rest } = args;
    super(rest);
    this.numBins = checkPositiveInt(this.name, 'numBins', numBins);
    this.maskValue = maskValue ?? null;
    if (this.maskValue !== null && this.numBins < 2) throw new Error(`${this.name}: with a maskValue numBins must be >= 2 (bin 0 is the mask), got ${numBins}`);
    this.salt = saltKey(this.name, salt);
    // TensorFlow reads the key as int64 attributes and uses them as uint64.
    this.key = this.salt === null ? null : [BigInt.asUintN(64, BigInt(this.salt[0])), BigInt.asUintN(64, BigInt(this.salt[1]))];
    this.outputMode = outputModeOf(this.name, outputMode, 'int', ['int', 'one_hot', 'multi_hot', 'count']);
    if (sparse) throw new Error(`${this.name}: sparse outputs are not supported (Tessera has no sparse tensor); leave sparse false`);
  }

  /** The bin of one value (a string, or an integer hashed as its decimal text). */
  bin(value: string | number): number {
    if (this.maskValue !== null && value === this.maskValue) return 0;
    const text = typeof value === 'number' ? String(value) : value;
    const key = this.key;
    const bucket = (n: number): number => (key === null ? hashBucketFast(text, n) : hashBucketStrong(text, n, key));
    return this.maskValue === null ? bucket(this.numBins) : 1 + bucket(this.numBins - 1);
  }

  override encode(inputs: StringBatch | Tensor): Tensor {
    let values: (string | number)[];
    let shape: number[];
    if (inputs instanceof Tensor) {
      if (inputs.dtype !== 'int32')
        throw new Error(`${this.name}: expected strings or an int32 tensor, got a ${inputs.dtype} tensor (Keras hashes integers, not floats)`);
      values = Array.from(inputs.dataSync());
      shape = inputs.shape;
    } else {
      const rows = stringRows(this.name, inputs);
      const width = rows[0]?.length ?? 0;
      if (rows.some((r) => r.length !== width))
        throw new Error(`${this.name}: expected rows of equal length, got lengths ${[...new Set(rows.map((r) => r.length))].join(', ')}`);
      values = rows.flat();
      shape = typeof (inputs as unknown[])[0] === 'string' ? [rows.length] : [rows.length, width];
    }
    const bins = Int32Array.from(values, (v) => this.bin(v));
    if (this.outputMode === 'int') return tensor(bins, shape, 'int32');
    return encodeCounts(this.name, bins, shape, this.numBins, this.outputMode);
  }

  override encodedShape(inputShape: SymbolicShape): SymbolicShape {
    return this.outputMode === 'int' ? inputShape : [inputShape[0] ?? null, this.numBins];
  }

  override encodedDType(): DType {
    return this.outputMode === 'int' ? 'int32' : 'float32';
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      numBins: this.numBins,
      maskValue: this.maskValue,
      salt: this.salt === null ? null : [...this.salt],
      outputMode: this.outputMode,
      sparse: false,
    };
  }
}

/** Keras's salt: an integer s (the key [s, s]) or two integers; null / undefined: none. */
function saltKey(op: string, salt: unknown): [number, number] | null {
  if (salt === undefined || salt === null) return null;
  const pair = typeof salt === 'number' ? [salt, salt] : salt;
  if (!Array.isArray(pair) || pair.length !== 2 || !everyEntry(pair, (s) => Number.isSafeInteger(s)))
    throw new Error(`${op}: expected salt to be an integer or a list of two integers, got ${describe(salt)}`);
  return [pair[0], pair[1]];
}
