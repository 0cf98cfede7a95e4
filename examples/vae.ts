// keras.io's "Variational AutoEncoder" on Fashion-MNIST: a Sampling layer (the
// reparameterization trick), a convolutional encoder and decoder as functional models, and
// a VAE subclassed Model whose trainStep computes its own loss (reconstruction + KL) and
// gradients, with its loss trackers listed in a `metrics` getter. fit takes images only.
//   node dist/examples/vae.js [--quick]
import * as ts from '../src';
import { fashionMnistDir } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

/** z = mean + exp(logVar / 2) * epsilon, epsilon ~ N(0, 1): sampling that gradients pass through. */
class Sampling extends ts.layers.Layer {
  static override className = 'Sampling';
  seedGenerator = new ts.random.SeedGenerator(1337);

  override call(inputs: ts.Tensor[]): ts.Tensor {
    const [zMean, zLogVar] = inputs;
    const [batch, dim] = zMean.shape;
    const epsilon = ts.random.normal([batch, dim], { seed: this.seedGenerator });
    return ts.add(zMean, ts.mul(ts.exp(ts.mul(0.5, zLogVar)), epsilon));
  }
}

function encoderModel(latentDim: number): ts.Model<'list'> {
  const encoderInputs = ts.input({ shape: [28, 28, 1] });
  let x = ts.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', strides: 2, padding: 'same' }).apply(encoderInputs);
  x = ts.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', strides: 2, padding: 'same' }).apply(x);
  x = ts.layers.flatten().apply(x);
  x = ts.layers.dense({ units: 16, activation: 'relu' }).apply(x);
  const zMean = ts.layers.dense({ units: latentDim, name: 'z_mean' }).apply(x);
  const zLogVar = ts.layers.dense({ units: latentDim, name: 'z_log_var' }).apply(x);
  const z = new Sampling().apply([zMean, zLogVar]);
  return ts.model({ inputs: encoderInputs, outputs: [zMean, zLogVar, z], name: 'encoder' });
}

function decoderModel(latentDim: number): ts.LayersModel {
  const latentInputs = ts.input({ shape: [latentDim] });
  let x = ts.layers.dense({ units: 7 * 7 * 64, activation: 'relu' }).apply(latentInputs);
  x = ts.layers.reshape({ targetShape: [7, 7, 64] }).apply(x);
  x = ts.layers.conv2dTranspose({ filters: 64, kernelSize: 3, activation: 'relu', strides: 2, padding: 'same' }).apply(x);
  x = ts.layers.conv2dTranspose({ filters: 32, kernelSize: 3, activation: 'relu', strides: 2, padding: 'same' }).apply(x);
  const decoderOutputs = ts.layers.conv2dTranspose({ filters: 1, kernelSize: 3, activation: 'sigmoid', padding: 'same' }).apply(x);
  return ts.model({ inputs: latentInputs, outputs: decoderOutputs, name: 'decoder' });
}

class VAE extends ts.Model {
  totalLossTracker = new ts.metrics.Mean({ name: 'total_loss' });
  reconstructionLossTracker = new ts.metrics.Mean({ name: 'reconstruction_loss' });
  klLossTracker = new ts.metrics.Mean({ name: 'kl_loss' });

  constructor(
    readonly encoder: ts.Model<'list'>,
    readonly decoder: ts.LayersModel,
  ) {
    super();
  }

  // The trackers fit resets at each epoch's start and logs.
  override get metrics(): ts.Metric[] {
    return [this.totalLossTracker, this.reconstructionLossTracker, this.klLossTracker];
  }

  override trainStep(data: ts.Batch<ts.Tensor>): ts.StepLogs {
    const images = data.x;
    // Keras's `with tf.GradientTape() as tape:` block: the tape records from its construction.
    const tape = new ts.GradientTape();
    const [zMean, zLogVar, z] = this.encoder.apply(images);
    const reconstruction = this.decoder.apply(z);
    const reconstructionLoss = ts.mean(ts.sum(ts.losses.binaryCrossentropy(images, reconstruction), [1, 2]));
    const kl = ts.mul(-0.5, ts.sub(ts.sub(ts.add(1, zLogVar), ts.square(zMean)), ts.exp(zLogVar)));
    const klLoss = ts.mean(ts.sum(kl, 1));
    const totalLoss = ts.add(reconstructionLoss, klLoss);
    const grads = tape.gradient(totalLoss, this.trainableWeights);
    this.optimizer!.apply(grads, this.trainableWeights);
    this.totalLossTracker.updateState(totalLoss);
    this.reconstructionLossTracker.updateState(reconstructionLoss);
    this.klLossTracker.updateState(klLoss);
    return {
      loss: this.totalLossTracker.result(),
      reconstruction_loss: this.reconstructionLossTracker.result(),
      kl_loss: this.klLossTracker.result(),
    };
  }
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(3);
  const latentDim = 2;
  const { train, test } = ts.datasets.fashionMnist.load({ path: fashionMnistDir(), limit: quick ? 512 : 6000 });
  const vae = new VAE(encoderModel(latentDim), decoderModel(latentDim));
  vae.compile({ optimizer: new ts.optimizers.Adam() });
  const history = await vae.fit(train.images, null, { epochs: quick ? 3 : 10, batchSize: quick ? 32 : 128, verbose: 2 });
  const losses = history.history.loss;
  vae.optimizer!.dispose();
  vae.dispose();
  ts.dispose([train.images, train.labels, test.images, test.labels]);
  const { reconstruction_loss: reconstruction, kl_loss: kl } = history.history;
  console.log(`reconstruction ${reconstruction.at(-1)!.toFixed(1)} (a constant 0.5 guess: ${(784 * Math.LN2).toFixed(1)}), KL ${kl.at(-1)!.toFixed(2)}`);
  return { firstLoss: losses[0], lastLoss: losses.at(-1)!, reconstructionLoss: reconstruction.at(-1)!, klLoss: kl.at(-1)! };
}

runAsScript(module, main);
