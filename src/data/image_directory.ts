// imageDatasetFromDirectory: Keras 3's keras.utils.image_dataset_from_directory.
//   1. Index: with labels 'inferred', the class names are the folder's subfolders in
//      alphabetical order (or classNames, a subset, in its order); files are every .bmp,
//      .gif, .jpeg, .jpg and .png below each class folder, walked folder by folder in
//      sorted path order, files sorted within. Otherwise the whole folder is walked so.
//   2. With shuffle, the file list is shuffled once by the seed, then split: training takes
//      the first files, validation the last int(validationSplit * n), so the two subsets
//      never overlap for one seed.
//   3. Each pass reshuffles the subset's file order (shuffle true), decodes the files in
//      worker threads (a few requests ahead: memory stays bounded whatever the folder
//      holds), converts each to colorMode, resizes it to imageSize and stacks the batch.
// Where Keras shuffles decoded images through a buffer of batchSize * 8, Tessera reshuffles
// the file order each pass: the same distribution of orders without holding images.
import { readFileSync } from 'node:fs';
import { stack } from '../ops/concat';
import { oneHot } from '../ops/gather';
import { reshape } from '../ops/reshape';
import { tensor } from '../tensor/creation';
import { dispose } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { checkOptions } from '../options/check';
import { Dataset, shuffled, type Element } from './dataset';
import { colorModeChannels, imageTensor, sharedCodec, type ColorMode } from './image';
import { checkInterpolation, checkSize, resizeImages, type Interpolation } from './image_resize';
import { DecodePool, defaultWorkers, type DecodeResult } from './image_workers';
import { IMAGE_FORMATS, indexDirectory } from './image_index';
import { tooManyArguments } from '../options/arity';
import { drawSeed } from '../tensor/seeded_random';
import { everyEntry } from '../options/every_entry';

/** Options of imageDatasetFromDirectory (Keras 3's, in camelCase). */
export interface ImageDirectoryOptions {
  /** 'inferred' (default: from the subfolders), an array of labels for the files in walk order, or null (images only). */
  labels?: 'inferred' | number[] | null;
  /** 'int' (default: int32 [b]), 'categorical' (one-hot float32 [b, classes]), 'binary' (float32 [b, 1], two classes) or null. */
  labelMode?: 'int' | 'categorical' | 'binary' | null;
  /** With labels 'inferred', the subfolders to use, in this order (index = label). */
  classNames?: string[] | null;
  /** 'rgb' (default), 'grayscale' or 'rgba'; every image is converted to it. */
  colorMode?: ColorMode;
  /** Images per batch; default 32; null yields single images. */
  batchSize?: number | null;
  /** [height, width] every image is resized to; default [256, 256]. */
  imageSize?: [number, number];
  /** Shuffle the files (default true). */
  shuffle?: boolean;
  /** Seed of the shuffles; needed with validationSplit and shuffle so the subsets do not overlap. */
  seed?: number;
  /** Fraction (0 to 1) of the files kept for validation. */
  validationSplit?: number | null;
  /** 'training', 'validation' or 'both' (an array [training, validation]); with validationSplit only. */
  subset?: 'training' | 'validation' | 'both' | null;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: Interpolation;
  /** Crop the centre to imageSize's aspect ratio before resizing; default false. */
  cropToAspectRatio?: boolean;
  /** Descend into symbolic links to folders; default false. */
  followLinks?: boolean;
  /** A file that does not decode: 'raise' (default, as Keras: the pass fails naming it) or 'warn' (a warning names it, the file is skipped). */
  onError?: 'raise' | 'warn';
  /** Decoding worker threads; default the cores but one, 1 to 4; 0 decodes on the main thread. */
  numWorkers?: number;
}

/** The data set of imageDatasetFromDirectory, with the class names and the files it reads. */
export class ImageFolderDataset extends Dataset<Element> {
  /** @internal */
  constructor(
    source: () => AsyncIterator<Element>,
    size: number | null,
    /** Class names, index = label (empty without labels). */
    readonly classNames: string[],
    /** The files of this subset, in index order (before the per-pass shuffle). */
    readonly filePaths: string[],
  ) {
    super(source, size);
  }
}

const OWNER = 'data.imageDatasetFromDirectory';

/**
 * A data set of images read from class folders: elements [images, labels] with images
 * float32 [batch, height, width, channels] of 0-255 values.
 * @example const [train, val] = imageDatasetFromDirectory('photos', {validationSplit: 0.2, subset: 'both', seed: 1, imageSize: [64, 64]})
 */
export function imageDatasetFromDirectory(directory: string, options: ImageDirectoryOptions & { subset: 'both' }): [ImageFolderDataset, ImageFolderDataset];
export function imageDatasetFromDirectory(directory: string, options?: ImageDirectoryOptions): ImageFolderDataset;
export function imageDatasetFromDirectory(
  directory: string,
  options: ImageDirectoryOptions = {},
): ImageFolderDataset | [ImageFolderDataset, ImageFolderDataset] {
  if (arguments.length > 2) throw tooManyArguments('data.imageDatasetFromDirectory', 2, arguments.length);
  options = checkOptions(OWNER, options, OWNER);
  if (typeof directory !== 'string') throw new Error(`${OWNER}: expected a folder path, got ${describe(directory)}`);
  const labels = options.labels === undefined ? 'inferred' : options.labels;
  if (labels !== null && labels !== 'inferred' && !(Array.isArray(labels) && everyEntry(labels, (l) => Number.isInteger(l) && l >= 0))) {
    throw new Error(`${OWNER}: expected labels 'inferred', an array of integer labels >= 0, or null, got ${describe(labels)}`);
  }
  let labelMode = options.labelMode === undefined ? 'int' : options.labelMode;
  if (labelMode !== null && !['int', 'categorical', 'binary'].includes(labelMode))
    throw new Error(`${OWNER}: expected labelMode 'int', 'categorical', 'binary' or null, got ${describe(labelMode)}`);
  if (labels === null) labelMode = null;
  const channels = colorModeChannels(OWNER, options.colorMode ?? 'rgb');
  const batchSize = options.batchSize === null ? null : integer('batchSize', options.batchSize ?? 32, 1);
  const imageSize = checkSize(OWNER, 'imageSize', options.imageSize ?? [256, 256]);
  const interpolation = checkInterpolation(OWNER, options.interpolation ?? 'bilinear');
  const shuffle = flag('shuffle', options.shuffle, true);
  const crop = flag('cropToAspectRatio', options.cropToAspectRatio, false);
  const followLinks = flag('followLinks', options.followLinks, false);
  const onError = options.onError ?? 'raise';
  if (onError !== 'raise' && onError !== 'warn') throw new Error(`${OWNER}: expected onError 'raise' or 'warn', got ${describe(onError)}`);
  const numWorkers = integer('numWorkers', options.numWorkers ?? defaultWorkers(), 0);
  const { validationSplit, subset } = checkSplit(options, shuffle);
  if (options.classNames != null && labels !== 'inferred') {
    throw new Error(
      `${OWNER}: classNames applies only with labels 'inferred' (${labels === null ? 'labels is null' : 'explicit labels name their own classes'})`,
    );
  }

  const index = indexDirectory(OWNER, directory, labels, options.classNames ?? null, followLinks);
  if (index.files.length === 0)
    throw new Error(
      `${OWNER}: no images found in ${directory}${labels === 'inferred' ? ` (in its class folders ${describe(index.classNames)})` : ''}; allowed formats: ${IMAGE_FORMATS.join(', ')}`,
    );
  if (labelMode === 'binary' && index.classNames.length !== 2) {
    throw new Error(`${OWNER}: labelMode 'binary' needs exactly 2 classes, got ${index.classNames.length}: ${describe(index.classNames)}`);
  }
  const seed = drawSeed(OWNER, options.seed);
  let order = index.files.map((_, i) => i);
  if (shuffle) order = shuffled(order, seed);
  const numValidation = validationSplit === null ? 0 : Math.trunc(validationSplit * order.length);
  const parts: Record<'training' | 'validation', number[]> = {
    training: numValidation > 0 ? order.slice(0, order.length - numValidation) : order,
    validation: numValidation > 0 ? order.slice(order.length - numValidation) : [],
  };
  const make = (picked: number[], part: string) => {
    if (picked.length === 0)
      throw new Error(`${OWNER}: the ${part} subset of ${directory} is empty (${index.files.length} files, validationSplit ${validationSplit})`);
    const files = picked.map((i) => index.files[i]);
    const fileLabels = picked.map((i) => index.labels[i]);
    return folderDataset(files, fileLabels, {
      classNames: index.classNames,
      labelMode,
      channels,
      batchSize,
      imageSize,
      interpolation,
      crop,
      shuffle,
      seed,
      onError,
      numWorkers,
    });
  };
  if (subset === 'both') return [make(parts.training, 'training'), make(parts.validation, 'validation')];
  return make(subset === 'validation' ? parts.validation : parts.training, subset ?? 'training');
}

interface Plan {
  classNames: string[];
  labelMode: 'int' | 'categorical' | 'binary' | null;
  channels: 1 | 3 | 4;
  batchSize: number | null;
  imageSize: [number, number];
  interpolation: Interpolation;
  crop: boolean;
  shuffle: boolean;
  seed: number;
  onError: 'raise' | 'warn';
  numWorkers: number;
}

function folderDataset(files: string[], labels: number[], plan: Plan): ImageFolderDataset {
  const perBatch = plan.batchSize ?? 1;
  const size = plan.onError === 'raise' ? Math.ceil(files.length / perBatch) : null;
  let pass = 0;
  const source = async function* (): AsyncGenerator<Element> {
    const order = plan.shuffle
      ? shuffled(
          files.map((_, i) => i),
          plan.seed + 1 + pass++,
        )
      : files.map((_, i) => i);
    const pool = plan.numWorkers > 0 ? new DecodePool(plan.numWorkers) : null;
    const ahead = Math.max(2 * perBatch, 4 * plan.numWorkers);
    const pending: Promise<DecodeResult>[] = [];
    let next = 0;
    const request = () => {
      const path = files[order[next++]];
      pending.push(pool ? pool.decode(path, plan.channels) : decodeHere(path, plan.channels));
    };
    let images: Tensor[] = [];
    let batchLabels: number[] = [];
    try {
      for (let taken = 0; taken < order.length; taken++) {
        while (next < order.length && pending.length < ahead) request();
        const result = await pending.shift()!;
        const file = files[order[taken]];
        if ('error' in result) {
          if (plan.onError === 'raise') throw new Error(`${OWNER}: ${result.error} (pass onError: 'warn' to skip such files)`);
          process.emitWarning(`${OWNER}: skipping ${file}: ${result.error}`);
          continue;
        }
        const raw = imageTensor(result.image);
        images.push(resizeImages(raw, plan.imageSize, plan.interpolation, plan.crop));
        raw.dispose();
        batchLabels.push(labels[order[taken]]);
        if (images.length === perBatch) {
          yield element(images, batchLabels, plan);
          images = [];
          batchLabels = [];
        }
      }
      if (images.length > 0) yield element(images, batchLabels, plan);
      images = [];
    } finally {
      dispose(images);
      await Promise.allSettled(pending);
      await pool?.close();
    }
  };
  return new ImageFolderDataset(source, size, plan.classNames, files);
}

async function decodeHere(path: string, channels: 1 | 3 | 4): Promise<DecodeResult> {
  try {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new Error(`${path}: cannot read: ${(e as Error).message}`, { cause: e });
    }
    return { image: sharedCodec().toChannels(sharedCodec().decode(bytes, path), channels) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function element(images: Tensor[], labels: number[], plan: Plan): Element {
  const batched = plan.batchSize !== null;
  const x = batched ? stack(images) : images[0];
  if (batched) dispose(images);
  if (plan.labelMode === null) return x;
  let y: Tensor;
  if (plan.labelMode === 'int') y = tensor(labels, [labels.length], 'int32');
  else if (plan.labelMode === 'binary') y = tensor(labels, [labels.length, 1], 'float32');
  else {
    const ids = tensor(labels, [labels.length], 'int32');
    y = oneHot(ids, plan.classNames.length);
    ids.dispose();
  }
  if (!batched) {
    const one = reshape(y, y.shape.slice(1));
    y.dispose();
    y = one;
  }
  return [x, y];
}

function checkSplit(options: ImageDirectoryOptions, shuffle: boolean): { validationSplit: number | null; subset: 'training' | 'validation' | 'both' | null } {
  const validationSplit = options.validationSplit ?? null;
  const subset = options.subset ?? null;
  if (validationSplit !== null && !(typeof validationSplit === 'number' && validationSplit > 0 && validationSplit < 1)) {
    throw new Error(`${OWNER}: expected validationSplit between 0 and 1 (exclusive), got ${describe(validationSplit)}`);
  }
  if (subset !== null && !['training', 'validation', 'both'].includes(subset))
    throw new Error(`${OWNER}: expected subset 'training', 'validation' or 'both', got ${describe(subset)}`);
  if (subset !== null && validationSplit === null) throw new Error(`${OWNER}: subset ${describe(subset)} needs validationSplit`);
  if (validationSplit !== null && subset === null) throw new Error(`${OWNER}: validationSplit needs subset 'training', 'validation' or 'both'`);
  if (validationSplit !== null && shuffle && options.seed === undefined) {
    throw new Error(`${OWNER}: with validationSplit and shuffle, pass a seed so that the training and validation subsets do not overlap`);
  }
  return { validationSplit, subset };
}

function integer(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new Error(`${OWNER}: expected ${name} to be an integer >= ${min}, got ${describe(v)}`);
  return v;
}

function flag(name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new Error(`${OWNER}: expected ${name} to be a boolean, got ${describe(v)}`);
  return v;
}
