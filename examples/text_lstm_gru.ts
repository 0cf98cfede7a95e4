// Recurrent layers on token sequences: does the text contain the keyword? Sequences have
// different lengths and are padded with 0; Embedding({maskZero: true}) marks the padding
// and the LSTM / GRU skip those steps. One model with an LSTM, one with a bidirectional GRU.
//   node dist/examples/text_lstm_gru.js [--quick]
import * as ts from '../src';
import { randomSequences } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

const MAX_LENGTH = 20;
const VOCABULARY = 30; // ids 1..29; 0 is padding
const KEYWORD = 7;

function makeData(n: number, seed: number): { ids: ts.Tensor; labels: ts.Tensor } {
  const { ids, rows } = randomSequences(n, MAX_LENGTH, VOCABULARY, seed);
  const labels = Float32Array.from(rows, (row) => (row.includes(KEYWORD) ? 1 : 0));
  return { ids, labels: ts.tensor(labels, [n, 1]) };
}

function classifier(recurrent: ts.layers.Layer): ts.Sequential {
  return ts.sequential({
    layers: [
      ts.layers.embedding({ inputDim: VOCABULARY, outputDim: 16, maskZero: true, inputShape: [MAX_LENGTH], inputDType: 'int32' }),
      recurrent,
      ts.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(11);
  const train = makeData(quick ? 256 : 3000, 1);
  const test = makeData(quick ? 64 : 500, 2);

  // The mask the embedding passes on: true for real tokens, false for padding.
  const embedding = ts.layers.embedding({ inputDim: VOCABULARY, outputDim: 4, maskZero: true });
  const firstRow = ts.slice(train.ids, [0], [1]);
  const mask = embedding.computeMask(firstRow) as ts.Tensor;
  console.log(`ids  ${firstRow.arraySync()}\nmask ${mask.arraySync()}`);
  ts.dispose([firstRow, mask]);

  const models = {
    lstm: classifier(ts.layers.lstm({ units: 32 })),
    // Both directions over the real tokens (the mask also applies to the backward pass).
    bidirectional_gru: classifier(ts.layers.bidirectional({ layer: ts.layers.gru({ units: 16 }) })),
  };
  const results: Record<string, number> = {};
  for (const [name, model] of Object.entries(models)) {
    model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 5e-3 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    console.log(`\n${name}: ${model.countParams()} parameters`);
    const history = await model.fit(train.ids, train.labels, { epochs: quick ? 3 : 5, batchSize: 64, verbose: 2 });
    const { accuracy } = await model.evaluate(test.ids, test.labels);
    console.log(`${name}: test accuracy ${(100 * accuracy).toFixed(1)}%`);
    if (name === 'lstm') Object.assign(results, { firstLoss: history.history.loss[0], lastLoss: history.history.loss.at(-1)!, accuracy });
    model.optimizer!.dispose();
    model.dispose();
  }

  ts.dispose([train, test]);
  return results;
}

runAsScript(module, main);
