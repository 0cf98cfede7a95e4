// hashedCrossing: Keras's bins (the examples of keras.layers.HashedCrossing's own docs,
// computed there by tf.sparse.cross_hashed), its input checks, and the layer in a model.
import * as ts from '../../../src';

describe('hashedCrossing', () => {
  const feat1 = ['A', 'B', 'A', 'B', 'A'];
  const feat2 = [101, 101, 101, 102, 102];

  it("crosses strings with integers into Keras's bins", () => {
    const bins = ts.layers.hashedCrossing({ numBins: 5 }).apply([feat1, feat2]);
    expect(bins.dtype).toBe('int32');
    expect(bins.shape).toEqual([5]);
    expect(Array.from(bins.dataSync())).toEqual([1, 4, 1, 1, 3]);
    bins.dispose();
  });

  it('one_hot (or oneHot) gives rows of width numBins', () => {
    for (const outputMode of ['one_hot', 'oneHot'] as const) {
      const rows = ts.layers.hashedCrossing({ numBins: 5, outputMode }).apply([feat1, feat2]);
      expect(rows.shape).toEqual([5, 5]);
      expect(rows.arraySync()).toEqual([
        [0, 1, 0, 0, 0],
        [0, 0, 0, 0, 1],
        [0, 1, 0, 0, 0],
        [0, 1, 0, 0, 0],
        [0, 0, 0, 1, 0],
      ]);
      rows.dispose();
    }
  });

  it('takes int32 tensors and [batch, 1] features, and keeps their shape', () => {
    const layer = ts.layers.hashedCrossing({ numBins: 5 });
    const ints = ts.tensor([[101], [101], [101], [102], [102]], undefined, 'int32');
    const bins = layer.apply([feat1.map((s) => [s]), ints]);
    expect(bins.shape).toEqual([5, 1]);
    expect(Array.from(bins.dataSync())).toEqual([1, 4, 1, 1, 3]);
    // Two integer tensors cross the same way whichever way they come.
    const a = ts.tensor([1, 2, -3], undefined, 'int32');
    const b = ts.tensor([4, 5, 6], undefined, 'int32');
    const fromTensors = layer.apply([a, b]);
    const fromArrays = layer.apply([
      [1, 2, -3],
      [4, 5, 6],
    ]);
    expect(Array.from(fromTensors.dataSync())).toEqual(Array.from(fromArrays.dataSync()));
    // The order of the features counts, as in Keras (FingerprintCat64 is not symmetric).
    const swapped = layer.apply([b, a]);
    expect(Array.from(swapped.dataSync())).not.toEqual(Array.from(fromTensors.dataSync()));
    ts.dispose([ints, bins, a, b, fromTensors, fromArrays, swapped]);
  });

  it('refuses what Keras refuses, naming the layer', () => {
    const layer = ts.layers.hashedCrossing({ numBins: 5, name: 'cross' });
    expect(() => layer.apply([feat1])).toThrow(/cross: expected a list of two or more features, got 1/);
    expect(() => layer.apply(feat1)).toThrow(/cross: expected a list of two or more features, each an array/);
    expect(() => layer.apply([feat1, [1, 2]])).toThrow(/cross: expected features of equal shape, got \[5\] for input 0 and \[2\] for input 1/);
    expect(() => layer.apply([feat1, [1, 2, 3.5, 4, 5]])).toThrow(/cross: expected input 1 to hold only integers, got 3.5 at sample 2/);
    const floats = ts.tensor([1, 2, 3, 4, 5]);
    expect(() => layer.apply([feat1, floats])).toThrow(/cross: expected input 1 to be int32 \(or JS strings\), got a float32 tensor/);
    const wide = ts.zeros([5, 2], 'int32');
    expect(() => layer.apply([wide, wide])).toThrow(/cross: expected features of shape \[\], \[batch\] or \[batch, 1\], got \[5, 2\]/);
    ts.dispose([floats, wide]);
    expect(() => ts.layers.hashedCrossing({ numBins: 5, outputMode: 'multi_hot' as 'int' })).toThrow(/expected outputMode to be one of int, one_hot/);
    expect(() => ts.layers.hashedCrossing({ numBins: 0 })).toThrow(/numBins/);
    expect(() => ts.layers.hashedCrossing({ numBins: 5, sparse: true })).toThrow(/sparse outputs are not supported/);
  });

  it('works in a functional model on int32 inputs, and refuses raw-string inputs with the way to go', () => {
    const a = ts.input({ shape: [1], dtype: 'int32' });
    const b = ts.input({ shape: [1], dtype: 'int32' });
    const crossed = ts.layers.hashedCrossing({ numBins: 7, outputMode: 'one_hot' }).apply([a, b]);
    expect(crossed.shape).toEqual([null, 7]);
    const model = ts.model({ inputs: [a, b], outputs: ts.layers.dense({ units: 1 }).apply(crossed) });
    const xa = ts.tensor([[1], [2]], undefined, 'int32');
    const xb = ts.tensor([[3], [4]], undefined, 'int32');
    const y = model.predict([xa, xb]) as ts.Tensor;
    expect(y.shape).toEqual([2, 1]);
    ts.dispose([xa, xb, y]);
    model.dispose();

    const s = ts.input({ shape: [1], dtype: 'string' });
    expect(() => ts.layers.hashedCrossing({ numBins: 7 }).apply([s, b])).toThrow(/holds raw strings; cross string features before the model/);
  });

  it('round-trips its config', () => {
    const layer = ts.layers.hashedCrossing({ numBins: 9, outputMode: 'one_hot', name: 'hc' });
    const back = ts.layers.deserializeLayer(ts.layers.serializeLayer(layer)) as ts.layers.HashedCrossing;
    expect(back).toBeInstanceOf(ts.layers.HashedCrossing);
    expect([back.numBins, back.outputMode, back.name]).toEqual([9, 'one_hot', 'hc']);
  });
});
