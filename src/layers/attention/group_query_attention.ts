// GroupQueryAttention (Keras 3's keras.layers.GroupQueryAttention, class GroupedQueryAttention):
// multi-head attention whose keys and values have fewer heads than the queries, each
// key/value head shared by numQueryHeads / numKeyValueHeads query heads (Ainslie et al.
// 2023; one key/value head is multi-query attention). Built on MultiHeadAttention: the same
// projections, masks, fused kernel and output projection, with the key/value heads repeated
// (Keras's ops.repeat on the heads axis) before the attention.
import { uniqueLayerName } from '../naming';
import { gather } from '../../ops/gather';
import { tensor } from '../../tensor/creation';
import { Tensor } from '../../tensor/tensor';
import { formatShape, type SymbolicShape } from '../symbolic_tensor';
import { checkPositiveInt } from '../weight_settings';
import { layerOptions } from '../layer_options';
import { MultiHeadAttention, type MultiHeadAttentionArgs, type MultiHeadAttentionCallOptions } from './multi_head_attention';

/** Options of groupQueryAttention. */
export interface GroupQueryAttentionArgs extends Omit<MultiHeadAttentionArgs, 'numHeads' | 'keyDim' | 'valueDim' | 'outputShape' | 'attentionAxes'> {
  /** Size of each head (queries, keys and values). */
  headDim: number;
  /** Number of query heads. */
  numQueryHeads: number;
  /** Number of key and value heads; must divide numQueryHeads (1: multi-query attention). */
  numKeyValueHeads: number;
}

/** Options of groupQueryAttention's apply (Keras's call arguments): multiHeadAttention's. */
export type GroupQueryAttentionCallOptions<T> = MultiHeadAttentionCallOptions<T>;

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
  /** Size of each head. */
  readonly headDim: number;
  /** Number of query heads. */
  readonly numQueryHeads: number;
  /** Number of key and value heads. */
  readonly numKeyValueHeads: number;
  /** Query heads per key/value head. */
  readonly numRepeats: number;

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
    const { headDim: _h, numQueryHeads: _q, numKeyValueHeads: _kv, ...rest } = args;
    // Keras names the layer after its Python class: grouped_query_attention, _1, ...
    super({ ...rest, name: rest.name ?? uniqueLayerName('GroupedQueryAttention'), numHeads: numQueryHeads, keyDim: headDim });
    this.headDim = headDim;
    this.numQueryHeads = numQueryHeads;
    this.numKeyValueHeads = numKeyValueHeads;
    this.numRepeats = numQueryHeads / numKeyValueHeads;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const query = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    if (query.length !== 3) throw new Error(`${this.name}: expected query of rank 3 [batch, time, features], got shape ${formatShape(query)}`);
    super.build(inputShape);
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

  protected override headsConfig(): Record<string, unknown> {
    return {
      headDim: this.headDim,
      numQueryHeads: this.numQueryHeads,
      numKeyValueHeads: this.numKeyValueHeads,
    };
  }
}
