// convLstm1d/2d/3d against TensorFlow.js's tf.layers.convLstm2d (same weights, odd sizes),
// the 1-D and 3-D forms against the 2-D one on lifted inputs, gradients by finite
// differences, a short fit, configs, and saving (.keras, TensorFlow.js format both ways).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { layers, loadModel, mean, optimizers, sequential, tensor, variableGrads, zeros, type Tensor } from '../../src';
import { expectConfigRoundTrip } from '../helpers/layers';
import { expectClose, randomTensor } from '../helpers/reference';
import { tfjsFolder } from '../saving/helpers';

const values = (t: Tensor | tf.Tensor) => Array.from(t.dataSync());
const toTf = (t: Tensor) => tf.tensor(values(t), t.shape);

describe('convLstm2d against TensorFlow.js', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['valid', {}],
    ['same, sequences, states', { padding: 'same', returnSequences: true, returnState: true }],
    ['strides 2, backwards', { strides: [2, 1], goBackwards: true, returnSequences: true }],
    ['dilation, relu, no bias', { dilationRate: 2, padding: 'same', activation: 'relu', useBias: false }],
  ];
  test.each(cases)('%s', (_, options) => {
    const x = randomTensor([2, 3, 7, 5, 3], 1);
    const ours = layers.convLstm2d({ filters: 4, kernelSize: [3, 2], ...options });
    // TensorFlow.js's default recurrentActivation is its hardSigmoid; Keras 3's is sigmoid.
    const theirs = tf.layers.convLstm2d({ filters: 4, kernelSize: [3, 2], recurrentActivation: 'sigmoid', ...options } as never);
    const y = ours.apply(x) as Tensor | Tensor[];
    theirs.apply(toTf(x));
    theirs.setWeights(ours.getWeights().map(toTf));
    const z = theirs.apply(toTf(x)) as tf.Tensor | tf.Tensor[];
    const ys = Array.isArray(y) ? y : [y];
    const zs = Array.isArray(z) ? z : [z];
    expect(ys.length).toBe(zs.length);
    ys.forEach((t, i) => {
      expect(t.shape).toEqual(zs[i].shape);
      expectClose(values(t), values(zs[i]), 1e-5);
    });
    expect(ours.computeOutputShape([2, 3, 7, 5, 3])).toEqual(Array.isArray(y) ? ys.map((t) => t.shape) : ys[0].shape);
  });

  test('the initial state and the cell on its own agree with the layer', () => {
    const layer = layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same' });
    const x = randomTensor([1, 1, 4, 4, 2], 2);
    const h0 = randomTensor([1, 4, 4, 2], 3);
    const c0 = randomTensor([1, 4, 4, 2], 4);
    const y = layer.apply(x, { initialState: [h0, c0] }) as Tensor;
    const cell = layers.convLstm2dCell({ filters: 2, kernelSize: 3, padding: 'same' });
    cell.apply([tensor(values(x), [1, 4, 4, 2]), h0, c0]);
    cell.setWeights(layer.getWeights());
    const [h] = cell.apply([tensor(values(x), [1, 4, 4, 2]), h0, c0]) as Tensor[];
    expectClose(values(h), values(y), 1e-6);
  });
});

test('convLstm1d and convLstm3d equal convLstm2d on lifted inputs', () => {
  const x = randomTensor([2, 3, 6, 2], 5);
  const one = layers.convLstm1d({ filters: 3, kernelSize: 3, padding: 'same', returnSequences: true });
  const y1 = one.apply(x) as Tensor;
  const two = layers.convLstm2d({ filters: 3, kernelSize: [1, 3], padding: 'same', returnSequences: true });
  two.apply(tensor(values(x), [2, 3, 1, 6, 2]));
  two.setWeights(one.getWeights().map((w) => tensor(values(w), w.shape.length === 3 ? [1, ...w.shape] : w.shape)));
  expectClose(values(y1), values(two.apply(tensor(values(x), [2, 3, 1, 6, 2])) as Tensor), 1e-6);
  const three = layers.convLstm3d({ filters: 3, kernelSize: [1, 1, 3], padding: 'same', returnSequences: true });
  three.apply(tensor(values(x), [2, 3, 1, 1, 6, 2]));
  three.setWeights(one.getWeights().map((w) => tensor(values(w), w.shape.length === 3 ? [1, 1, ...w.shape] : w.shape)));
  const y3 = three.apply(tensor(values(x), [2, 3, 1, 1, 6, 2])) as Tensor;
  expect(y3.shape).toEqual([2, 3, 1, 1, 6, 3]);
  expectClose(values(y1), values(y3), 1e-6);
});

test('gradients match finite differences', () => {
  const layer = layers.convLstm2d({ filters: 1, kernelSize: 2, padding: 'same', dtype: 'float64' });
  const x = tensor(
    Array.from({ length: 2 * 3 * 3 * 1 }, (_, i) => Math.sin(i)),
    [1, 2, 3, 3, 1],
    'float64',
  );
  layer.apply(x);
  const loss = () => mean(layer.apply(x) as Tensor) as Tensor;
  const { grads } = variableGrads(loss);
  const eps = 1e-6;
  for (const w of layer.trainableWeights) {
    const analytic = values(grads[w.name]);
    const base = values(w);
    for (let i = 0; i < base.length; i++) {
      const at = (d: number) => {
        const v = [...base];
        v[i] += d;
        w.assign(tensor(v, w.shape, 'float64'));
        return values(loss())[0];
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      w.assign(tensor(base, w.shape, 'float64'));
      expect(Math.abs(numeric - analytic[i])).toBeLessThan(1e-6);
    }
  }
});

test('fit lowers the loss of a next-frame task', async () => {
  // A bright pixel moving right one column per frame; predict the next frame.
  const frames = (shift: number) =>
    Array.from({ length: 4 }, (_, t) => Array.from({ length: 25 }, (_, p) => (p % 5 === (t + shift) % 5 && Math.floor(p / 5) === shift % 5 ? 1 : 0))).flat();
  const xs = tensor([0, 1, 2, 3].flatMap(frames), [4, 4, 5, 5, 1]);
  // The frame after the last: the pixel one more column to the right, same row.
  const target = tensor(
    [0, 1, 2, 3].flatMap((s) => Array.from({ length: 25 }, (_, p) => (p % 5 === (4 + s) % 5 && Math.floor(p / 5) === s ? 1 : 0))),
    [4, 5, 5, 1],
  );
  const m = sequential({
    layers: [
      layers.convLstm2d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [4, 5, 5, 1], seed: 1 }),
      layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({ optimizer: new optimizers.Adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
  const history = await m.fit(xs, target, { epochs: 30, batchSize: 4, verbose: 0 });
  const loss = history.history.loss as number[];
  expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.7);
});

test('configs round-trip with flat options and Keras class names', () => {
  const layer = layers.convLstm2d({ filters: 2, kernelSize: 3, strides: 1, dropout: 0.1, recurrentDropout: 0.2, returnSequences: true });
  layer.apply(randomTensor([1, 2, 5, 5, 1]));
  expect(layer.getConfig()).toMatchObject({ filters: 2, kernelSize: [3, 3], dropout: 0.1, recurrentDropout: 0.2, unitForgetBias: true, returnSequences: true });
  expectConfigRoundTrip(layer);
  expect(layers.serializeLayer(layer).className).toBe('ConvLSTM2D');
  expect(layers.serializeLayer(layers.convLstm1d({ filters: 1, kernelSize: 2 })).className).toBe('ConvLSTM1D');
  expect(layers.serializeLayer(layers.convLstm3d({ filters: 1, kernelSize: 2 })).className).toBe('ConvLSTM3D');
  // Dropout in training changes the output; inference is deterministic.
  const x = randomTensor([1, 2, 5, 5, 1], 9);
  expect(values(layer.apply(x, { training: true }) as Tensor)).not.toEqual(values(layer.apply(x) as Tensor));
});

test('bad options and inputs name the layer', () => {
  expect(() => layers.convLstm2d({ filters: 0, kernelSize: 3 })).toThrow(/conv_lstm2d.*filters/);
  expect(() => layers.convLstm2d({ filters: 2, kernelSize: [3, 3, 3] })).toThrow(/kernelSize/);
  expect(() => layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'causal' as never })).toThrow(/padding/);
  expect(() => layers.convLstm2d({ filters: 2, kernelSize: 3, dropout: 1 })).toThrow(/dropout/);
  expect(() => layers.convLstm2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' })).toThrow(/channelsFirst/);
  expect(() => layers.convLstm2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/strides.*dilationRate/);
  expect(() => layers.convLstm2d({ filters: 2, kernelSize: 3, bogus: 1 } as never)).toThrow(/bogus/);
  expect(() => layers.convLstm2d({ filters: 2, kernelSize: 3 }).apply(randomTensor([1, 2, 5, 5]))).toThrow(/ndim|rank/);
  expect(() => layers.convLstm2d({ filters: 2, kernelSize: 3 }).apply(randomTensor([1, 0, 5, 5, 1]))).toThrow(/conv_lstm2d.*at least one step/);
  // The base class has no cell of its own.
  expect(() => new (layers.ConvLSTM as unknown as new (a: object) => unknown)({})).toThrow(
    /layers.ConvLSTM: the base class .*layers.convLstm1d, convLstm2d or convLstm3d/,
  );
});

test('an empty batch gives empty outputs of the right shapes, without stepping through its time axis', () => {
  // The time axis of an empty batch may be any length (2**31 split into steps ran out of memory).
  const seq = layers.convLstm1d({ filters: 2, kernelSize: 2, returnSequences: true, returnState: true });
  const [out, h, c] = seq.apply(zeros([0, 2 ** 31, 4, 3])) as Tensor[];
  expect([out.shape, h.shape, c.shape]).toEqual([
    [0, 2 ** 31, 3, 2],
    [0, 3, 2],
    [0, 3, 2],
  ]);
  const last = layers.convLstm2d({ filters: 3, kernelSize: 2 }).apply(zeros([0, 5, 4, 4, 2])) as Tensor;
  expect(last.shape).toEqual([0, 3, 3, 3]);
});

test('stateful: each call starts where the previous ended', () => {
  const layer = layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', stateful: true, batchInputShape: [1, 2, 4, 4, 1] });
  const x = randomTensor([1, 4, 4, 4, 1], 11);
  const whole = layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same' });
  whole.apply(x);
  layer.apply(randomTensor([1, 2, 4, 4, 1]));
  layer.setWeights(whole.getWeights());
  layer.resetStates();
  const [a, b] = [0, 2].map((t) => tensor(values(x).slice(t * 16, (t + 2) * 16), [1, 2, 4, 4, 1]));
  layer.apply(a);
  expectClose(values(layer.apply(b) as Tensor), values(whole.apply(x) as Tensor), 1e-6);
});

describe('saving', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlstm-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const x = randomTensor([2, 3, 5, 4, 2], 13);
  const build = () =>
    sequential({ layers: [layers.convLstm2d({ filters: 3, kernelSize: 3, padding: 'same', returnSequences: true, inputShape: [3, 5, 4, 2] })] });

  test('.keras round trip', async () => {
    const m = build();
    const file = path.join(dir, 'm.keras');
    await m.save(file);
    const loaded = await loadModel(file);
    expectClose(values(loaded.apply(x) as Tensor), values(m.apply(x) as Tensor), 0, 0);
  });

  test('TensorFlow.js format: ours loads in TensorFlow.js and back', async () => {
    const m = build();
    const where = path.join(dir, 'ours');
    await m.save(where);
    const theirs = await tf.loadLayersModel(tfjsFolder(tf, where));
    expectClose(values(theirs.predict(toTf(x)) as tf.Tensor), values(m.apply(x) as Tensor), 1e-5);
    const loaded = await loadModel(where);
    expectClose(values(loaded.apply(x) as Tensor), values(m.apply(x) as Tensor), 0, 0);
  });

  test('a model.json written by TensorFlow.js loads and predicts the same', async () => {
    const theirs = tf.sequential({
      layers: [tf.layers.convLstm2d({ filters: 2, kernelSize: 2, strides: 2, inputShape: [3, 5, 4, 2], returnSequences: true })],
    });
    const where = path.join(dir, 'theirs');
    await theirs.save(tfjsFolder(tf, where));
    const loaded = await loadModel(where);
    expectClose(values(loaded.apply(x) as Tensor), values(theirs.predict(toTf(x)) as tf.Tensor), 1e-5);
  });
});

test('the cell is named as Keras names it: weight paths conv_lstm2d/conv_lstm_cell/kernel', () => {
  const layer = layers.convLstm2d({ filters: 2, kernelSize: 3 });
  layer.apply(zeros([1, 2, 5, 5, 1])).dispose();
  expect(layer.weights.map((w) => w.path)).toEqual(['kernel', 'recurrent_kernel', 'bias'].map((n) => `${layer.name}/conv_lstm_cell/${n}`));
  layer.dispose();
});
