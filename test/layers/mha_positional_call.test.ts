// MultiHeadAttention's Keras positional call, apply(query, value[, key][, options]): what
// Keras's tutorials write (`self.att(inputs, inputs)` in a TransformerBlock) and Keras's
// docstring example `layer(target, source, return_attention_scores=True)`.
import { input, layers, randomNormal, setSeed, type SymbolicTensor, type Tensor } from '../../src';

describe('MultiHeadAttention.apply positional form', () => {
  test("Keras's docstring example: layer(target, source, return_attention_scores=True)", () => {
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 2 });
    const target = input({ shape: [8, 16] });
    const source = input({ shape: [4, 16] });
    const [outputTensor, weights] = layer.apply(target, source, { returnAttentionScores: true }) as SymbolicTensor[];
    expect(outputTensor.shape).toEqual([null, 8, 16]);
    expect(weights.shape).toEqual([null, 2, 8, 4]);
  });

  test('gives what the named form gives, eagerly, with value and with value and key', () => {
    setSeed(3);
    const mha = layers.multiHeadAttention({ numHeads: 2, keyDim: 4 });
    const q = randomNormal([2, 3, 8]);
    const v = randomNormal([2, 5, 8]);
    const k = randomNormal([2, 5, 8]);
    const named = mha.apply(q, { value: v }) as Tensor;
    expect(Array.from((mha.apply(q, v) as Tensor).dataSync())).toEqual(Array.from(named.dataSync()));
    const namedKey = mha.apply(q, { value: v, key: k }) as Tensor;
    expect(Array.from((mha.apply(q, v, k) as Tensor).dataSync())).toEqual(Array.from(namedKey.dataSync()));
    expect(namedKey.dataSync()).not.toEqual(named.dataSync());
    // Options after the tensors.
    const causal = mha.apply(q, { value: q, useCausalMask: true }) as Tensor;
    expect(Array.from((mha.apply(q, q, { useCausalMask: true }) as Tensor).dataSync())).toEqual(Array.from(causal.dataSync()));
  });

  test('a tensor given both ways, or too many arguments, is an error naming the layer', () => {
    const mha = layers.multiHeadAttention({ numHeads: 1, keyDim: 2, name: 'mha' });
    const q = randomNormal([1, 2, 4]);
    expect(() => mha.apply(q, q, { value: q })).toThrow(/mha.apply: value was given both positionally and in the options/);
    expect(() => mha.apply(q, q, q, { key: q })).toThrow(/mha.apply: key was given both positionally and in the options/);
    expect(() => (mha.apply as (...a: unknown[]) => unknown)(q, q, q, {}, 1)).toThrow(/mha.apply/);
    expect(() => (mha.apply as (...a: unknown[]) => unknown)(q, {}, 1)).toThrow(/mha.apply/);
    expect(() => mha.apply(q, q, { vlaue: q } as never)).toThrow(/mha.apply.*vlaue/);
  });
});
