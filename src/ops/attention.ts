// Scaled dot-product attention composed from existing ops: the reference that the fused
// kernel is tested against, and the path multiHeadAttention takes when attention scores
// are asked for. Masks follow Keras: true = attend; masked logits get a large negative
// number added (so a fully masked row attends uniformly, as in Keras).
import { add, mul, sub } from './binary';
import { cast } from './cast';
import { dropout } from './dropout';
import { matMul } from './matmul';
import { softmax } from './softmax';
import { broadcastShapes, describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/** Options of dotProductAttention. */
export interface DotProductAttentionOptions {
  /** Boolean, broadcastable to [batch, heads, Tq, Tk]: true where a query may attend a key. */
  mask?: Tensor | null;
  /** Multiplies the logits; default 1 / sqrt(depth). */
  scale?: number;
  /** Dropout rate on the attention probabilities (only when training). Default 0. */
  dropoutRate?: number;
  /** Seed of the dropout mask. */
  seed?: number;
  /** Whether dropout applies. Default false. */
  training?: boolean;
}

/** Keras's _large_negative_number: what a masked logit gets added. */
export function largeNegative(dtype: string): number {
  return dtype === 'float16' ? -3e4 : -1e9;
}

/**
 * softmax(scale q kᵀ + maskAdder) v for q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv];
 * returns the output [..., Tq, dv] and the probabilities [..., Tq, Tk] (before dropout).
 */
export function dotProductAttention(q: Tensor, k: Tensor, v: Tensor, options: DotProductAttentionOptions = {}): { output: Tensor; scores: Tensor } {
  const op = 'dotProductAttention';
  const depth = q.shape[q.rank - 1];
  if (k.shape[k.rank - 1] !== depth) throw new Error(`${op}: expected query and key of one depth, got [${q.shape}] and [${k.shape}]`);
  if (k.shape[k.rank - 2] !== v.shape[v.rank - 2]) throw new Error(`${op}: expected key and value of one length, got [${k.shape}] and [${v.shape}]`);
  const scale = options.scale ?? 1 / Math.sqrt(depth);
  let logits = matMul(scale === 1 ? q : mul(q, scale), k, false, true);
  const mask = options.mask ?? null;
  if (mask !== null) {
    broadcastShapes(op, mask.shape, logits.shape);
    if (mask.rank > logits.rank) throw new Error(`${op}: the mask of shape [${mask.shape}] has more dimensions than the logits [${logits.shape}]`);
    logits = add(logits, mul(sub(1, cast(mask, logits.dtype)), largeNegative(logits.dtype)));
  }
  const scores = softmax(logits);
  const rate = options.dropoutRate ?? 0;
  if (!(rate >= 0 && rate < 1)) throw new Error(`${op}: expected dropoutRate in [0, 1), got ${describe(rate)}`);
  const dropped = options.training && rate > 0 ? dropout(scores, rate, undefined, options.seed) : scores;
  return { output: matMul(dropped, v), scores };
}
