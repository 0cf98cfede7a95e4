// ts.layers.Wrapper (Keras 3's keras.layers.Wrapper): the base of TimeDistributed and
// SpectralNormalization, and of a user's own wrapper, which must work as a layer.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from '../../src';

/** A user's wrapper: the wrapped layer's output, doubled. */
class Twice extends ts.layers.Wrapper {
  static override className = 'Twice';
  override call(x: ts.Tensor): ts.Tensor {
    return ts.mul(this.layer.apply(x) as ts.Tensor, 2);
  }
}

const x = ts.tensor([
  [1, 2, 3],
  [-1, 0, 0.5],
]);

test("a subclass builds the wrapped layer, owns its weights and follows the wrapper's trainable", () => {
  const dense = ts.layers.dense({ units: 2, kernelInitializer: 'ones' });
  const w = new Twice({ layer: dense, name: 'twice' });
  expect(w.layer).toBe(dense);
  const y = w.apply(x) as ts.Tensor;
  expect(Array.from(y.dataSync())).toEqual([12, 12, -1, -1]);
  expect(dense.built).toBe(true);
  expect(w.weights.length).toBe(2);
  w.weights.forEach((v, i) => expect(v).toBe(dense.weights[i]));
  expect(w.countParams()).toBe(8);
  w.trainable = false;
  expect(dense.trainable).toBe(false);
  expect(w.trainableWeights).toEqual([]);
  expect(w.nonTrainableWeights.length).toBe(2);
});

test('config holds the wrapped layer serialized; fromConfig and a saved model give it back', async () => {
  const w = new Twice({ layer: ts.layers.dense({ units: 2, name: 'inner' }), name: 'twice' });
  const config = w.getConfig();
  expect(config.layer).toMatchObject({ className: 'Dense', config: { units: 2, name: 'inner' } });
  const back = Twice.fromConfig(config);
  expect(back).toBeInstanceOf(Twice);
  expect(back.layer).toBeInstanceOf(ts.layers.Dense);
  expect(back.layer.name).toBe('inner');

  const model = ts.sequential({ layers: [ts.layers.inputLayer({ inputShape: [3] }), w] });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wrapper-')), 'm.keras');
  await model.save(file);
  const loaded = await ts.loadModel(file, { customObjects: { Twice } });
  expect(loaded.layers[0]).toBeInstanceOf(Twice);
  expect(Array.from((loaded.predict(x) as ts.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as ts.Tensor).dataSync()));
});

test('TimeDistributed and SpectralNormalization are Wrappers (Bidirectional is not, as in Keras 3)', () => {
  const td = ts.layers.timeDistributed({ layer: ts.layers.dense({ units: 2 }) });
  expect(td).toBeInstanceOf(ts.layers.Wrapper);
  expect(ts.layers.spectralNormalization({ layer: ts.layers.dense({ units: 2 }) })).toBeInstanceOf(ts.layers.Wrapper);
  expect(ts.layers.bidirectional({ layer: ts.layers.lstm({ units: 2 }) })).not.toBeInstanceOf(ts.layers.Wrapper);
  expect(Object.keys(td.getConfig()).sort()).toEqual(['dtype', 'layer', 'name', 'trainable']);
});

test('bad options name the wrapper', () => {
  expect(() => new ts.layers.Wrapper({ layer: 3 as never, name: 'w1' })).toThrow(/^w1: expected layer to be a Layer \(or its \{className, config\}\), got 3/);
  expect(() => new ts.layers.Wrapper({ name: 'w2' } as never)).toThrow(/^w2: expected layer to be a Layer/);
  expect(() => new ts.layers.Wrapper({ layer: ts.layers.dense({ units: 1 }), units: 2 } as never)).toThrow(/Wrapper.*unknown option 'units'/);
  // Keras's Wrapper has no call of its own: a bare one cannot be applied
  expect(() => new ts.layers.Wrapper({ layer: ts.layers.dense({ units: 1 }), name: 'w3' }).apply(x)).toThrow(/w3 \(Wrapper\) does not implement call\(\)/);
});
