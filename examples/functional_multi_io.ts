// A functional model with two inputs and two outputs: a padded token sequence goes
// through an Embedding (maskZero) and an LSTM, a vector of numbers through a Dense
// layer; the two are concatenated and feed a classification head and a regression head.
// compile takes a loss, a loss weight and metrics per output; fit takes name-keyed objects.
//   node dist/examples/functional_multi_io.js [--quick]
import * as ts from '../src';
import { randomSequences, seededRandom } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

const MAX_LENGTH = 12;
const VOCABULARY = 19; // ids 1..18; 0 is padding

// Targets: `topic` is which third of the vocabulary (ids 1-6, 7-12, 13-18) is most frequent
// in the text; `score` mixes the numbers with the text's length.
function makeData(n: number, seed: number) {
  const { ids, rows } = randomSequences(n, MAX_LENGTH, VOCABULARY, seed);
  const random = seededRandom(seed + 1);
  const numbers = Float32Array.from({ length: n * 4 }, () => 2 * random() - 1);
  const topic = Int32Array.from(rows, (row) => {
    const counts = [0, 0, 0];
    for (const id of row) counts[Math.floor((id - 1) / 6)]++;
    return counts.indexOf(Math.max(...counts));
  });
  const score = Float32Array.from(rows, (row, i) => numbers[4 * i] - 0.5 * numbers[4 * i + 1] + row.length / MAX_LENGTH);
  return {
    inputs: { text: ids, numbers: ts.tensor(numbers, [n, 4]) },
    targets: { topic: ts.tensor(topic, [n], 'int32'), score: ts.tensor(score, [n, 1]) },
  };
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(2);
  const { layers } = ts;

  const text = ts.input({ shape: [MAX_LENGTH], dtype: 'int32', name: 'text' });
  const numbers = ts.input({ shape: [4], name: 'numbers' });
  // maskZero: id 0 is padding; the mask travels with the embedded sequence, so the LSTM
  // skips the padded steps (its state carries over them).
  const embedded = layers.embedding({ inputDim: VOCABULARY, outputDim: 16, maskZero: true }).apply(text);
  const textFeatures = layers.lstm({ units: 32 }).apply(embedded);
  const numberFeatures = layers.dense({ units: 16, activation: 'relu' }).apply(numbers);
  const joined = layers.concatenate().apply([textFeatures, numberFeatures]);
  const hidden = layers.dense({ units: 32, activation: 'relu' }).apply(joined);
  const topic = layers.dense({ units: 3, activation: 'softmax', name: 'topic' }).apply(hidden);
  const score = layers.dense({ units: 1, name: 'score' }).apply(hidden);
  // Objects for inputs and outputs name them: fit, evaluate and predict take and give
  // objects with these keys (lists in the same order work too).
  const model = ts.model({ name: 'text_and_numbers', inputs: { text, numbers }, outputs: { topic, score } });
  model.summary();

  model.compile({
    optimizer: 'adam',
    loss: { topic: 'sparseCategoricalCrossentropy', score: 'mse' },
    lossWeights: { topic: 1, score: 0.5 },
    metrics: { topic: ['accuracy'], score: ['mae'] },
  });

  const train = makeData(quick ? 256 : 4000, 10);
  const validation = makeData(quick ? 64 : 500, 20);
  const history = await model.fit(train.inputs, train.targets, {
    epochs: quick ? 3 : 15,
    batchSize: 64,
    validationData: [validation.inputs, validation.targets],
    verbose: 2,
  });
  // Logs: loss (the weighted total), topic_loss, score_loss, topic_accuracy, score_mae, val_*.
  const logs = await model.evaluate(validation.inputs, validation.targets);
  console.log(`validation: topic accuracy ${(100 * logs.topic_accuracy).toFixed(1)}%, score MAE ${logs.score_mae.toFixed(3)}`);

  // predict on tensors is synchronous (a Promise only for a Dataset), as in TensorFlow.js.
  const predictions = model.predict(validation.inputs);
  console.log(`predict gives {${Object.keys(predictions).join(', ')}}: shapes ${predictions.topic.shape} and ${predictions.score.shape}`);

  model.dispose(); // its weights, and the Adam that compile made from the name
  ts.dispose([train, validation, predictions]);
  const losses = history.history.loss;
  return { firstLoss: losses[0], lastLoss: losses[losses.length - 1], topicAccuracy: logs.topic_accuracy };
}

runAsScript(module, main);
