// Training from a folder of image files: Fashion-MNIST written once as PNG files into one
// folder per class (a real folder of real images), read back by
// ts.data.imageDatasetFromDirectory (decoded in worker threads, resized, batched), and a
// small CNN trained from it beside the same CNN trained from the IDX files.
//   node dist/examples/image_folder.js [--quick]
// The folder goes to $TESSERA_IMAGE_FOLDER or the system's temp folder, written once.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../src';
import { fashionMnistDir } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

const { layers } = ts;

// Class folders named '0_T-shirt_top', ..., '9_Ankle_boot': alphabetical order is label order.
const CLASS_FOLDERS = ts.datasets.fashionMnist.FASHION_MNIST_CLASSES.map((name, i) => `${i}_${name.replace(/[^A-Za-z0-9-]/g, '_')}`);

/** Writes each image of a split as <root>/<class>/<index>.png, unless a previous run did. */
function writeFolder(root: string, split: ts.datasets.fashionMnist.ImageSplit): void {
  const marker = join(root, '.complete');
  const count = split.images.shape[0];
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(count)) return;
  for (const c of CLASS_FOLDERS) mkdirSync(join(root, c), { recursive: true });
  const labels = split.labels.dataSync();
  for (let i = 0; i < count; i++) {
    const picture = ts.tidy(() => ts.reshape(ts.slice(split.images, [i, 0, 0, 0], [1, 28, 28, 1]), [28, 28, 1]));
    ts.tidy(() => ts.data.saveImage(join(root, CLASS_FOLDERS[labels[i]], `${String(i).padStart(5, '0')}.png`), ts.mul(picture, 255), { scale: false }));
    picture.dispose();
  }
  writeFileSync(marker, String(count));
}

function cnn(): ts.Sequential {
  return ts.sequential({
    layers: [
      // Pixels arrive as 0-255 floats, as Keras's loaders give them.
      layers.rescaling({ scale: 1 / 255, inputShape: [28, 28, 1] }),
      // Augmentation, active only in training: mirrored garments and small shifts.
      layers.randomFlip({ mode: 'horizontal', seed: 1 }),
      layers.randomTranslation({ heightFactor: 0.05, widthFactor: 0.05, seed: 2 }),
      layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 10 }),
    ],
  });
}

function compile(model: ts.Sequential): void {
  model.compile({ optimizer: 'adam', loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }), metrics: ['accuracy'] });
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(19);
  const limit = quick ? 300 : 10000;
  const { train, test } = ts.datasets.fashionMnist.load({ path: fashionMnistDir(), limit });
  const root = join(process.env.TESSERA_IMAGE_FOLDER ?? join(tmpdir(), 'tessera-fashion-mnist-png'), String(limit));
  const started = Date.now();
  writeFolder(join(root, 'train'), train);
  writeFolder(join(root, 'test'), test);
  console.log(`PNG folders under ${root} (${((Date.now() - started) / 1000).toFixed(1)} s to write or check)`);

  const options = { imageSize: [28, 28] as [number, number], colorMode: 'grayscale' as const, batchSize: 64, seed: 19 };
  const trainSet = ts.data.imageDatasetFromDirectory(join(root, 'train'), { ...options, shuffle: true });
  const testSet = ts.data.imageDatasetFromDirectory(join(root, 'test'), { ...options, shuffle: false });
  console.log(`classes: ${trainSet.classNames.join(', ')}`);

  // The pipeline alone: decode + resize + batch, nothing trained.
  let seen = 0;
  const t0 = Date.now();
  for await (const [x, y] of trainSet as AsyncIterable<[ts.Tensor, ts.Tensor]>) {
    seen += x.shape[0];
    ts.dispose([x, y]);
  }
  const pipelinePerSecond = seen / ((Date.now() - t0) / 1000);
  console.log(`folder pipeline alone: ${pipelinePerSecond.toFixed(0)} images/s`);

  const epochs = quick ? 2 : 4;
  const fromFolder = cnn();
  compile(fromFolder);
  const t1 = Date.now();
  const history = await fromFolder.fit(trainSet, { epochs, verbose: 0 });
  const trainPerSecond = (seen * epochs) / ((Date.now() - t1) / 1000);
  const folderAccuracy = (await fromFolder.evaluate(testSet)).accuracy;

  const fromIdx = cnn();
  compile(fromIdx);
  const [trainPixels, testPixels] = [ts.mul(train.images, 255), ts.mul(test.images, 255)];
  const t2 = Date.now();
  await fromIdx.fit(trainPixels, train.labels, { epochs, batchSize: 64, verbose: 0, shuffle: true });
  const idxPerSecond = (seen * epochs) / ((Date.now() - t2) / 1000);
  const idxAccuracy = (await fromIdx.evaluate(testPixels, test.labels, { batchSize: 256 })).accuracy;
  console.log(`training from the folder: ${trainPerSecond.toFixed(0)} samples/s, test accuracy ${(100 * folderAccuracy).toFixed(1)}%`);
  console.log(`training from the IDX tensors: ${idxPerSecond.toFixed(0)} samples/s, test accuracy ${(100 * idxAccuracy).toFixed(1)}%`);

  ts.dispose([train.images, train.labels, test.images, test.labels, trainPixels, testPixels]);
  for (const m of [fromFolder, fromIdx]) {
    m.optimizer!.dispose();
    m.dispose();
  }
  const losses = history.history.loss;
  return { firstLoss: losses[0], lastLoss: losses.at(-1)!, folderAccuracy, idxAccuracy, pipelinePerSecond, trainPerSecond };
}

runAsScript(module, main);
