// attention (Luong-style dot-product) and additiveAttention (Bahdanau-style) with Keras 3
// semantics: called on [query, value] or [query, value, key], masks [queryMask, valueMask],
// and the call flags useCausalMask and returnAttentionScores.
import { logicalAnd, logicalNot, where } from '../../ops/compare';
import { cast } from '../../ops/cast';
import { dropout as dropoutOp } from '../../ops/dropout';
import { matMul } from '../../ops/matmul';
import { add, mul } from '../../ops/binary';
import { sum } from '../../ops/reduce';
import { expandDims } from '../../ops/reshape';
import { softmax } from '../../ops/softmax';
import { tanh } from '../../ops/unary';
import { largeNegative } from '../../ops/attention';
import { describe } from '../../tensor/shape';
import type { Tensor, Variable } from '../../tensor/tensor';
import { checkOptions } from '../../options/check';
import { Layer, type CallArgs, type CallOptions, type LayerArgs, type Mask } from '../layer';
import { SeedSequence } from '../seeds';
import type { Nested, Structure } from '../structure';
import { SymbolicTensor, formatShape, type SymbolicShape, type TensorSpec } from '../symbolic_tensor';
import { causalMask } from './multi_head_attention';
import { checkMaskList, checkNamedForm, checkPaddingMask, inputShapesOf, isNamedForm, namedForm, partsOf, type AttentionParts } from './attention_mask_list';
import { layerOptions } from '../layer_options';
import { tooManyArguments } from '../../options/arity';

/** Options of attention. */
export interface AttentionArgs extends LayerArgs {
  /** Learn a scalar that multiplies the scores. Default false. */
  useScale?: boolean;
  /** 'dot' (q·k) or 'concat' (sum of tanh(q + k)). Default 'dot'. */
  scoreMode?: 'dot' | 'concat';
  /** Dropout rate on the attention weights. Default 0. */
  dropout?: number;
  /** Seed of the dropout masks. */
  seed?: number | null;
}

/** Options of the attention layers' apply. */
export interface AttentionCallOptions extends Omit<CallOptions, 'mask'> {
  /**
   * [queryMask, valueMask], boolean [batch, Tq] and [batch, Tv] (Keras's mask=[query_mask,
   * value_mask]); either may be null. Padded queries give zeros, padded values get no weight.
   * (One tensor, as Layer's mask, is refused: the list says which input it masks.)
   */
  mask?: Mask | (Tensor | SymbolicTensor | null)[] | null;
  /** Each query attends only values at or before its position. Default false. */
  useCausalMask?: boolean;
  /** Return [output, weights] with weights [batch, Tq, Tv]. Default false. */
  returnAttentionScores?: boolean;
}

/** The machinery both attention layers share; subclasses compute the scores. */
abstract class BaseAttention extends Layer<any> {
  static readonly callArgKeys = ['useCausalMask', 'returnAttentionScores'] as const;
  /** A node's named inputs that Keras writes as the list mask=[query_mask, value_mask] (functional_config). */
  static readonly maskListKeys: readonly string[] = ['queryMask', 'valueMask'];
  readonly dropout: number;
  readonly seed: number | null;
  private readonly seeds: SeedSequence;
  private applyFlags: CallArgs = {};

  constructor(args: AttentionArgs) {
    super(args);
    const rate = args.dropout ?? 0;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`${this.name}: expected dropout in [0, 1), got ${describe(args.dropout)}`);
    this.dropout = rate;
    this.seed = args.seed ?? null;
    this.seeds = new SeedSequence(this.name, this.seed);
    this.supportsMasking = true;
  }

  /**
   * Applies the layer to [query, value] or [query, value, key]; the mask option is
   * [queryMask, valueMask]. With symbolic inputs the masks become named inputs of the node.
   */
  override apply(inputs: any, options: AttentionCallOptions = {}): any {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    const op = `${this.name}.apply`;
    const { useCausalMask, returnAttentionScores, mask, ...rest } = checkOptions(op, options, 'BaseAttention.apply') as AttentionCallOptions;
    const flags: CallArgs = { ...(useCausalMask ? { useCausalMask } : {}), ...(returnAttentionScores ? { returnAttentionScores } : {}) };
    let args: unknown = inputs;
    let callOptions: CallOptions = rest;
    if (isNamedForm(inputs)) {
      // The stored form, as a functional config replays it.
      checkNamedForm(op, inputs);
      if (mask != null) throw new Error(`${op}: give the masks as queryMask/valueMask in the inputs or as mask, not both`);
    } else if (mask != null) {
      const [queryMask, valueMask] = checkMaskList(op, mask);
      const symbolic = [...(Array.isArray(inputs) ? inputs : [inputs]), queryMask, valueMask].some((x) => x instanceof SymbolicTensor);
      // A symbolic call keeps no mask option: the masks become named inputs, kept in the graph.
      if (!symbolic) callOptions = { ...rest, mask: [queryMask, valueMask] as Mask[] };
      else if (Array.isArray(inputs) && inputs.length >= 2 && inputs.length <= 3) args = namedForm(inputs, queryMask, valueMask);
      else throw new Error(`${op}: expected inputs [query, value] or [query, value, key] beside the mask list, got ${describe(inputs)}`);
    }
    this.applyFlags = flags;
    try {
      return this.applyWithCallArgs(args, callOptions, Object.keys(flags).length ? flags : undefined);
    } finally {
      this.applyFlags = {};
    }
  }

  protected override shapesToBuild(specs: TensorSpec[], structure: Structure): SymbolicShape | SymbolicShape[] {
    if (structure.kind !== 'dict') return super.shapesToBuild(specs, structure);
    return inputShapesOf(Object.fromEntries(structure.keys.map((k, i) => [k, specs[i]])));
  }

  // [query, value, key] shapes, checked: rank 3, one batch, key and value of one length.
  protected shapes(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
    if (!Array.isArray(inputShape[0]) || inputShape.length < 2 || inputShape.length > 3) {
      throw new Error(
        `${this.name}: expected inputs [query, value] or [query, value, key], got ${Array.isArray(inputShape[0]) ? `${inputShape.length} inputs` : `one input of shape ${formatShape(inputShape as SymbolicShape)}`}`,
      );
    }
    const [q, v, k = v] = inputShape as SymbolicShape[];
    for (const [name, s] of [
      ['query', q],
      ['value', v],
      ['key', k],
    ] as const) {
      if (s.length !== 3) throw new Error(`${this.name}: expected ${name} of rank 3 [batch, time, dim], got shape ${formatShape(s)}`);
    }
    if (q[2] !== null && k[2] !== null && q[2] !== k[2])
      throw new Error(`${this.name}: expected query and key of one width, got query ${formatShape(q)} and key ${formatShape(k)}`);
    if (v[1] !== null && k[1] !== null && v[1] !== k[1])
      throw new Error(`${this.name}: expected key and value of one length, got key ${formatShape(k)} and value ${formatShape(v)}`);
    return [q, v, k];
  }

  protected abstract scores(query: Tensor, key: Tensor): Tensor;

  // The parts of a call, the masks checked against their inputs.
  private parts<T extends { shape: SymbolicShape; dtype: string }>(inputs: unknown, mask: unknown): AttentionParts<T> {
    const p = partsOf<T>(inputs, mask);
    if (p.queryMask) checkPaddingMask(this.name, 'query', p.queryMask, p.query.shape);
    if (p.valueMask) checkPaddingMask(this.name, 'value', p.valueMask, p.value.shape);
    return p;
  }

  override call(inputs: Nested<Tensor>, options: CallOptions & CallArgs): Tensor | Tensor[] {
    const { query, value, key, queryMask, valueMask } = this.parts<Tensor>(inputs, options.mask);
    this.shapes([query.shape, value.shape, key.shape]);
    let scores = this.scores(query, key);
    let allowed: Tensor | null = valueMask ? expandDims(valueMask, 1) : null;
    if (options.useCausalMask) {
      const causal = causalMask(query.shape[1], key.shape[1], query.shape[0] === 0 ? 0 : 1);
      allowed = allowed ? logicalAnd(allowed, causal) : causal;
    }
    if (allowed) scores = add(scores, mul(cast(logicalNot(allowed), scores.dtype), largeNegative(scores.dtype)));
    const weights = softmax(scores);
    const dropped = options.training && this.dropout > 0 ? dropoutOp(weights, this.dropout, undefined, this.seeds.next()) : weights;
    let result = matMul(dropped, value);
    // Keras zeroes the output of padded queries.
    if (queryMask) result = where(expandDims(queryMask, -1), result, 0);
    return options.returnAttentionScores ? [result, weights] : result;
  }

  // The output mask is the query mask used (Keras's compute_mask: mask[0]), given or carried.
  protected override callAndComputeMask(
    inputs: Nested<Tensor>,
    options: CallOptions & CallArgs,
    wantMask: boolean,
  ): { outputs: Tensor | Tensor[]; mask: Mask | Mask[] } {
    const outputs = this.call(inputs, options);
    const p = partsOf<Tensor>(inputs, options.mask);
    const mask = wantMask && (p.named || Array.isArray(options.mask)) ? p.queryMask : null;
    return { outputs, mask: Array.isArray(outputs) ? [mask, null] : mask };
  }

  override computeOutputSpec(inputs: Nested<TensorSpec>): Nested<TensorSpec> {
    const { query: q, value: v } = this.parts<TensorSpec>(inputs, undefined);
    const out: TensorSpec = { shape: [q.shape[0], q.shape[1], v.shape[2]], dtype: this.dtype };
    return this.applyFlags.returnAttentionScores ? [out, { shape: [q.shape[0], q.shape[1], v.shape[1]], dtype: this.dtype }] : out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dropout: this.dropout, seed: this.seed };
  }
}

/** Dot-product attention (Keras 3's Attention): softmax(scale · q kᵀ) v. */
export class Attention extends BaseAttention {
  static override className = 'Attention';
  /** Whether a learned scale multiplies the scores. */
  readonly useScale: boolean;
  /** 'dot' (q·k) or 'concat' (sum of tanh(q + k)). */
  readonly scoreMode: 'dot' | 'concat';
  /** The learned scalar scale, when useScale. */
  scale: Variable | null = null;
  /** The learned scalar of 'concat' scores. */
  concatScoreWeight: Variable | null = null;

  constructor(args: AttentionArgs = {}) {
    args = layerOptions(Attention, new.target, args);
    super(args);
    this.useScale = args.useScale ?? false;
    this.scoreMode = args.scoreMode ?? 'dot';
    if (this.scoreMode !== 'dot' && this.scoreMode !== 'concat')
      throw new Error(`${this.name}: expected scoreMode 'dot' or 'concat', got ${describe(args.scoreMode)}`);
  }

  override build(inputShape: SymbolicShape[]): void {
    this.shapes(inputShape);
    if (this.useScale) this.scale = this.addWeight('scale', [], this.dtype, 'ones');
    if (this.scoreMode === 'concat') this.concatScoreWeight = this.addWeight('concat_score_weight', [], this.dtype, 'ones');
  }

  protected scores(query: Tensor, key: Tensor): Tensor {
    if (this.scoreMode === 'dot') {
      const s = matMul(query, key, false, true);
      return this.scale ? mul(s, this.scale) : s;
    }
    const pairs = add(expandDims(query, 2), expandDims(key, 1));
    return mul(this.concatScoreWeight!, sum(tanh(this.scale ? mul(pairs, this.scale) : pairs), -1));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), useScale: this.useScale, scoreMode: this.scoreMode };
  }
}

/** Options of additiveAttention. */
export interface AdditiveAttentionArgs extends LayerArgs {
  /** Learn a per-feature scale of tanh(q + k). Default true. */
  useScale?: boolean;
  /** Dropout rate on the attention weights. Default 0. */
  dropout?: number;
  /** Seed of the dropout masks. */
  seed?: number | null;
}

/** Additive (Bahdanau) attention, Keras 3's AdditiveAttention: scores = Σ scale · tanh(q + k). */
export class AdditiveAttention extends BaseAttention {
  static override className = 'AdditiveAttention';
  /** Whether a learned scale multiplies the scores. */
  readonly useScale: boolean;
  /** [dim], when useScale. */
  scale: Variable | null = null;

  constructor(args: AdditiveAttentionArgs = {}) {
    args = layerOptions(AdditiveAttention, new.target, args);
    super(args);
    this.useScale = args.useScale ?? true;
  }

  override build(inputShape: SymbolicShape[]): void {
    const [, , k] = this.shapes(inputShape);
    if (k[2] === null) throw new Error(`${this.name}: the last dimension of the key must be known, got shape ${formatShape(k)}`);
    if (this.useScale) this.scale = this.addWeight('scale', [k[2]], this.dtype, 'glorotUniform');
  }

  protected scores(query: Tensor, key: Tensor): Tensor {
    const t = tanh(add(expandDims(query, 2), expandDims(key, 1)));
    return sum(this.scale ? mul(t, this.scale) : t, -1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), useScale: this.useScale };
  }
}
