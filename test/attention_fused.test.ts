// The fused attention kernel (online softmax, tiled, GEMM tiles) against the composite
// reference (dotProductAttention): forward and every gradient at odd lengths (on and off
// the tiles), head dims 1, 5, 64, causal and not, Tq != Tk, key and query padding masks
// (rows that attend nothing, anywhere in a tile), dropout (the composite with the same seed
// drops the same entries, forward and backward); finite differences; multiHeadAttention's
// fused path equal to its composite path (Embedding maskZero included); errors.
import {
  dotProductAttention,
  fusedAttention,
  grads,
  input,
  layers,
  model,
  mul,
  ones,
  reshape,
  sum,
  tensor,
  tidy,
  variableGrads,
  zeros,
  type SymbolicTensor,
  type Tensor,
} from '../src';
import { packAttrs } from '../src/native/op_attrs';
import { runKernel } from '../src/tensor/run';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, randomTensor } from './helpers/reference';
import { expectNoLeaks } from './helpers/memory';
import { compareAttention, keyMaskOf, maskFrom } from './helpers/attention_cases';

describe('fusedAttention equals the composite (values and the gradients of q, k, v)', () => {
  it.each([1, 2, 7, 31, 33, 63, 64, 65, 100, 129, 130])('T = %i, float64, causal and not', (t) => {
    compareAttention({ batch: 2, tq: t, tk: t, d: 5, dv: 3 });
    compareAttention({ batch: 2, tq: t, tk: t, d: 5, dv: 3, causal: true });
  });
  it.each([1, 5, 64])('head dim %i, T = 33 and 130, rank 4 [B, H, T, d]', (d) => {
    compareAttention({ batch: 2, heads: 3, tq: 33, tk: 33, d, dv: d, causal: true });
    compareAttention({ batch: 1, heads: 2, tq: 130, tk: 130, d, dv: d });
  });
  it('one row of N over several key tiles (the backward splits the keys between threads)', () => {
    compareAttention({ batch: 1, tq: 300, tk: 300, d: 7, dv: 5, causal: true, maskPeriod: 6, dropoutRate: 0.2 });
    compareAttention({ batch: 1, tq: 33, tk: 600, d: 3, dv: 4 });
  });
  it('zero sizes: Tq, Tk, depth or value depth 0', () => {
    compareAttention({ batch: 2, tq: 0, tk: 5, d: 3, dv: 2, causal: true });
    compareAttention({ batch: 2, tq: 5, tk: 0, d: 3, dv: 2 });
    compareAttention({ batch: 2, tq: 5, tk: 4, d: 0, dv: 2 });
    compareAttention({ batch: 2, tq: 5, tk: 4, d: 3, dv: 0, maskPeriod: 2 });
  });
  it('T = 1025 (not a multiple of the tiles), float32, causal and not', () => {
    compareAttention({ batch: 1, tq: 1025, tk: 1025, d: 8, dv: 8, causal: true, dtype: 'float32' });
    compareAttention({ batch: 1, tq: 1025, tk: 1025, d: 4, dv: 4, dtype: 'float32' });
  });
  it('Tq != Tk (cross-attention, causal top-left aligned as Keras)', () => {
    compareAttention({ batch: 3, tq: 7, tk: 70, d: 4, dv: 6 });
    compareAttention({ batch: 3, tq: 70, tk: 7, d: 4, dv: 6, causal: true });
    compareAttention({ batch: 2, heads: 3, tq: 130, tk: 33, d: 5, dv: 1, causal: true });
    compareAttention({ batch: 2, heads: 3, tq: 1, tk: 130, d: 64, dv: 5 });
  });
  it('a key padding mask, with and without causal, one mask row serving every head', () => {
    compareAttention({ batch: 2, tq: 33, tk: 33, d: 5, dv: 3, maskPeriod: 3 });
    compareAttention({ batch: 2, heads: 3, tq: 130, tk: 130, d: 5, dv: 3, maskPeriod: 4, causal: true });
    compareAttention({ batch: 3, heads: 2, tq: 7, tk: 130, d: 1, dv: 64, maskPeriod: 2 });
    compareAttention({ batch: 2, heads: 2, tq: 130, tk: 130, d: 3, dv: 3, maskPeriod: 7, causal: true });
    compareAttention({ batch: 2, tq: 200, tk: 200, d: 16, dv: 16, maskPeriod: 5, causal: true, dtype: 'float32' });
  });
  it('left padding with causal: rows that see only padding attend every key, as the composite', () => {
    compareAttention({ batch: 2, tq: 33, tk: 33, d: 5, dv: 3, causal: true, leftPad: 3, tolerance64: [1e-6, 1e-7] });
    compareAttention({ batch: 2, heads: 2, tq: 130, tk: 130, d: 4, dv: 4, causal: true, leftPad: 70, tolerance64: [1e-6, 1e-7] });
    compareAttention({ batch: 2, tq: 9, tk: 9, d: 4, dv: 4, causal: true, leftPad: 8, dropoutRate: 0.3, tolerance64: [1e-6, 1e-7] });
    compareAttention({ batch: 2, tq: 200, tk: 200, d: 8, dv: 8, causal: true, leftPad: 100, dtype: 'float32' });
  });
  it('a fully masked row attends uniformly, as the composite does (-1e9 added, not -inf)', () => {
    const keyMask = tensor([false, false, false, true, true, true], [2, 3], 'bool');
    const [q, k, v] = [randomTensor([2, 4, 3], 1), randomTensor([2, 3, 3], 2), randomTensor([2, 3, 2], 3)];
    const fused = fusedAttention(q, k, v, { keyMask }).dataSync();
    const composite = dotProductAttention(q, k, v, { mask: reshape(keyMask, [2, 1, 3]) }).output.dataSync();
    expectClose(fused, composite, 1e-5, 1e-6);
    expect(Number.isFinite(fused[0])).toBe(true);
  });
  it('dropout: the same entries as the composite with the same seed, in the forward and the backward', () => {
    compareAttention({ batch: 2, tq: 33, tk: 33, d: 5, dv: 3, dropoutRate: 0.3 });
    compareAttention({ batch: 2, heads: 2, tq: 130, tk: 130, d: 8, dv: 8, dropoutRate: 0.5, causal: true, maskPeriod: 3 });
    compareAttention({ batch: 1, tq: 7, tk: 130, d: 64, dv: 5, dropoutRate: 0.1, dtype: 'float32' });
  });
  it('dropout rate 0, or not training, is no dropout; the seed picks the mask', () => {
    const [q, k, v] = [randomTensor([2, 9, 4]), randomTensor([2, 9, 4]), randomTensor([2, 9, 4])];
    const plain = fusedAttention(q, k, v).dataSync();
    expect(Array.from(fusedAttention(q, k, v, { dropoutRate: 0, training: true }).dataSync())).toEqual(Array.from(plain));
    expect(Array.from(fusedAttention(q, k, v, { dropoutRate: 0.5, seed: 3 }).dataSync())).toEqual(Array.from(plain));
    const a = fusedAttention(q, k, v, { dropoutRate: 0.5, seed: 3, training: true }).dataSync();
    const b = fusedAttention(q, k, v, { dropoutRate: 0.5, seed: 4, training: true }).dataSync();
    expect(Array.from(a)).not.toEqual(Array.from(plain));
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });
  it('gradients match finite differences (causal; key mask and dropout)', () => {
    const [q, k, v] = [randomTensor([2, 37, 3], 1, 'float64'), randomTensor([2, 37, 3], 2, 'float64'), randomTensor([2, 37, 2], 3, 'float64')];
    gradcheck((a, b, c) => fusedAttention(a, b, c, { causal: true }), [q, k, v]);
    const keyMask = keyMaskOf(2, 37, 3);
    gradcheck((a, b, c) => fusedAttention(a, b, c, { keyMask, dropoutRate: 0.4, seed: 9, training: true }), [q, k, v]);
  });
  it('does not leak', () => {
    const [q, k, v] = [randomTensor([2, 40, 4]), randomTensor([2, 40, 4]), randomTensor([2, 40, 4])];
    const keyMask = keyMaskOf(2, 40, 3);
    expectNoLeaks(() => tidy(() => void grads((a: Tensor) => sum(fusedAttention(a, k, v, { causal: true, keyMask, dropoutRate: 0.2, training: true })))([q])));
  });
  it('rejects bad input', () => {
    expect(() => fusedAttention(randomTensor([2, 3, 4]), randomTensor([2, 3, 5]), randomTensor([2, 3, 4]))).toThrow(
      /fusedAttention: expected q and k of one depth/,
    );
    expect(() => fusedAttention(randomTensor([2, 3, 4]), randomTensor([2, 3, 4]), randomTensor([2, 5, 4]))).toThrow(/k and v of one length/);
    expect(() => fusedAttention(randomTensor([2, 3, 4]), randomTensor([3, 3, 4]), randomTensor([3, 3, 4]))).toThrow(/one leading shape/);
    const [q, k, v] = [randomTensor([2, 3, 4]), randomTensor([2, 5, 4]), randomTensor([2, 5, 4])];
    expect(() => fusedAttention(q, k, v, { keyMask: keyMaskOf(2, 3, 2) })).toThrow(
      /fusedAttention: expected keyMask of shape \[2, 5\] \(\[batch, Tk\]\), got \[2,3\]/,
    );
    expect(() => fusedAttention(q, k, v, { keyMask: [1, 0] as never })).toThrow(/fusedAttention: expected keyMask to be a Tensor/);
    expect(() => fusedAttention(q, k, v, { dropoutRate: 1 })).toThrow(/fusedAttention: expected dropoutRate in \[0, 1\), got 1/);
    expect(() => fusedAttention(q, k, v, { causal: 1 as never })).toThrow(/fusedAttention: expected causal to be true or false/);
    expect(() => fusedAttention(q, k, v, { mask: null } as never)).toThrow(/fusedAttention/);
  });
});

describe("fusedAttention with a query padding mask equals the composite (Keras's and-ed mask)", () => {
  // Right padding: the last b + 1 positions of row b are padding (queries and keys alike
  // in self-attention after Embedding maskZero); left padding: the first b + 1.
  const right = (t: number) => (b: number, i: number) => i < t - 1 - b;
  const left = (b: number, i: number) => i > b;
  const dead: [number, number] = [1e-6, 1e-7];
  it.each([1, 33, 130])('T = %i, right padding of queries and keys, causal and not, float64 and float32', (t) => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const causal of [false, true])
        compareAttention({ batch: 2, tq: t, tk: t, d: 5, dv: 3, causal, dtype, queries: right(t), keys: right(t), tolerance64: dead });
    }
  });
  it.each([1, 33, 130])('T = %i, left padding with causal (dead rows first), float64 and float32', (t) => {
    compareAttention({ batch: 2, tq: t, tk: t, d: 4, dv: 4, causal: true, queries: left, keys: left, tolerance64: dead });
    compareAttention({ batch: 2, tq: t, tk: t, d: 4, dv: 4, causal: true, queries: left, keys: left, dtype: 'float32' });
    compareAttention({ batch: 2, heads: 2, tq: t, tk: t, d: 3, dv: 5, queries: left, tolerance64: dead });
  });
  it('masked queries scattered inside the tiles, without a key mask, rank 4 [B, H, T, d]', () => {
    const scattered = (b: number, i: number) => (i + b) % 4 !== 0;
    compareAttention({ batch: 2, heads: 3, tq: 33, tk: 33, d: 4, dv: 4, queries: scattered, tolerance64: dead });
    compareAttention({ batch: 2, heads: 3, tq: 130, tk: 130, d: 4, dv: 4, causal: true, queries: scattered, tolerance64: dead });
    compareAttention({
      batch: 1,
      heads: 2,
      tq: 300,
      tk: 300,
      d: 7,
      dv: 5,
      causal: true,
      queries: scattered,
      keys: right(300),
      dropoutRate: 0.2,
      tolerance64: dead,
    });
    compareAttention({ batch: 2, tq: 200, tk: 200, d: 8, dv: 8, causal: true, queries: scattered, maskPeriod: 5, dtype: 'float32' });
  });
  it('Tq != Tk (cross-attention; causal top-left aligned)', () => {
    compareAttention({ batch: 3, tq: 7, tk: 70, d: 4, dv: 6, queries: right(7), keys: right(70), tolerance64: dead });
    compareAttention({ batch: 3, tq: 70, tk: 7, d: 4, dv: 6, causal: true, queries: right(70), keys: left, tolerance64: dead });
    compareAttention({ batch: 2, heads: 3, tq: 130, tk: 33, d: 5, dv: 1, causal: true, queries: left, tolerance64: dead });
    compareAttention({ batch: 2, heads: 3, tq: 1, tk: 130, d: 8, dv: 5, queries: () => true, keys: right(130), dtype: 'float32' });
  });
  it('rows whose keys are all masked, and rows of masked queries, attend every key as the composite (float64 and float32)', () => {
    // Row 0: every query masked; row 1: every key masked; row 2: both; row 3: nothing masked.
    const queries = (b: number) => b !== 0 && b !== 2;
    const keys = (b: number) => b !== 1 && b !== 2;
    for (const dtype of ['float64', 'float32'] as const) {
      for (const causal of [false, true]) {
        compareAttention({ batch: 4, tq: 9, tk: 9, d: 4, dv: 3, causal, queries, keys, dtype, tolerance64: dead });
        compareAttention({ batch: 4, tq: 130, tk: 140, d: 4, dv: 3, causal, queries, keys, dtype, tolerance64: dead });
      }
    }
  });
  it('dropout with query and key masks: the same entries as the composite with the same seed', () => {
    compareAttention({ batch: 2, tq: 33, tk: 33, d: 5, dv: 3, causal: true, queries: right(33), keys: right(33), dropoutRate: 0.3, tolerance64: dead });
    compareAttention({ batch: 2, heads: 2, tq: 130, tk: 130, d: 8, dv: 8, queries: left, keys: left, dropoutRate: 0.5, dtype: 'float32' });
  });
  it('gradients match finite differences (query mask with causal, key mask and dropout)', () => {
    // A masked query's logits pass through -1e9 (float64 ulp 1.2e-7 there): a wider step.
    const fd = { eps: 1e-3, rtol: 1e-3, atol: 1e-4 };
    const [q, k, v] = [randomTensor([2, 9, 3], 1, 'float64'), randomTensor([2, 9, 3], 2, 'float64'), randomTensor([2, 9, 2], 3, 'float64')];
    const queryMask = maskFrom(2, 9, (b, i) => i < 6 + b);
    const keyMask = maskFrom(2, 9, (b, j) => j > b && j < 8);
    gradcheck((a, b, c) => fusedAttention(a, b, c, { causal: true, queryMask, keyMask }), [q, k, v], fd);
    gradcheck((a, b, c) => fusedAttention(a, b, c, { queryMask, keyMask, dropoutRate: 0.3, seed: 5, training: true }), [q, k, v], fd);
  });
  it('the kernel contract rejects masks that do not fit q, k, v (named, expected, got)', () => {
    const [q, k, v] = [randomTensor([2, 3, 4]), randomTensor([2, 5, 4]), randomTensor([2, 5, 4])];
    const attrs = packAttrs.attention_fused({ scale: 0.5, causal: false, dropoutRate: 0, seed: 0, offset: 0, headsLast: false });
    const outs = [
      { shape: [2, 3, 4], dtype: 'float32' as const },
      { shape: [2, 3], dtype: 'float32' as const },
      { shape: [0], dtype: 'float32' as const },
    ];
    const call = (keyMask: Tensor, queryMask: Tensor) => () => runKernel('attentionFused', 'attention_fused', [q, k, v, keyMask, queryMask], attrs, outs);
    const none = zeros([0]);
    expect(call(none, ones([2, 5]))).toThrow(
      /attentionFused: expected query_mask of shape \[B, 3\] \(Tq = 3\) with B dividing 2 \(or \[0\] for none\), got \[2, 5\]/,
    );
    expect(call(ones([2, 3]), none)).toThrow(/attentionFused: expected key_mask of shape \[B, 5\] \(Tk = 5\)/);
    expect(call(ones([2, 5]), ones([1, 3]))).toThrow(/attentionFused: expected key_mask and query_mask of one batch size, got \[2, 5\] and \[1, 3\]/);
    expect(call(none, ones([2, 3], 'float64'))).toThrow(/attentionFused: expected query_mask of dtype float32, got float64/);
  });
  it('rejects a query mask of the wrong shape or kind', () => {
    const [q, k, v] = [randomTensor([2, 3, 4]), randomTensor([2, 5, 4]), randomTensor([2, 5, 4])];
    expect(() => fusedAttention(q, k, v, { queryMask: maskFrom(2, 5, () => true) })).toThrow(
      /fusedAttention: expected queryMask of shape \[2, 3\] \(\[batch, Tq\]\), got \[2,5\]/,
    );
    expect(() => fusedAttention(q, k, v, { queryMask: [true] as never })).toThrow(/fusedAttention: expected queryMask to be a Tensor \[batch, Tq\]/);
  });
});

describe('multiHeadAttention on the fused kernel', () => {
  it('gives what the composite path gives (causal self-attention), values and gradients', () => {
    const fused = layers.multiHeadAttention({ numHeads: 3, keyDim: 4, flashAttention: true, dtype: 'float64' });
    const composite = layers.multiHeadAttention({ numHeads: 3, keyDim: 4, flashAttention: false, dtype: 'float64' });
    const x = randomTensor([2, 67, 6], 4, 'float64');
    fused.apply(x, { value: x });
    composite.apply(x, { value: x });
    composite.setWeights(fused.getWeights());
    const run = (l: typeof fused) => (a: Tensor) => sum(mul(l.apply(a, { value: a, useCausalMask: true }) as Tensor, a));
    expectClose(
      (fused.apply(x, { value: x, useCausalMask: true }) as Tensor).dataSync(),
      (composite.apply(x, { value: x, useCausalMask: true }) as Tensor).dataSync(),
      1e-9,
      1e-11,
    );
    expectClose(grads(run(fused))([x])[0].dataSync(), grads(run(composite))([x])[0].dataSync(), 1e-8, 1e-10);
  });
  // Two layers with equal weights and seed, one per path.
  function pair(options: { dropout?: number; numHeads?: number }) {
    const make = (flashAttention: boolean) =>
      layers.multiHeadAttention({ numHeads: options.numHeads ?? 2, keyDim: 4, dropout: options.dropout ?? 0, seed: 11, flashAttention, dtype: 'float64' });
    return [make(true), make(false)];
  }
  it('gives what the composite gives with a value padding mask and dropout (cross-attention), values and gradients', () => {
    const [fused, composite] = pair({ dropout: 0.3 });
    const x = randomTensor([2, 9, 6], 4, 'float64');
    const y = randomTensor([2, 33, 5], 5, 'float64');
    fused.apply(x, { value: y });
    composite.apply(x, { value: y });
    composite.setWeights(fused.getWeights());
    const valueMask = tensor(
      Array.from({ length: 66 }, (_, i) => i % 33 < 30 - 7 * Math.floor(i / 33)),
      [2, 33],
      'bool',
    );
    const call = (l: typeof fused, a: Tensor, b: Tensor) => l.apply(a, { value: b, mask: [null as never, valueMask], training: true }) as Tensor;
    expectClose(call(fused, x, y).dataSync(), call(composite, x, y).dataSync(), 1e-9, 1e-11);
    const gf = grads((a: Tensor, b: Tensor) => sum(mul(call(fused, a, b), a)))([x, y]);
    const gc = grads((a: Tensor, b: Tensor) => sum(mul(call(composite, a, b), a)))([x, y]);
    gf.forEach((g, i) => expectClose(g.dataSync(), gc[i].dataSync(), 1e-8, 1e-10));
  });
  it('fuses self-attention after Embedding maskZero (query and key padding masks): equal to flashAttention false, values and gradients', () => {
    const ids = tensor(
      [
        [3, 1, 4, 1, 5, 9, 2, 0, 0, 0],
        [0, 0, 0, 6, 5, 3, 5, 8, 9, 7],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      ],
      [3, 10],
      'int32',
    );
    for (const causal of [false, true]) {
      const build = (flashAttention: boolean) => {
        const tokens = input({ shape: [10], dtype: 'int32' });
        const emb = layers.embedding({ inputDim: 10, outputDim: 6, maskZero: true, dtype: 'float64' }).apply(tokens);
        const mha = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, flashAttention, dtype: 'float64', name: 'mha' });
        return model({ inputs: tokens, outputs: mha.apply(emb, { value: emb, useCausalMask: causal }) as SymbolicTensor });
      };
      // flashAttention true throws when the kernel cannot apply: this run proves the fused path.
      const [fused, composite] = [build(true), build(false)];
      composite.setWeights(fused.getWeights());
      const up = randomTensor([3, 10, 6], 8, 'float64');
      const run = (m: typeof fused) => variableGrads(() => sum(mul(m.apply(ids) as Tensor, up)), m.trainableWeights);
      const [a, b] = [run(fused), run(composite)];
      expectClose(a.value.dataSync(), b.value.dataSync(), 1e-9, 1e-9);
      expect(a.variables.length).toBe(b.variables.length);
      a.variables.forEach((v, i) => expectClose(a.grads[v.name].dataSync(), b.grads[b.variables[i].name].dataSync(), 1e-6, 1e-8));
      expectClose((fused.predict(ids) as Tensor).dataSync(), (composite.predict(ids) as Tensor).dataSync(), 1e-6, 1e-8);
    }
  });
  it('flashAttention true with an attentionMask is an error saying why (the composite takes it by default)', () => {
    const layer = layers.multiHeadAttention({ numHeads: 1, keyDim: 2, flashAttention: true });
    const x = randomTensor([1, 3, 2]);
    const attentionMask = tensor([true, true, false], [1, 1, 3], 'bool');
    expect(() => layer.apply(x, { value: x, attentionMask })).toThrow(/flashAttention is true, but the fused kernel cannot apply: an attentionMask is given/);
    const byDefault = layers.multiHeadAttention({ numHeads: 1, keyDim: 2 });
    expect((byDefault.apply(x, { value: x, attentionMask }) as Tensor).shape).toEqual([1, 3, 2]);
  });
});
