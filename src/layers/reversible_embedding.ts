// Keras 3's ReversibleEmbedding: an embedding that also projects hidden states back to
// vocabulary logits (reverse), through the transposed table (tied) or a table of its own.
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { div, mul } from '../ops/binary';
import { cast } from '../ops/cast';
import { gather } from '../ops/gather';
import { matMul } from '../ops/matmul';
import { reshape } from '../ops/reshape';
import { tanh } from '../ops/unary';
import type { DType } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import type { Tensor, Variable } from '../tensor/tensor';
import { Embedding, type EmbeddingArgs } from './embedding';
import type { CallArgs, CallOptions, Mask } from './layer';
import type { StringBatch } from './preprocessing/strings';
import { layerOptions } from './layer_options';
import { formatShape, type SymbolicShape, type SymbolicTensor, type TensorSpec } from './symbolic_tensor';
import type { Nested } from './structure';

/** Options of reversibleEmbedding. */
export interface ReversibleEmbeddingArgs extends EmbeddingArgs {
  /** Reverse through the transposed embedding table (true, the default) or a separate trainable [outputDim, inputDim] table. */
  tieWeights?: boolean;
  /** The dtype of the reverse projection (inputs and table cast to it); default null: the layer's dtype. */
  reverseDtype?: DType | null;
  /** Reverse logits become tanh(logits / cap) * cap; default null: no cap. */
  logitSoftCap?: number | null;
}

/** Options of ReversibleEmbedding's apply. */
export interface ReversibleEmbeddingCallOptions extends CallOptions {
  /** Project hidden states [..., outputDim] to logits [..., inputDim] instead of embedding ids. Default false. */
  reverse?: boolean;
}

/**
 * Integer ids -> vectors as embedding, and with `{reverse: true}` hidden states
 * [..., outputDim] -> logits [..., inputDim] (Keras 3's ReversibleEmbedding, for language models).
 */
export class ReversibleEmbedding extends Embedding {
  static override className = 'ReversibleEmbedding';
  /** The flag a saved functional call carries (Keras writes `reverse` in the node's kwargs). */
  static readonly callArgKeys = ['reverse'] as const;
  /** Whether the reverse projection uses the transposed embedding table. */
  readonly tieWeights: boolean;
  /** The dtype of the reverse projection (null: the layer's dtype). */
  readonly reverseDtype: DType | null;
  /** The cap of the reverse logits (null: none). */
  readonly logitSoftCap: number | null;
  /** [outputDim, inputDim] when tieWeights is false; created by build. */
  reverseEmbeddings: Variable | null = null;
  // The flags of the apply in progress, for the symbolic output spec.
  private applyFlags: CallArgs = {};

  constructor(args: ReversibleEmbeddingArgs) {
    args = layerOptions(ReversibleEmbedding, new.target, args);
    super(args);
    const tie = args.tieWeights ?? true;
    if (typeof tie !== 'boolean') throw new Error(`${this.name}: expected tieWeights to be true or false, got ${describe(args.tieWeights)}`);
    this.tieWeights = tie;
    const rd = args.reverseDtype ?? null;
    if (rd !== null && rd !== 'float32' && rd !== 'float64')
      throw new Error(`${this.name}: expected reverseDtype 'float32', 'float64' or null, got ${describe(args.reverseDtype)}`);
    this.reverseDtype = rd;
    const cap = args.logitSoftCap ?? null;
    if (cap !== null && (typeof cap !== 'number' || !Number.isFinite(cap) || cap <= 0))
      throw new Error(`${this.name}: expected logitSoftCap a positive number or null, got ${describe(args.logitSoftCap)}`);
    this.logitSoftCap = cap;
  }

  override build(): void {
    super.build();
    // Keras: the same initializer as the table, no regularizer or constraint.
    if (!this.tieWeights)
      this.reverseEmbeddings = this.addWeight('reverse_embeddings', [this.outputDim, this.inputDim], this.dtype, this.embeddingsSettings.initializer);
  }

  /** Embeds ids, or with `{reverse: true}` projects hidden states to logits. */
  override apply(inputs: Nested<SymbolicTensor>, options?: ReversibleEmbeddingCallOptions): SymbolicTensor;
  override apply(inputs: Nested<Tensor> | StringBatch, options?: ReversibleEmbeddingCallOptions): Tensor;
  override apply(inputs: any, options: any = {}): any {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    const { reverse, ...rest } = checkOptions(`${this.name}.apply`, options, 'ReversibleEmbedding.apply') as ReversibleEmbeddingCallOptions;
    if (reverse !== undefined && typeof reverse !== 'boolean')
      throw new Error(`${this.name}.apply: expected reverse to be true or false, got ${describe(reverse)}`);
    const flags: CallArgs = reverse ? { reverse } : {};
    this.applyFlags = flags;
    try {
      return this.applyWithCallArgs(inputs, rest, reverse ? flags : undefined);
    } finally {
      this.applyFlags = {};
    }
  }

  // Ids or hidden states arrive as they are: call casts them, knowing which (reverse comes with the call).
  protected override castInputs(inputs: Tensor[]): Tensor[] {
    return inputs;
  }

  override call(x: Tensor, options: ReversibleEmbeddingCallOptions = {}): Tensor {
    if (!options.reverse) return gather(this.embeddings!, x.dtype === 'int32' ? x : cast(x, 'int32'));
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.outputDim)
      throw new Error(`${this.name}: expected hidden states [..., outputDim = ${this.outputDim}] to reverse, got shape ${formatShape(x.shape)}`);
    const dtype = this.reverseDtype ?? this.dtype;
    const asDType = (t: Tensor) => (t.dtype === dtype ? t : cast(t, dtype));
    const rows = asDType(x.rank === 2 ? x : reshape(x, [-1, this.outputDim]));
    // Tied: hidden x embeddingsᵀ, read transposed by the product rather than copied.
    let logits = this.tieWeights ? matMul(rows, asDType(this.embeddings!), false, true) : matMul(rows, asDType(this.reverseEmbeddings!));
    if (this.logitSoftCap !== null) logits = mul(tanh(div(logits, this.logitSoftCap)), this.logitSoftCap);
    return x.rank === 2 ? logits : reshape(logits, [...x.shape.slice(0, -1), this.inputDim]);
  }

  // As Keras: embedded ids carry maskZero's mask; reverse logits carry none.
  protected override callAndComputeMask(inputs: Nested<Tensor>, options: ReversibleEmbeddingCallOptions, wantMask: boolean): { outputs: Tensor; mask: Mask } {
    const outputs = this.call(inputs as Tensor, options);
    return { outputs, mask: wantMask && !options.reverse ? this.computeMask(inputs as Tensor) : null };
  }

  override computeOutputSpec(inputs: Nested<TensorSpec>): Nested<TensorSpec> {
    const { shape } = inputs as TensorSpec;
    if (!this.applyFlags.reverse) return { shape: this.computeOutputShape(shape), dtype: this.dtype };
    const last = shape[shape.length - 1];
    if (shape.length < 1 || (last !== null && last !== this.outputDim))
      throw new Error(`${this.name}: expected hidden states [..., outputDim = ${this.outputDim}] to reverse, got shape ${formatShape(shape)}`);
    return { shape: [...shape.slice(0, -1), this.inputDim], dtype: this.reverseDtype ?? this.dtype };
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), tieWeights: this.tieWeights, reverseDtype: this.reverseDtype, logitSoftCap: this.logitSoftCap };
  }
}
