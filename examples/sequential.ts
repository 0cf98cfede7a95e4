// A Sequential model, built two ways (the constructor's list of layers, and add()),
// summarized, trained with fit, evaluated, and used to predict.
//   node dist/examples/sequential.js [--quick]
import * as ts from '../src';
import { syntheticClasses } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(1);
  // 20 features, 3 classes: each label is the largest of three random projections.
  const { x, y } = syntheticClasses(quick ? 512 : 8000, 20, 3, 1);

  // 1. The constructor: the first layer's inputShape fixes the model's input.
  const model = ts.sequential({
    name: 'mlp',
    layers: [
      ts.layers.dense({ units: 64, activation: 'relu', inputShape: [20] }),
      ts.layers.dropout({ rate: 0.1 }),
      ts.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  model.summary();

  // 2. add(): start from an input() (or give the first layer an inputShape); each layer
  // is applied as it is added, so a layer that does not fit fails here, not in fit.
  const stacked = ts.sequential({ name: 'mlp_with_add' });
  stacked.add(ts.input({ shape: [20] }));
  stacked.add(ts.layers.dense({ units: 64, activation: 'relu' }));
  stacked.add(ts.layers.dense({ units: 3, activation: 'softmax' }));
  stacked.summary();
  stacked.dispose(); // only shown; releases its weights

  // Integer labels with softmax outputs: sparse categorical cross-entropy; 'accuracy'
  // becomes sparse categorical accuracy from the loss and the shapes, as in Keras.
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: quick ? 3 : 15, batchSize: 64, validationSplit: 0.2, verbose: 2 });

  const { loss, accuracy } = await model.evaluate(x, y, { batchSize: 256 });
  console.log(`evaluate: loss ${loss.toFixed(4)}, accuracy ${(100 * accuracy).toFixed(1)}%`);

  // predict returns probabilities; argMax picks the class.
  const [first, labels] = [ts.slice(x, [0], [5]), ts.slice(y, [0], [5])];
  const probs = model.predict(first);
  const predicted = ts.argMax(probs, 1);
  console.log(`predicted ${predicted.arraySync()}, labels ${labels.arraySync()}`);

  ts.dispose([x, y, first, labels, probs, predicted]);
  model.dispose(); // its weights, and the Adam that compile made from the name
  const losses = history.history.loss;
  return { firstLoss: losses[0], lastLoss: losses[losses.length - 1], accuracy };
}

runAsScript(module, main);
