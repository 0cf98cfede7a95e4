// build called again on a built layer silently doubled its weights (Dense had 4); Keras 3
// locks a built layer's state and refuses new weights.
import * as ts from '../../src';

describe('build on a built layer', () => {
  it('refuses new weights, naming the layer and the weight; the first weights stay', () => {
    const d = ts.layers.dense({ units: 2 });
    d.build([null, 3]);
    const kernel = d.weights[0];
    expect(() => d.build([null, 3])).toThrow(/dense.*\.addWeight\('kernel'\): the layer is already built and build was called again/);
    expect(d.weights.length).toBe(2);
    expect(d.weights[0]).toBe(kernel);
    // The lock is for that build only: the layer still runs, and another layer still builds.
    expect(d.apply(ts.ones([1, 3])).shape).toEqual([1, 2]);
    const other = ts.layers.dense({ units: 2 });
    other.build([null, 3]);
    expect(other.weights.length).toBe(2);
  });

  it('a layer without weights, and a built model, may build again', () => {
    const f = ts.layers.flatten();
    f.build([null, 3, 2]);
    expect(() => f.build([null, 3, 2])).not.toThrow();
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3] })] });
    m.build([null, 3]);
    expect(m.weights.length).toBe(2);
  });
});
