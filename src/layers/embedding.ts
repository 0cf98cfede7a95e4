// Embedding: integer ids -> rows of a trainable table; with maskZero, id 0 is padding
// and produces a mask that later layers skip.
import { cast } from '../ops/cast';
import { notEqual } from '../ops/compare';
import { gather } from '../ops/gather';
import type { DType } from '../tensor/dtype';
import type { Tensor, Variable } from '../tensor/tensor';
import type { ConstraintIdentifier } from '../constraints';
import type { InitializerIdentifier } from '../initializers';
import type { RegularizerIdentifier } from '../regularizers';
import { Layer, type LayerArgs, type Mask } from './layer';
import type { SymbolicShape } from './symbolic_tensor';
import { WeightSettings, checkPositiveInt } from './weight_settings';
import { layerOptions } from './layer_options';

/** Options of embedding. */
export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: ids are in [0, inputDim). */
  inputDim: number;
  /** Size of each vector. */
  outputDim: number;
  /** Default 'uniform' (in [-0.05, 0.05)). */
  embeddingsInitializer?: InitializerIdentifier;
  /** Penalty on the embedding table, added to the loss. */
  embeddingsRegularizer?: RegularizerIdentifier | null;
  /** Applied to the embedding table after each update. */
  embeddingsConstraint?: ConstraintIdentifier | null;
  /** Treat id 0 as padding and output a mask. Default false. */
  maskZero?: boolean;
  /** TensorFlow.js's and Keras 2's fixed sequence length: the input shape [inputLength] when none is given. */
  inputLength?: number | number[] | null;
}

/** Turns integer ids into dense vectors: [batch, ...] -> [batch, ..., outputDim]. */
export class Embedding extends Layer {
  static override className = 'Embedding';
  /** Vocabulary size: ids are in [0, inputDim). */
  readonly inputDim: number;
  /** Size of each vector. */
  readonly outputDim: number;
  /** Whether id 0 is padding, masked for later layers. */
  readonly maskZero: boolean;
  /** [inputDim, outputDim]; created by build. */
  embeddings: Variable | null = null;
  /** @internal The table's initializer, regularizer and constraint. */
  protected readonly embeddingsSettings: WeightSettings;

  constructor(args: EmbeddingArgs) {
    args = layerOptions(Embedding, new.target, args);
    // A Sequential whose first layer is an embedding takes int32 ids.
    const { inputLength, ...rest } = args;
    const lengthShape = inputLength !== undefined && inputLength !== null && rest.inputShape === undefined && rest.batchInputShape === undefined;
    super({ inputDType: 'int32', ...rest, ...(lengthShape ? { inputShape: Array.isArray(inputLength) ? inputLength : [inputLength] } : {}) });
    this.inputDim = checkPositiveInt(this.name, 'inputDim', args?.inputDim);
    this.outputDim = checkPositiveInt(this.name, 'outputDim', args.outputDim);
    this.maskZero = args.maskZero ?? false;
    this.embeddingsSettings = new WeightSettings(this.name, 'embeddings', args, 'uniform');
  }

  override build(): void {
    this.embeddings = this.embeddingsSettings.create(this, 'embeddings', [this.inputDim, this.outputDim]);
  }

  // Ids arrive as int32; float ids (from a float input) are cast, as Keras does.
  protected override castInputs(inputs: Tensor[], created: Tensor[]): Tensor[] {
    return inputs.map((x) => {
      if (x.dtype === 'int32') return x;
      const c = cast(x, 'int32');
      created.push(c);
      return c;
    });
  }

  override call(ids: Tensor): Tensor {
    return gather(this.embeddings!, ids);
  }

  override computeMask(ids: Tensor): Mask {
    return this.maskZero ? notEqual(ids, 0) : null;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.outputDim];
  }

  protected override outputDType(): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      maskZero: this.maskZero,
      ...this.embeddingsSettings.config(),
    };
  }
}
