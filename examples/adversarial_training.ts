// Adversarial training of a small CNN on Fashion-MNIST: an overridden trainStep trains on
// Goodfellow et al.'s objective alpha * J(x) + (1 - alpha) * J(x + epsilon * sign(dJ/dx)),
// the FGSM perturbation computed against the current weights at every step (sample
// weights carry alpha). The model also uses this library's regularizers of the same
// family: random translations of the images and dropConnect on the dense layer, both
// active in training only. It reports clean and adversarial test accuracy beside a
// plainly trained twin. (custom_train_step.ts shows the same step on an MLP, briefly.)
//   node dist/examples/adversarial_training.js [--quick]
import * as ts from '../src';
import { fashionMnistDir } from './common/data';
import { fgsm } from './common/fgsm';
import { runAsScript, type ExampleOptions } from './common/main';

const lossFn = new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true });

class RobustCnn extends ts.Model {
  shift = ts.layers.randomTranslation({ heightFactor: 0.07, widthFactor: 0.07, fillMode: 'constant', seed: 1 });
  conv = ts.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' });
  pool = ts.layers.maxPooling2d({ poolSize: 2 });
  flatten = ts.layers.flatten();
  hidden = ts.layers.dropConnect({ layer: ts.layers.dense({ units: 64, activation: 'relu' }), rate: 0.2, seed: 2 });
  logits = ts.layers.dense({ units: 10 });

  /** epsilon 0 trains plainly (the baseline); alpha weighs the clean half of the loss. */
  constructor(
    readonly epsilon: number,
    readonly alpha = 0.5,
  ) {
    super();
  }

  override call(x: ts.Tensor, options?: { training?: boolean }): ts.Tensor {
    const training = options?.training;
    const h = this.pool.apply(this.conv.apply(this.shift.apply(x, { training })));
    return this.logits.apply(this.hidden.apply(this.flatten.apply(h), { training }));
  }

  override trainStep(batch: ts.Batch<ts.Tensor, ts.Tensor>): ts.StepLogs {
    if (this.epsilon === 0) return super.trainStep(batch);
    const x = batch.x,
      y = batch.y!;
    const adversarial = fgsm(this, lossFn, x, y, this.epsilon);
    const n = x.shape[0];
    // Twice the batch; weights 2 alpha and 2 (1 - alpha) make the mean loss the objective.
    const weights = ts.concat([ts.fill([n], 2 * this.alpha), ts.fill([n], 2 * (1 - this.alpha))]);
    return super.trainStep({ x: ts.concat([x, adversarial]), y: ts.concat([y, y]), sampleWeight: weights });
  }
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(19);
  const { train, test } = ts.datasets.fashionMnist.load({ path: fashionMnistDir(), limit: quick ? 512 : 10000 });
  const epsilon = 0.1;
  const results: Record<string, number> = {};
  for (const model of [new RobustCnn(0), new RobustCnn(epsilon)]) {
    const name = model.epsilon === 0 ? 'plain' : 'adversarial';
    model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 2e-3 }), loss: lossFn, metrics: ['accuracy'] });
    console.log(`\n${name} training (epsilon ${model.epsilon}):`);
    const history = await model.fit(train.images, train.labels, { epochs: quick ? 2 : 6, batchSize: 64, verbose: 2 });
    const clean = await model.evaluate(test.images, test.labels, { batchSize: 500 });
    // Each model is attacked with perturbations computed against itself.
    const attacked = fgsm(model, lossFn, test.images, test.labels, epsilon);
    const underAttack = await model.evaluate(attacked, test.labels, { batchSize: 500 });
    attacked.dispose();
    console.log(
      `${name}: test accuracy ${(100 * clean.accuracy).toFixed(1)}% clean, ${(100 * underAttack.accuracy).toFixed(1)}% under FGSM (epsilon ${epsilon})`,
    );
    const losses = history.history.loss;
    if (model.epsilon === 0) Object.assign(results, { plainAccuracy: clean.accuracy, plainAttackedAccuracy: underAttack.accuracy });
    else Object.assign(results, { firstLoss: losses[0], lastLoss: losses.at(-1)!, accuracy: clean.accuracy, attackedAccuracy: underAttack.accuracy });
    model.optimizer!.dispose();
    model.dispose();
  }
  ts.dispose([train.images, train.labels, test.images, test.labels]);
  return results;
}

runAsScript(module, main);
