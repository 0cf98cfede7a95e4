// MultiHeadAttention with Keras 3's arguments, call signature, masks and weight layout:
// query/key/value projections are EinsumDense sublayers with kernels [dModel, heads, dim]
// and biases [heads, dim]; the output projection's kernel is [heads, dim, dModel].
import { isFlashAttentionEnabled } from '../../config/keras_switches';
import { greaterEqual, less, logicalAnd, notEqual } from '../../ops/compare';
import { any } from '../../ops/logical_reduce';
import { cast } from '../../ops/cast';
import { mul, sub } from '../../ops/binary';
import { abs } from '../../ops/unary';
import { dotProductAttention, fusedAttention } from '../../ops/attention';
import { reshape } from '../../ops/reshape';
import { transpose } from '../../ops/transpose';
import { range, zeros } from '../../tensor/creation';
import { tidy } from '../../tensor/memory';
import { describe } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import type { ConstraintIdentifier } from '../../constraints';
import * as initializers from '../../initializers';
import * as regularizers from '../../regularizers';
import * as constraints from '../../constraints';
import { checkOptions } from '../../options/check';
import { EinsumDense } from '../einsum_dense';
import { Layer, type CallArgs, type CallOptions, type LayerArgs, type Mask, type OutputKind, type Outputs } from '../layer';
import { SeedSequence } from '../seeds';
import type { Nested } from '../structure';
import { SymbolicTensor, formatShape, type SymbolicShape, type TensorSpec } from '../symbolic_tensor';
import { checkPositiveInt } from '../weight_settings';
import { layerOptions } from '../layer_options';
import { AxesLayout, attentionAxesList, resolveAttentionAxes, type AttentionAxesArg } from './attention_axes';
import { tooManyArguments } from '../../options/arity';

// A mask as bool (numbers: nonzero is true).
const asBool = (m: Tensor) => (m.dtype === 'bool' ? m : notEqual(m, 0));

/** Options of multiHeadAttention. */
export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads. */
  numHeads: number;
  /** Size of each head's query and key projections. */
  keyDim: number;
  /** Size of each head's value projection; default keyDim. */
  valueDim?: number | null;
  /** Dropout rate on the attention probabilities. Default 0. */
  dropout?: number;
  /** Whether the projections have biases. Default true. */
  useBias?: boolean;
  /**
   * The output's trailing dimensions, replacing the query's feature axis: a number, or a
   * shape such as [4, 8] (Keras 3's tuple: the output is [batch, Tq, 4, 8], the
   * attention_output kernel [heads, valueDim, 4, 8] and its bias [4, 8]). Default the query's width.
   */
  outputShape?: number | number[] | null;
  /**
   * Axes attention runs over (Keras 3): default null, every axis between the batch and the
   * features (the sequence axis of [batch, T, dim]; [1, 2] of [batch, H, W, dim]). The other
   * axes between batch and features act as batch axes, e.g. [2] of [batch, X, T, dim].
   * Negative axes count from the end; the batch and feature axes are errors.
   */
  attentionAxes?: AttentionAxesArg;
  /** Default glorotUniform. */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** Default zeros. */
  biasInitializer?: initializers.InitializerIdentifier;
  /** Penalty on the kernels. */
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  /** Penalty on the biases. */
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  /** Applied to the kernels after each update. */
  kernelConstraint?: ConstraintIdentifier | null;
  /** Applied to the biases after each update. */
  biasConstraint?: ConstraintIdentifier | null;
  /** Seed of the dropout masks. */
  seed?: number | null;
  /**
   * Use the fused attention kernel (no [T, T] matrix in memory, faster than the composite).
   * It applies on the CPU with the causal mask, query/value/key padding masks and dropout; an
   * attentionMask or returnAttentionScores take the composite path.
   * Default null: fused wherever it applies on the CPU (on CUDA the composite is faster).
   * true: always (an error when it cannot apply);
   * false: never.
   */
  flashAttention?: boolean | null;
  /**
   * Each query attends only keys within slidingWindow - 1 positions of its own (a symmetric
   * band; with useCausalMask, the causal sliding window of Mistral). Default null: all keys.
   */
  slidingWindow?: number | null;
  /**
   * Multiply the attention output by sigmoid(a projection of the query, [dQuery, heads,
   * valueDim]) before the output projection (gated attention, Keras 3's use_gate). Default false.
   */
  useGate?: boolean;
}

/** Options of multiHeadAttention's apply (Keras's call arguments). */
export interface MultiHeadAttentionCallOptions<T> extends Omit<CallOptions, 'mask'> {
  /**
   * The padding masks [queryMask, valueMask, keyMask] (one mask: the query's, and the value's
   * in self-attention). With symbolic inputs they become the named inputs queryMask, ... of the node.
   */
  mask?: Mask | Mask[] | T | (T | null)[];
  /** The sequence attended to, [batch, Tv, dim]; default the query (self-attention). */
  value?: T;
  /** Default the value. */
  key?: T;
  /** Boolean (or 0/1), broadcastable to [batch, (heads,) Tq, Tk]: true where a query may attend a key. */
  attentionMask?: T;
  /**
   * The query's padding mask [batch, Tq] (Keras's query_mask): a padded query attends no key.
   * Keras 3.15's MultiHeadAttention replaces a given query_mask by the query's own mask;
   * Tessera honours it (as Keras's GroupQueryAttention does). Or give mask: [queryMask, valueMask, keyMask].
   */
  queryMask?: T | null;
  /** The value's padding mask [batch, Tv] (Keras's value_mask): no query attends a padded value. */
  valueMask?: T | null;
  /** The key's padding mask [batch, Tv] (Keras's key_mask), and-ed with valueMask. */
  keyMask?: T | null;
  /** Each query attends only keys at or before its position. Default false. */
  useCausalMask?: boolean;
  /**
   * Return [output, scores] with scores [batch, heads, Tq, Tk] (with attentionAxes: [batch,
   * ...other axes, heads, ...query attention axes, ...key attention axes], as Keras). Default false.
   */
  returnAttentionScores?: boolean;
}

// The named inputs of a call; the padding masks come as parts from groupQueryAttention's options.
type Parts<T> = { query: T; value: T; key?: T; attentionMask?: T; queryMask?: T; valueMask?: T; keyMask?: T };

const isTensorArg = (v: unknown): boolean => v instanceof Tensor || v instanceof SymbolicTensor;

// apply's options from either form: apply(query, options) or Keras's positional
// apply(query, value[, key][, options]); a tensor given both ways is an error.
function positionalToOptions(name: string, count: number, rest: unknown[]): object | null | undefined {
  const op = `${name}.apply`;
  if (!isTensorArg(rest[0])) {
    if (count > 2) throw tooManyArguments(op, 2, count);
    return (rest[0] ?? {}) as object; // checkOptions refuses a non-object
  }
  const [value, second, third] = rest;
  const keyGiven = isTensorArg(second);
  if (count > (keyGiven ? 4 : 3)) throw tooManyArguments(op, keyGiven ? 4 : 3, count);
  const given = checkOptions(op, (keyGiven ? third : second) ?? {}, 'MultiHeadAttention.apply') as Record<string, unknown>;
  for (const k of keyGiven ? ['value', 'key'] : ['value']) {
    if (given[k] !== undefined) throw new Error(`${op}: ${k} was given both positionally and in the options; give it once`);
  }
  return { ...given, value, ...(keyGiven ? { key: second } : {}) };
}

/**
 * Multi-head (scaled dot-product) attention, as Keras's MultiHeadAttention.
 * @example
 * const mha = layers.multiHeadAttention({numHeads: 4, keyDim: 32});
 * const y = mha.apply(x, {value: x, useCausalMask: true});
 */
export class MultiHeadAttention extends Layer<any> {
  static override className = 'MultiHeadAttention';
  /** The call flags kept with a functional model's node. */
  static readonly callArgKeys = ['useCausalMask', 'returnAttentionScores'] as const;
  /**
   * The tensors apply takes in its options besides the query: TensorFlow.js / Keras 2 files
   * write them as tensor references in a node's kwargs.
   */
  static readonly tensorCallArgKeys: readonly string[] = ['value', 'key', 'queryMask', 'valueMask', 'keyMask', 'attentionMask'];
  /** Keras's call takes all of them positionally after the query: call(query, value, key, query_mask, value_mask, key_mask, attention_mask). */
  static readonly positionalCallArgKeys: readonly string[] = MultiHeadAttention.tensorCallArgKeys;
  /** Number of attention heads. */
  readonly numHeads: number;
  /** Size of each head's query and key projections. */
  readonly keyDim: number;
  /** Size of each head's value projection. */
  readonly valueDim: number;
  /** Dropout rate on the attention probabilities. */
  readonly dropout: number;
  /** Whether the projections have biases. */
  readonly useBias: boolean;
  /** The output's trailing dimensions: a number (one axis), a shape (several), null (the query's width). */
  readonly outputShape: number | number[] | null;
  /** Seed of the dropout masks (null: the global stream). */
  readonly seed: number | null;
  /** Whether the fused kernel is used: null whenever it applies, true required, false never. */
  readonly flashAttention: boolean | null;
  /** The attentionAxes given (null: every axis between batch and features). */
  readonly attentionAxes: number[] | null;
  /** Query projection [dQuery, heads, keyDim]; Keras's attribute name. */
  queryDense: EinsumDense | null = null;
  /** Key projection [dKey, heads, keyDim]. */
  keyDense: EinsumDense | null = null;
  /** Value projection [dValue, heads, valueDim]. */
  valueDense: EinsumDense | null = null;
  /** Output projection [heads, valueDim, dOut]. */
  outputDense: EinsumDense | null = null;
  /** The band each query attends within (null: none). */
  readonly slidingWindow: number | null;
  /** Whether a sigmoid gate of the query multiplies the attention output. */
  readonly useGate: boolean;
  /** The gate's projection [dQuery, heads, valueDim] (sigmoid), when useGate. */
  gateDense: EinsumDense | null = null;
  /** @internal The initializers, regularizers and constraints of the projections, as given. */
  protected readonly weightArgs: Record<string, unknown>;
  private readonly seeds: SeedSequence;
  // The flags of the apply in progress, for the symbolic output spec.
  private applyFlags: CallArgs = {};
  // The input names of the apply in progress (query, value, key?, attentionMask?), for build.
  private applyKeys: string[] | null = null;
  // How inputs of the built rank move to and from [batch x other axes, attended, dim].
  private layout: AxesLayout | null = null;

  constructor(args: MultiHeadAttentionArgs) {
    args = layerOptions(MultiHeadAttention, new.target, args);
    super(args);
    this.numHeads = checkPositiveInt(this.name, 'numHeads', args?.numHeads);
    this.keyDim = checkPositiveInt(this.name, 'keyDim', args.keyDim);
    this.valueDim = args.valueDim == null ? this.keyDim : checkPositiveInt(this.name, 'valueDim', args.valueDim);
    const rate = args.dropout ?? 0;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`${this.name}: expected dropout in [0, 1), got ${describe(args.dropout)}`);
    this.dropout = rate;
    this.useBias = args.useBias ?? true;
    this.outputShape = checkOutputShape(this.name, args.outputShape);
    this.attentionAxes = attentionAxesList(this.name, args.attentionAxes);
    this.seed = args.seed ?? null;
    this.seeds = new SeedSequence(this.name, this.seed);
    if (args.flashAttention != null && typeof args.flashAttention !== 'boolean')
      throw new Error(`${this.name}: expected flashAttention to be true, false or null, got ${describe(args.flashAttention)}`);
    // Unset, it follows config.disableFlashAttention at construction (Keras: flash_attention or is_flash_attention_enabled()).
    this.flashAttention = args.flashAttention ?? isFlashAttentionEnabled();
    this.slidingWindow = args.slidingWindow == null ? null : checkPositiveInt(this.name, 'slidingWindow', args.slidingWindow);
    if (args.useGate !== undefined && typeof args.useGate !== 'boolean')
      throw new Error(`${this.name}: expected useGate to be true or false, got ${describe(args.useGate)}`);
    this.useGate = args.useGate ?? false;
    const pick = (k: string) => (args as unknown as Record<string, unknown>)[k];
    this.weightArgs = Object.fromEntries(
      ['kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint']
        .filter((k) => pick(k) != null)
        .map((k) => [k, pick(k)]),
    );
    this.supportsMasking = true;
  }

  /**
   * Applies attention of `query` to `options.value` (default: the query).
   * With returnAttentionScores it returns [output, scores]. Keras's positional form
   * `apply(query, value[, key][, options])` (Keras's `mha(query, value)`) is taken too.
   */
  override apply(query: SymbolicTensor, options?: MultiHeadAttentionCallOptions<SymbolicTensor>): Outputs<SymbolicTensor, OutputKind>;
  override apply(query: Tensor, options?: MultiHeadAttentionCallOptions<Tensor>): Outputs<Tensor, OutputKind>;
  override apply(
    query: SymbolicTensor,
    value: SymbolicTensor,
    keyOrOptions?: SymbolicTensor | MultiHeadAttentionCallOptions<SymbolicTensor>,
    options?: MultiHeadAttentionCallOptions<SymbolicTensor>,
  ): Outputs<SymbolicTensor, OutputKind>;
  override apply(
    query: Tensor,
    value: Tensor,
    keyOrOptions?: Tensor | MultiHeadAttentionCallOptions<Tensor>,
    options?: MultiHeadAttentionCallOptions<Tensor>,
  ): Outputs<Tensor, OutputKind>;
  override apply(query: any, ...rest: any[]): any {
    const options = positionalToOptions(this.name, arguments.length, rest);
    const { value, key, attentionMask, useCausalMask, returnAttentionScores, training, ...given } = checkOptions(
      `${this.name}.apply`,
      options,
      'MultiHeadAttention.apply',
    ) as MultiHeadAttentionCallOptions<Tensor>;
    const flags: CallArgs = { ...(useCausalMask ? { useCausalMask } : {}), ...(returnAttentionScores ? { returnAttentionScores } : {}) };
    if (query instanceof Tensor || query instanceof SymbolicTensor) {
      const parts: Record<string, unknown> = { query, value: value ?? query };
      // The tensor options travel as named inputs, so a functional model keeps them (and writes them as kwargs).
      if (key !== undefined) parts.key = key;
      const { mask: givenMask, ...paddingMasks } = given;
      let mask = givenMask;
      const named = Object.keys(paddingMasks).filter((k) => paddingMasks[k as keyof typeof paddingMasks] != null);
      if (named.length > 0 && mask !== undefined)
        throw new Error(`${this.name}.apply: give the padding masks as queryMask/valueMask/keyMask or as mask, not both (got mask and ${named.join(', ')})`);
      // An eager mask is the query's, or [query, value, key] masks.
      const masks = mask == null ? undefined : Array.isArray(mask) ? mask : [mask, value === undefined ? mask : null];
      if (masks && query instanceof SymbolicTensor) {
        // A symbolic call keeps no mask option: the masks become the named inputs, kept in the graph.
        [paddingMasks.queryMask, paddingMasks.valueMask, paddingMasks.keyMask] = masks as never[];
        mask = undefined;
      }
      for (const [k, v] of Object.entries(paddingMasks)) {
        if (v == null) continue;
        if (!((v as unknown) instanceof Tensor) && !((v as unknown) instanceof SymbolicTensor))
          throw new Error(`${this.name}.apply: expected ${k} to be a Tensor or SymbolicTensor, got ${describe(v)}`);
        parts[k] = v;
      }
      if (attentionMask !== undefined) parts.attentionMask = attentionMask;
      const flatMasks =
        mask != null && masks
          ? Object.keys(parts).map((k) => (k === 'query' ? masks[0] : k === 'value' ? masks[1] : k === 'key' ? masks[2] : null) ?? null)
          : undefined;
      return this.applyParts(parts, training, flatMasks, flags);
    }
    // The stored form {query, value, key?, attentionMask?, ...}, as a functional config replays it.
    const keys = query !== null && typeof query === 'object' ? Object.keys(query) : [];
    const named = ['query', ...(this.constructor as typeof MultiHeadAttention).tensorCallArgKeys];
    if (keys.includes('query') && keys.includes('value') && keys.every((k) => named.includes(k))) {
      return this.applyParts(query, training, given.mask, flags);
    }
    throw new Error(
      `${this.name}: expected the query to be a Tensor or SymbolicTensor (pass value, key and attentionMask in the options), got ${describe(query)}`,
    );
  }

  private applyParts(parts: unknown, training: boolean | undefined, mask: Mask | Mask[] | undefined, flags: CallArgs): unknown {
    this.applyFlags = flags;
    this.applyKeys = parts !== null && typeof parts === 'object' ? Object.keys(parts) : null;
    try {
      return this.applyWithCallArgs(parts, { training, mask }, Object.keys(flags).length ? flags : undefined);
    } finally {
      this.applyFlags = {};
      this.applyKeys = null;
    }
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const [q, v, k] = this.shapesOf(inputShape).map((s) => this.sequenceShape(s));
    const common = { ...this.weightArgs, dtype: this.dtype };
    const bias = (axes: string) => (this.useBias ? axes : null);
    this.queryDense = new EinsumDense({
      ...common,
      name: 'query',
      equation: 'abc,cde->abde',
      outputShape: [null, this.numHeads, this.keyDim],
      biasAxes: bias('de'),
    });
    this.keyDense = new EinsumDense({
      ...common,
      name: 'key',
      equation: 'abc,cde->abde',
      outputShape: [null, this.keyValueHeads, this.keyDim],
      biasAxes: bias('de'),
    });
    this.valueDense = new EinsumDense({
      ...common,
      name: 'value',
      equation: 'abc,cde->abde',
      outputShape: [null, this.keyValueHeads, this.valueDim],
      biasAxes: bias('de'),
    });
    // Keras's _make_output_dense: [B, T, heads, valueDim] x [heads, valueDim, ...out] -> [B, T, ...out].
    const outDims = this.outputDims(q[2] as number);
    const outLetters = 'efghij'.slice(0, outDims.length);
    this.outputDense = new EinsumDense({
      ...common,
      name: 'attention_output',
      equation: `abcd,cd${outLetters}->ab${outLetters}`,
      outputShape: [null, ...outDims],
      biasAxes: bias(outLetters),
    });
    if (this.useGate) {
      // Keras's gate: a projection of the query like the value's heads, through a sigmoid.
      this.gateDense = new EinsumDense({
        ...common,
        name: 'gate',
        equation: 'abc,cde->abde',
        outputShape: [null, this.numHeads, this.valueDim],
        biasAxes: bias('de'),
        activation: 'sigmoid',
      });
      buildSublayer(this.gateDense, q);
    }
    buildSublayer(this.queryDense, q);
    buildSublayer(this.keyDense, k);
    buildSublayer(this.valueDense, v);
    buildSublayer(this.outputDense, [q[0], q[1], this.numHeads, this.valueDim]);
  }

  // [query, value, key] shapes out of the build/spec input, checked; sets the layout.
  private shapesOf(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape, inputShape]) as SymbolicShape[];
    const [q, v] = shapes;
    // The third shape is the key's unless it is the attentionMask's (no key given).
    const keyAt = this.applyKeys ? this.applyKeys.indexOf('key') : shapes.length > 3 || (shapes.length === 3 && shapes[2].length === q.length) ? 2 : -1;
    const k = keyAt > 0 && keyAt < shapes.length ? shapes[keyAt] : v;
    for (const [name, s] of [
      ['query', q],
      ['value', v],
      ['key', k],
    ] as const) {
      if (s.length < 3 || s.length !== q.length) {
        throw new Error(
          `${this.name}: expected ${name} of rank ${q.length < 3 ? '3 or more' : q.length} [batch, ...attention axes, features] (the query's), got shape ${formatShape(s)}`,
        );
      }
      if (s[s.length - 1] === null) throw new Error(`${this.name}: the last dimension of ${name} must be known, got shape ${formatShape(s)}`);
    }
    this.layout = this.layoutFor(q.length);
    return [q, v, k];
  }

  private layoutFor(rank: number): AxesLayout {
    if (this.layout?.rank === rank) return this.layout;
    return new AxesLayout(rank, resolveAttentionAxes(this.name, this.attentionAxes, rank));
  }

  /** @internal The heads of the key and value projections (groupQueryAttention's are fewer than the query's). */
  protected get keyValueHeads(): number {
    return this.numHeads;
  }

  /** @internal The projected keys or values [batch, T, keyValueHeads, dim] as [batch, T, numHeads, dim]. */
  protected toQueryHeads(x: Tensor): Tensor {
    return x;
  }

  // The attention output [batch, Tq, heads, dim] before the output projection: times the gate, with useGate.
  private beforeOutput(query: Tensor, heads: Tensor): Tensor {
    return this.gateDense ? mul(heads, this.gateDense.apply(query) as Tensor) : heads;
  }

  // A band each query attends within, |i - j| < window; null: none.
  private attentionWindow(): number | null {
    return this.slidingWindow;
  }

  // A built shape in the sequence layout the sublayers see: [batch x others, attended, dim].
  private sequenceShape(s: SymbolicShape): SymbolicShape {
    const layout = this.layout!;
    if (layout.isSequence) return s;
    const known = (axes: number[]) => (axes.every((a) => s[a] !== null) ? axes.reduce((n, a) => n * (s[a] as number), 1) : null);
    return [s[0] === null ? null : known([0, ...layout.others]), known(layout.attended), s[s.length - 1]];
  }

  override call(inputs: Nested<Tensor>, options: CallOptions & CallArgs): Tensor | Tensor[] {
    const parts = (inputs instanceof Tensor ? { query: inputs, value: inputs } : inputs) as Parts<Tensor>;
    // Padding masks given as parts replace the inputs' own, as Keras's query_mask/value_mask/key_mask.
    const own = this.inputMasks(inputs, options.mask);
    const masks = { query: parts.queryMask ?? own.query, value: parts.valueMask ?? own.value, key: parts.keyMask ?? own.key };
    const { query, value } = parts;
    const key = parts.key ?? value;
    this.checkInputs(query.shape, value.shape, key.shape);
    const layout = this.layout!;
    if (layout.isSequence) {
      this.checkPaddingMasks(masks, { query, value, key });
      return this.attend(query, value, key, masks, parts.attentionMask, options);
    }
    // attentionAxes: the attention runs on [batch x other axes, attended, dim] and comes back.
    if (masks.query || masks.value || masks.key) {
      throw new Error(
        `${this.name}: padding masks of inputs of rank ${layout.rank} are not supported (Keras's are [batch, T]); pass an attentionMask of shape [batch, ...query attention axes, ...key attention axes]`,
      );
    }
    if (options.useCausalMask && layout.attended.length !== 1)
      throw new Error(`${this.name}: useCausalMask needs attention over one axis, got attentionAxes ${formatShape(layout.attended)}`);
    if (this.slidingWindow !== null && layout.attended.length !== 1)
      throw new Error(`${this.name}: slidingWindow needs attention over one axis, got attentionAxes ${formatShape(layout.attended)}`);
    const given = parts.attentionMask;
    const mask = given === undefined ? undefined : layout.maskToSequence(this.name, asBool(given), this.numHeads, query.shape, key.shape);
    const none = { query: null, value: null, key: null };
    const [q, v, k] = [query, value, key].map((x) => layout.toSequence(x));
    const out = this.attend(q, v, k, none, mask, options);
    // A several-axis output travels back flattened to one feature axis.
    const outDims = this.outputDims(query.shape[query.rank - 1]);
    const flat = (y: Tensor) => (outDims.length === 1 ? y : reshape(y, [y.shape[0], y.shape[1], outDims.reduce((n, d) => n * d, 1)]));
    const back = (y: Tensor) => {
      const moved = layout.fromSequence(flat(y), query.shape);
      return outDims.length === 1 ? moved : reshape(moved, [...query.shape.slice(0, -1), ...outDims]);
    };
    return Array.isArray(out) ? [back(out[0]), layout.scoresFromSequence(out[1], query.shape, key.shape)] : back(out);
  }

  // The attention of [batch, T, dim] inputs: projections, fused kernel or composite, output projection.
  private attend(
    query: Tensor,
    value: Tensor,
    key: Tensor,
    masks: { query: Mask; value: Mask; key: Mask },
    attentionMask: Tensor | undefined,
    options: CallOptions & CallArgs,
  ): Tensor | Tensor[] {
    // The projections give [batch, T, heads, dim]: the fused kernel takes that layout as it
    // is (headsLast), the composite wants [batch, heads, T, dim].
    const heads = (x: Tensor) => transpose(x, [0, 2, 1, 3]);
    const q = this.queryDense!.apply(query);
    const k = this.toQueryHeads(this.keyDense!.apply(key));
    const v = this.toQueryHeads(this.valueDense!.apply(value));
    const causal = options.useCausalMask === true;
    const why = this.whyNotFused(q, attentionMask !== undefined, options);
    if (why === null) {
      const keyMask = this.keyPaddingMask(masks.value, masks.key);
      const queryMask = masks.query ? asBool(masks.query) : null;
      const drop = { dropoutRate: this.dropout, seed: this.seeds.next(), training: options.training };
      let out = fusedAttention(q, k, v, { causal, keyMask, queryMask, headsLast: true, ...drop });
      if (this.zeroesMaskedRows(options) && (keyMask || queryMask)) {
        // [B, 1, Tq, 1] -> [B, Tq, 1, 1], the kernel's heads-last layout.
        const alive = any(this.attentionMask(query, value, masks, undefined, causal)!, -1, true);
        out = mul(out, cast(reshape(alive, [alive.shape[0], alive.shape[2], 1, 1]), out.dtype));
      }
      return this.outputDense!.apply(this.beforeOutput(query, out));
    }
    if (this.flashAttention === true) throw new Error(`${this.name}: flashAttention is true, but the fused kernel cannot apply: ${why}`);
    const mask = this.attentionMask(query, value, masks, attentionMask, causal);
    let { output, scores } = dotProductAttention(heads(q), heads(k), heads(v), {
      mask,
      dropoutRate: this.dropout,
      seed: this.seeds.next(),
      training: options.training,
    });
    if (mask !== null && this.zeroesMaskedRows(options)) {
      // Keras's Softmax zeroes the masked weights; elsewhere they are 0 already (e^-1e9).
      scores = mul(scores, cast(mask, scores.dtype));
      output = mul(output, cast(any(mask, -1, true), output.dtype));
    }
    const y = this.outputDense!.apply(this.beforeOutput(query, heads(output)));
    return options.returnAttentionScores ? [y, scores] : y;
  }

  // Whether a query whose keys are all masked gets zero weights (output 0 before the output
  // projection) rather than attending uniformly. Keras 3 is of two minds: its
  // dot_product_attention path (no dropout, no scores returned, one attention axis of rank-3
  // inputs) adds -1e9 to masked logits, so such a row attends uniformly; otherwise its Softmax
  // layer (keras#21149) zeroes the masked weights after the softmax.
  private zeroesMaskedRows(options: CallArgs): boolean {
    return this.dropout > 0 || options.returnAttentionScores === true || !this.layout!.isSequence;
  }

  // Why this call takes the composite path (null: the fused kernel applies). The kernel
  // takes the causal mask, the query/value/key padding masks and dropout; a free-form
  // attentionMask is not fused.
  private whyNotFused(q: Tensor, attentionMask: boolean, options: CallOptions & CallArgs): string | null {
    if (this.flashAttention === false) return 'flashAttention is false';
    // The CUDA kernel is the straightforward one (a thread per row), slower than cuBLAS's composite.
    if (q.device !== 'cpu' && this.flashAttention === null) return `the tensors are on ${q.device} (there the composite is faster)`;
    if (attentionMask) return 'an attentionMask is given (only causal and padding masks are fused)';
    if (this.attentionWindow() !== null) return 'slidingWindow is set (only causal and padding masks are fused)';
    if (options.returnAttentionScores) return 'returnAttentionScores asks for the [T, T] scores';
    return null;
  }

  // The value and key padding masks and-ed into the kernel's [batch, Tk] key mask, or null.
  private keyPaddingMask(value: Mask, key: Mask): Tensor | null {
    if (value && key) return logicalAnd(asBool(value), asBool(key));
    return value ? asBool(value) : key ? asBool(key) : null;
  }

  // The inputs' shapes (nulls: unknown, symbolic) against what the layer was built for.
  private checkInputs(query: SymbolicShape, value: SymbolicShape, key: SymbolicShape): void {
    const widths = { query: this.queryDense!.kernel!.shape[0], value: this.valueDense!.kernel!.shape[0], key: this.keyDense!.kernel!.shape[0] };
    const layout = this.layout!;
    const rank = layout.rank;
    const what = rank === 3 ? '[batch, time, features]' : '[batch, ...axes, features]';
    for (const [name, x] of [
      ['query', query],
      ['value', value],
      ['key', key],
    ] as const) {
      if (x.length !== rank)
        throw new Error(`${this.name}: expected ${name} of rank ${rank} ${what} (the layer was built for it), got shape ${formatShape(x)}`);
      if (x[rank - 1] !== widths[name])
        throw new Error(`${this.name}: expected ${name} of width ${widths[name]} (the layer was built for it), got shape ${formatShape(x)}`);
    }
    const agree = (a: SymbolicShape, b: SymbolicShape) => a.every((d, i) => d === null || b[i] === null || d === b[i]);
    if (!agree(layout.lead(value), layout.lead(query)) || !agree(layout.lead(key), layout.lead(query))) {
      const axes = rank === 3 ? 'one batch size' : `one batch size and one size on the axes outside attentionAxes ${formatShape(layout.attended)}`;
      throw new Error(`${this.name}: expected query, value and key of ${axes}, got ${formatShape(query)}, ${formatShape(value)}, ${formatShape(key)}`);
    }
    if (!agree(layout.span(key), layout.span(value)))
      throw new Error(`${this.name}: expected key and value of one length, got key ${formatShape(key)} and value ${formatShape(value)}`);
  }

  // Each padding mask (Embedding maskZero's) must be its input's [batch, T].
  private checkPaddingMasks(masks: { query: Mask; value: Mask; key: Mask }, inputs: { query: Tensor; value: Tensor; key: Tensor }): void {
    for (const name of ['query', 'value', 'key'] as const) {
      const m = masks[name];
      if (m === null) continue;
      const want = inputs[name].shape.slice(0, 2);
      if (!(m instanceof Tensor) || m.rank !== 2 || m.shape[0] !== want[0] || m.shape[1] !== want[1])
        throw new Error(
          `${this.name}: expected the ${name}'s padding mask of shape ${formatShape(want)} ([batch, T] of the ${name}), got ${m instanceof Tensor ? `shape ${formatShape(m.shape)}` : describe(m)}`,
        );
    }
  }

  // The masks of [query, value, key] from call's mask (one per input in the dict's order).
  private inputMasks(inputs: Nested<Tensor>, mask: Mask | Mask[] | undefined): { query: Mask; value: Mask; key: Mask } {
    if (inputs instanceof Tensor) {
      const m = (Array.isArray(mask) ? mask[0] : mask) ?? null;
      return { query: m, value: m, key: m };
    }
    const keys = Object.keys(inputs);
    const list = mask === undefined || mask === null ? [] : Array.isArray(mask) ? mask : [mask];
    const at = (k: string) => (keys.includes(k) ? (list[keys.indexOf(k)] ?? null) : null);
    return { query: at('query'), value: at('value'), key: keys.includes('key') ? at('key') : at('value') };
  }

  // Keras's _compute_attention_mask: padding masks, the causal mask and the given mask, and-ed; [B, 1|H, Tq, Tk] or null.
  private attentionMask(
    query: Tensor,
    value: Tensor,
    masks: { query: Mask; value: Mask; key: Mask },
    given: Tensor | undefined,
    causal: boolean,
  ): Tensor | null {
    const [batch, tq] = query.shape;
    const tk = value.shape[1];
    const and = (a: Tensor | null, b: Tensor) => (a === null ? b : logicalAnd(a, b));
    let mask: Tensor | null = null;
    if (masks.query) mask = reshape(asBool(masks.query), [batch, tq, 1]);
    if (masks.value) mask = and(mask, reshape(asBool(masks.value), [batch, 1, tk]));
    if (masks.key) mask = and(mask, reshape(asBool(masks.key), [batch, 1, tk]));
    // An empty batch gets empty position masks (a long one would not fit in memory).
    const lead = batch === 0 ? 0 : 1;
    if (causal) mask = and(mask, causalMask(tq, tk, lead));
    const window = this.attentionWindow();
    if (window !== null) mask = and(mask, slidingWindowMask(tq, tk, window, lead));
    if (given !== undefined) mask = and(mask, this.checkedMask(asBool(given), batch, tq, tk));
    if (mask === null) return null;
    // [B, Tq, Tk] -> [B, 1, Tq, Tk]: one mask for every head.
    return mask.rank === 4 ? mask : reshape(mask, [mask.shape[0], 1, mask.shape[1], mask.shape[2]]);
  }

  private checkedMask(mask: Tensor, batch: number, tq: number, tk: number): Tensor {
    const full = [batch, this.numHeads, tq, tk];
    // Rank 4: [B, H, Tq, Tk]; rank 3: [B, Tq, Tk] (Keras expands it at the heads axis); rank 2: [Tq, Tk].
    const want = mask.rank === 4 ? full : mask.rank === 3 ? [batch, tq, tk] : [tq, tk];
    const fits = mask.rank >= 2 && mask.rank <= 4 && mask.shape.every((d, i) => d === 1 || d === want[i]);
    if (!fits) {
      throw new Error(
        `${this.name}: expected attentionMask to broadcast to [batch, (heads,) Tq, Tk] = [${batch}, (${this.numHeads},) ${tq}, ${tk}], got shape ${formatShape(mask.shape)}`,
      );
    }
    return mask.rank === 2 ? reshape(mask, [1, ...mask.shape]) : mask;
  }

  // The output carries the query's mask (the scores, when returned, none).
  protected override callAndComputeMask(
    inputs: Nested<Tensor>,
    options: CallOptions & CallArgs,
    wantMask: boolean,
  ): { outputs: Tensor | Tensor[]; mask: Mask | Mask[] } {
    const outputs = this.call(inputs, options);
    const mask = wantMask ? this.inputMasks(inputs, options.mask).query : null;
    return { outputs, mask: Array.isArray(outputs) ? [mask, null] : mask };
  }

  override computeOutputSpec(inputs: Nested<TensorSpec>): Nested<TensorSpec> {
    const parts = (Array.isArray((inputs as TensorSpec).shape) ? { query: inputs, value: inputs } : inputs) as Parts<TensorSpec>;
    const q = parts.query.shape;
    const k = (parts.key ?? parts.value).shape;
    if (this.built) this.checkInputs(q, parts.value.shape, k);
    const out: TensorSpec = { shape: [...q.slice(0, -1), ...this.outputDims(q[q.length - 1])], dtype: this.dtype };
    if (!this.applyFlags.returnAttentionScores) return out;
    const layout = this.layoutFor(q.length);
    const pick = (s: SymbolicShape, axes: number[]) => axes.map((a) => s[a]);
    const scores = [q[0], ...pick(q, layout.others), this.numHeads, ...pick(q, layout.attended), ...pick(k, layout.attended)];
    return [out, { shape: scores, dtype: this.dtype }];
  }

  // The output's trailing dimensions for a query of width `width` (null while symbolic and unknown).
  private outputDims(width: number): number[];
  private outputDims(width: number | null): (number | null)[];
  private outputDims(width: number | null): (number | null)[] {
    const out = this.outputShape;
    return out === null ? [width] : Array.isArray(out) ? [...out] : [out];
  }

  override getConfig(): Record<string, unknown> {
    const first = this.queryDense;
    return {
      ...super.getConfig(),
      ...this.headsConfig(),
      dropout: this.dropout,
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(
        initializers.get(
          (this.weightArgs.kernelInitializer ?? first?.getConfig().kernelInitializer ?? 'glorotUniform') as initializers.InitializerIdentifier,
          this.name,
        ),
      ),
      biasInitializer: initializers.serialize(initializers.get((this.weightArgs.biasInitializer ?? 'zeros') as initializers.InitializerIdentifier, this.name)),
      kernelRegularizer: this.weightArgs.kernelRegularizer
        ? regularizers.serialize(regularizers.get(this.weightArgs.kernelRegularizer as regularizers.RegularizerIdentifier, this.name))
        : null,
      biasRegularizer: this.weightArgs.biasRegularizer
        ? regularizers.serialize(regularizers.get(this.weightArgs.biasRegularizer as regularizers.RegularizerIdentifier, this.name))
        : null,
      kernelConstraint: this.weightArgs.kernelConstraint
        ? constraints.serialize(constraints.get(this.weightArgs.kernelConstraint as constraints.ConstraintIdentifier, this.name))
        : null,
      biasConstraint: this.weightArgs.biasConstraint
        ? constraints.serialize(constraints.get(this.weightArgs.biasConstraint as constraints.ConstraintIdentifier, this.name))
        : null,
      seed: this.seed,
      flashAttention: this.flashAttention,
      slidingWindow: this.slidingWindow,
      useGate: this.useGate,
    };
  }

  /** @internal The config of the heads and shapes (groupQueryAttention has its own). */
  protected headsConfig(): Record<string, unknown> {
    return {
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      outputShape: Array.isArray(this.outputShape) ? [...this.outputShape] : this.outputShape,
      attentionAxes: this.attentionAxes,
    };
  }
}

// outputShape: null, a positive integer, or a non-empty list of them ([n] is n, as Keras's).
function checkOutputShape(layer: string, given: unknown): number | number[] | null {
  if (given == null) return null;
  if (!Array.isArray(given)) return checkPositiveInt(layer, 'outputShape', given);
  if (given.length === 0) throw new Error(`${layer}: expected outputShape to be a positive integer or a non-empty list of them, got []`);
  const dims = given.map((d, i) => checkPositiveInt(layer, `outputShape[${i}]`, d));
  return dims.length === 1 ? dims[0] : dims;
}

// Query positions [lead, Tq, 1] and key positions [1, 1, Tk], compared by broadcasting: no
// Tq x Tk array in JS (past 2**32 entries it could not be made), none at all for an empty batch (lead 0).
function positions(tq: number, tk: number, lead: number): [Tensor, Tensor] {
  const rows = lead === 0 ? zeros([0, tq, 1], 'int32') : reshape(range(0, tq, 1, 'int32'), [1, tq, 1]);
  return [rows, reshape(range(0, tk, 1, 'int32'), [1, 1, tk])];
}

/** [lead, Tq, Tk] (lead 1, or 0 for an empty batch): true where the key position is at or before the query's (Keras's causal mask). */
export function causalMask(tq: number, tk: number, lead = 1): Tensor {
  return tidy(() => greaterEqual(...positions(tq, tk, lead)));
}

/** [lead, Tq, Tk]: true where |query position - key position| < window (Keras's sliding window band). */
export function slidingWindowMask(tq: number, tk: number, window: number, lead = 1): Tensor {
  return tidy(() => {
    const [i, j] = positions(tq, tk, lead);
    return less(abs(sub(i, j)), window);
  });
}

/** @internal Builds a sublayer for an input shape (Keras's sublayer.build in the parent's build). */
export function buildSublayer(layer: Layer<any>, shape: SymbolicShape | SymbolicShape[]): void {
  layer.build(shape);
  layer.built = true;
  layer.buildInputShape = shape;
}
