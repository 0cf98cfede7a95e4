// The fused attention kernel's comparison against the composite reference
// (dotProductAttention), shared by the tests of its two layouts: a case's random q, k, v,
// masks and dropout; the fused kernel's values and gradients of q, k, v against the
// composite's with the and-ed mask Keras builds; the backward with the probabilities kept
// by the forward and recomputed.
import { dotProductAttention, fusedAttention, grads, logicalAnd, mul, reshape, sum, tensor, transpose, type Tensor } from '../../src';
import { setKeptProbabilitiesLimit } from '../../src/ops/attention';
import { expectClose, randomTensor } from './reference';

export interface Case {
  batch: number;
  tq: number;
  tk: number;
  d: number;
  dv: number;
  causal?: boolean;
  dtype?: 'float32' | 'float64';
  /** Heads: q is [batch, heads, T, d] (rank 4) when given, else [batch, T, d]. */
  heads?: number;
  /** With heads: q, k, v and the output are [batch, T, heads, d], the kernel's headsLast. */
  headsLast?: boolean;
  /** A key padding mask [batch, Tk] with these keys of each row masked (j % period === 0). */
  maskPeriod?: number;
  dropoutRate?: number;
  /** Left padding: the first leftPad + b keys of row b masked. */
  leftPad?: number;
  /** A key padding mask [batch, Tk]: whether key j of row b is attended (before maskPeriod / leftPad). */
  keys?: (b: number, j: number) => boolean;
  /** A query padding mask [batch, Tq]: whether query i of row b is live. */
  queries?: (b: number, i: number) => boolean;
  /** float64 tolerances (a dead row's logits sit near -1e9, where an ulp is 1.2e-7). */
  tolerance64?: [number, number];
}

// [batch, Tk] bool: key j of row b masked when (j + b + 1) % period === 0.
export function keyMaskOf(batch: number, tk: number, period: number): Tensor {
  return tensor(
    Array.from({ length: batch * tk }, (_, i) => (Math.floor(i / tk) + (i % tk) + 1) % period !== 0),
    [batch, tk],
    'bool',
  );
}

// [batch, T] bool from a predicate of (row, position).
export function maskFrom(batch: number, t: number, f: (b: number, i: number) => boolean): Tensor {
  return tensor(
    Array.from({ length: batch * t }, (_, e) => f(Math.floor(e / t), e % t)),
    [batch, t],
    'bool',
  );
}

// The composite's mask for the same case, as Keras ands it: the query mask [batch, (1,) Tq, 1],
// the key mask [batch, (1,) 1, Tk] and the causal [1, Tq, Tk].
function compositeMask(c: Case, keyMask: Tensor | null, queryMask: Tensor | null = null): Tensor | null {
  const lead = c.heads ? [c.batch, 1, 1] : [c.batch, 1];
  const causal = c.causal
    ? tensor(
        Array.from({ length: c.tq * c.tk }, (_, i) => Math.floor(i / c.tk) >= i % c.tk),
        [1, c.tq, c.tk],
        'bool',
      )
    : null;
  const padding = keyMask ? reshape(keyMask, [...lead, c.tk]) : null;
  const rows = queryMask ? reshape(queryMask, [...lead.slice(0, -1), c.tq, 1]) : null;
  const and = (a: Tensor | null, b: Tensor | null) => (a && b ? logicalAnd(a, b) : (a ?? b));
  return and(and(rows, padding), causal);
}

export function compareAttention(c: Case): void {
  const dtype = c.dtype ?? 'float64';
  if (c.headsLast && !c.heads) throw new Error('compareAttention: headsLast needs heads');
  // [batch, (heads,) T, width], or headsLast [batch, T, heads, width].
  const shape = (t: number, width: number) => (c.headsLast ? [c.batch, t, c.heads!, width] : c.heads ? [c.batch, c.heads, t, width] : [c.batch, t, width]);
  const q = randomTensor(shape(c.tq, c.d), c.tq + 1, dtype);
  const k = randomTensor(shape(c.tk, c.d), c.tk + 2, dtype);
  const v = randomTensor(shape(c.tk, c.dv), c.tk + 3, dtype);
  const up = randomTensor(shape(c.tq, c.dv), 5, dtype);
  const keyMask = c.keys
    ? maskFrom(c.batch, c.tk, c.keys)
    : c.leftPad
      ? tensor(
          Array.from({ length: c.batch * c.tk }, (_, i) => i % c.tk >= c.leftPad! + Math.floor(i / c.tk)),
          [c.batch, c.tk],
          'bool',
        )
      : c.maskPeriod
        ? keyMaskOf(c.batch, c.tk, c.maskPeriod)
        : null;
  const queryMask = c.queries ? maskFrom(c.batch, c.tq, c.queries) : null;
  const mask = compositeMask(c, keyMask, queryMask);
  const rate = c.dropoutRate ?? 0;
  const drop = { dropoutRate: rate, seed: 1234, training: rate > 0 };
  // The composite takes [batch, heads, T, width]: headsLast swaps T and heads around it.
  const swap = (x: Tensor) => (c.headsLast ? transpose(x, [0, 2, 1, 3]) : x);
  const reference = (a: Tensor, b: Tensor, x: Tensor) => swap(dotProductAttention(swap(a), swap(b), swap(x), { mask, ...drop }).output);
  const headsLast = c.headsLast ?? false;
  const fused = (a: Tensor, b: Tensor, x: Tensor) => fusedAttention(a, b, x, { causal: c.causal ?? false, keyMask, queryMask, headsLast, ...drop });
  const [rtol, atol] = dtype === 'float64' ? (c.tolerance64 ?? [1e-9, 1e-11]) : [2e-4, 2e-5];
  expectClose(fused(q, k, v).dataSync(), reference(q, k, v).dataSync(), rtol, atol);
  const gr = grads((a: Tensor, b: Tensor, x: Tensor) => sum(mul(reference(a, b, x), up)))([q, k, v]);
  // The backward both ways: reading the probabilities the forward kept (within the default
  // limit) and recomputing them (limit 0).
  for (const limit of [c.tq * c.tk * c.batch * (c.heads ?? 1), 0]) {
    const previous = setKeptProbabilitiesLimit(limit);
    try {
      const gf = grads((a: Tensor, b: Tensor, x: Tensor) => sum(mul(fused(a, b, x), up)))([q, k, v]);
      gf.forEach((g, i) => expectClose(g.dataSync(), gr[i].dataSync(), rtol * 10, atol * 10));
    } finally {
      setKeptProbabilitiesLimit(previous);
    }
  }
}
