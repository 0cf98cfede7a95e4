// Noise layers (spatialDropout1d/2d, gaussianNoise, gaussianDropout, alphaDropout) and
// the activation layers with options (reLU, leakyReLU, elu, softmax, prelu).
import { input, layers, moments, ones, tensor, type Tensor } from '../../src';
import { expectConfigRoundTrip, expectFlatMemory, expectGradientsToAllWeights } from '../helpers/layers';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

describe('spatial dropout', () => {
  it('drops whole channels in training only', () => {
    const x = ones([4, 6, 8]);
    const layer = layers.spatialDropout1d({ rate: 0.5, seed: 2 });
    expect(layer.apply(x)).toBe(x);
    const y = layer.apply(x, { training: true }).arraySync() as number[][][];
    for (const example of y)
      for (let c = 0; c < 8; c++) {
        const column = example.map((step) => step[c]);
        expect(new Set(column).size).toBe(1);
        expect([0, 2]).toContain(column[0]);
      }
    const img = layers
      .spatialDropout2d({ rate: 0.5, seed: 3 })
      .apply(ones([2, 3, 3, 16]), { training: true })
      .arraySync() as number[][][][];
    for (const example of img) for (let c = 0; c < 16; c++) expect(new Set(example.flat().map((p) => p[c])).size).toBe(1);
  });

  it('configs, input specs, errors, memory', () => {
    const layer = layers.spatialDropout2d({ rate: 0.3, seed: 1, name: 'sd' });
    expectConfigRoundTrip(layer);
    expect(layer.getConfig()).toMatchObject({ rate: 0.3, seed: 1, dataFormat: 'channelsLast' });
    expect(layer.getConfig().noiseShape).toBeUndefined();
    expect(() => layer.apply(randomTensor([2, 3, 4]))).toThrow('Input 0 of layer sd is incompatible with the layer: expected ndim=4, found ndim=3');
    expect(() => layers.spatialDropout1d({ rate: 0.2, dataFormat: 'NCW' as 'channelsFirst' })).toThrow(
      "expected dataFormat 'channelsLast' or 'channelsFirst', got 'NCW'",
    );
    expect(() => layers.spatialDropout1d({ rate: 1 })).toThrow('expected rate in [0, 1)');
    expectFlatMemory(layers.spatialDropout1d({ rate: 0.5 }), randomTensor([2, 3, 4]));
  });
});

describe('gaussianNoise, gaussianDropout, alphaDropout', () => {
  const x = ones([200, 100]);

  it('gaussianNoise adds noise of the given stddev in training only', () => {
    const layer = layers.gaussianNoise({ stddev: 0.5, seed: 4 });
    expect(layer.apply(x)).toBe(x);
    const { mean: m, variance } = moments(layer.apply(x, { training: true }));
    expect(Math.abs(m.dataSync()[0] - 1)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(variance.dataSync()[0]) - 0.5)).toBeLessThan(0.01);
  });

  it('gaussianDropout multiplies by noise of mean 1 and stddev sqrt(rate / (1 - rate))', () => {
    const layer = layers.gaussianDropout({ rate: 0.2, seed: 5 });
    expect(layer.apply(x)).toBe(x);
    const { mean: m, variance } = moments(layer.apply(x, { training: true }));
    expect(Math.abs(m.dataSync()[0] - 1)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(variance.dataSync()[0]) - 0.5)).toBeLessThan(0.01);
  });

  it("alphaDropout keeps a SELU activation's zero mean and unit variance, with Keras's formula", () => {
    const layer = layers.alphaDropout({ rate: 0.2, seed: 6 });
    const z = unitVariance([400, 100]);
    expect(layer.apply(z)).toBe(z);
    const { mean: m, variance } = moments(layer.apply(z, { training: true }));
    expect(Math.abs(m.dataSync()[0])).toBeLessThan(0.02);
    expect(Math.abs(variance.dataSync()[0] - 1)).toBeLessThan(0.03);
    // Dropped units land on a * alphaP + b; kept ones on a * x + b.
    const rate = 0.2;
    const alphaP = -1.6732632423543772 * 1.0507009873554805;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    const values = new Set(
      Array.from(
        layers
          .alphaDropout({ rate, seed: 1 })
          .apply(ones([50, 20]), { training: true })
          .dataSync(),
      ).map((v) => v.toFixed(5)),
    );
    expect([...values].sort()).toEqual([(a * alphaP + b).toFixed(5), (a + b).toFixed(5)].sort());
  });

  it('configs, shapes, masks pass through, memory', () => {
    for (const layer of [
      layers.gaussianNoise({ stddev: 0.1 }),
      layers.gaussianDropout({ rate: 0.1, seed: 2 }),
      layers.alphaDropout({ rate: 0.3, noiseShape: [null, 1] }),
    ]) {
      expectConfigRoundTrip(layer);
      expect(layer.apply(input({ shape: [3, 4] })).shape).toEqual([null, 3, 4]);
      expect(layer.computeMask(x, tensor([true]))).not.toBeNull();
      expectFlatMemory(layer, randomTensor([2, 3]));
    }
    expect(() => layers.gaussianNoise({ stddev: -1 })).toThrow('expected stddev to be a non-negative number');
  });
});

// Like a SELU network's activations: zero mean, unit variance.
function unitVariance(shape: number[]): Tensor {
  return randomTensor(shape, 8, 'float32', -Math.sqrt(3), Math.sqrt(3));
}

describe('activation layers', () => {
  const x = tensor([-3, -1, 0, 0.5, 2, 8]);

  it('reLU with maxValue, negativeSlope and threshold (Keras formula)', () => {
    expectTensor(layers.reLU().apply(x), [6], [0, 0, 0, 0.5, 2, 8]);
    expectTensor(layers.reLU({ maxValue: 6 }).apply(x), [6], [0, 0, 0, 0.5, 2, 6]);
    expectTensor(layers.reLU({ negativeSlope: 0.1 }).apply(x), [6], [-0.3, -0.1, 0, 0.5, 2, 8]);
    expectTensor(layers.reLU({ threshold: 1 }).apply(x), [6], [0, 0, 0, 0, 2, 8]);
    // Below the threshold: slope * (x - threshold).
    expectTensor(layers.reLU({ threshold: 1, negativeSlope: 0.5, maxValue: 4 }).apply(x), [6], [-2, -1, -0.5, -0.25, 2, 4]);
  });

  it('leakyReLU (default 0.3), elu, softmax with axis and mask', () => {
    expectTensor(layers.leakyReLU().apply(x), [6], [-0.9, -0.3, 0, 0.5, 2, 8]);
    expectTensor(layers.leakyReLU({ negativeSlope: 0.1 }).apply(x), [6], [-0.3, -0.1, 0, 0.5, 2, 8]);
    expectTensor(layers.elu({ alpha: 2 }).apply(tensor([-1, 1])), [2], [2 * (Math.exp(-1) - 1), 1]);
    const logits = tensor([
      [1, 2],
      [3, 4],
    ]);
    expectClose(
      layers.softmax().apply(logits).dataSync(),
      [1, Math.E, 1, Math.E].map((v) => v / (1 + Math.E)),
    );
    expectClose(
      layers.softmax({ axis: 0 }).apply(logits).dataSync(),
      [1, 1, Math.E ** 2, Math.E ** 2].map((v) => v / (1 + Math.E ** 2)),
    );
    const joint = Array.from(
      layers
        .softmax({ axis: [0, 1] })
        .apply(logits)
        .dataSync(),
    );
    expectClose([joint.reduce((a, b) => a + b, 0), joint[3] / joint[0]], [1, Math.E ** 3]);
    expectTensor(
      layers.softmax().apply(logits, {
        mask: tensor([
          [true, false],
          [true, true],
        ]),
      }),
      [2, 2],
      [1, 0, 1 / (1 + Math.E), Math.E / (1 + Math.E)],
    );
  });

  it('softmax masks as Keras 3: kept where true or > 0.5, replaced by -1e9, zeros when all masked', () => {
    // Values from Keras 3.15 (JAX): keras.layers.Softmax()(x, mask=...).
    const layer = layers.softmax();
    const logits = tensor([[1, 2, 3, 4]]);
    const kept = [0.03511902, 0, 0.25949645, 0.7053845];
    expectTensor(layer.apply(logits, { mask: tensor([[true, false, true, true]]) }), [1, 4], kept);
    expectTensor(layer.apply(logits, { mask: tensor([true, false, true, true]) }), [1, 4], kept);
    // A float mask of 0.3 or 0.5 masks (not a weight of 0.3); 0.7 keeps.
    expectTensor(layer.apply(logits, { mask: tensor([[1, 0.3, 0.7, 0.5]]) }), [1, 4], [0.11920291, 0, 0.880797, 0]);
    expectTensor(layer.apply(logits, { mask: tensor([[1, 0, 2, 0]], undefined, 'int32') }), [1, 4], [0.11920291, 0, 0.880797, 0]);
    expectTensor(layer.apply(logits, { mask: tensor([[false, false, false, false]]) }), [1, 4], [0, 0, 0, 0]);
    // A mask larger than the input would grow the output: Keras refuses it.
    expect(() => layer.apply(logits, { mask: tensor([[true], [false]]) })).toThrow('expected a mask broadcastable to the input shape [1, 4]');
  });

  it('prelu learns its slope (per element or shared)', () => {
    const p = layers.prelu({ alphaInitializer: { className: 'Constant', config: { value: 0.25 } } });
    expectTensor(p.apply(tensor([[-4, 2]])), [1, 2], [-1, 2]);
    expect(p.alpha!.shape).toEqual([2]);
    const shared = layers.prelu({ sharedAxes: [1, 2] });
    shared.apply(randomTensor([2, 4, 4, 3]));
    expect(shared.alpha!.shape).toEqual([1, 1, 3]);
    expectGradientsToAllWeights(layers.prelu(), randomTensor([3, 2]));
    expect(() => layers.prelu({ sharedAxes: [0] })).toThrow('expected sharedAxes to be 1-based axes');
  });

  it('configs round-trip, masks pass, memory stays flat', () => {
    for (const layer of [
      layers.reLU({ maxValue: 6, negativeSlope: 0.1, threshold: 0.5 }),
      layers.leakyReLU({ negativeSlope: 0.2 }),
      layers.elu({ alpha: 0.5 }),
      layers.softmax({ axis: [1, 2] }),
      layers.prelu({ sharedAxes: 1, alphaRegularizer: 'l2' }),
    ]) {
      const y = layer.apply(randomTensor([2, 3, 4]));
      expect(y.shape).toEqual([2, 3, 4]);
      expectConfigRoundTrip(layer);
      expectFlatMemory(layer, randomTensor([2, 3, 4]));
    }
    expect(layers.leakyReLU().getConfig().negativeSlope).toBe(0.3);
    expect(layers.leakyReLU({ alpha: 0.1 } as never).negativeSlope).toBe(0.1);
    expect(layers.reLU().computeMask(x, tensor([true]))).not.toBeNull();
    expect(() => layers.reLU({ negativeSlope: -1 })).toThrow('expected negativeSlope to be a number >= 0');
  });
});
