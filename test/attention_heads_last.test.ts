// The fused attention kernel in the projections' layout (headsLast: q, k, v and the output
// [batch, T, heads, d], rows of a head strided by heads x d): equal to the composite and
// to the [batch, heads, T, d] layout (the same dropout mask for a seed), values and
// gradients, at odd sizes, T off the tiles, masks, dropout, float32 and float64; finite
// differences; errors; the probabilities kept for the backward when few.
import { dispose, fusedAttention, grads, memory, mul, ones, setNumThreads, getNumThreads, sum, tidy, transpose, zeros, type Tensor } from '../src';
import { setKeptProbabilitiesLimit } from '../src/ops/attention';
import { packAttrs } from '../src/native/op_attrs';
import { runKernel } from '../src/tensor/run';
import { compareAttention, maskFrom } from './helpers/attention_cases';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, randomTensor } from './helpers/reference';

const swap = (x: Tensor) => transpose(x, [0, 2, 1, 3]);
const right = (t: number) => (b: number, i: number) => i < t - 1 - b;
const left = (b: number, i: number) => i > b;
const dead: [number, number] = [1e-6, 1e-7];

describe('fusedAttention headsLast equals the composite (values and the gradients of q, k, v)', () => {
  it.each([1, 2, 7, 33, 127, 129, 130])('T = %i, 3 heads, float64 and float32, causal and not', (t) => {
    for (const dtype of ['float64', 'float32'] as const) {
      compareAttention({ batch: 2, heads: 3, tq: t, tk: t, d: 5, dv: 3, dtype, headsLast: true });
      compareAttention({ batch: 2, heads: 3, tq: t, tk: t, d: 5, dv: 3, dtype, causal: true, headsLast: true });
    }
  });
  it('head dims 1 and 64, value depth apart from the key depth', () => {
    compareAttention({ batch: 1, heads: 4, tq: 130, tk: 130, d: 64, dv: 64, causal: true, headsLast: true });
    compareAttention({ batch: 2, heads: 2, tq: 33, tk: 33, d: 1, dv: 7, headsLast: true });
  });
  it('T = 1025 (not a multiple of the tiles), float32', () => {
    compareAttention({ batch: 1, heads: 2, tq: 1025, tk: 1025, d: 8, dv: 8, causal: true, dtype: 'float32', headsLast: true });
  });
  it('Tq != Tk (cross-attention, causal top-left aligned)', () => {
    compareAttention({ batch: 3, heads: 2, tq: 7, tk: 70, d: 4, dv: 6, headsLast: true });
    compareAttention({ batch: 2, heads: 3, tq: 130, tk: 33, d: 5, dv: 1, causal: true, headsLast: true });
  });
  it('key and query padding masks (one mask row serving every head), dead rows, float64 and float32', () => {
    compareAttention({ batch: 2, heads: 3, tq: 130, tk: 130, d: 5, dv: 3, maskPeriod: 4, causal: true, headsLast: true });
    compareAttention({ batch: 2, heads: 2, tq: 33, tk: 33, d: 4, dv: 4, causal: true, leftPad: 3, tolerance64: dead, headsLast: true });
    for (const dtype of ['float64', 'float32'] as const) {
      compareAttention({
        batch: 2,
        heads: 3,
        tq: 33,
        tk: 33,
        d: 5,
        dv: 3,
        causal: true,
        dtype,
        queries: right(33),
        keys: right(33),
        tolerance64: dead,
        headsLast: true,
      });
      compareAttention({
        batch: 2,
        heads: 2,
        tq: 130,
        tk: 140,
        d: 4,
        dv: 4,
        causal: true,
        dtype,
        queries: left,
        keys: left,
        tolerance64: dead,
        headsLast: true,
      });
    }
  });
  it('dropout with masks: the same entries as the composite with the same seed', () => {
    compareAttention({ batch: 2, heads: 3, tq: 33, tk: 33, d: 5, dv: 3, dropoutRate: 0.3, headsLast: true });
    compareAttention({ batch: 2, heads: 2, tq: 130, tk: 130, d: 8, dv: 8, dropoutRate: 0.5, causal: true, maskPeriod: 3, headsLast: true });
    compareAttention({ batch: 2, heads: 2, tq: 131, tk: 131, d: 8, dv: 8, queries: left, keys: left, dropoutRate: 0.5, dtype: 'float32', headsLast: true });
  });
  it('zero sizes: Tq, Tk, depth, value depth or heads 0', () => {
    compareAttention({ batch: 2, heads: 2, tq: 0, tk: 5, d: 3, dv: 2, causal: true, headsLast: true });
    compareAttention({ batch: 2, heads: 2, tq: 5, tk: 0, d: 3, dv: 2, headsLast: true });
    compareAttention({ batch: 2, heads: 2, tq: 5, tk: 4, d: 0, dv: 2, headsLast: true });
    compareAttention({ batch: 2, heads: 2, tq: 5, tk: 4, d: 3, dv: 0, maskPeriod: 2, headsLast: true });
    const empty = zeros([2, 5, 0, 3]);
    expect(fusedAttention(empty, empty, empty, { headsLast: true }).shape).toEqual([2, 5, 0, 3]);
  });
  it('one row of N over several key tiles with more threads than rows (private dq copies, laid out as dq)', () => {
    const threads = getNumThreads();
    setNumThreads(4);
    try {
      compareAttention({ batch: 1, heads: 2, tq: 300, tk: 300, d: 7, dv: 5, causal: true, maskPeriod: 6, dropoutRate: 0.2, headsLast: true });
      // Causal with Tq < Tk: key tiles past Tq meet no query (their dk, dv are zeros), and
      // a group of key tiles may reach no query tile (its dq copy is zeros).
      for (const headsLast of [false, true]) compareAttention({ batch: 1, heads: 2, tq: 7, tk: 300, d: 4, dv: 3, causal: true, headsLast });
    } finally {
      setNumThreads(threads);
    }
  });
  it('causal with Tq < Tk: the gradients of keys no query reaches are zeros, in both layouts', () => {
    for (const headsLast of [false, true]) compareAttention({ batch: 2, heads: 3, tq: 9, tk: 270, d: 4, dv: 3, causal: true, dropoutRate: 0.3, headsLast });
    const [q, k, v] = [randomTensor([1, 9, 2, 4], 1), randomTensor([1, 270, 2, 4], 2), randomTensor([1, 270, 2, 4], 3)];
    const [, dk, dv] = grads((a: Tensor, b: Tensor, c: Tensor) => sum(fusedAttention(a, b, c, { causal: true, headsLast: true })))([q, k, v]);
    for (const g of [dk, dv]) {
      const data = g.dataSync();
      expect(data.slice(9 * 2 * 4).every((x) => x === 0)).toBe(true);
      expect(data.slice(0, 9 * 2 * 4).some((x) => x !== 0)).toBe(true);
    }
  });
});

describe('fusedAttention headsLast equals the [batch, heads, T, d] layout', () => {
  it('bit for bit, forward and gradients, with masks, causal and dropout (the same Philox mask for a seed)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const [batch, heads, t] = [2, 3, 131];
      const q = randomTensor([batch, t, heads, 8], 1, dtype);
      const k = randomTensor([batch, t, heads, 8], 2, dtype);
      const v = randomTensor([batch, t, heads, 6], 3, dtype);
      const up = randomTensor([batch, t, heads, 6], 4, dtype);
      const keyMask = maskFrom(batch, t, right(t));
      const options = { causal: true, keyMask, queryMask: keyMask, dropoutRate: 0.4, seed: 77, training: true };
      const last = (a: Tensor, b: Tensor, c: Tensor) => fusedAttention(a, b, c, { ...options, headsLast: true });
      const first = (a: Tensor, b: Tensor, c: Tensor) => swap(fusedAttention(swap(a), swap(b), swap(c), options));
      expect(Array.from(last(q, k, v).dataSync())).toEqual(Array.from(first(q, k, v).dataSync()));
      const gl = grads((a: Tensor, b: Tensor, c: Tensor) => sum(mul(last(a, b, c), up)))([q, k, v]);
      const gf = grads((a: Tensor, b: Tensor, c: Tensor) => sum(mul(first(a, b, c), up)))([q, k, v]);
      gl.forEach((g, i) => expect(Array.from(g.dataSync())).toEqual(Array.from(gf[i].dataSync())));
    }
  });
  it('another seed drops other entries', () => {
    const [q, k, v] = [randomTensor([1, 9, 2, 4], 1), randomTensor([1, 9, 2, 4], 2), randomTensor([1, 9, 2, 4], 3)];
    const run = (seed: number) => fusedAttention(q, k, v, { dropoutRate: 0.5, seed, training: true, headsLast: true }).dataSync();
    expect(Array.from(run(3))).not.toEqual(Array.from(run(4)));
    expectClose(run(3), run(3), 0, 0);
  });
});

describe('fusedAttention headsLast gradients', () => {
  it('match finite differences (causal; key and query masks with dropout)', () => {
    const [q, k, v] = [randomTensor([2, 11, 3, 3], 1, 'float64'), randomTensor([2, 11, 3, 3], 2, 'float64'), randomTensor([2, 11, 3, 2], 3, 'float64')];
    gradcheck((a, b, c) => fusedAttention(a, b, c, { causal: true, headsLast: true }), [q, k, v]);
    const queryMask = maskFrom(2, 11, (b, i) => i < 8 + b);
    const keyMask = maskFrom(2, 11, (b, j) => j > b && j < 10);
    const options = { queryMask, keyMask, dropoutRate: 0.3, seed: 5, training: true, headsLast: true };
    gradcheck((a, b, c) => fusedAttention(a, b, c, options), [q, k, v], { eps: 1e-3, rtol: 1e-3, atol: 1e-4 });
  });
});

describe('fusedAttention headsLast errors', () => {
  it('names what was expected and what came', () => {
    const x = randomTensor([2, 5, 3, 4]);
    expect(() => fusedAttention(randomTensor([2, 5, 4]), randomTensor([2, 5, 4]), randomTensor([2, 5, 4]), { headsLast: true })).toThrow(
      /fusedAttention: expected q, k, v of rank 4 \[batch, T, heads, depth\] \(headsLast\), got shapes \[2,5,4\]/,
    );
    expect(() => fusedAttention(x, randomTensor([2, 5, 2, 4]), x, { headsLast: true })).toThrow(
      /fusedAttention: expected q, k, v of one batch and one number of heads/,
    );
    expect(() => fusedAttention(x, randomTensor([1, 5, 3, 4]), x, { headsLast: true })).toThrow(/one batch and one number of heads/);
    expect(() => fusedAttention(x, randomTensor([2, 5, 3, 5]), x, { headsLast: true })).toThrow(/fusedAttention: expected q and k of one depth/);
    expect(() => fusedAttention(x, x, randomTensor([2, 6, 3, 4]), { headsLast: true })).toThrow(/fusedAttention: expected k and v of one length/);
    expect(() => fusedAttention(x, x, x, { headsLast: true, keyMask: ones([3, 5], 'bool') })).toThrow(
      /fusedAttention: expected keyMask of shape \[2, 5\] \(\[batch, Tk\]\), got \[3,5\]/,
    );
    expect(() => fusedAttention(x, x, x, { headsLast: 1 as never })).toThrow(/fusedAttention: expected headsLast to be true or false, got 1/);
  });
  it('the kernel contract checks the heads-last shapes and mask rows (named, expected, got)', () => {
    const [q, k, v] = [randomTensor([2, 3, 2, 4]), randomTensor([2, 5, 2, 4]), randomTensor([2, 5, 2, 4])];
    const attrs = packAttrs.attention_fused({ scale: 0.5, causal: false, dropoutRate: 0, seed: 0, offset: 0, headsLast: true });
    const outs = (o: number[], probabilities: number[]) => [
      { shape: o, dtype: 'float32' as const },
      { shape: [4, 3], dtype: 'float32' as const },
      { shape: probabilities, dtype: 'float32' as const },
    ];
    const call =
      (inputs: Tensor[], o = [2, 3, 2, 4], probabilities = [0]) =>
      () =>
        runKernel('attentionFused', 'attention_fused', inputs, attrs, outs(o, probabilities));
    const none = zeros([0]);
    expect(call([q, k, v, none, none])).not.toThrow();
    expect(call([randomTensor([4, 3, 4]), randomTensor([4, 5, 4]), randomTensor([4, 5, 4]), none, none])).toThrow(
      /attentionFused: expected q, k, v of rank 4 \[B, T, heads, D\] \(heads_last\), got \[4, 3, 4\]/,
    );
    expect(call([q, randomTensor([2, 5, 1, 4]), v, none, none])).toThrow(/attentionFused: expected k of shape \[2, 5, 2, 4\] float32, got \[2, 5, 1, 4\]/);
    expect(call([q, k, v, ones([1, 5]), none])).toThrow(/attentionFused: expected key_mask and query_mask with 2 rows \(q's batch, heads_last\)/);
    expect(call([q, k, v, none, none], [4, 3, 4])).toThrow(/attentionFused: expected output o of shape \[2, 3, 2, 4\]/);
    // The kept probabilities: [N, Tq, Tk] (N = batch x heads) or [0].
    expect(call([q, k, v, none, none], undefined, [4, 3, 5])).not.toThrow();
    expect(call([q, k, v, none, none], undefined, [2, 3, 5])).toThrow(
      /attentionFused: expected output probabilities of shape \[4, 3, 5\] float32, got \[2, 3, 5\]/,
    );
  });
});

describe('fusedAttention keeps the probabilities for the backward when they are few', () => {
  // The bytes live after the forward while a tape records (what the tape saved, the output).
  function heldBytes(limit: number): number {
    const previous = setKeptProbabilitiesLimit(limit);
    try {
      const [q, k, v] = [randomTensor([2, 33, 3, 4], 1), randomTensor([2, 33, 3, 4], 2), randomTensor([2, 33, 3, 4], 3)];
      let held = 0;
      tidy(() => {
        grads((a: Tensor) => {
          const before = memory().numBytes;
          const y = tidy(() => sum(fusedAttention(a, k, v, { causal: true, dropoutRate: 0.2, training: true, headsLast: true })));
          held = memory().numBytes - before;
          return y;
        })([q]);
      });
      dispose([q, k, v]);
      return held;
    } finally {
      setKeptProbabilitiesLimit(previous);
    }
  }
  it('up to the limit the tape holds [batch x heads, Tq, Tk] more; past it, nothing more (the backward recomputes)', () => {
    const probabilities = 2 * 3 * 33 * 33;
    expect(heldBytes(probabilities) - heldBytes(0)).toBe(4 * probabilities);
    expect(heldBytes(probabilities - 1)).toBe(heldBytes(0));
  });
  it('the default limit keeps the encoder block size (32 x 4 x 128 x 128) and not T = 1024 at 4 heads', () => {
    const previous = setKeptProbabilitiesLimit();
    expect(previous).toBe(setKeptProbabilitiesLimit());
    expect(previous).toBeGreaterThanOrEqual(32 * 4 * 128 * 128);
    expect(previous).toBeLessThan(4 * 1024 * 1024);
    expect(() => setKeptProbabilitiesLimit(-1)).toThrow(/setKeptProbabilitiesLimit: expected an integer >= 0, got -1/);
  });
});
