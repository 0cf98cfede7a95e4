// The fused attention kernel (online softmax, tiled, GEMM tiles) against the composite
// reference (dotProductAttention): forward and every gradient at odd lengths (on and off
// the tiles), head dims 1, 5, 64, causal and not, Tq != Tk, key padding masks, dropout
// (the composite with the same seed drops the same entries, forward and backward); finite
// differences; multiHeadAttention's fused path equal to its composite path; errors.
import { dotProductAttention, fusedAttention, grads, layers, logicalAnd, mul, reshape, sum, tensor, tidy, type Tensor } from '../src';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, randomTensor } from './helpers/reference';
import { expectNoLeaks } from './helpers/memory';

interface Case {
  batch: number;
  tq: number;
  tk: number;
  d: number;
  dv: number;
  causal?: boolean;
  dtype?: 'float32' | 'float64';
  /** Heads: q is [batch, heads, T, d] (rank 4) when given, else [batch, T, d]. */
  heads?: number;
  /** A key padding mask [batch, Tk] with these keys of each row masked (j % period === 0). */
  maskPeriod?: number;
  dropoutRate?: number;
  /** Left padding: the first leftPad + b keys of row b masked. */
  leftPad?: number;
  /** float64 tolerances (a dead row's logits sit near -1e9, where an ulp is 1.2e-7). */
  tolerance64?: [number, number];
}

// [batch, Tk] bool: key j of row b masked when (j + b + 1) % period === 0.
function keyMaskOf(batch: number, tk: number, period: number): Tensor {
  return tensor(
    Array.from({ length: batch * tk }, (_, i) => (Math.floor(i / tk) + (i % tk) + 1) % period !== 0),
    [batch, tk],
    'bool',
  );
}

// The composite's mask for the same case: [batch, (1,) 1, Tk] and-ed with [1, Tq, Tk] causal.
function compositeMask(c: Case, keyMask: Tensor | null): Tensor | null {
  const lead = c.heads ? [c.batch, 1, 1] : [c.batch, 1];
  const causal = c.causal
    ? tensor(
        Array.from({ length: c.tq * c.tk }, (_, i) => Math.floor(i / c.tk) >= i % c.tk),
        [1, c.tq, c.tk],
        'bool',
      )
    : null;
  const padding = keyMask ? reshape(keyMask, [...lead, c.tk]) : null;
  return padding && causal ? logicalAnd(padding, causal) : (padding ?? causal);
}

function compare(c: Case): void {
  const dtype = c.dtype ?? 'float64';
  const lead = c.heads ? [c.batch, c.heads] : [c.batch];
  const q = randomTensor([...lead, c.tq, c.d], c.tq + 1, dtype);
  const k = randomTensor([...lead, c.tk, c.d], c.tk + 2, dtype);
  const v = randomTensor([...lead, c.tk, c.dv], c.tk + 3, dtype);
  const up = randomTensor([...lead, c.tq, c.dv], 5, dtype);
  const keyMask = c.leftPad
    ? tensor(
        Array.from({ length: c.batch * c.tk }, (_, i) => i % c.tk >= c.leftPad! + Math.floor(i / c.tk)),
        [c.batch, c.tk],
        'bool',
      )
    : c.maskPeriod
      ? keyMaskOf(c.batch, c.tk, c.maskPeriod)
      : null;
  const mask = compositeMask(c, keyMask);
  const rate = c.dropoutRate ?? 0;
  const drop = { dropoutRate: rate, seed: 1234, training: rate > 0 };
  const reference = (a: Tensor, b: Tensor, x: Tensor) => dotProductAttention(a, b, x, { mask, ...drop }).output;
  const fused = (a: Tensor, b: Tensor, x: Tensor) => fusedAttention(a, b, x, { causal: c.causal ?? false, keyMask, ...drop });
  const [rtol, atol] = dtype === 'float64' ? (c.tolerance64 ?? [1e-9, 1e-11]) : [2e-4, 2e-5];
  expectClose(fused(q, k, v).dataSync(), reference(q, k, v).dataSync(), rtol, atol);
  const gf = grads((a: Tensor, b: Tensor, x: Tensor) => sum(mul(fused(a, b, x), up)))([q, k, v]);
  const gr = grads((a: Tensor, b: Tensor, x: Tensor) => sum(mul(reference(a, b, x), up)))([q, k, v]);
  gf.forEach((g, i) => expectClose(g.dataSync(), gr[i].dataSync(), rtol * 10, atol * 10));
}

describe('fusedAttention equals the composite (values and the gradients of q, k, v)', () => {
  it.each([1, 2, 7, 31, 33, 63, 64, 65, 100, 129, 130])('T = %i, float64, causal and not', (t) => {
    compare({ batch: 2, tq: t, tk: t, d: 5, dv: 3 });
    compare({ batch: 2, tq: t, tk: t, d: 5, dv: 3, causal: true });
  });
  it.each([1, 5, 64])('head dim %i, T = 33 and 130, rank 4 [B, H, T, d]', (d) => {
    compare({ batch: 2, heads: 3, tq: 33, tk: 33, d, dv: d, causal: true });
    compare({ batch: 1, heads: 2, tq: 130, tk: 130, d, dv: d });
  });
  it('one row of N over several key tiles (the backward splits the keys between threads)', () => {
    compare({ batch: 1, tq: 300, tk: 300, d: 7, dv: 5, causal: true, maskPeriod: 6, dropoutRate: 0.2 });
    compare({ batch: 1, tq: 33, tk: 600, d: 3, dv: 4 });
  });
  it('zero sizes: Tq, Tk, depth or value depth 0', () => {
    compare({ batch: 2, tq: 0, tk: 5, d: 3, dv: 2, causal: true });
    compare({ batch: 2, tq: 5, tk: 0, d: 3, dv: 2 });
    compare({ batch: 2, tq: 5, tk: 4, d: 0, dv: 2 });
    compare({ batch: 2, tq: 5, tk: 4, d: 3, dv: 0, maskPeriod: 2 });
  });
  it('T = 1025 (not a multiple of the tiles), float32, causal and not', () => {
    compare({ batch: 1, tq: 1025, tk: 1025, d: 8, dv: 8, causal: true, dtype: 'float32' });
    compare({ batch: 1, tq: 1025, tk: 1025, d: 4, dv: 4, dtype: 'float32' });
  });
  it('Tq != Tk (cross-attention, causal top-left aligned as Keras)', () => {
    compare({ batch: 3, tq: 7, tk: 70, d: 4, dv: 6 });
    compare({ batch: 3, tq: 70, tk: 7, d: 4, dv: 6, causal: true });
    compare({ batch: 2, heads: 3, tq: 130, tk: 33, d: 5, dv: 1, causal: true });
    compare({ batch: 2, heads: 3, tq: 1, tk: 130, d: 64, dv: 5 });
  });
  it('a key padding mask, with and without causal, one mask row serving every head', () => {
    compare({ batch: 2, tq: 33, tk: 33, d: 5, dv: 3, maskPeriod: 3 });
    compare({ batch: 2, heads: 3, tq: 130, tk: 130, d: 5, dv: 3, maskPeriod: 4, causal: true });
    compare({ batch: 3, heads: 2, tq: 7, tk: 130, d: 1, dv: 64, maskPeriod: 2 });
    compare({ batch: 2, heads: 2, tq: 130, tk: 130, d: 3, dv: 3, maskPeriod: 7, causal: true });
    compare({ batch: 2, tq: 200, tk: 200, d: 16, dv: 16, maskPeriod: 5, causal: true, dtype: 'float32' });
  });
  it('left padding with causal: rows that see only padding attend every key, as the composite', () => {
    compare({ batch: 2, tq: 33, tk: 33, d: 5, dv: 3, causal: true, leftPad: 3, tolerance64: [1e-6, 1e-7] });
    compare({ batch: 2, heads: 2, tq: 130, tk: 130, d: 4, dv: 4, causal: true, leftPad: 70, tolerance64: [1e-6, 1e-7] });
    compare({ batch: 2, tq: 9, tk: 9, d: 4, dv: 4, causal: true, leftPad: 8, dropoutRate: 0.3, tolerance64: [1e-6, 1e-7] });
    compare({ batch: 2, tq: 200, tk: 200, d: 8, dv: 8, causal: true, leftPad: 100, dtype: 'float32' });
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
    compare({ batch: 2, tq: 33, tk: 33, d: 5, dv: 3, dropoutRate: 0.3 });
    compare({ batch: 2, heads: 2, tq: 130, tk: 130, d: 8, dv: 8, dropoutRate: 0.5, causal: true, maskPeriod: 3 });
    compare({ batch: 1, tq: 7, tk: 130, d: 64, dv: 5, dropoutRate: 0.1, dtype: 'float32' });
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
  it('flashAttention true with a query padding mask is an error saying why (the composite takes it by default)', () => {
    const layer = layers.multiHeadAttention({ numHeads: 1, keyDim: 2, flashAttention: true });
    const x = randomTensor([1, 3, 2]);
    expect(() => layer.apply(x, { value: x, mask: tensor([true, true, false], [1, 3], 'bool') })).toThrow(
      /flashAttention is true, but the fused kernel cannot apply: the query has a padding mask/,
    );
    const byDefault = layers.multiHeadAttention({ numHeads: 1, keyDim: 2 });
    expect((byDefault.apply(x, { value: x, mask: tensor([true, true, false], [1, 3], 'bool') }) as Tensor).shape).toEqual([1, 3, 2]);
  });
});
