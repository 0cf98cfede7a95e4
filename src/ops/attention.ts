// Scaled dot-product attention composed from existing ops: the reference that the fused
// kernel is tested against, and the path multiHeadAttention takes when attention scores
// are asked for. Masks follow Keras: true = attend; masked logits get a large negative
// number added (so a fully masked row attends uniformly, as in Keras).
import { add, mul, sub } from './binary';
import { cast } from './cast';
import { dropout } from './dropout';
import { notEqual } from './compare';
import { nextSeed, zeros } from '../tensor/creation';
import { matMul } from './matmul';
import { softmax } from './softmax';
import { tidy } from '../tensor/memory';
import { isRecording, runKernel } from '../tensor/run';
import { broadcastShapes, describe, shapesEqual } from '../tensor/shape';
import { FLOAT_DTYPES, checkInputDType } from './convert';
import { reshape } from './reshape';
import { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import { checkOptions } from '../options/check';
import { packAttrs } from '../native/op_attrs';
import { unsupportedSecondOrder } from './second_order';
import { tooManyArguments } from '../options/arity';

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

// q, k, v as float tensors of one dtype and rank >= 2, or an error naming the op.
function attentionOperands(op: string, q: unknown, k: unknown, v: unknown): [Tensor, Tensor, Tensor] {
  const names = ['query', 'key', 'value'];
  const ts = [q, k, v].map((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`${op}: expected ${names[i]} to be a Tensor [..., T, depth], got ${describe(t)}`);
    checkInputDType(op, names[i], t, FLOAT_DTYPES);
    if (t.rank < 2) throw new Error(`${op}: expected ${names[i]} of rank 2 or more [..., T, depth], got shape [${t.shape}]`);
    return t;
  });
  if (ts[1].dtype !== ts[0].dtype || ts[2].dtype !== ts[0].dtype)
    throw new Error(`${op}: expected query, key and value of one dtype, got ${ts.map((t) => t.dtype).join(', ')}`);
  return ts as [Tensor, Tensor, Tensor];
}

/** Keras's _large_negative_number: what a masked logit gets added. */
export function largeNegative(dtype: string): number {
  return dtype === 'float16' ? -3e4 : -1e9;
}

/**
 * softmax(scale q kᵀ + maskAdder) v for q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv];
 * returns the output [..., Tq, dv] and the probabilities [..., Tq, Tk] (before dropout).
 */
export function dotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: DotProductAttentionOptions | null = {},
): { output: Tensor; scores: Tensor } {
  if (arguments.length > 4) throw tooManyArguments('dotProductAttention', 4, arguments.length);
  const op = 'dotProductAttention';
  const [q, k, v] = attentionOperands(op, query, key, value);
  options = checkOptions(op, options, 'dotProductAttention');
  if (options.mask != null && !(options.mask instanceof Tensor)) throw new Error(`${op}: expected mask to be a boolean Tensor, got ${describe(options.mask)}`);
  const depth = q.shape[q.rank - 1];
  if (k.shape[k.rank - 1] !== depth) throw new Error(`${op}: expected query and key of one depth, got [${q.shape}] and [${k.shape}]`);
  if (k.shape[k.rank - 2] !== v.shape[v.rank - 2]) throw new Error(`${op}: expected key and value of one length, got [${k.shape}] and [${v.shape}]`);
  if (options.scale !== undefined && !(typeof options.scale === 'number' && Number.isFinite(options.scale)))
    throw new Error(`${op}: expected scale to be a finite number, got ${describe(options.scale)}`);
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

/** Options of fusedAttention. */
export interface FusedAttentionOptions {
  /** Multiplies the logits; default 1 / sqrt(depth). */
  scale?: number;
  /** Query i attends only keys j <= i. Default false. */
  causal?: boolean;
  /**
   * A key padding mask [batch, Tk] (bool, or numbers where nonzero attends), batch being
   * q's first dimension: masked keys get -1e9 added to their logits, as the composite does.
   */
  keyMask?: Tensor | null;
  /**
   * A query padding mask [batch, Tq] (bool, or numbers where nonzero is a live query): a
   * masked query's row gets -1e9 added to every logit, as the composite's and-ed mask does
   * (it attends every key near-uniformly; Keras zeroes nothing).
   */
  queryMask?: Tensor | null;
  /** Dropout rate on the attention probabilities (only when training). Default 0. */
  dropoutRate?: number;
  /** Seed of the dropout mask: the composite's dropout with this seed drops the same entries. */
  seed?: number;
  /** Whether dropout applies. Default false. */
  training?: boolean;
  /**
   * q, k, v and the output in [batch, T, heads, depth] (Keras's layout, the projections'
   * output) in place of [..., T, depth]: no head transposes around the kernel. Default false.
   */
  headsLast?: boolean;
}

// The most probabilities (batch x heads x Tq x Tk) the CPU forward keeps for the backward:
// 8 MiB of float32, the encoder block's 32 x 4 x 128 x 128 (the backward 37% faster there);
// beyond it the backward recomputes them and memory stays linear in T.
const KEPT_PROBABILITIES_LIMIT = 1 << 21;
let keptProbabilitiesLimit = KEPT_PROBABILITIES_LIMIT;

/**
 * Sets the most probabilities fusedAttention keeps for its backward (0: always recompute);
 * no argument restores the default. For tests of both paths; returns the previous limit.
 */
export function setKeptProbabilitiesLimit(elements: number = KEPT_PROBABILITIES_LIMIT): number {
  if (!(Number.isInteger(elements) && elements >= 0)) throw new Error(`setKeptProbabilitiesLimit: expected an integer >= 0, got ${describe(elements)}`);
  const previous = keptProbabilitiesLimit;
  keptProbabilitiesLimit = elements;
  return previous;
}

// A padding mask as the kernel takes it: [batch, T] in q's dtype, or an empty [0] for none.
function kernelMask(op: string, name: 'keyMask' | 'queryMask', mask: unknown, batch: number, t: number, dtype: DType): Tensor {
  const axis = name === 'keyMask' ? 'Tk' : 'Tq';
  if (mask == null) return zeros([0], dtype);
  if (!(mask instanceof Tensor)) throw new Error(`${op}: expected ${name} to be a Tensor [batch, ${axis}], got ${describe(mask)}`);
  if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== t)
    throw new Error(`${op}: expected ${name} of shape [${batch}, ${t}] ([batch, ${axis}]), got [${mask.shape}]`);
  return cast(mask.dtype === 'bool' ? mask : notEqual(mask, 0), dtype);
}

/**
 * softmax(scale q kᵀ (causal-, key-, query-masked)) v, with dropout on the probabilities, in one
 * tiled kernel with an online softmax: memory grows with T, not T², and the backward
 * recomputes the probabilities. q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv] with one
 * leading shape, or with headsLast q [batch, Tq, heads, d], k [batch, Tk, heads, d],
 * v [batch, Tk, heads, dv] giving [batch, Tq, heads, dv] (the same values, no transposes), on
 * the CPU or CUDA. Equal to dotProductAttention with the same mask, dropout rate and seed.
 * @example fusedAttention(q, k, v, {causal: true, keyMask: padding, queryMask: padding})
 */
export function fusedAttention(query: Tensor, key: Tensor, value: Tensor, options: FusedAttentionOptions | null = {}): Tensor {
  if (arguments.length > 4) throw tooManyArguments('fusedAttention', 4, arguments.length);
  const op = 'fusedAttention';
  const [q, k, v] = attentionOperands(op, query, key, value);
  options = checkOptions(op, options, 'fusedAttention');
  if (options.scale !== undefined && !(typeof options.scale === 'number' && Number.isFinite(options.scale)))
    throw new Error(`${op}: expected scale to be a finite number, got ${describe(options.scale)}`);
  if (options.headsLast !== undefined && typeof options.headsLast !== 'boolean')
    throw new Error(`${op}: expected headsLast to be true or false, got ${describe(options.headsLast)}`);
  const headsLast = options.headsLast === true;
  const { tq, tk, d, dv, lead, heads } = headsLast ? headsLastSizes(op, q, k, v) : headsFirstSizes(op, q, k, v);
  const rate = options.dropoutRate ?? 0;
  if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) throw new Error(`${op}: expected dropoutRate in [0, 1), got ${describe(rate)}`);
  if (options.causal !== undefined && typeof options.causal !== 'boolean')
    throw new Error(`${op}: expected causal to be true or false, got ${describe(options.causal)}`);
  // Depth 0: every logit is 0, whatever the scale (1 / sqrt(0) would make them 0 x inf).
  const scale = options.scale ?? (d > 0 ? 1 / Math.sqrt(d) : 1);
  const dropping = options.training === true && rate > 0;
  const [seed, offset] = dropping ? nextSeed(op, options.seed) : [0, 0];
  const attrs = { scale, causal: options.causal === true, dropoutRate: dropping ? rate : 0, seed, offset, headsLast };
  const n = lead.reduce((a, b) => a * b, 1) * heads;
  // Small enough, the CPU forward keeps the probabilities for the backward to read (no
  // recomputing Q Kᵀ, the exponentials and the dropout mask); only where a tape records.
  const keep = q.device === 'cpu' && isRecording() && n * tq * tk <= keptProbabilitiesLimit;
  const { keyMask, queryMask } = options;
  return tidy(() => {
    const mask = kernelMask(op, 'keyMask', keyMask, lead[0], tk, q.dtype);
    const rowMask = kernelMask(op, 'queryMask', queryMask, lead[0], tq, q.dtype);
    // The kernel's layouts: [N, T, depth], or heads last [batch, T, heads, depth] as they come.
    const shaped = (x: Tensor, t: number, width: number) => (headsLast ? x : reshape(x, [n, t, width]));
    const [q3, k3, v3] = [shaped(q, tq, d), shaped(k, tk, d), shaped(v, tk, dv)];
    const outShape = headsLast ? [lead[0], tq, heads, dv] : [n, tq, dv];
    const [o] = runKernel(
      op,
      'attention_fused',
      [q3, k3, v3, mask, rowMask],
      packAttrs.attention_fused(attrs),
      [
        { shape: outShape, dtype: q.dtype },
        { shape: [n, tq], dtype: q.dtype },
        { shape: keep ? [n, tq, tk] : [0], dtype: q.dtype },
      ],
      {
        save: [q3, k3, v3, mask, rowMask],
        saveOutputs: true,
        // lse and the kept probabilities never leave this function, so they get no gradient:
        // null, not a zero fill of [N, Tq, Tk] every step.
        nullForUnused: true,
        grad: ([dO], [qs, ks, vs, ms, qms, os, lse, probabilities]) =>
          runKernel(
            op,
            'attention_fused_backward',
            [qs, ks, vs, ms, qms, os, lse, probabilities, dO],
            packAttrs.attention_fused_backward(attrs),
            [
              { shape: qs.shape, dtype: qs.dtype },
              { shape: ks.shape, dtype: ks.dtype },
              { shape: vs.shape, dtype: vs.dtype },
            ],
            unsupportedSecondOrder(op, 'attention_fused_backward'),
          ),
      },
    );
    return headsLast ? o : reshape(o, [...lead, tq, dv]);
  });
}

// The sizes of a call: lengths, depths, the leading shape (batch first) and heads (1 where
// the heads are among the leading dimensions).
interface AttentionSizes {
  tq: number;
  tk: number;
  d: number;
  dv: number;
  lead: number[];
  heads: number;
}

// q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv] of one leading shape.
function headsFirstSizes(op: string, q: Tensor, k: Tensor, v: Tensor): AttentionSizes {
  if (q.rank < 3 || k.rank !== q.rank || v.rank !== q.rank)
    throw new Error(`${op}: expected q, k, v of one rank >= 3, got shapes [${q.shape}], [${k.shape}], [${v.shape}]`);
  const lead = q.shape.slice(0, -2);
  if (!shapesEqual(k.shape.slice(0, -2), lead) || !shapesEqual(v.shape.slice(0, -2), lead)) {
    throw new Error(`${op}: expected q, k, v of one leading shape, got [${q.shape}], [${k.shape}], [${v.shape}]`);
  }
  const [tq, d] = q.shape.slice(-2);
  const [tk, dk] = k.shape.slice(-2);
  const [tv, dv] = v.shape.slice(-2);
  if (dk !== d) throw new Error(`${op}: expected q and k of one depth, got [${q.shape}] and [${k.shape}]`);
  if (tv !== tk) throw new Error(`${op}: expected k and v of one length, got [${k.shape}] and [${v.shape}]`);
  return { tq, tk, d, dv, lead, heads: 1 };
}

// headsLast: q [batch, Tq, heads, d], k [batch, Tk, heads, d], v [batch, Tk, heads, dv].
function headsLastSizes(op: string, q: Tensor, k: Tensor, v: Tensor): AttentionSizes {
  if (q.rank !== 4 || k.rank !== 4 || v.rank !== 4)
    throw new Error(`${op}: expected q, k, v of rank 4 [batch, T, heads, depth] (headsLast), got shapes [${q.shape}], [${k.shape}], [${v.shape}]`);
  const [batch, tq, heads, d] = q.shape;
  const [kb, tk, kh, dk] = k.shape;
  const [vb, tv, vh, dv] = v.shape;
  if (kb !== batch || vb !== batch || kh !== heads || vh !== heads)
    throw new Error(
      `${op}: expected q, k, v of one batch and one number of heads (headsLast: [batch, T, heads, depth]), got [${q.shape}], [${k.shape}], [${v.shape}]`,
    );
  if (dk !== d) throw new Error(`${op}: expected q and k of one depth, got [${q.shape}] and [${k.shape}]`);
  if (tv !== tk) throw new Error(`${op}: expected k and v of one length, got [${k.shape}] and [${v.shape}]`);
  return { tq, tk, d, dv, lead: [batch], heads };
}
