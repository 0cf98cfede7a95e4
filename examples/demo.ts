// The main job: a convolutional network learns Fashion-MNIST with Keras-style training
// (compile, fit with a progress bar, evaluate), is saved, reloaded, and checked.
//   npm run demo                   5 epochs on the full data set (or the bundled subset)
//   npm run demo -- --epochs 1     fewer epochs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../src';
import { fashionMnistDir } from './common/data';

const { fashionMnist } = ts.datasets;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The CNN of the benchmarks: two conv/pool blocks, a dense layer with dropout, 10 logits. */
function buildModel(): ts.Sequential {
  const { layers } = ts;
  return ts.sequential({
    name: 'fashion_cnn',
    layers: [
      layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 128, activation: 'relu' }),
      layers.dropout({ rate: 0.25 }),
      layers.dense({ units: 10 }),
    ],
  });
}

function sameValues(a: ts.Tensor, b: ts.Tensor): boolean {
  const x = a.dataSync();
  const y = b.dataSync();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

async function main(): Promise<void> {
  const epochs = option('epochs', 5);
  const info = ts.backendInfo();
  console.log(
    `Tessera demo: a CNN on Fashion-MNIST (cpu ${info.cpu.isa}, ${info.cpu.threads} threads${info.cuda.loaded ? `, ${info.cuda.devices.join(', ')}` : ''})`,
  );
  if (!fashionMnist.isAvailable()) {
    console.log('The full Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist, or set TESSERA_FASHION_MNIST);');
    console.log('training on the 6,000-image subset bundled with Tessera instead.');
  }
  const { train, test } = fashionMnist.load({ path: fashionMnistDir() });
  console.log(`${train.images.shape[0]} training and ${test.images.shape[0]} test images\n`);

  ts.setSeed(42);
  const model = buildModel();
  model.summary();
  model.compile({
    optimizer: 'adam',
    loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ['accuracy'],
  });

  const start = Date.now();
  const history = await model.fit(train.images, train.labels, { epochs, batchSize: 128, validationSplit: 0.1 });
  const seconds = (Date.now() - start) / 1000;
  const trained = Math.floor(train.images.shape[0] * 0.9) * history.epoch.length;

  const result = await model.evaluate(test.images, test.labels, { batchSize: 512 });
  console.log(`\ntest accuracy ${(100 * result.accuracy).toFixed(2)}%, loss ${result.loss.toFixed(4)}`);
  console.log(`training: ${Math.round(trained / seconds)} samples/s (${seconds.toFixed(1)} s for ${history.epoch.length} epochs)`);

  // Save, reload, and check the reloaded model predicts exactly the same.
  const dir = mkdtempSync(join(tmpdir(), 'tessera-demo-'));
  try {
    const path = join(dir, 'fashion_cnn');
    await model.save(path);
    // A saved model's outputs could be a list or an object: name the kind this one has.
    const reloaded = await ts.loadModel<'single'>(path);
    const sample = ts.slice(test.images, [0], [256]);
    const before = model.predict(sample);
    const after = reloaded.predict(sample);
    if (!sameValues(before, after)) throw new Error('the reloaded model predicts differently');
    console.log(`saved to ${path} (TensorFlow.js format), reloaded: predictions identical`);
    ts.dispose([sample, before, after]);
    reloaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  ts.dispose([train.images, train.labels, test.images, test.labels]);
  model.dispose();
  console.log(`live tensors at the end: ${ts.memory().numTensors}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
