// The fused attention kernel (online softmax, tiled) against the composite reference
// (dotProductAttention): forward and gradients at lengths 1..1025 (multiples of the tiles
// and not), causal and not, Tq != Tk; finite differences; multiHeadAttention's fused path
// equal to its composite path; errors.
import { dotProductAttention, fusedAttention, grads, layers, mul, sum, tensor, tidy, type Tensor } from '../src';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, randomTensor } from './helpers/reference';
import { expectNoLeaks } from './helpers/memory';

function compare(batch: number, tq: number, tk: number, d: number, dv: number, causal: boolean, dtype: 'float32' | 'float64'): void {
  const [q, k, v] = [randomTensor([batch, tq, d], tq + 1, dtype), randomTensor([batch, tk, d], tk + 2, dtype), randomTensor([batch, tk, dv], tk + 3, dtype)];
  const up = randomTensor([batch, tq, dv], 5, dtype);
  const causalMask = causal
    ? tensor(
        Array.from({ length: tq * tk }, (_, i) => Math.floor(i / tk) >= i % tk),
        [1, tq, tk],
        'bool',
      )
    : null;
  const reference = (a: Tensor, b: Tensor, c: Tensor) => dotProductAttention(a, b, c, { mask: causalMask }).output;
  const fused = (a: Tensor, b: Tensor, c: Tensor) => fusedAttention(a, b, c, { causal });
  const [rtol, atol] = dtype === 'float64' ? [1e-9, 1e-11] : [2e-4, 2e-5];
  expectClose(fused(q, k, v).dataSync(), reference(q, k, v).dataSync(), rtol, atol);
  const gf = grads((a: Tensor, b: Tensor, c: Tensor) => sum(mul(fused(a, b, c), up)))([q, k, v]);
  const gr = grads((a: Tensor, b: Tensor, c: Tensor) => sum(mul(reference(a, b, c), up)))([q, k, v]);
  gf.forEach((g, i) => expectClose(g.dataSync(), gr[i].dataSync(), rtol * 10, atol * 10));
}

describe('fusedAttention equals the composite', () => {
  it.each([1, 2, 31, 32, 33, 63, 64, 65, 100, 129])('T = %i, float64, causal and not', (t) => {
    compare(2, t, t, 5, 3, false, 'float64');
    compare(2, t, t, 5, 3, true, 'float64');
  });
  it('T = 1025 (not a multiple of the tiles), float32, causal', () => compare(1, 1025, 1025, 8, 8, true, 'float32'));
  it('T = 1025, float32, not causal', () => compare(1, 1025, 1025, 4, 4, false, 'float32'));
  it('Tq != Tk (cross-attention, causal top-left aligned as Keras), rank 4 [B, H, T, d]', () => {
    compare(3, 7, 70, 4, 6, false, 'float64');
    compare(3, 70, 7, 4, 6, true, 'float64');
    const [q, k, v] = [randomTensor([2, 3, 5, 4], 1, 'float64'), randomTensor([2, 3, 6, 4], 2, 'float64'), randomTensor([2, 3, 6, 2], 3, 'float64')];
    expectClose(fusedAttention(q, k, v).dataSync(), dotProductAttention(q, k, v).output.dataSync(), 1e-9, 1e-11);
  });
  it('gradients match finite differences', () => {
    const [q, k, v] = [randomTensor([2, 37, 3], 1, 'float64'), randomTensor([2, 37, 3], 2, 'float64'), randomTensor([2, 37, 2], 3, 'float64')];
    gradcheck((a, b, c) => fusedAttention(a, b, c, { causal: true }), [q, k, v]);
  });
  it('does not leak', () => {
    const [q, k, v] = [randomTensor([2, 40, 4]), randomTensor([2, 40, 4]), randomTensor([2, 40, 4])];
    expectNoLeaks(() => tidy(() => void grads((a: Tensor) => sum(fusedAttention(a, k, v, { causal: true })))([q])));
  });
  it('rejects bad input', () => {
    expect(() => fusedAttention(randomTensor([2, 3, 4]), randomTensor([2, 3, 5]), randomTensor([2, 3, 4]))).toThrow(
      /fusedAttention: expected q and k of one depth/,
    );
    expect(() => fusedAttention(randomTensor([2, 3, 4]), randomTensor([2, 3, 4]), randomTensor([2, 5, 4]))).toThrow(/k and v of one length/);
    expect(() => fusedAttention(randomTensor([2, 3, 4]), randomTensor([3, 3, 4]), randomTensor([3, 3, 4]))).toThrow(/one leading shape/);
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
  it('flashAttention true with a padding mask is an error saying why', () => {
    const layer = layers.multiHeadAttention({ numHeads: 1, keyDim: 2, flashAttention: true });
    const x = randomTensor([1, 3, 2]);
    expect(() => layer.apply(x, { value: x, mask: tensor([true, true, false], [1, 3], 'bool') })).toThrow(
      /flashAttention is true, but the fused kernel cannot apply: a padding or attention mask/,
    );
  });
});
