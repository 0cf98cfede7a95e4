// Overriding trainStep (Keras 3's train_step) for adversarial training: each batch is
// augmented with its FGSM perturbation (Goodfellow et al. 2015), the inputs moved by
// epsilon in the direction that most increases the loss. fit, its progress output and
// callbacks work unchanged, because only the step is replaced.
//   node dist/examples/custom_train_step.js [--quick]
import * as ts from '../src';
import { fashionMnistDir } from './common/data';
import { fgsm as fgsmAgainst } from './common/fgsm';
import { runAsScript, type ExampleOptions } from './common/main';

const lossFn = new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true });
const fgsm = (model: ts.Model, x: ts.Tensor, y: ts.Tensor, epsilon: number) => fgsmAgainst(model, lossFn, x, y, epsilon);

class RobustMlp extends ts.Model {
  hidden = ts.layers.dense({ units: 128, activation: 'relu' });
  logits = ts.layers.dense({ units: 10 });

  /** epsilon 0 trains plainly (the baseline). */
  constructor(readonly epsilon: number) {
    super();
  }

  override call(x: ts.Tensor): ts.Tensor {
    return this.logits.apply(this.hidden.apply(x));
  }

  // Runs inside fit's per-batch tidy, so the adversarial batch is released with the step.
  // The default step does the rest: forward under a tape, compiled loss, update, metrics.
  override trainStep(batch: ts.Batch<ts.Tensor, ts.Tensor>): ts.StepLogs {
    if (this.epsilon === 0) return super.trainStep(batch);
    const x = batch.x;
    const y = batch.y!;
    const adversarial = fgsm(this, x, y, this.epsilon);
    return super.trainStep({ x: ts.concat([x, adversarial]), y: ts.concat([y, y]) });
  }
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(13);
  const { train, test } = ts.datasets.fashionMnist.load({ path: fashionMnistDir(), limit: quick ? 512 : 6000 });
  const trainX = ts.reshape(train.images, [-1, 784]);
  const testX = ts.reshape(test.images, [-1, 784]);
  const epsilon = 0.05;

  const results: Record<string, number> = {};
  for (const model of [new RobustMlp(0), new RobustMlp(epsilon)]) {
    const name = model.epsilon === 0 ? 'plain' : 'adversarial';
    model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 1e-3 }), loss: lossFn, metrics: ['accuracy'] });
    let steps = 0;
    const counter = new ts.callbacks.LambdaCallback({ onTrainBatchEnd: () => void steps++ });
    console.log(`\n${name} training (epsilon ${model.epsilon}):`);
    const history = await model.fit(trainX, train.labels, { epochs: quick ? 2 : 5, batchSize: 64, verbose: 2, callbacks: [counter] });

    const clean = await model.evaluate(testX, test.labels, { batchSize: 500 });
    // Attack each model with perturbations computed against itself.
    const attacked = fgsm(model, testX, test.labels, epsilon);
    const underAttack = await model.evaluate(attacked, test.labels, { batchSize: 500 });
    attacked.dispose();
    console.log(
      `${name}: ${steps} steps; test accuracy ${(100 * clean.accuracy).toFixed(1)}% clean, ${(100 * underAttack.accuracy).toFixed(1)}% under FGSM (epsilon ${epsilon})`,
    );
    const losses = history.history.loss;
    if (model.epsilon > 0)
      Object.assign(results, { firstLoss: losses[0], lastLoss: losses.at(-1)!, accuracy: clean.accuracy, attackedAccuracy: underAttack.accuracy });
    model.optimizer!.dispose();
    model.dispose();
  }
  ts.dispose([train.images, train.labels, test.images, test.labels, trainX, testX]);
  return results;
}

runAsScript(module, main);
