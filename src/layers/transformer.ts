// transformerEncoder and transformerDecoder blocks as KerasHub defines them: multi-head
// self-attention (causal in the decoder), optional cross-attention to an encoder sequence,
// and a feed-forward pair of dense layers, each with dropout, a residual and a layer norm
// (after the residual by default; before the sublayer with normalizeFirst).
import * as activations from '../activations';
import { add } from '../ops/binary';
import { logicalAnd, notEqual } from '../ops/compare';
import { reshape } from '../ops/reshape';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { InitializerIdentifier } from '../initializers';
import * as initializers from '../initializers';
import { MultiHeadAttention, buildSublayer } from './attention/multi_head_attention';
import { Dense } from './dense';
import { Layer, type CallArgs, type CallOptions, type LayerArgs, type Mask } from './layer';
import { LayerNormalization } from './normalization';
import { Dropout } from './regularization';
import type { Nested } from './structure';
import { SymbolicTensor, formatShape, type SymbolicShape, type TensorSpec } from './symbolic_tensor';
import { checkPositiveInt } from './weight_settings';
import { layerOptions } from './layer_options';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';

/** Options of transformerEncoder and transformerDecoder. */
export interface TransformerArgs extends LayerArgs {
  /** Width of the feed-forward network's hidden layer. */
  intermediateDim: number;
  /** Number of attention heads; must divide the input width. */
  numHeads: number;
  /** Dropout rate (attention probabilities and each sublayer's output). Default 0. */
  dropout?: number;
  /** The feed-forward activation. Default relu (KerasHub's); 'gelu' for GPT-style blocks. */
  activation?: activations.ActivationIdentifier;
  /** Epsilon of the layer norms. Default 1e-5. */
  layerNormEpsilon?: number;
  /** Default glorotUniform. */
  kernelInitializer?: InitializerIdentifier;
  /** Default zeros. */
  biasInitializer?: InitializerIdentifier;
  /** Normalize before each sublayer (pre-norm) instead of after the residual. Default false. */
  normalizeFirst?: boolean;
}

/** The parts both blocks share: self-attention and the feed-forward network. */
abstract class TransformerBlock extends Layer {
  readonly intermediateDim: number;
  readonly numHeads: number;
  readonly dropout: number;
  readonly activation: activations.ActivationIdentifier;
  readonly layerNormEpsilon: number;
  readonly normalizeFirst: boolean;
  protected readonly kernelInitializer: initializers.Initializer;
  protected readonly biasInitializer: initializers.Initializer;
  selfAttentionLayer: MultiHeadAttention | null = null;
  selfAttentionLayerNorm: LayerNormalization | null = null;
  selfAttentionDropout: Dropout | null = null;
  feedforwardLayerNorm: LayerNormalization | null = null;
  feedforwardIntermediateDense: Dense | null = null;
  feedforwardOutputDense: Dense | null = null;
  feedforwardDropout: Dropout | null = null;

  constructor(args: TransformerArgs) {
    super(args);
    this.intermediateDim = checkPositiveInt(this.name, 'intermediateDim', args?.intermediateDim);
    this.numHeads = checkPositiveInt(this.name, 'numHeads', args.numHeads);
    const rate = args.dropout ?? 0;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`${this.name}: expected dropout in [0, 1), got ${describe(args.dropout)}`);
    this.dropout = rate;
    this.activation = args.activation ?? 'relu';
    activations.get(this.activation, this.name);
    this.layerNormEpsilon = args.layerNormEpsilon ?? 1e-5;
    this.normalizeFirst = args.normalizeFirst ?? false;
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? 'glorotUniform', this.name);
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros', this.name);
    this.supportsMasking = true;
  }

  /** The width of the sequences, checked against numHeads. */
  protected hiddenDim(shape: SymbolicShape, what: string): number {
    const dim = shape[shape.length - 1];
    if (shape.length !== 3 || dim === null)
      throw new Error(`${this.name}: expected ${what} [batch, time, features] with known features, got shape ${formatShape(shape)}`);
    if (dim % this.numHeads !== 0)
      throw new Error(`${this.name}: expected numHeads (${this.numHeads}) to divide the width of ${what}, got width ${dim} (shape ${formatShape(shape)})`);
    return dim;
  }

  protected attention(name: string, hidden: number): MultiHeadAttention {
    const init = { kernelInitializer: initializers.serialize(this.kernelInitializer), biasInitializer: initializers.serialize(this.biasInitializer) } as const;
    return new MultiHeadAttention({
      name,
      numHeads: this.numHeads,
      keyDim: hidden / this.numHeads,
      dropout: this.dropout,
      dtype: this.dtype,
      ...(init as object),
    });
  }

  protected norm(name: string, shape: SymbolicShape): LayerNormalization {
    const n = new LayerNormalization({ name, epsilon: this.layerNormEpsilon, dtype: this.dtype });
    buildSublayer(n, shape);
    return n;
  }

  protected buildSelfAttentionAndFeedforward(shape: SymbolicShape): void {
    const hidden = this.hiddenDim(shape, 'the input');
    this.selfAttentionLayer = this.attention('self_attention', hidden);
    buildSublayer(this.selfAttentionLayer, [shape, shape]);
    this.selfAttentionLayerNorm = this.norm('self_attention_layer_norm', shape);
    this.selfAttentionDropout = new Dropout({ name: 'self_attention_dropout', rate: this.dropout, dtype: this.dtype });
    this.feedforwardLayerNorm = this.norm('feedforward_layer_norm', shape);
    const dense = {
      kernelInitializer: initializers.serialize(this.kernelInitializer) as never,
      biasInitializer: initializers.serialize(this.biasInitializer) as never,
      dtype: this.dtype,
    };
    this.feedforwardIntermediateDense = new Dense({
      name: 'feedforward_intermediate_dense',
      units: this.intermediateDim,
      activation: this.activation,
      ...dense,
    });
    buildSublayer(this.feedforwardIntermediateDense, shape);
    this.feedforwardOutputDense = new Dense({ name: 'feedforward_output_dense', units: hidden, ...dense });
    buildSublayer(this.feedforwardOutputDense, [...shape.slice(0, -1), this.intermediateDim]);
    this.feedforwardDropout = new Dropout({ name: 'feedforward_dropout', rate: this.dropout, dtype: this.dtype });
  }

  /** One residual sublayer: x + dropout(f(norm?(x))), normalized after unless normalizeFirst. */
  protected residual(x: Tensor, norm: LayerNormalization, dropout: Dropout, training: boolean | undefined, f: (h: Tensor) => Tensor): Tensor {
    const h = f(this.normalizeFirst ? norm.apply(x) : x);
    const y = add(x, dropout.apply(h, { training }));
    return this.normalizeFirst ? y : norm.apply(y);
  }

  protected feedforward(x: Tensor, training: boolean | undefined): Tensor {
    return this.residual(x, this.feedforwardLayerNorm!, this.feedforwardDropout!, training, (h) =>
      this.feedforwardOutputDense!.apply(this.feedforwardIntermediateDense!.apply(h)),
    );
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      intermediateDim: this.intermediateDim,
      numHeads: this.numHeads,
      dropout: this.dropout,
      activation: activations.serialize(this.activation, this.name),
      layerNormEpsilon: this.layerNormEpsilon,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      normalizeFirst: this.normalizeFirst,
    };
  }
}

/** A padding mask [batch, T] of 1/0 or booleans as a key mask [batch, 1, T] of booleans. */
function keyMask(op: string, what: string, mask: Mask | undefined, batch: number, t: number): Tensor | null {
  if (!mask) return null;
  if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== t)
    throw new Error(`${op}: expected ${what} [batch, sequence length] = [${batch}, ${t}], got shape ${formatShape(mask.shape)}`);
  const m = mask.dtype === 'bool' ? mask : notEqual(mask, 0);
  return reshape(m, [batch, 1, t]);
}

/**
 * KerasHub's merge_padding_and_attention_mask: the padding mask (the one given, else the
 * sequence's own mask) as [batch, 1, Tk], and-ed with the attention mask [batch, Tq, Tk]; null for none.
 */
function mergeMasks(op: string, names: [string, string], padding: Mask | undefined, attention: Mask | undefined, query: Tensor, key: Tensor): Tensor | null {
  const [batch, tq] = query.shape;
  const tk = key.shape[1];
  const padded = keyMask(op, names[0], padding, batch, tk);
  if (!attention) return padded;
  if (attention.rank !== 3 || attention.shape[0] !== batch || attention.shape[1] !== tq || attention.shape[2] !== tk)
    throw new Error(`${op}: expected ${names[1]} [batch, query length, key length] = [${batch}, ${tq}, ${tk}], got shape ${formatShape(attention.shape)}`);
  const a = attention.dtype === 'bool' ? attention : notEqual(attention, 0);
  return padded ? logicalAnd(padded, a) : a;
}

/**
 * The named parts of a call that took tensor options ({inputs, paddingMask, ...}) with the
 * mask of each (the flat masks follow the keys' order); a lone tensor is `{[first]: x}`.
 */
function partsOf(first: string, inputs: Nested<Tensor>, mask: Mask | Mask[] | undefined): { parts: Record<string, Tensor>; maskOf: (k: string) => Mask } {
  const parts = inputs instanceof Tensor ? { [first]: inputs } : (inputs as Record<string, Tensor>);
  const masks = mask === undefined || mask === null ? [] : Array.isArray(mask) ? mask : [mask];
  const keys = Object.keys(parts);
  return { parts, maskOf: (k) => masks[keys.indexOf(k)] ?? null };
}

/** The eager masks given to apply, one per named part: the sequences' (as given), null for the mask tensors. */
function masksFor(keys: string[], sequences: number, mask: Mask | Mask[] | undefined): Mask[] | undefined {
  if (mask === undefined) return undefined;
  const given = Array.isArray(mask) ? mask : [mask];
  return keys.map((_, i) => (i < sequences ? (given[i] ?? null) : null));
}

/** The first shape of a build given the shapes of several named parts (the sequence's). */
const firstShape = (shape: SymbolicShape | SymbolicShape[]): SymbolicShape =>
  Array.isArray(shape[0]) ? (shape[0] as SymbolicShape) : (shape as SymbolicShape);

/** Options of transformerEncoder's apply (KerasHub's call arguments). */
export interface TransformerEncoderCallOptions<T> extends CallOptions {
  /** [batch, T] of 1/0 or booleans: 0 / false marks padding, kept out of the attention. Replaces the input's own mask. */
  paddingMask?: T | null;
  /** [batch, T, T] of 1/0 or booleans: which steps each step attends; and-ed with the padding mask. */
  attentionMask?: T | null;
}

/**
 * A Transformer encoder block (KerasHub's TransformerEncoder): [batch, T, d] -> [batch, T, d].
 * A padding mask on the input (Embedding maskZero) or given as `paddingMask` keeps padded
 * steps out of the attention.
 * @example layers.transformerEncoder({intermediateDim: 512, numHeads: 4})
 */
export class TransformerEncoder extends TransformerBlock {
  static override className = 'TransformerEncoder';
  /** The tensors apply takes in its options, in KerasHub's positional order (a functional model's node kwargs). */
  static readonly tensorCallArgKeys = ['paddingMask', 'attentionMask'] as const;

  constructor(args: TransformerArgs) {
    args = layerOptions(TransformerEncoder, new.target, args);
    super(args);
  }

  /** Applies the block to `inputs`, with `options.paddingMask` / `attentionMask` when given. */
  override apply(inputs: SymbolicTensor, options?: TransformerEncoderCallOptions<SymbolicTensor>): SymbolicTensor;
  override apply(inputs: Tensor, options?: TransformerEncoderCallOptions<Tensor>): Tensor;
  override apply(inputs: any, options: any = {}): any {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    const { paddingMask, attentionMask, mask, training } = checkOptions(
      `${this.name}.apply`,
      options,
      'TransformerEncoder.apply',
    ) as TransformerEncoderCallOptions<Tensor>;
    const extra = { ...(paddingMask != null ? { paddingMask } : {}), ...(attentionMask != null ? { attentionMask } : {}) };
    if (Object.keys(extra).length === 0) return this.applyWithCallArgs(inputs, { training, mask }, undefined);
    checkSequence(this.name, 'inputs', inputs);
    const parts = { inputs, ...extra };
    return this.applyWithCallArgs(parts, { training, mask: masksFor(Object.keys(parts), 1, mask) }, undefined);
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    this.buildSelfAttentionAndFeedforward(firstShape(inputShape));
  }

  override call(inputs: Nested<Tensor>, options: CallOptions): Tensor {
    const { parts, maskOf } = partsOf('inputs', inputs, options.mask);
    const x = parts.inputs;
    const mask = mergeMasks(this.name, ['paddingMask', 'attentionMask'], parts.paddingMask ?? maskOf('inputs'), parts.attentionMask, x, x);
    const attended = this.residual(
      x,
      this.selfAttentionLayerNorm!,
      this.selfAttentionDropout!,
      options.training,
      (h) => this.selfAttentionLayer!.apply(h, { value: h, ...(mask ? { attentionMask: mask } : {}), training: options.training }) as Tensor,
    );
    return this.feedforward(attended, options.training);
  }

  override computeMask(inputs: Nested<Tensor>, mask?: Mask | Mask[]): Mask {
    void inputs;
    return (Array.isArray(mask) ? mask[0] : mask) ?? null;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return firstShape(inputShape);
  }
}

// A sequence given beside tensor options must be one Tensor or SymbolicTensor.
function checkSequence(op: string, what: string, x: unknown): void {
  if (!(x instanceof Tensor) && !(x instanceof SymbolicTensor)) throw new Error(`${op}: expected ${what} to be a Tensor or SymbolicTensor, got ${describe(x)}`);
}

/** Options of transformerDecoder's apply (KerasHub's call arguments). */
export interface TransformerDecoderCallOptions<T> extends CallOptions {
  /** The encoder's output [batch, Tenc, d]: adds cross-attention (decide at the first call). */
  encoderSequence?: T | null;
  /** [batch, Tdec] of 1/0 or booleans: the decoder sequence's padding. Replaces its own mask. */
  decoderPaddingMask?: T | null;
  /** [batch, Tdec, Tdec] of 1/0 or booleans for the self-attention; and-ed with the padding and causal masks. */
  decoderAttentionMask?: T | null;
  /** [batch, Tenc] of 1/0 or booleans: the encoder sequence's padding. Replaces its own mask. */
  encoderPaddingMask?: T | null;
  /** [batch, Tdec, Tenc] of 1/0 or booleans for the cross-attention; and-ed with the encoder padding mask. */
  encoderAttentionMask?: T | null;
  /** Each step attends only earlier steps of the decoder sequence. Default true. */
  useCausalMask?: boolean;
}

const DECODER_TENSOR_OPTIONS = ['encoderSequence', 'decoderPaddingMask', 'decoderAttentionMask', 'encoderPaddingMask', 'encoderAttentionMask'] as const;

/**
 * A Transformer decoder block (KerasHub's TransformerDecoder): causal self-attention, then
 * cross-attention to `encoderSequence` when given, then the feed-forward network.
 * Without an encoder sequence it is a GPT block.
 * @example layers.transformerDecoder({intermediateDim: 512, numHeads: 4, normalizeFirst: true, activation: 'gelu'})
 */
export class TransformerDecoder extends TransformerBlock {
  static override className = 'TransformerDecoder';
  static readonly callArgKeys = ['useCausalMask'] as const;
  /** The tensors apply takes in its options, in KerasHub's positional order (a functional model's node kwargs). */
  static readonly tensorCallArgKeys = DECODER_TENSOR_OPTIONS;
  /** Attention to the encoder sequence, when the block was first called with one. */
  crossAttentionLayer: MultiHeadAttention | null = null;
  /** The layer norm of the cross-attention sublayer. */
  crossAttentionLayerNorm: LayerNormalization | null = null;
  /** The dropout of the cross-attention sublayer. */
  crossAttentionDropout: Dropout | null = null;
  // The part names of the apply in progress, for build (which shape is the encoder's).
  private applyKeys: string[] | null = null;

  constructor(args: TransformerArgs) {
    args = layerOptions(TransformerDecoder, new.target, args);
    super(args);
  }

  /** Applies the block to `decoderSequence`, attending `options.encoderSequence` too when given. */
  override apply(decoderSequence: SymbolicTensor, options?: TransformerDecoderCallOptions<SymbolicTensor>): SymbolicTensor;
  override apply(decoderSequence: Tensor, options?: TransformerDecoderCallOptions<Tensor>): Tensor;
  override apply(decoderSequence: any, options: any = {}): any {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    const o = checkOptions(`${this.name}.apply`, options, 'TransformerDecoder.apply') as TransformerDecoderCallOptions<Tensor>;
    const flags: CallArgs = o.useCausalMask === false ? { useCausalMask: false } : {};
    const isDict =
      decoderSequence !== null && typeof decoderSequence === 'object' && !(decoderSequence instanceof Tensor) && !(decoderSequence instanceof SymbolicTensor);
    if (isDict) {
      const allowed = ['decoderSequence', ...DECODER_TENSOR_OPTIONS];
      const bad = Object.keys(decoderSequence).filter((k) => !allowed.includes(k));
      if (bad.length > 0 || !('decoderSequence' in decoderSequence))
        throw new Error(
          `${this.name}: expected the parts by name among ${allowed.join(', ')} (decoderSequence required), got ${Object.keys(decoderSequence).join(', ') || 'none'}`,
        );
    }
    const extra = Object.fromEntries(DECODER_TENSOR_OPTIONS.filter((k) => o[k] != null).map((k) => [k, o[k]]));
    if (isDict && Object.keys(extra).length > 0)
      throw new Error(`${this.name}: got the parts by name and also ${Object.keys(extra).join(', ')} in the options; give them one way`);
    const inputs = isDict ? decoderSequence : Object.keys(extra).length === 0 ? decoderSequence : { decoderSequence, ...extra };
    if (!isDict && inputs !== decoderSequence) checkSequence(this.name, 'decoderSequence', decoderSequence);
    const keys = isDict || inputs !== decoderSequence ? Object.keys(inputs as object) : ['decoderSequence'];
    // The mask option is the decoder sequence's, or [decoder, encoder] masks.
    const sequences = keys.includes('encoderSequence') ? 2 : 1;
    const masks = isDict || inputs === decoderSequence ? o.mask : masksFor(keys, sequences, o.mask);
    this.applyKeys = keys;
    try {
      return this.applyWithCallArgs(inputs, { training: o.training, mask: masks }, Object.keys(flags).length ? flags : undefined);
    } finally {
      this.applyKeys = null;
    }
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shapes = Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[]) : [inputShape as SymbolicShape];
    const decoder = shapes[0];
    // Without named parts (build called directly) the shapes are [decoder, encoder?].
    const at = this.applyKeys ? this.applyKeys.indexOf('encoderSequence') : 1;
    const encoder = at > 0 ? shapes[at] : undefined;
    this.buildSelfAttentionAndFeedforward(decoder);
    if (encoder === undefined) return;
    const hidden = this.hiddenDim(decoder, 'the decoder sequence');
    if (encoder.length !== 3 || encoder[2] !== hidden) {
      throw new Error(`${this.name}: expected encoderSequence [batch, time, ${hidden}] (the decoder's width), got shape ${formatShape(encoder)}`);
    }
    this.crossAttentionLayer = this.attention('cross_attention', hidden);
    buildSublayer(this.crossAttentionLayer, [decoder, encoder]);
    this.crossAttentionLayerNorm = this.norm('cross_attention_layer_norm', decoder);
    this.crossAttentionDropout = new Dropout({ name: 'cross_attention_dropout', rate: this.dropout, dtype: this.dtype });
  }

  override call(inputs: Nested<Tensor>, options: CallOptions & CallArgs): Tensor {
    // A list is the form [decoder, encoder] (build's); otherwise one tensor or the parts by name.
    const named = Array.isArray(inputs) ? { decoderSequence: inputs[0], ...(inputs[1] ? { encoderSequence: inputs[1] } : {}) } : inputs;
    const { parts, maskOf } = partsOf('decoderSequence', named, options.mask);
    const { decoderSequence: x, encoderSequence: encoder } = parts;
    if (encoder !== undefined && this.crossAttentionLayer === null) {
      throw new Error(
        `${this.name}: the block was built without cross-attention (first called without encoderSequence), got an encoderSequence of shape ${formatShape(encoder.shape)}`,
      );
    }
    if (encoder === undefined && this.crossAttentionLayer !== null)
      throw new Error(`${this.name}: the block was built with cross-attention: expected an encoderSequence, got none`);
    if (encoder === undefined && (parts.encoderPaddingMask || parts.encoderAttentionMask))
      throw new Error(`${this.name}: encoderPaddingMask and encoderAttentionMask go with an encoderSequence, got none`);
    const causal = options.useCausalMask !== false;
    const selfMask = mergeMasks(
      this.name,
      ['decoderPaddingMask', 'decoderAttentionMask'],
      parts.decoderPaddingMask ?? maskOf('decoderSequence'),
      parts.decoderAttentionMask,
      x,
      x,
    );
    let y = this.residual(
      x,
      this.selfAttentionLayerNorm!,
      this.selfAttentionDropout!,
      options.training,
      (h) =>
        this.selfAttentionLayer!.apply(h, {
          value: h,
          useCausalMask: causal,
          ...(selfMask ? { attentionMask: selfMask } : {}),
          training: options.training,
        }) as Tensor,
    );
    if (encoder !== undefined) {
      const crossMask = mergeMasks(
        this.name,
        ['encoderPaddingMask', 'encoderAttentionMask'],
        parts.encoderPaddingMask ?? maskOf('encoderSequence'),
        parts.encoderAttentionMask,
        x,
        encoder,
      );
      y = this.residual(
        y,
        this.crossAttentionLayerNorm!,
        this.crossAttentionDropout!,
        options.training,
        (h) => this.crossAttentionLayer!.apply(h, { value: encoder, ...(crossMask ? { attentionMask: crossMask } : {}), training: options.training }) as Tensor,
      );
    }
    return this.feedforward(y, options.training);
  }

  override computeMask(inputs: Nested<Tensor>, mask?: Mask | Mask[]): Mask {
    void inputs;
    return (Array.isArray(mask) ? mask[0] : mask) ?? null;
  }

  override computeOutputSpec(inputs: Nested<TensorSpec>): TensorSpec {
    const first = Array.isArray((inputs as TensorSpec).shape)
      ? (inputs as TensorSpec)
      : Array.isArray(inputs)
        ? (inputs[0] as TensorSpec)
        : (inputs as { decoderSequence: TensorSpec }).decoderSequence;
    return { shape: first.shape, dtype: this.dtype };
  }
}
