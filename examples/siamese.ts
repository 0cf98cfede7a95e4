// A siamese network: one encoder applied to two inputs, so both branches share its
// weights, then a distance head that says whether the two inputs show the same thing.
//   node dist/examples/siamese.js [--quick]
import * as ts from '../src';
import { seededRandom } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

const FEATURES = 16;
const IDENTITIES = 20;

// Pairs of noisy views of 20 random prototypes: half of the same prototype (label 1),
// half of two different ones (label 0).
function makePairs(n: number, seed: number) {
  const random = seededRandom(seed);
  return ts.tidy(() => {
    const prototypes = ts.randomNormal([IDENTITIES, FEATURES], 0, 1, 'float32', 7);
    const left = Int32Array.from({ length: n }, () => Math.floor(random() * IDENTITIES));
    const same = Float32Array.from({ length: n }, (_, i) => i % 2);
    const right = left.map((id, i) => (same[i] ? id : (id + 1 + Math.floor(random() * (IDENTITIES - 1))) % IDENTITIES));
    const view = (ids: Int32Array, s: number) =>
      ts.add(ts.gather(prototypes, ts.tensor(ids, [n], 'int32')), ts.randomNormal([n, FEATURES], 0, 0.5, 'float32', s));
    return { a: view(left, seed + 1), b: view(right, seed + 2), same: ts.tensor(same, [n, 1]) };
  });
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(3);
  const { layers } = ts;

  // The encoder is itself a model; applying it twice records two nodes of one layer.
  const encoder = ts.sequential({
    name: 'encoder',
    layers: [layers.dense({ units: 32, activation: 'relu', inputShape: [FEATURES] }), layers.dense({ units: 8 })],
  });
  const a = ts.input({ shape: [FEATURES], name: 'a' });
  const b = ts.input({ shape: [FEATURES], name: 'b' });
  const difference = layers.subtract().apply([encoder.apply(a), encoder.apply(b)]);
  // |ea - eb| per embedding dimension, then a learned weighting of the dimensions.
  const distance = layers.lambda({ function: (d: ts.Tensor) => ts.abs(d), name: 'abs' }).apply(difference);
  const same = layers.dense({ units: 1, activation: 'sigmoid', name: 'same' }).apply(distance);
  const model = ts.model({ name: 'siamese', inputs: [a, b], outputs: same });
  model.summary();
  // One set of encoder weights serves both branches: the model's parameters are the
  // encoder's plus the head's 9, not twice the encoder's.
  console.log(`encoder params ${encoder.countParams()}, model params ${model.countParams()}, encoder applied ${encoder.inboundNodes.length} times`);

  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const train = makePairs(quick ? 256 : 6000, 100);
  const test = makePairs(quick ? 64 : 1000, 200);
  const history = await model.fit([train.a, train.b], train.same, { epochs: quick ? 3 : 15, batchSize: 64, verbose: 2 });
  const { accuracy } = await model.evaluate([test.a, test.b], test.same);
  console.log(`test accuracy on unseen pairs: ${(100 * accuracy).toFixed(1)}%`);

  // The trained encoder alone embeds inputs, e.g. to search for nearest neighbours.
  const four = ts.slice(test.a, [0], [4]);
  const embeddings = encoder.apply(four);
  console.log(`embeddings of 4 inputs: shape ${embeddings.shape}`);

  ts.dispose([train, test, four, embeddings]);
  model.dispose(); // the encoder's weights are the model's: disposed with it
  const losses = history.history.loss;
  return { firstLoss: losses[0], lastLoss: losses[losses.length - 1], accuracy };
}

runAsScript(module, main);
