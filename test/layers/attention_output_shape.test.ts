// multiHeadAttention with a several-axis outputShape (Keras 3's output_shape tuple): weight
// layout, symbolic shapes, finite differences, TF.js and .keras round trips, bad entries.
// Values and gradients against PyTorch are the output_shape_* cases of
// test/layers/attention_axes.test.ts (scripts/fixtures/make_attention_axes_fixtures.py).
import { input, layers, loadModel, model, type SymbolicTensor, type Tensor } from '../../src';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { tempDir } from '../saving/helpers';
import { gradcheck } from '../helpers/gradcheck';
import { expectConfigRoundTrip } from '../helpers/layers';
import { expectClose, randomTensor } from '../helpers/reference';

describe('multiHeadAttention outputShape with several axes', () => {
  const dir = tempDir();

  it('projects to [batch, Tq, ...outputShape] with a [heads, valueDim, ...outputShape] kernel and an [...outputShape] bias', () => {
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 5, outputShape: [4, 8] });
    const q = randomTensor([2, 6, 7], 1);
    const v = randomTensor([2, 3, 9], 2);
    const y = layer.apply(q, { value: v }) as Tensor;
    expect(y.shape).toEqual([2, 6, 4, 8]);
    const out = layer.outputDense!;
    expect(out.kernel!.shape).toEqual([2, 5, 4, 8]);
    expect(out.bias!.shape).toEqual([4, 8]);
    expect(layer.getConfig().outputShape).toEqual([4, 8]);
    const noBias = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, outputShape: [2, 3], useBias: false });
    expect((noBias.apply(q, { value: v }) as Tensor).shape).toEqual([2, 6, 2, 3]);
    expect(noBias.outputDense!.bias).toBeNull();
    // [n] is n, as Keras's one-element tuple.
    expect(layers.multiHeadAttention({ numHeads: 1, keyDim: 2, outputShape: [6] }).outputShape).toBe(6);
  });

  it('the fused kernel and the composite agree (causal, several-axis output)', () => {
    const x = randomTensor([2, 5, 4], 3, 'float64');
    const fused = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, outputShape: [3, 2], flashAttention: true, dtype: 'float64' });
    const composite = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, outputShape: [3, 2], flashAttention: false, dtype: 'float64' });
    fused.apply(x, { value: x });
    composite.apply(x, { value: x });
    composite.setWeights(fused.getWeights());
    const a = fused.apply(x, { value: x, useCausalMask: true }) as Tensor;
    const b = composite.apply(x, { value: x, useCausalMask: true }) as Tensor;
    expect(a.shape).toEqual([2, 5, 3, 2]);
    expectClose(a.dataSync(), b.dataSync(), 1e-10, 1e-12);
  });

  it('gradients match finite differences (sequence and 2-D attention axes)', () => {
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 2, outputShape: [2, 3], dtype: 'float64' });
    const x = randomTensor([2, 3, 4], 4, 'float64');
    const y = randomTensor([2, 2, 5], 5, 'float64');
    layer.apply(x, { value: y });
    gradcheck((a, b) => layer.apply(a, { value: b, useCausalMask: false }) as Tensor, [x, y]);
    const axes = layers.multiHeadAttention({ numHeads: 1, keyDim: 2, outputShape: [3, 1, 2], attentionAxes: [1, 2], dtype: 'float64' });
    const z = randomTensor([1, 2, 3, 3], 6, 'float64');
    axes.apply(z, { value: z });
    gradcheck((a) => axes.apply(a, { value: a }) as Tensor, [z]);
  });

  it('symbolic shapes, a functional model and its config (TF.js form) round trip', () => {
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, outputShape: [4, 2], name: 'mha_out' });
    expectConfigRoundTrip(layer);
    const q = input({ shape: [5, 6] });
    const v = input({ shape: [null, 3] });
    const [out, scores] = layer.apply(q, { value: v, returnAttentionScores: true }) as SymbolicTensor[];
    expect(out.shape).toEqual([null, 5, 4, 2]);
    expect(scores.shape).toEqual([null, 2, 5, null]);
    const x4 = input({ shape: [3, 4, 5] });
    const axes = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, attentionAxes: [1, 2], outputShape: [2, 3] });
    expect((axes.apply(x4, { value: x4 }) as SymbolicTensor).shape).toEqual([null, 3, 4, 2, 3]);
    const m = model({ inputs: [q, v], outputs: out });
    const copy = (m.constructor as any).fromConfig(JSON.parse(JSON.stringify(m.getConfig())));
    copy.setWeights(m.getWeights());
    const [a, b] = [randomTensor([2, 5, 6], 7), randomTensor([2, 4, 3], 8)];
    const want = (m.predict([a, b]) as Tensor).dataSync();
    expectClose((copy.predict([a, b]) as Tensor).dataSync(), want, 1e-6, 1e-7);
  });

  it('saves to .keras (output_shape a list in its config) and loads with equal outputs', async () => {
    const x = input({ shape: [3, 4, 5] });
    const mha = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, attentionAxes: [1, 2], outputShape: [2, 3] });
    const m = model({ inputs: x, outputs: mha.apply(x, { value: x }) as SymbolicTensor });
    const file = join(dir, 'out.keras');
    await m.save(file);
    const config = JSON.parse(Buffer.from(unzipSync(readFileSync(file))['config.json']).toString());
    expect(JSON.stringify(config)).toContain('"output_shape":[2,3]');
    const loaded = await loadModel(file);
    const a = randomTensor([2, 3, 4, 5], 9);
    const got = loaded.predict(a) as Tensor;
    expect(got.shape).toEqual([2, 3, 4, 2, 3]);
    expectClose(got.dataSync(), (m.predict(a) as Tensor).dataSync(), 1e-6, 1e-7);
  });

  it('rejects bad entries naming the layer and the argument', () => {
    const make = (outputShape: unknown) => () => layers.multiHeadAttention({ numHeads: 1, keyDim: 2, outputShape: outputShape as never, name: 'mha' });
    expect(make([4, 0])).toThrow(/mha: expected outputShape\[1\] to be a positive integer, got 0/);
    expect(make([-2, 3])).toThrow(/mha: expected outputShape\[0\] to be a positive integer, got -2/);
    expect(make([2, 1.5])).toThrow(/mha: expected outputShape\[1\] to be a positive integer, got 1\.5/);
    expect(make([2, '3'])).toThrow(/mha: expected outputShape\[1\] to be a positive integer, got ['"]3['"]/);
    expect(make([2, null])).toThrow(/mha: expected outputShape\[1\] to be a positive integer, got null/);
    expect(make([])).toThrow(/mha: expected outputShape to be a positive integer or a non-empty list of them, got \[\]/);
    expect(make(-3)).toThrow(/mha: expected outputShape to be a positive integer, got -3/);
    expect(make(2.5)).toThrow(/mha: expected outputShape to be a positive integer, got 2\.5/);
  });
});
