// Training without fit: a GradientTape records the forward pass, the optimizer applies
// the gradients, tidy releases each step's intermediates, and metrics are updated and
// read by hand, in an epoch loop over a shuffled, batched Dataset.
//   node dist/examples/custom_training_loop.js [--quick]
import * as ts from '../src';
import { fashionMnistDir } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(6);
  const { train, test } = ts.datasets.fashionMnist.load({ path: fashionMnistDir(), limit: quick ? 512 : 6000 });
  const flat = (images: ts.Tensor) => ts.reshape(images, [images.shape[0], 784]);
  const trainX = flat(train.images);
  const testX = flat(test.images);

  const model = ts.sequential({
    layers: [ts.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), ts.layers.dropout({ rate: 0.2 }), ts.layers.dense({ units: 10 })],
  });
  const optimizer = new ts.optimizers.Adam({ learningRate: 1e-3 });
  const lossFn = new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true });
  const meanLoss = new ts.metrics.Mean({ name: 'loss' });
  const trainAccuracy = new ts.metrics.SparseCategoricalAccuracy();
  const testAccuracy = new ts.metrics.SparseCategoricalAccuracy();
  // Metrics give their value as a tensor (the caller owns it); a number is handier here.
  const valueOf = (metric: ts.Metric) => ts.tidy(() => metric.result().dataSync()[0]);

  // Dataset: slices of the tensors, reshuffled every epoch, in batches of 64.
  const batches = ts.data.fromTensors({ xs: trainX, ys: train.labels }).shuffle(1024, 6).batch(64);
  const epochs = quick ? 2 : 5;
  const losses: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    meanLoss.resetState();
    trainAccuracy.resetState();
    for await (const batch of batches) {
      const { xs, ys } = batch as { xs: ts.Tensor; ys: ts.Tensor };
      ts.tidy(() => {
        // Trainable variables read during the forward pass are watched automatically.
        const tape = new ts.GradientTape();
        const logits = model.apply(xs, { training: true });
        const loss = lossFn.apply(ys, logits);
        const grads = tape.gradient(loss, model.trainableWeights);
        optimizer.applyGradients(model.trainableWeights.map((v, i): [ts.Tensor | null, ts.Variable] => [grads[i], v]));
        meanLoss.updateState(loss);
        trainAccuracy.updateState(ys, logits);
      });
      ts.dispose([xs, ys]); // the batch belongs to us once the dataset handed it over
    }
    // Evaluation: inference mode (dropout off), no tape.
    testAccuracy.resetState();
    ts.tidy(() => testAccuracy.updateState(test.labels, model.apply(testX, { training: false })));
    losses.push(valueOf(meanLoss));
    console.log(
      `epoch ${epoch}/${epochs}: loss ${losses[epoch - 1].toFixed(4)}, accuracy ${valueOf(trainAccuracy).toFixed(4)}, test accuracy ${valueOf(testAccuracy).toFixed(4)}, live tensors ${ts.memory().numTensors}`,
    );
  }

  const accuracy = valueOf(testAccuracy);
  ts.dispose([train.images, train.labels, test.images, test.labels, trainX, testX]);
  optimizer.dispose(); // its moment estimates, one pair per weight
  model.dispose();
  return { firstLoss: losses[0], lastLoss: losses[losses.length - 1], accuracy };
}

runAsScript(module, main);
