// TensorFlow.js's Layers format both ways: models saved by Tessera load in TensorFlow.js
// (tf.loadLayersModel) and predict the same; models saved by TensorFlow.js load in
// Tessera and predict the same; and TensorFlow.js's own integration-test fixture loads.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { input, layers, loadModel, model, sequential, tensor, type Model, type Tensor } from '../../src';
import { expectClose } from '../helpers/reference';
import { fixture, tempDir, tfjsFolder } from './helpers';

const dir = tempDir();
let count = 0;
const fresh = () => path.join(dir, `m${count++}`);

// Deterministic inputs: values in [-1, 1), ids in [0, vocab).
const floats = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + 0.3));
};
const ids = (shape: number[], vocab: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => (i * 7 + 3) % vocab);
};

interface Case {
  name: string;
  /** Input shapes (with batch) and whether they are ids. */
  inputs: { shape: number[]; vocab?: number }[];
  tessera: () => Model<any>;
  tfjs: () => tf.LayersModel;
}

const cases: Case[] = [
  {
    name: 'dense MLP (sequential)',
    inputs: [{ shape: [3, 5] }],
    tessera: () =>
      sequential({
        layers: [
          layers.dense({ units: 8, inputShape: [5], activation: 'relu' }),
          layers.dropout({ rate: 0.3 }),
          layers.dense({ units: 3, activation: 'softmax' }),
        ],
      }),
    tfjs: () =>
      tf.sequential({
        layers: [
          tf.layers.dense({ units: 8, inputShape: [5], activation: 'relu' }),
          tf.layers.dropout({ rate: 0.3 }),
          tf.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      }),
  },
  {
    name: 'two inputs, two outputs, a shared layer (functional)',
    inputs: [{ shape: [2, 4] }, { shape: [2, 4] }],
    tessera: () => {
      const a = input({ shape: [4], name: 'a' });
      const b = input({ shape: [4], name: 'b' });
      const shared = layers.dense({ units: 3, activation: 'tanh', name: 'shared' });
      const joined = layers.concatenate({ name: 'joined' }).apply([shared.apply(a), shared.apply(b)]);
      const out1 = layers.dense({ units: 2, name: 'out1' }).apply(joined);
      const out2 = layers.add({ name: 'out2' }).apply([shared.apply(a), shared.apply(b)]);
      return model({ inputs: [a, b], outputs: [out1, out2] });
    },
    tfjs: () => {
      const a = tf.input({ shape: [4], name: 'a' });
      const b = tf.input({ shape: [4], name: 'b' });
      const shared = tf.layers.dense({ units: 3, activation: 'tanh', name: 'shared' });
      const joined = tf.layers.concatenate({ name: 'joined' }).apply([shared.apply(a), shared.apply(b)] as tf.SymbolicTensor[]) as tf.SymbolicTensor;
      const out1 = tf.layers.dense({ units: 2, name: 'out1' }).apply(joined) as tf.SymbolicTensor;
      const out2 = tf.layers.add({ name: 'out2' }).apply([shared.apply(a), shared.apply(b)] as tf.SymbolicTensor[]) as tf.SymbolicTensor;
      return tf.model({ inputs: [a, b], outputs: [out1, out2] });
    },
  },
  {
    name: 'conv2d + max pooling + batch norm + flatten + dense',
    inputs: [{ shape: [2, 6, 6, 2] }],
    tessera: () =>
      sequential({
        layers: [
          layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 2] }),
          layers.maxPooling2d({ poolSize: 2 }),
          layers.batchNormalization({}),
          layers.flatten(),
          layers.dense({ units: 2 }),
        ],
      }),
    tfjs: () =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 2] }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.batchNormalization({}),
          tf.layers.flatten(),
          tf.layers.dense({ units: 2 }),
        ],
      }),
  },
  {
    // TensorFlow.js loads weights by name: a depthwise kernel is 'depthwise_kernel' there.
    name: 'depthwise and separable conv2d',
    inputs: [{ shape: [2, 6, 6, 2] }],
    tessera: () =>
      sequential({
        layers: [
          layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, inputShape: [6, 6, 2] }),
          layers.separableConv2d({ filters: 3, kernelSize: 2, padding: 'same' }),
          layers.flatten(),
        ],
      }),
    tfjs: () =>
      tf.sequential({
        layers: [
          tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, inputShape: [6, 6, 2] }),
          tf.layers.separableConv2d({ filters: 3, kernelSize: 2, padding: 'same' }),
          tf.layers.flatten(),
        ],
      }),
  },
  {
    name: 'embedding + lstm',
    inputs: [{ shape: [2, 5], vocab: 10 }],
    tessera: () =>
      sequential({ layers: [layers.embedding({ inputDim: 10, outputDim: 4, inputShape: [5] }), layers.lstm({ units: 3 }), layers.dense({ units: 1 })] }),
    tfjs: () =>
      tf.sequential({
        layers: [tf.layers.embedding({ inputDim: 10, outputDim: 4, inputShape: [5] }), tf.layers.lstm({ units: 3 }), tf.layers.dense({ units: 1 })],
      }),
  },
  {
    name: 'rnn of stacked cells (lstm, gru)',
    inputs: [{ shape: [2, 5, 3] }],
    tessera: () =>
      sequential({
        layers: [
          layers.rnn({ cell: [layers.lstmCell({ units: 4 }), layers.gruCell({ units: 2, resetAfter: false })], inputShape: [5, 3] }),
          layers.dense({ units: 1 }),
        ],
      }),
    tfjs: () =>
      tf.sequential({
        layers: [
          tf.layers.rnn({ cell: [tf.layers.lstmCell({ units: 4 }), tf.layers.gruCell({ units: 2 })], inputShape: [5, 3] }),
          tf.layers.dense({ units: 1 }),
        ],
      }),
  },
  {
    name: 'stateful lstm',
    inputs: [{ shape: [2, 5, 3] }],
    tessera: () => sequential({ layers: [layers.lstm({ units: 3, stateful: true, batchInputShape: [2, 5, 3] }), layers.dense({ units: 1 })] }),
    tfjs: () => tf.sequential({ layers: [tf.layers.lstm({ units: 3, stateful: true, batchInputShape: [2, 5, 3] }), tf.layers.dense({ units: 1 })] }),
  },
];

const tesseraInputs = (c: Case): Tensor[] =>
  c.inputs.map((i) => (i.vocab ? tensor(ids(i.shape, i.vocab), i.shape, 'int32') : tensor(floats(i.shape), i.shape)));
const tfjsInputs = (c: Case): tf.Tensor[] =>
  c.inputs.map((i) => (i.vocab ? tf.tensor(ids(i.shape, i.vocab), i.shape, 'int32') : tf.tensor(floats(i.shape), i.shape)));
const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const one = <T>(xs: T[]): T | T[] => (xs.length === 1 ? xs[0] : xs);

describe.each(cases)('$name', (c) => {
  test('saved by Tessera, loaded by TensorFlow.js: same predictions', async () => {
    const m = c.tessera();
    const where = fresh();
    await m.save(where);
    const loaded = await tf.loadLayersModel(tfjsFolder(tf, where));
    const ours = asList(m.apply(one(tesseraInputs(c)) as Tensor) as Tensor | Tensor[]);
    const theirs = asList(loaded.predict(one(tfjsInputs(c))) as tf.Tensor | tf.Tensor[]);
    expect(theirs.length).toBe(ours.length);
    ours.forEach((t, i) => expectClose(Array.from(theirs[i].dataSync()), Array.from(t.dataSync()), 1e-5));
    // TensorFlow.js has every weight, bit for bit.
    const bits = (xs: ArrayLike<number>[]) => xs.map((v) => Buffer.from(Float32Array.from(v).buffer).toString('base64')).sort();
    expect(bits(loaded.getWeights().map((w) => w.dataSync()))).toEqual(bits(m.weights.map((w) => w.dataSync())));
  });

  test('saved by TensorFlow.js, loaded by Tessera: same predictions', async () => {
    const theirModel = c.tfjs();
    const where = fresh();
    await theirModel.save(tfjsFolder(tf, where));
    const m = await loadModel(where);
    const ours = asList(m.apply(one(tesseraInputs(c)) as Tensor) as Tensor | Tensor[]);
    const theirs = asList(theirModel.predict(one(tfjsInputs(c))) as tf.Tensor | tf.Tensor[]);
    expect(ours.length).toBe(theirs.length);
    theirs.forEach((t, i) => expectClose(Array.from(ours[i].dataSync()), Array.from(t.dataSync()), 1e-5));
  });
});

describe("TensorFlow.js's fixture: embedding + GRU (go_backwards, hard_sigmoid, reset_after false)", () => {
  const where = fixture('tfjs/embedding-gru');

  test('loads and predicts what TensorFlow.js predicts', async () => {
    const m = await loadModel(where);
    expect(m.layers.map((l) => l.name)).toEqual(['embedding_Embedding2', 'gru_GRU1']);
    const x = ids([3, 10], 100);
    const theirs = (await tf.loadLayersModel(tfjsFolder(tf, where))).predict(tf.tensor(x, [3, 10])) as tf.Tensor;
    const ours = m.apply(tensor(x, [3, 10], 'int32')) as Tensor;
    expect(ours.shape).toEqual([3, 4]);
    expectClose(Array.from(ours.dataSync()), Array.from(theirs.dataSync()), 1e-5);
  });
});
