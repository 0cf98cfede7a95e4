// Custom losses (a plain function, and a Loss subclass with options) and an F1 score
// (the built-in F1Score, and a Metric subclass written here), all given to compile,
// on an imbalanced binary task where accuracy alone says little.
//   node dist/examples/custom_loss_and_metric.js [--quick]
import * as ts from '../src';
import { runAsScript, type ExampleOptions } from './common/main';

/**
 * A loss function: (yTrue, yPred) -> one loss per sample (reduce the last axis only;
 * compile's Loss wrapper averages over the batch and applies sample weights).
 * Binary cross-entropy that counts errors on positives `positiveWeight` times.
 */
function weightedBinaryCrossentropy(yTrue: ts.Tensor, yPred: ts.Tensor): ts.Tensor {
  const positiveWeight = 4;
  const p = ts.clipByValue(yPred, 1e-7, 1 - 1e-7);
  const perEntry = ts.neg(ts.add(ts.mul(ts.mul(yTrue, ts.log(p)), positiveWeight), ts.mul(ts.sub(1, yTrue), ts.log(ts.sub(1, p)))));
  return ts.mean(perEntry, -1);
}

/** A Loss subclass: options in the constructor, per-sample losses in call. Focal loss (Lin et al. 2017). */
class FocalLoss extends ts.Loss {
  constructor(readonly gamma = 2) {
    super({ name: 'focal_loss' });
  }

  override call(yTrue: ts.Tensor, yPred: ts.Tensor): ts.Tensor {
    const p = ts.clipByValue(yPred, 1e-7, 1 - 1e-7);
    // The probability given to the true class; confident right answers weigh little.
    const pTrue = ts.add(ts.mul(yTrue, p), ts.mul(ts.sub(1, yTrue), ts.sub(1, p)));
    return ts.mean(ts.neg(ts.mul(ts.pow(ts.sub(1, pTrue), this.gamma), ts.log(pTrue))), -1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), gamma: this.gamma };
  }
}

/**
 * A Metric subclass: state accumulated by updateState over an epoch, read by result,
 * cleared by resetState (fit resets it each epoch). Counts live in JS numbers, so an
 * update reads three sums back and keeps no tensors.
 */
class BinaryF1 extends ts.Metric {
  private truePositives = 0;
  private falsePositives = 0;
  private falseNegatives = 0;

  constructor(private readonly threshold = 0.5) {
    super('binary_f1');
  }

  override updateState(yTrue: ts.Tensor, yPred: ts.Tensor): void {
    const [tp, fp, fn] = ts.tidy(() => {
      const predicted = ts.cast(ts.greater(yPred, this.threshold), 'float32');
      const count = (t: ts.Tensor) => ts.sum(t).dataSync()[0];
      return [count(ts.mul(predicted, yTrue)), count(ts.mul(predicted, ts.sub(1, yTrue))), count(ts.mul(ts.sub(1, predicted), yTrue))];
    });
    this.truePositives += tp;
    this.falsePositives += fp;
    this.falseNegatives += fn;
  }

  override result(): ts.Tensor {
    const denominator = 2 * this.truePositives + this.falsePositives + this.falseNegatives;
    return ts.scalar(denominator === 0 ? 0 : (2 * this.truePositives) / denominator);
  }

  override resetState(): void {
    this.truePositives = this.falsePositives = this.falseNegatives = 0;
  }
}

// About 12% positives: the positive class is where a random projection is largest.
function imbalanced(n: number, seed: number): { x: ts.Tensor; y: ts.Tensor } {
  return ts.tidy(() => {
    const x = ts.randomNormal([n, 10], 0, 1, 'float32', seed);
    const score = ts.matMul(x, ts.randomNormal([10, 1], 0, 1, 'float32', 99));
    return { x, y: ts.cast(ts.greater(score, 3), 'float32') };
  });
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(7);
  const train = imbalanced(quick ? 512 : 8000, 1);
  const test = imbalanced(quick ? 256 : 2000, 2);
  console.log(`positives: ${(100 * ts.tidy(() => ts.mean(train.y).dataSync()[0])).toFixed(1)}% of the training set`);

  let result: Record<string, number> = {};
  for (const loss of [weightedBinaryCrossentropy, new FocalLoss(2)]) {
    const model = ts.sequential({
      layers: [ts.layers.dense({ units: 16, activation: 'relu', inputShape: [10] }), ts.layers.dense({ units: 1, activation: 'sigmoid' })],
    });
    model.compile({
      optimizer: 'adam',
      loss,
      // Built-in F1 (threshold 0.5; 'micro' folds the one column into one number), ours, and accuracy.
      metrics: [new ts.metrics.F1Score({ threshold: 0.5, average: 'micro' }), new BinaryF1(0.5), 'accuracy'],
    });
    const history = await model.fit(train.x, train.y, { epochs: quick ? 2 : 20, batchSize: 64, verbose: 0 });
    const losses = history.history.loss;
    console.log(`${loss.name}: training loss ${losses[0].toFixed(4)} -> ${losses[losses.length - 1].toFixed(4)}`);
    const logs = await model.evaluate(test.x, test.y, { batchSize: 500 });
    console.log(`test: f1_score ${logs.f1_score.toFixed(3)}, binary_f1 ${logs.binary_f1.toFixed(3)} (the same quantity), accuracy ${logs.accuracy.toFixed(3)}`);
    result = { firstLoss: losses[0], lastLoss: losses[losses.length - 1], f1: logs.f1_score, customF1: logs.binary_f1 };
    model.dispose();
  }
  ts.dispose([train, test]);
  return result;
}

runAsScript(module, main);
