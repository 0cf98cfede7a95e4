// Fashion-MNIST: the four IDX files, from Debian's dataset-fashion-mnist package, a
// folder you name, or TESSERA_FASHION_MNIST; loadData (Keras's spelling) downloads them
// as Keras does when none of these has them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tensor } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';
import { readIdx, type IdxData } from './idx';

const typeName = (d: IdxData) => d.data.constructor.name.replace(/Array$/, '').toLowerCase();
import { checkOptions } from '../options/check';
import { getFile } from '../utils/get_file';
import { ORIGIN_FOLDER, type Splits } from './keras/common';
import { tooManyArguments } from '../options/arity';

/** Where Debian's dataset-fashion-mnist installs the files. */
export const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

/** The class names, index = label. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

function locate(dir: string, name: string): string | undefined {
  return [join(dir, name), join(dir, `${name}.gz`)].find((p) => existsSync(p));
}

/** True when the four files are in `dir`. */
export function isAvailable(dir = process.env.TESSERA_FASHION_MNIST ?? DEBIAN_FASHION_MNIST): boolean {
  if (arguments.length > 1) throw tooManyArguments('datasets.fashionMnist.isAvailable', 1, arguments.length);
  return Object.values(FILES).every((f) => locate(dir, f) !== undefined);
}

/** One split: images [n, 28, 28, 1] float32 in [0, 1], labels [n] int32. */
export interface ImageSplit {
  /** float32 [n, 28, 28, 1], pixels scaled to [0, 1]. */
  images: Tensor;
  /** int32 [n], class ids 0-9. */
  labels: Tensor;
}

/**
 * Loads Fashion-MNIST. `path` defaults to $TESSERA_FASHION_MNIST, then Debian's folder.
 * `limit` keeps the first examples of each split (quick runs).
 */
export function load(options: { path?: string; limit?: number } = {}): { train: ImageSplit; test: ImageSplit } {
  if (arguments.length > 1) throw tooManyArguments('datasets.fashionMnist.load', 1, arguments.length);
  options = checkOptions('fashionMnist.load', options, 'datasets.fashionMnist.load');
  const dir = options.path ?? process.env.TESSERA_FASHION_MNIST ?? DEBIAN_FASHION_MNIST;
  const missing = Object.values(FILES).filter((f) => !locate(dir, f));
  if (missing.length > 0) {
    throw new Error(
      `fashionMnist.load: ${missing.join(', ')} not found in ${dir}. Install them with ` +
        '`apt-get install dataset-fashion-mnist` (Debian), or pass {path} / set TESSERA_FASHION_MNIST to a folder holding the four IDX files (.gz or not).',
    );
  }
  const split = (imagesFile: string, labelsFile: string): ImageSplit => {
    const [imagesPath, labelsPath] = [locate(dir, imagesFile)!, locate(dir, labelsFile)!];
    const images = readIdx(imagesPath);
    const labels = readIdx(labelsPath);
    // Checked before use: a file of another shape or type would become a tensor of the wrong shape, or labels outside the classes.
    if (images.shape.length !== 3 || !(images.data instanceof Uint8Array))
      throw new Error(
        `fashionMnist.load: ${imagesPath} should hold unsigned bytes of shape [n, height, width], but holds ${typeName(images)} of shape [${images.shape.join(', ')}]`,
      );
    if (labels.shape.length !== 1 || !(labels.data instanceof Uint8Array))
      throw new Error(
        `fashionMnist.load: ${labelsPath} should hold unsigned bytes of shape [n], but holds ${typeName(labels)} of shape [${labels.shape.join(', ')}]`,
      );
    if (images.shape[0] !== labels.shape[0])
      throw new Error(`fashionMnist.load: ${imagesPath} has ${images.shape[0]} images but ${labelsPath} has ${labels.shape[0]} labels`);
    const bad = labels.data.findIndex((l) => l >= FASHION_MNIST_CLASSES.length);
    if (bad >= 0)
      throw new Error(`fashionMnist.load: ${labelsPath}: label ${bad} is ${labels.data[bad]}, but the classes are 0-${FASHION_MNIST_CLASSES.length - 1}`);
    const n = Math.min(images.shape[0], options.limit ?? Infinity);
    const [h, w] = [images.shape[1], images.shape[2]];
    const pixels = new Float32Array(n * h * w);
    for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
    return {
      images: tensor(pixels, [n, h, w, 1]),
      labels: tensor(Int32Array.from(labels.data.subarray(0, n)), [n], 'int32'),
    };
  };
  return { train: split(FILES.trainImages, FILES.trainLabels), test: split(FILES.testImages, FILES.testLabels) };
}

/**
 * Loads Fashion-MNIST as Keras does (keras.datasets.fashion_mnist.load_data):
 * `[[xTrain, yTrain], [xTest, yTest]]`, images [60000, 28, 28] and [10000, 28, 28],
 * labels [60000] and [10000]. Keras's uint8 arrays are int32 tensors here (no uint8 dtype;
 * the values 0-255 are kept). Reads the local files when $TESSERA_FASHION_MNIST or
 * Debian's folder holds them, else downloads Keras's four files once into the cache's
 * datasets/fashion-mnist (Keras gives them no hash).
 * @example const [[xTrain, yTrain], [xTest, yTest]] = await ts.datasets.fashionMnist.loadData();
 */
export async function loadData(): Promise<Splits<Tensor>> {
  const op = 'datasets.fashionMnist.loadData';
  if (arguments.length > 0) throw tooManyArguments(op, 0, arguments.length);
  const dir = process.env.TESSERA_FASHION_MNIST ?? DEBIAN_FASHION_MNIST;
  // All four local files or none: a split is never half Debian's, half downloaded.
  const local = Object.values(FILES).every((f) => locate(dir, f) !== undefined);
  const file = async (name: string) =>
    local ? locate(dir, name)! : await getFile(`${name}.gz`, `${ORIGIN_FOLDER}${name}.gz`, { cacheSubdir: 'datasets/fashion-mnist' });
  const read = async (name: string, rank: number) => {
    const at = await file(name);
    const d = readIdx(at);
    if (d.shape.length !== rank || !(d.data instanceof Uint8Array))
      throw new Error(`${op}: ${at} should hold unsigned bytes of rank ${rank}, but holds ${typeName(d)} of shape [${d.shape.join(', ')}]`);
    return { at, d };
  };
  const split = async (imagesFile: string, labelsFile: string): Promise<[Tensor, Tensor]> => {
    const labels = await read(labelsFile, 1);
    const images = await read(imagesFile, 3);
    if (images.d.shape[0] !== labels.d.shape[0])
      throw new Error(`${op}: ${images.at} has ${images.d.shape[0]} images but ${labels.at} has ${labels.d.shape[0]} labels`);
    return [tensor(Int32Array.from(images.d.data), images.d.shape, 'int32'), tensor(Int32Array.from(labels.d.data), labels.d.shape, 'int32')];
  };
  return [await split(FILES.trainImages, FILES.trainLabels), await split(FILES.testImages, FILES.testLabels)];
}
