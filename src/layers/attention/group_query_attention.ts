// GroupQueryAttention (Keras 3's keras.layers.GroupQueryAttention, class GroupedQueryAttention):
// multi-head attention whose keys and values have fewer heads than the queries, each
// key/value head shared by numQueryHeads / numKeyValueHeads query heads (Ainslie et al.
// 2023; one key/value head is multi-query attention). Built on MultiHeadAttention: the same
// projections, masks, fused kernel and output projection, with the key/value heads repeated
// (Keras's ops.repeat on the heads axis) before the attention.
import { uniqueLayerName } from '../naming';
import { mul } from '../../ops/binary';
import { gather } from '../../ops/gather';
import { tensor } from '../../tensor/creation';
import { describe } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import { checkOptions } from '../../options/check';
import { tooManyArguments } from '../../options/arity';
import { EinsumDense } from '../einsum_dense';
import type { OutputKind, Outputs } from '../layer';
import { SymbolicTensor, formatShape, type SymbolicShape } from '../symbolic_tensor';
import { checkPositiveInt } from '../weight_settings';
import { layerOptions } from '../layer_options';
import { MultiHeadAttention, buildSublayer, type MultiHeadAttentionArgs, type MultiHeadAttentionCallOptions } from './multi_head_attention';

/** Options of groupQueryAttention. */
export interface GroupQueryAttentionArgs extends Omit<MultiHeadAttentionArgs, 'numHeads' | 'keyDim' | 'valueDim' | 'outputShape' | 'attentionAxes'> {
  /** Size of each head (queries, keys and values). */
  headDim: number;
  /** Number of query heads. */
  numQueryHeads: number;
  /** Number of key and value heads; must divide numQueryHeads (1: multi-query attention). */
  numKeyValueHeads: number;
  /**
   * Each query attends only keys within slidingWindow - 1 positions of its own (a symmetric
   * band; with useCausalMask, the causal sliding window of Mistral). Default null: all keys.
   */
  slidingWindow?: number | null;
  /** Multiply the attention output by sigmoid(a projection of the query) before the output projection (gated attention). Default false. */
  useGate?: boolean;
}

/** Options of groupQueryAttention's apply (Keras's call arguments). */
export interface GroupQueryAttentionCallOptions<T> extends MultiHeadAttentionCallOptions<T> {
  /** The query's padding mask [batch, Tq] (Keras's query_mask); or give mask: [queryMask, valueMask, keyMask]. */
  queryMask?: T | null;
  /** The value's padding mask [batch, Tv] (Keras's value_mask). */
  valueMask?: T | null;
  /** The key's padding mask [batch, Tv] (Keras's key_mask). */
  keyMask?: T | null;
}

/**
 * Grouped-query attention, as Keras 3's GroupQueryAttention: query [batch, Tq, dim] attends
 * value [batch, Tv, dim'] with numQueryHeads query heads and numKeyValueHeads key/value heads;
 * the output has the query's shape.
 * @example
 * const gqa = layers.groupQueryAttention({headDim: 16, numQueryHeads: 8, numKeyValueHeads: 2});
 * const y = gqa.apply(x, {value: x, useCausalMask: true});
 */
export class GroupQueryAttention extends MultiHeadAttention {
  // The class name Keras 3.15 writes in its files (and reads: it refuses 'GroupedQueryAttention',
  // which earlier Keras 3 wrote and Tessera still reads).
  static override className = 'GroupQueryAttention';
  /** The tensors apply takes in its options, in the order of Keras's call(query, value, key, query_mask, ...): a functional model's node kwargs. */
  static override readonly tensorCallArgKeys: readonly string[] = ['value', 'key', 'queryMask', 'valueMask', 'keyMask', 'attentionMask'];
  /** Keras's call takes all of them positionally after the query. */
  static override readonly positionalCallArgKeys: readonly string[] = GroupQueryAttention.tensorCallArgKeys;
  /** Size of each head. */
  readonly headDim: number;
  /** Number of query heads. */
  readonly numQueryHeads: number;
  /** Number of key and value heads. */
  readonly numKeyValueHeads: number;
  /** Query heads per key/value head. */
  readonly numRepeats: number;
  /** The band each query attends within (null: none). */
  readonly slidingWindow: number | null;
  /** Whether a sigmoid gate of the query multiplies the attention output. */
  readonly useGate: boolean;
  /** The gate's projection [dQuery, numQueryHeads, headDim] (sigmoid), when useGate. */
  gateDense: EinsumDense | null = null;

  constructor(args: GroupQueryAttentionArgs) {
    args = layerOptions(GroupQueryAttention, new.target, args);
    // Checked before MultiHeadAttention sees them, so errors name these options.
    const who = typeof args?.name === 'string' ? args.name : 'GroupQueryAttention';
    const headDim = checkPositiveInt(who, 'headDim', args?.headDim);
    const numQueryHeads = checkPositiveInt(who, 'numQueryHeads', args.numQueryHeads);
    const numKeyValueHeads = checkPositiveInt(who, 'numKeyValueHeads', args.numKeyValueHeads);
    if (numQueryHeads % numKeyValueHeads !== 0)
      throw new Error(
        `${who}: expected numQueryHeads to be a multiple of numKeyValueHeads, got numQueryHeads ${numQueryHeads} and numKeyValueHeads ${numKeyValueHeads}`,
      );
    const { headDim: _h, numQueryHeads: _q, numKeyValueHeads: _kv, slidingWindow, useGate, ...rest } = args;
    // Keras names the layer after its Python class: grouped_query_attention, _1, ...
    super({ ...rest, name: rest.name ?? uniqueLayerName('GroupedQueryAttention'), numHeads: numQueryHeads, keyDim: headDim });
    this.headDim = headDim;
    this.numQueryHeads = numQueryHeads;
    this.numKeyValueHeads = numKeyValueHeads;
    this.numRepeats = numQueryHeads / numKeyValueHeads;
    this.slidingWindow = slidingWindow == null ? null : checkPositiveInt(this.name, 'slidingWindow', slidingWindow);
    if (useGate !== undefined && typeof useGate !== 'boolean') throw new Error(`${this.name}: expected useGate to be true or false, got ${describe(useGate)}`);
    this.useGate = useGate ?? false;
  }

  /**
   * Applies attention of `query` to `options.value` (default: the query). Padding masks come
   * as queryMask / valueMask / keyMask (Keras's call arguments) or as mask [query, value, key].
   */
  override apply(query: SymbolicTensor, options?: GroupQueryAttentionCallOptions<SymbolicTensor>): Outputs<SymbolicTensor, OutputKind>;
  override apply(query: Tensor, options?: GroupQueryAttentionCallOptions<Tensor>): Outputs<Tensor, OutputKind>;
  override apply(query: any, options: any = {}): any {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    const { queryMask, valueMask, keyMask, ...rest } = checkOptions(
      `${this.name}.apply`,
      options,
      'GroupQueryAttention.apply',
    ) as GroupQueryAttentionCallOptions<Tensor>;
    const given = { queryMask, valueMask, keyMask };
    if (queryMask == null && valueMask == null && keyMask == null) return super.apply(query, rest);
    if (rest.mask !== undefined) throw new Error(`${this.name}.apply: give the padding masks as queryMask/valueMask/keyMask or as mask, not both`);
    if (!(query instanceof Tensor) && !(query instanceof SymbolicTensor)) return super.apply(query, rest); // its error names the query
    // The masks travel as named inputs, so a functional model keeps them (and writes them as kwargs).
    const { value, key, attentionMask, mask: _m, training, ...flags } = rest;
    const parts: Record<string, unknown> = { query, value: value ?? query };
    for (const [k, v] of Object.entries({ key, ...given, attentionMask }) as [string, unknown][]) {
      if (v == null) continue;
      if (!(v instanceof Tensor) && !(v instanceof SymbolicTensor))
        throw new Error(`${this.name}.apply: expected ${k} to be a Tensor or SymbolicTensor, got ${describe(v)}`);
      parts[k] = v;
    }
    return super.apply(parts as never, { ...flags, training });
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const query = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    if (query.length !== 3) throw new Error(`${this.name}: expected query of rank 3 [batch, time, features], got shape ${formatShape(query)}`);
    super.build(inputShape);
    if (!this.useGate) return;
    // Keras's gate: the query's projection like query's own, through a sigmoid.
    this.gateDense = new EinsumDense({
      ...this.weightArgs,
      dtype: this.dtype,
      name: 'gate',
      equation: 'abc,cde->abde',
      outputShape: [null, this.numQueryHeads, this.headDim],
      biasAxes: this.useBias ? 'de' : null,
      activation: 'sigmoid',
    });
    buildSublayer(this.gateDense, query);
  }

  protected override get keyValueHeads(): number {
    return this.numKeyValueHeads;
  }

  // [B, T, kvHeads, d] -> [B, T, queryHeads, d], each key/value head numRepeats times in a row.
  protected override toQueryHeads(x: Tensor): Tensor {
    if (this.numRepeats === 1) return x;
    const heads = Array.from({ length: this.numQueryHeads }, (_, i) => Math.floor(i / this.numRepeats));
    return gather(x, tensor(heads, [this.numQueryHeads], 'int32'), 2);
  }

  protected override beforeOutput(query: Tensor, heads: Tensor): Tensor {
    return this.gateDense ? mul(heads, this.gateDense.apply(query) as Tensor) : heads;
  }

  protected override attentionWindow(): number | null {
    return this.slidingWindow;
  }

  protected override headsConfig(): Record<string, unknown> {
    return {
      headDim: this.headDim,
      numQueryHeads: this.numQueryHeads,
      numKeyValueHeads: this.numKeyValueHeads,
      slidingWindow: this.slidingWindow,
      useGate: this.useGate,
    };
  }
}
