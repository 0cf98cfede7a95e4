// keras.applications.imagenet_utils: the three input scalings the ImageNet models were
// trained with, and the names of ImageNet's 1,000 classes for a model's predictions.
import { readFileSync } from 'node:fs';
import { tooManyArguments } from '../options/arity';
import { imageDataFormat, checkDataFormatName } from '../config/settings';
import * as ops from '../ops';
import { tensor } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { checkOptions } from '../options/check';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { getFile } from '../utils/get_file';

/** Options of preprocessInput. */
export interface PreprocessInputOptions {
  /** 'channelsLast' or 'channelsFirst' (default config.imageDataFormat()). */
  dataFormat?: 'channelsLast' | 'channelsFirst' | 'channels_last' | 'channels_first' | null;
  /**
   * 'caffe' (default: RGB to BGR, then each channel less its ImageNet mean, no scaling),
   * 'tf' (scaled to [-1, 1]) or 'torch' (scaled to [0, 1], then normalized by ImageNet's means and deviations).
   */
  mode?: 'caffe' | 'tf' | 'torch';
}

const MEANS = { caffe: [103.939, 116.779, 123.68], torch: [0.485, 0.456, 0.406] };
const TORCH_STD = [0.229, 0.224, 0.225];

/**
 * Scales a batch of RGB images in [0, 255] as an ImageNet model of the given mode expects
 * (keras.applications.imagenet_utils.preprocess_input). Integer images are cast to float32.
 * @example ts.applications.imagenetUtils.preprocessInput(images, { mode: 'torch' })
 */
export function preprocessInput(x: Tensor, options?: PreprocessInputOptions | null): Tensor {
  const op = 'applications.imagenetUtils.preprocessInput';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  return scaleForImagenet(op, x, options);
}

/** preprocessInput under `op`'s name: each family's preprocessInput is one of these modes. */
export function scaleForImagenet(op: string, x: Tensor, options?: PreprocessInputOptions | null): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a tensor of images, got ${describe(x)}`);
  const o = checkOptions(op, options, 'applications.imagenetUtils.preprocessInput');
  const mode = o.mode ?? 'caffe';
  if (mode !== 'caffe' && mode !== 'tf' && mode !== 'torch') throw new Error(`${op}: mode must be 'caffe', 'tf' or 'torch', got ${describe(mode)}`);
  const dataFormat = o.dataFormat == null ? imageDataFormat() : checkDataFormatName(op, o.dataFormat);
  const channelAxis = dataFormat === 'channelsFirst' ? x.rank - 3 : x.rank - 1;
  if (x.rank < 3 || x.shape[channelAxis] !== 3)
    throw new Error(`${op}: expected RGB images (3 channels on axis ${channelAxis} for ${dataFormat}, rank 3 or more), got shape ${describe(x.shape)}`);
  return tidy(() => {
    let y = x.dtype === 'float32' || x.dtype === 'float64' ? x : ops.cast(x, 'float32');
    if (mode === 'tf') return ops.sub(ops.div(y, 127.5), 1);
    if (mode === 'torch') y = ops.div(y, 255);
    else y = ops.reverse(y, channelAxis);
    const stats = (v: number[]): Tensor => ops.reshape(tensor(v, [3], y.dtype), [3, ...Array(x.rank - 1 - channelAxis).fill(1)]);
    y = ops.sub(y, stats(MEANS[mode]));
    return mode === 'torch' ? ops.div(y, stats(TORCH_STD)) : y;
  });
}

/** One class of decodePredictions' answer: [ImageNet id, readable name, score]. */
export type DecodedPrediction = [string, string, number];

const CLASS_INDEX_URL = 'https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json';
const CLASS_INDEX_HASH = 'c2c37ea517e94d9795004a39431a14cb';
let classIndex: Record<string, [string, string]> | null = null;

/**
 * The `top` most likely ImageNet classes of each prediction (a [batch, 1000] tensor), best
 * first, as [id, name, score] (keras.applications.imagenet_utils.decode_predictions). The
 * class names are downloaded once into utils.getFile's cache (a Promise, unlike Keras's).
 */
export async function decodePredictions(preds: Tensor, top = 5): Promise<DecodedPrediction[][]> {
  const op = 'applications.imagenetUtils.decodePredictions';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  if (!(preds instanceof Tensor) || preds.rank !== 2 || preds.shape[1] !== 1000)
    throw new Error(
      `${op}: expected a batch of ImageNet predictions (a tensor of shape [batch, 1000]), got ${describe(preds instanceof Tensor ? preds.shape : preds)}`,
    );
  if (!Number.isInteger(top) || top < 1) throw new Error(`${op}: top must be a positive integer, got ${describe(top)}`);
  if (classIndex === null) {
    let file: string;
    try {
      file = await getFile('imagenet_class_index.json', CLASS_INDEX_URL, { cacheSubdir: 'models', fileHash: CLASS_INDEX_HASH });
    } catch (e) {
      throw new Error(`${op}: could not get ImageNet's class names: ${(e as Error).message}`, { cause: e });
    }
    classIndex = JSON.parse(readFileSync(file, 'utf8')) as Record<string, [string, string]>;
  }
  const scores = preds.dataSync();
  const out: DecodedPrediction[][] = [];
  for (let b = 0; b < preds.shape[0]; b++) {
    const row = Array.from(scores.subarray(b * 1000, (b + 1) * 1000) as ArrayLike<number>);
    const order = row.map((_, i) => i).sort((i, j) => row[j] - row[i] || i - j);
    out.push(order.slice(0, top).map((i) => [classIndex![String(i)][0], classIndex![String(i)][1], row[i]]));
  }
  return out;
}
