// Position information for Transformers, as KerasHub defines it: a learned
// positionEmbedding, rotary embeddings (rotaryEmbedding), and tokenAndPositionEmbedding
// (token embedding plus learned positions).
import { add, mul } from '../ops/binary';
import { cast } from '../ops/cast';
import { concat } from '../ops/concat';
import { neg } from '../ops/unary';
import { slice } from '../ops/slice';
import { broadcastTo } from '../ops/tile';
import { tensor } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import type { Tensor, Variable } from '../tensor/tensor';
import * as initializers from '../initializers';
import type { InitializerIdentifier } from '../initializers';
import { Embedding } from './embedding';
import { Layer, type LayerArgs, type Mask } from './layer';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { checkPositiveInt } from './weight_settings';
import { layerOptions } from './layer_options';
import { buildSublayer } from './attention/multi_head_attention';

/** Options of positionEmbedding. */
export interface PositionEmbeddingArgs extends LayerArgs {
  /** The longest sequence the layer embeds. */
  sequenceLength: number;
  /** Default glorotUniform. */
  initializer?: InitializerIdentifier;
}

/** A learned embedding per position: [batch, T, D] -> the [T, D] table broadcast to the input's shape (add it yourself). */
export class PositionEmbedding extends Layer {
  static override className = 'PositionEmbedding';
  /** The longest sequence the layer embeds. */
  readonly sequenceLength: number;
  /** [sequenceLength, D]; created by build. */
  positionEmbeddings: Variable | null = null;
  private readonly initializer: initializers.Initializer;

  constructor(args: PositionEmbeddingArgs) {
    args = layerOptions(PositionEmbedding, new.target, args);
    super(args);
    this.sequenceLength = checkPositiveInt(this.name, 'sequenceLength', args?.sequenceLength);
    this.initializer = initializers.get(args.initializer ?? 'glorotUniform', this.name);
    this.supportsMasking = true;
  }

  override build(inputShape: SymbolicShape): void {
    const dim = inputShape[inputShape.length - 1];
    if (inputShape.length < 3 || dim === null)
      throw new Error(`${this.name}: expected an input [batch, time, features] with known features, got shape ${formatShape(inputShape)}`);
    this.positionEmbeddings = this.addWeight('embeddings', [this.sequenceLength, dim], this.dtype, this.initializer);
  }

  override call(x: Tensor): Tensor {
    const length = x.shape[x.rank - 2];
    if (length > this.sequenceLength) {
      throw new Error(`${this.name}: expected a sequence of at most sequenceLength = ${this.sequenceLength} steps, got shape ${formatShape(x.shape)}`);
    }
    const table = this.positionEmbeddings!;
    return broadcastTo(slice(table, [0, 0], [length, table.shape[1]]), x.shape);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), sequenceLength: this.sequenceLength, initializer: initializers.serialize(this.initializer) };
  }
}

/** Options of rotaryEmbedding. */
export interface RotaryEmbeddingArgs extends LayerArgs {
  /** The longest wavelength of the rotations. Default 10000. */
  maxWavelength?: number;
  /** Divides the frequencies (longer contexts). Default 1. */
  scalingFactor?: number;
  /** The time axis. Default 1. */
  sequenceAxis?: number;
  /** The features axis (its size must be even). Default -1. */
  featureAxis?: number;
}

/** Rotary position embedding (RoPE, KerasHub's RotaryEmbedding): rotates feature pairs by position-dependent angles; no weights. */
export class RotaryEmbedding extends Layer {
  static override className = 'RotaryEmbedding';
  /** The longest wavelength of the rotations. */
  readonly maxWavelength: number;
  /** Divides the frequencies. */
  readonly scalingFactor: number;
  /** The time axis. */
  readonly sequenceAxis: number;
  /** The features axis. */
  readonly featureAxis: number;

  constructor(args: RotaryEmbeddingArgs = {}) {
    args = layerOptions(RotaryEmbedding, new.target, args);
    super(args);
    this.maxWavelength = args.maxWavelength ?? 10000;
    this.scalingFactor = args.scalingFactor ?? 1;
    for (const [k, v] of [
      ['maxWavelength', this.maxWavelength],
      ['scalingFactor', this.scalingFactor],
    ] as const) {
      if (typeof v !== 'number' || !(v > 0)) throw new Error(`${this.name}: expected ${k} to be a positive number, got ${describe(v)}`);
    }
    this.sequenceAxis = args.sequenceAxis ?? 1;
    this.featureAxis = args.featureAxis ?? -1;
    this.supportsMasking = true;
  }

  override call(x: Tensor): Tensor {
    const seqAxis = this.sequenceAxis < 0 ? x.rank + this.sequenceAxis : this.sequenceAxis;
    const featAxis = this.featureAxis < 0 ? x.rank + this.featureAxis : this.featureAxis;
    if (featAxis !== x.rank - 1 || seqAxis >= featAxis)
      throw new Error(
        `${this.name}: only featureAxis -1 with the sequence axis before it is supported, got sequenceAxis ${this.sequenceAxis}, featureAxis ${this.featureAxis} for shape ${formatShape(x.shape)}`,
      );
    const dim = x.shape[featAxis];
    if (dim % 2 !== 0) throw new Error(`${this.name}: expected an even number of features to rotate in pairs, got shape ${formatShape(x.shape)}`);
    // No rows: nothing to rotate (and no table to build for a sequence axis of any length).
    if (x.size === 0) return mul(x, 1);
    const length = x.shape[seqAxis];
    const half = dim / 2;
    // cos/sin tables [T, dim]: angle(t, i) = t / (maxWavelength^(2i/dim) * scalingFactor), the halves repeated.
    const cosData = new Array<number>(length * dim);
    const sinData = new Array<number>(length * dim);
    for (let t = 0; t < length; t++) {
      for (let i = 0; i < half; i++) {
        const angle = t / (this.maxWavelength ** ((2 * i) / dim) * this.scalingFactor);
        for (const j of [i, i + half]) {
          cosData[t * dim + j] = Math.cos(angle);
          sinData[t * dim + j] = Math.sin(angle);
        }
      }
    }
    const along = x.shape.map((d, i) => (i === seqAxis || i === featAxis ? d : 1));
    const cos = tensor(cosData, along, x.dtype as DType);
    const sin = tensor(sinData, along, x.dtype as DType);
    const x1 = slice(
      x,
      x.shape.map((_, i) => (i === featAxis ? 0 : 0)),
      x.shape.map((d, i) => (i === featAxis ? half : d)),
    );
    const x2 = slice(
      x,
      x.shape.map((_, i) => (i === featAxis ? half : 0)),
      x.shape.map((d, i) => (i === featAxis ? half : d)),
    );
    return add(mul(x, cos), mul(concat([neg(x2), x1], featAxis), sin));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      maxWavelength: this.maxWavelength,
      scalingFactor: this.scalingFactor,
      sequenceAxis: this.sequenceAxis,
      featureAxis: this.featureAxis,
    };
  }
}

/** Options of tokenAndPositionEmbedding. */
export interface TokenAndPositionEmbeddingArgs extends LayerArgs {
  /** Number of token ids. */
  vocabularySize: number;
  /** The longest sequence. */
  sequenceLength: number;
  /** Size of each vector. */
  embeddingDim: number;
  /** Treat id 0 as padding and output a mask. Default false. */
  maskZero?: boolean;
  /** Of both tables. Default uniform for tokens (Keras Embedding's), glorotUniform for positions. */
  embeddingsInitializer?: InitializerIdentifier;
}

/** Token embedding plus a learned position embedding (KerasHub's TokenAndPositionEmbedding): ids [batch, T] -> [batch, T, embeddingDim]. */
export class TokenAndPositionEmbedding extends Layer {
  static override className = 'TokenAndPositionEmbedding';
  /** Number of token ids. */
  readonly vocabularySize: number;
  /** The longest sequence the layer embeds. */
  readonly sequenceLength: number;
  /** Size of each vector. */
  readonly embeddingDim: number;
  /** Whether id 0 is padding, masked for later layers. */
  readonly maskZero: boolean;
  /** The token table [vocabularySize, embeddingDim]. */
  readonly tokenEmbedding: Embedding;
  /** The position table [sequenceLength, embeddingDim]. */
  readonly positionEmbedding: PositionEmbedding;
  private readonly initializer: InitializerIdentifier | undefined;

  constructor(args: TokenAndPositionEmbeddingArgs) {
    args = layerOptions(TokenAndPositionEmbedding, new.target, args);
    super({ inputDType: 'int32', ...args });
    this.vocabularySize = checkPositiveInt(this.name, 'vocabularySize', args?.vocabularySize);
    this.sequenceLength = checkPositiveInt(this.name, 'sequenceLength', args.sequenceLength);
    this.embeddingDim = checkPositiveInt(this.name, 'embeddingDim', args.embeddingDim);
    this.maskZero = args.maskZero ?? false;
    this.initializer = args.embeddingsInitializer;
    const init = this.initializer === undefined ? {} : { embeddingsInitializer: this.initializer };
    this.tokenEmbedding = new Embedding({
      name: 'token_embedding',
      inputDim: this.vocabularySize,
      outputDim: this.embeddingDim,
      maskZero: this.maskZero,
      dtype: this.dtype,
      ...init,
    });
    this.positionEmbedding = new PositionEmbedding({
      name: 'position_embedding',
      sequenceLength: this.sequenceLength,
      dtype: this.dtype,
      ...(this.initializer === undefined ? {} : { initializer: this.initializer }),
    });
  }

  override build(inputShape: SymbolicShape): void {
    buildSublayer(this.tokenEmbedding, inputShape);
    buildSublayer(this.positionEmbedding, [...inputShape, this.embeddingDim]);
  }

  protected override castInputs(inputs: Tensor[], created: Tensor[]): Tensor[] {
    return inputs.map((x) => {
      if (x.dtype === 'int32') return x;
      const c = cast(x, 'int32');
      created.push(c);
      return c;
    });
  }

  override call(ids: Tensor): Tensor {
    const tokens = this.tokenEmbedding.apply(ids);
    return add(tokens, this.positionEmbedding.apply(tokens));
  }

  override computeMask(ids: Tensor): Mask {
    return this.tokenEmbedding.computeMask(ids);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.embeddingDim];
  }

  protected override outputDType(): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      vocabularySize: this.vocabularySize,
      sequenceLength: this.sequenceLength,
      embeddingDim: this.embeddingDim,
      maskZero: this.maskZero,
      ...(this.initializer === undefined ? {} : { embeddingsInitializer: initializers.serialize(initializers.get(this.initializer, this.name)) }),
    };
  }
}
