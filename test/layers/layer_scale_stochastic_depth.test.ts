// layerScale and stochasticDepth: the small layers Keras's ConvNeXt defines (LayerScale,
// StochasticDepth in its files), registered under Keras's class names.
import * as ts from '../../src';
import { layers } from '../../src';
import { expectConfigRoundTrip } from '../helpers/layers';

describe('layerScale', () => {
  it('multiplies the last axis by a weight started at initValues', () => {
    const layer = layers.layerScale({ initValues: 0.5, projectionDim: 3, name: 'ls' });
    const x = ts.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(Array.from((layer.apply(x) as ts.Tensor).dataSync())).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    expect(layer.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([['ls/variable', [3], true]]);
    layer.gamma!.assign(ts.tensor([1, 0, -1]));
    expect(Array.from((layer.apply(x) as ts.Tensor).dataSync())).toEqual([1, 0, -3, 4, 0, -6]);
  });

  it('round-trips its config and is registered as LayerScale', () => {
    const layer = layers.layerScale({ initValues: 1e-6, projectionDim: 4 });
    expect(layer.getConfig()).toMatchObject({ initValues: 1e-6, projectionDim: 4 });
    expectConfigRoundTrip(layer);
    const back = layers.deserializeLayer({ className: 'LayerScale', config: { name: 'x', initValues: 0.1, projectionDim: 2 } });
    expect(back).toBeInstanceOf(layers.LayerScale);
  });

  it('refuses bad options and inputs, naming the layer', () => {
    expect(() => layers.layerScale({ initValues: '1' as never, projectionDim: 2, name: 'a' })).toThrow(/a: expected initValues to be a finite number/);
    expect(() => layers.layerScale({ initValues: 1, projectionDim: 0, name: 'b' })).toThrow(/b: expected projectionDim to be a positive integer, got 0/);
    expect(() => layers.layerScale({ initValues: 1, projectionDim: 2, scale: 1 } as never)).toThrow(/scale/);
    expect(() => layers.layerScale({ initValues: 1, projectionDim: 2, name: 'c' }).apply(ts.ones([2, 3]))).toThrow(/c: expected inputs with 2 channels/);
  });
});

describe('stochasticDepth', () => {
  it('is the identity in inference and drops whole samples in training, scaling the kept ones', () => {
    const layer = layers.stochasticDepth({ dropPathRate: 0.5 });
    const x = ts.ones([64, 2, 3]);
    expect(Array.from((layer.apply(x) as ts.Tensor).dataSync()).every((v) => v === 1)).toBe(true);
    const y = (layer.apply(x, { training: true }) as ts.Tensor).arraySync() as number[][][];
    const perSample = y.map((s) => [...new Set(s.flat())]);
    // Each sample all 0 or all 1 / (1 - 0.5) = 2: one draw per sample.
    expect(perSample.every((v) => v.length === 1 && (v[0] === 0 || v[0] === 2))).toBe(true);
    const kept = perSample.filter((v) => v[0] === 2).length;
    expect(kept).toBeGreaterThan(8);
    expect(kept).toBeLessThan(56);
  });

  it('round-trips its config and is registered as StochasticDepth', () => {
    const layer = layers.stochasticDepth({ dropPathRate: 0.1 });
    expect(layer.getConfig()).toMatchObject({ dropPathRate: 0.1 });
    expectConfigRoundTrip(layer);
    expect(layers.deserializeLayer({ className: 'StochasticDepth', config: { name: 's', dropPathRate: 0.2 } })).toBeInstanceOf(layers.StochasticDepth);
  });

  it('refuses a rate outside [0, 1)', () => {
    expect(() => layers.stochasticDepth({ dropPathRate: 1, name: 'd' })).toThrow(/d: expected dropPathRate in \[0, 1\), got 1/);
    expect(() => layers.stochasticDepth({} as never)).toThrow(/dropPathRate/);
  });
});
