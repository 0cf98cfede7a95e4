// Batch normalization's two modes: in training it normalizes with the batch's own
// statistics and updates its moving averages; in inference it uses the moving averages.
// A frozen layer (trainable = false) always runs in inference mode, as in Keras 3, which
// is what fine-tuning a pretrained model wants.
//   node dist/examples/batch_norm_train_vs_inference.js [--quick]
import * as ts from '../src';
import { runAsScript, type ExampleOptions } from './common/main';

const format = (t: ts.Tensor) => `[${Array.from(t.dataSync(), (v) => v.toFixed(2)).join(', ')}]`;

// Per-feature mean and standard deviation of a batch, for printing.
function describeBatch(label: string, t: ts.Tensor): void {
  ts.tidy(() => {
    const { mean, variance } = ts.moments(t, 0);
    console.log(`${label}: mean ${format(mean)}, std ${format(ts.sqrt(variance))}`);
  });
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(10);
  // Three features with means 5, -2, 0 and standard deviations 3, 1, 0.5.
  const data = ts.tidy(() => ts.add(ts.mul(ts.randomNormal([256, 3]), ts.tensor([3, 1, 0.5])), ts.tensor([5, -2, 0])));
  describeBatch('input', data);

  const bn = ts.layers.batchNormalization({ momentum: 0.9 });
  const show = (label: string, training: boolean) => {
    const y = bn.apply(data, { training });
    describeBatch(label, y);
    y.dispose();
  };
  // A fresh layer's moving statistics are mean 0, variance 1: inference leaves data as is.
  show('inference, fresh layer', false);
  // Training normalizes with this batch's statistics: mean 0, std 1 whatever the moving ones.
  show('training', true);

  // Each training call moves the moving statistics 10% of the way (momentum 0.9).
  const steps = quick ? 10 : 50;
  for (let step = 1; step <= steps; step++) {
    ts.dispose(bn.apply(data, { training: true }));
    if (step % 10 === 0) console.log(`after ${step} training calls: moving mean ${format(bn.movingMean!)}, moving variance ${format(bn.movingVariance!)}`);
  }
  show('inference, after training', false);

  // Frozen: training: true now also uses the moving statistics and updates nothing.
  bn.trainable = false;
  const before = format(bn.movingMean!);
  show('frozen, called with training: true', true);
  console.log(
    `frozen: moving mean unchanged (${before} -> ${format(bn.movingMean!)}); trainable weights ${bn.trainableWeights.length}, non-trainable ${bn.nonTrainableWeights.length}`,
  );
  bn.dispose();

  // In a model: fit trains gamma and beta and updates the moving statistics; freeze the
  // BN layer and a second fit trains the rest while BN stays as it was.
  const model = ts.sequential({
    layers: [ts.layers.dense({ units: 16, inputShape: [3] }), ts.layers.batchNormalization({ name: 'bn' }), ts.layers.reLU(), ts.layers.dense({ units: 1 })],
  });
  // The target: the squared distance from the features' means, scaled by their variances.
  const target = ts.tidy(() => ts.sum(ts.square(ts.div(ts.sub(data, ts.tensor([5, -2, 0])), ts.tensor([3, 1, 0.5]))), 1, true));
  model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
  const history = await model.fit(data, target, { epochs: quick ? 2 : 20, batchSize: 32, verbose: 0 });
  const modelBn = model.getLayer('bn') as ts.layers.BatchNormalization;
  modelBn.trainable = false;
  const frozenMean = format(modelBn.movingMean!);
  // fit reads the trainable weights at every step, so the change needs no new compile()
  // (Keras asks for one; calling compile again here would do no harm).
  const tuned = await model.fit(data, target, { epochs: quick ? 2 : 10, batchSize: 32, verbose: 0 });
  console.log(
    `model: loss ${history.history.loss[0].toFixed(3)} -> ${tuned.history.loss.at(-1)!.toFixed(3)}; frozen bn moving mean ${frozenMean === format(modelBn.movingMean!) ? 'unchanged' : 'CHANGED'}`,
  );

  ts.dispose([data, target]);
  model.optimizer!.dispose();
  model.dispose();
  return { firstLoss: history.history.loss[0], lastLoss: tuned.history.loss.at(-1)! };
}

runAsScript(module, main);
