// batchNormalization and layerNormalization: PyTorch fixtures (both modes, moving-stat
// updates), Keras 3 semantics (frozen = inference, masks), axes, configs, memory.
import { gather, input, layers, mul, reshape, sum, tensor, transpose, variableGrads } from '../../src';
import { fromFixture, loadFixture } from '../helpers/fixtures';
import { expectConfigRoundTrip, expectFlatMemory, expectGradientsToAllWeights } from '../helpers/layers';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

describe('batchNormalization', () => {
  it.each(loadFixture('batch_norm').map((c) => [c.name, c] as const))('matches the PyTorch fixture in both modes: %s', (_, c) => {
    const bn = layers.batchNormalization({
      axis: c.attrs.axis as number,
      epsilon: c.attrs.epsilon as number,
      momentum: c.attrs.momentum as number,
      dtype: 'float64',
    });
    const x = fromFixture(c.inputs.x);
    bn.apply(x);
    bn.setWeights(['gamma', 'beta', 'movingMean', 'movingVariance'].map((n) => fromFixture(c.inputs[n])));
    // Inference uses the moving statistics and changes nothing.
    expectTensor(bn.apply(x), c.outputs.yInference.shape, c.outputs.yInference.data, 1e-6, 1e-7);
    expectClose(bn.movingMean!.dataSync(), c.inputs.movingMean.data, 1e-12, 0);
    // Training: batch statistics, gradients to x, gamma, beta, and the moving ones updated.
    const upstream = fromFixture(c.upstream.y);
    const { value, grads } = variableGrads(() => sum(mul(bn.apply(x, { training: true }), upstream)), [bn.gamma!, bn.beta!]);
    value.dispose();
    expectClose(grads[bn.gamma!.name].dataSync(), c.grads.gamma.data, 1e-6, 1e-7);
    expectClose(grads[bn.beta!.name].dataSync(), c.grads.beta.data, 1e-6, 1e-7);
    expectClose(bn.movingMean!.dataSync(), c.outputs.newMovingMean.data, 1e-6, 1e-7);
    expectClose(bn.movingVariance!.dataSync(), c.outputs.newMovingVariance.data, 1e-6, 1e-7);
    bn.setWeights(['gamma', 'beta', 'movingMean', 'movingVariance'].map((n) => fromFixture(c.inputs[n])));
    expectTensor(bn.apply(x, { training: true }), c.outputs.y.shape, c.outputs.y.data, 1e-6, 1e-7);
  });

  it('has Keras weights (gamma, beta trainable; moving stats not) and input spec', () => {
    const bn = layers.batchNormalization({ name: 'bn' });
    bn.apply(randomTensor([2, 3]));
    expect(bn.weights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(bn.trainableWeights.length).toBe(2);
    expect(bn.nonTrainableWeights.length).toBe(2);
    expect(() => bn.apply(randomTensor([2, 4]))).toThrow('Input 0 of layer bn is incompatible with the layer: expected axis 1 of input shape to have value 3');
    expect(() => bn.apply(randomTensor([2, 3, 3]))).toThrow('expected ndim=2, found ndim=3');
    const noAffine = layers.batchNormalization({ center: false, scale: false });
    noAffine.apply(randomTensor([4, 2]));
    expect(noAffine.weights.length).toBe(2);
    expect(layers.batchNormalization().apply(input({ shape: [5, 3] })).shape).toEqual([null, 5, 3]);
  });

  it('frozen (trainable false) runs in inference mode even when training, as Keras 3', () => {
    const bn = layers.batchNormalization();
    const x = randomTensor([8, 3], 5, 'float32', 2, 4);
    const inference = Array.from(bn.apply(x).dataSync());
    bn.trainable = false;
    expectClose(bn.apply(x, { training: true }).dataSync(), inference);
    expectClose(bn.movingMean!.dataSync(), [0, 0, 0]);
    bn.trainable = true;
    bn.apply(x, { training: true });
    expect(Math.abs(bn.movingMean!.dataSync()[0])).toBeGreaterThan(0.01);
  });

  it('with a mask, masked entries take no part in the batch statistics', () => {
    const x = randomTensor([2, 3, 2], 9, 'float64');
    const mask = tensor([
      [true, false, true],
      [true, true, false],
    ]);
    const masked = layers.batchNormalization({ dtype: 'float64', momentum: 0.5 });
    const plain = layers.batchNormalization({ dtype: 'float64', momentum: 0.5 });
    const y = masked.apply(x, { training: true, mask });
    // The same layer on only the real rows gives the same values and moving statistics.
    const rows = gather(reshape(x, [6, 2]), tensor([0, 2, 3, 4], [4], 'int32'));
    const yRows = plain.apply(rows, { training: true });
    expectClose(gather(reshape(y, [6, 2]), tensor([0, 2, 3, 4], [4], 'int32')).dataSync(), yRows.dataSync(), 1e-10, 1e-12);
    expectClose(masked.movingMean!.dataSync(), plain.movingMean!.dataSync(), 1e-10, 1e-12);
    expectClose(masked.movingVariance!.dataSync(), plain.movingVariance!.dataSync(), 1e-10, 1e-12);
    expect(masked.computeMask(x, mask)).toBe(mask);
    expectGradientsToAllWeights(layers.batchNormalization(), randomTensor([4, 3]));
  });

  it('configs, errors, memory', () => {
    const bn = layers.batchNormalization({ axis: 1, momentum: 0.9, epsilon: 1e-5, gammaRegularizer: 'l2', movingVarianceInitializer: 'zeros' });
    expectConfigRoundTrip(bn);
    expect(bn.getConfig()).toMatchObject({ axis: 1, momentum: 0.9, epsilon: 1e-5, center: true, scale: true, movingMeanInitializer: { className: 'Zeros' } });
    expect(() => layers.batchNormalization({ axis: [1, 2] as unknown as number })).toThrow('expected axis to be an integer');
    expect(() => layers.batchNormalization({ momentum: 2 })).toThrow('expected momentum in [0, 1]');
    expectFlatMemory(layers.batchNormalization(), randomTensor([4, 3, 2]));
  });
});

describe('layerNormalization', () => {
  it.each(loadFixture('layer_norm').map((c) => [c.name, c] as const))('matches the PyTorch fixture: %s', (_, c) => {
    const ln = layers.layerNormalization({ axis: c.attrs.axis as number[], epsilon: c.attrs.epsilon as number, dtype: 'float64' });
    const x = fromFixture(c.inputs.x);
    ln.apply(x);
    ln.setWeights([fromFixture(c.inputs.gamma), fromFixture(c.inputs.beta)]);
    expectTensor(ln.apply(x), c.outputs.y.shape, c.outputs.y.data, 1e-6, 1e-7);
    const upstream = fromFixture(c.upstream.y);
    const { value, grads } = variableGrads(() => sum(mul(ln.apply(x), upstream)), [ln.gamma!, ln.beta!]);
    value.dispose();
    expectClose(grads[ln.gamma!.name].dataSync(), c.grads.gamma.data, 1e-6, 1e-7);
    expectClose(grads[ln.beta!.name].dataSync(), c.grads.beta.data, 1e-6, 1e-7);
  });

  it('normalizes a non-trailing axis like the trailing case on the transposed input', () => {
    const x = randomTensor([2, 3, 4], 3, 'float64');
    const ln = layers.layerNormalization({ axis: 1, dtype: 'float64', gammaInitializer: { className: 'RandomUniform', config: { seed: 1 } } });
    const y = ln.apply(x);
    expect(ln.gamma!.shape).toEqual([3]);
    const trailing = layers.layerNormalization({ axis: -1, dtype: 'float64' });
    trailing.apply(transpose(x, [0, 2, 1]));
    trailing.setWeights(ln.getWeights());
    expectClose(transpose(y, [0, 2, 1]).dataSync(), trailing.apply(transpose(x, [0, 2, 1])).dataSync(), 1e-12, 1e-12);
    // Per example and position, axis 1 has mean 0 before gamma/beta: check with gamma 1.
    const plain = layers.layerNormalization({ axis: [1], epsilon: 0, dtype: 'float64' });
    const z = plain.apply(x).arraySync() as number[][][];
    for (const ex of z) for (let j = 0; j < 4; j++) expect(Math.abs(ex[0][j] + ex[1][j] + ex[2][j])).toBeLessThan(1e-12);
    expectGradientsToAllWeights(ln, x);
  });

  it("rmsScaling: Keras 3's x * gamma / sqrt(variance + epsilon), gamma only, over one or two axes", () => {
    const x = randomTensor([2, 3, 4], 5, 'float64');
    const rows = x.arraySync() as number[][][];
    for (const axis of [-1, [1, 2]] as const) {
      const ln = layers.layerNormalization({ axis: axis as number | number[], rmsScaling: true, center: true, epsilon: 0.01, dtype: 'float64' });
      ln.apply(x);
      // Keras learns gamma only, whatever center says.
      expect(ln.weights.map((w) => w.name.split('/').pop())).toEqual(['gamma']);
      const gamma = randomTensor(ln.gamma!.shape, 9, 'float64');
      ln.setWeights([gamma]);
      const g = gamma.dataSync();
      const want: number[] = [];
      for (const ex of rows) {
        const groups = axis === -1 ? ex : [ex.flat()];
        const scaled = groups.map((v) => {
          const mean = v.reduce((a, b) => a + b, 0) / v.length;
          const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
          return v.map((u) => u / Math.sqrt(variance + 0.01));
        });
        scaled.flat().forEach((u, i) => want.push(u * g[axis === -1 ? i % 4 : i]));
      }
      expectClose(ln.apply(x).dataSync(), want, 1e-12, 1e-12);
      expectGradientsToAllWeights(ln, x);
      const back = layers.deserializeLayer(layers.serializeLayer(ln)) as layers.LayerNormalization;
      expect(back.rmsScaling).toBe(true);
    }
    expect(() => layers.layerNormalization({ rmsScaling: 'yes' as unknown as boolean, name: 'r' })).toThrow(/r: expected rmsScaling to be/);
  });

  it('configs, errors, memory', () => {
    const ln = layers.layerNormalization({ axis: [1, 2], center: false, betaRegularizer: 'l1' });
    ln.apply(randomTensor([2, 3, 4]));
    expect(ln.weights.map((w) => w.shape)).toEqual([[3, 4]]);
    expectConfigRoundTrip(ln);
    expect(() => layers.layerNormalization({ axis: [1, 1] }).apply(randomTensor([2, 3]))).toThrow('names an axis twice');
    expect(() => layers.layerNormalization({ axis: 3, name: 'ln' }).apply(randomTensor([2, 3]))).toThrow(/ln/);
    expect(() => layers.layerNormalization({ name: 'ln2' }).apply(input({ shape: [null] }))).toThrow(
      'ln2: the normalized axes [1] of the input must have known sizes',
    );
    expectFlatMemory(layers.layerNormalization({ axis: 1 }), randomTensor([2, 3, 4]));
  });
});
