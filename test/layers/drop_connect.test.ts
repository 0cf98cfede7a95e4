// dropConnect: dropout on the wrapped layer's kernel in training, the layer itself in inference.
import * as ts from '../../src';
import { layers, sequential, tensor, type Tensor } from '../../src';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';

const values = (t: Tensor) => Array.from(t.dataSync());

describe('dropConnect', () => {
  // Fed the identity matrix with no bias, a dense layer returns its kernel: what it used.
  const probe = (rate: number, seed?: number) => {
    const wrapper = layers.dropConnect({ layer: layers.dense({ units: 6, useBias: false }), rate, seed });
    wrapper.build([null, 8]);
    return wrapper;
  };
  const eye = () => ts.eye(8);

  it('is the wrapped layer in inference', () => {
    const w = probe(0.5, 1);
    const kernel = values((w.layer as InstanceType<typeof layers.Dense>).kernel!);
    expect(values(w.apply(eye()) as Tensor)).toEqual(kernel);
    expect(values(w.apply(eye(), { training: false }) as Tensor)).toEqual(kernel);
    expect(w.trainableWeights.map((v) => v.name)).toEqual(w.layer.trainableWeights.map((v) => v.name));
  });

  it('drops kernel entries at rate and scales the kept by 1 / (1 - rate) in training; the gradient follows the mask', () => {
    const w = probe(0.5, 3);
    const dense = w.layer as InstanceType<typeof layers.Dense>;
    const kernel = values(dense.kernel!);
    const { value, grads } = ts.variableGrads(() => ts.sum(w.apply(eye(), { training: true }) as Tensor));
    value.dispose();
    const g = values(grads[dense.kernel!.name]);
    // d sum(I K') / dK = mask / (1 - rate): 2 where kept, 0 where dropped.
    expect(g.every((v) => v === 0 || v === 2)).toBe(true);
    const kept = g.filter((v) => v === 2).length;
    expect(kept).toBeGreaterThan(12);
    expect(kept).toBeLessThan(36);
    // The same seed replays the mask: the output is the kernel times that gradient.
    const replay = probe(0.5, 3);
    replay.layer.setWeights([dense.kernel!]);
    const y = values(replay.apply(eye(), { training: true }) as Tensor);
    y.forEach((v, i) => expect(v).toBeCloseTo(kernel[i] * g[i], 6));
    // The wrapped layer keeps its own kernel variable afterwards.
    expect(dense.kernel).toBeInstanceOf(ts.Variable);
    expect(values(dense.kernel!)).toEqual(kernel);
  });

  it('draws a new mask per call; rate 0 is the layer itself', () => {
    const w = probe(0.5, 4);
    expect(values(w.apply(eye(), { training: true }) as Tensor)).not.toEqual(values(w.apply(eye(), { training: true }) as Tensor));
    const none = probe(0, 4);
    expect(values(none.apply(eye(), { training: true }) as Tensor)).toEqual(values(none.apply(eye()) as Tensor));
  });

  it('trains inside a model, serializes and keeps memory flat', async () => {
    const m = sequential({
      layers: [layers.dropConnect({ layer: layers.dense({ units: 4, activation: 'relu' }), rate: 0.3, seed: 1, inputShape: [3] }), layers.dense({ units: 1 })],
    });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = ts.randomUniform([16, 3], -1, 1, 'float32', 1),
      y = ts.randomUniform([16, 1], -1, 1, 'float32', 2);
    const history = await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(Number.isFinite(history.history.loss[1] as number)).toBe(true);
    expect(m.layers[0].countParams()).toBe(16);
    expectConfigRoundTrip(layers.dropConnect({ layer: layers.conv2d({ filters: 2, kernelSize: 3 }), rate: 0.2, seed: 5 }));
    expectFlatMemory(probe(0.5), eye(), 5);
  });

  it('rejects bad arguments', () => {
    expect(() => layers.dropConnect({ layer: layers.dense({ units: 2 }), rate: 1 })).toThrow(/rate in \[0, 1\), got 1/);
    expect(() => layers.dropConnect({ layer: 'dense' as never, rate: 0.1 })).toThrow(/expected layer to be a Layer/);
    const noKernel = layers.dropConnect({ layer: layers.flatten(), rate: 0.1 });
    expect(() => noKernel.apply(tensor([1, 2], [1, 2]))).toThrow(/to have a kernel weight, it has none/);
    expect(() => layers.dropConnect({ layer: layers.dense({ units: 2 }), rate: 0.1, seeds: 1 } as never)).toThrow(/seeds/);
  });
});
