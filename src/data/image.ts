// loadImage / saveImage: a picture file to a float32 [height, width, channels] tensor of
// 0-255 values and back (Keras's keras.utils.load_img + img_to_array, and save_img).
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { tensor } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { checkOptions } from '../options/check';
import { imageCodec, type DecodedImage, type ImageCodec } from './image_codec';
import { checkInterpolation, checkSize, resizeImages, type Interpolation } from './image_resize';
import { tooManyArguments } from '../options/arity';

/** Channels read, by Keras's colorMode names. */
export type ColorMode = 'grayscale' | 'rgb' | 'rgba';
const CHANNELS: Record<ColorMode, 1 | 3 | 4> = { grayscale: 1, rgb: 3, rgba: 4 };

let codec: ImageCodec | null = null;
/** The one codec of this thread. */
export function sharedCodec(): ImageCodec {
  return (codec ??= imageCodec());
}

/** The channel count of a colorMode, or an error naming owner. */
export function colorModeChannels(owner: string, mode: unknown): 1 | 3 | 4 {
  if (typeof mode === 'string' && Object.prototype.hasOwnProperty.call(CHANNELS, mode)) return CHANNELS[mode as ColorMode];
  throw new Error(`${owner}: expected colorMode 'grayscale', 'rgb' or 'rgba', got ${describe(mode)}`);
}

/** Options of loadImage. */
export interface LoadImageOptions {
  /** Channels of the result: 'grayscale' (1), 'rgb' (3, default) or 'rgba' (4), converted as Keras does. */
  colorMode?: ColorMode;
  /** [height, width] to resize to; default the file's own size. */
  targetSize?: [number, number] | null;
  /** 'nearest' (default, as Keras's load_img) or 'bilinear'. */
  interpolation?: Interpolation;
  /** Crop the centre to targetSize's aspect ratio before resizing (Keras's keep_aspect_ratio); default false. */
  keepAspectRatio?: boolean;
}

/** Reads a PNG, JPEG, GIF (first frame) or BMP file into a float32 [height, width, channels] tensor of 0-255 values. */
export function loadImage(path: string, options: LoadImageOptions = {}): Tensor {
  if (arguments.length > 2) throw tooManyArguments('data.loadImage', 2, arguments.length);
  const owner = 'data.loadImage';
  options = checkOptions(owner, options, owner);
  if (typeof path !== 'string') throw new Error(`${owner}: expected a file path, got ${describe(path)}`);
  const channels = colorModeChannels(owner, options.colorMode ?? 'rgb');
  const interpolation = checkInterpolation(owner, options.interpolation ?? 'nearest');
  const size = options.targetSize === undefined || options.targetSize === null ? null : checkSize(owner, 'targetSize', options.targetSize);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${owner}: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  const image = sharedCodec().toChannels(sharedCodec().decode(bytes, path), channels);
  const t = imageTensor(image);
  if (!size) return t;
  const out = resizeImages(t, size, interpolation, options.keepAspectRatio === true);
  t.dispose();
  return out;
}

/** A decoded image as a float32 [height, width, channels] tensor. */
export function imageTensor(image: DecodedImage): Tensor {
  return tensor(Float32Array.from(image.data), [image.height, image.width, image.channels]);
}

/** Options of saveImage. */
export interface SaveImageOptions {
  /** Stretch the values' range to 0-255 first, as Keras's save_img (default true); false: values must lie in 0-255. */
  scale?: boolean;
  /** JPEG quality 1-100 (default 75, PIL's); PNG ignores it. */
  quality?: number;
}

/**
 * Writes a [height, width, channels] tensor (channels 1, 3 or 4) as a PNG, or a JPEG when
 * the path ends in .jpg / .jpeg. Values are rounded to 8 bits.
 */
export function saveImage(path: string, image: Tensor, options: SaveImageOptions = {}): void {
  if (arguments.length > 3) throw tooManyArguments('data.saveImage', 3, arguments.length);
  const owner = 'data.saveImage';
  options = checkOptions(owner, options, owner);
  if (!(image instanceof Tensor)) throw new Error(`${owner}: expected a tensor [height, width, channels], got ${describe(image)}`);
  const [h, w, c] = image.shape;
  if (image.rank !== 3 || ![1, 3, 4].includes(c) || h === 0 || w === 0) {
    throw new Error(`${owner}: expected a tensor [height, width, channels] with 1, 3 or 4 channels and some pixels, got shape [${image.shape.join(', ')}]`);
  }
  const ext = extname(path).toLowerCase();
  if (!['.png', '.jpg', '.jpeg'].includes(ext)) throw new Error(`${owner}: expected a path ending in .png, .jpg or .jpeg, got ${describe(path)}`);
  const values = image.dataSync() as ArrayLike<number>;
  let lo = 0,
    hi = 255;
  if (options.scale ?? true) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < values.length; i++) [lo, hi] = [Math.min(lo, values[i]), Math.max(hi, values[i])];
    if (hi === lo) hi = lo + 1;
  } else {
    for (let i = 0; i < values.length; i++) {
      if (!(values[i] >= 0 && values[i] <= 255)) throw new Error(`${owner}: with scale false, expected values in 0-255, got ${values[i]} at index ${i}`);
    }
  }
  const pixels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) pixels[i] = Math.round(((values[i] - lo) / (hi - lo)) * 255);
  const decoded: DecodedImage = { width: w, height: h, channels: c as 1 | 3 | 4, data: pixels };
  writeFileSync(path, ext === '.png' ? sharedCodec().encodePng(decoded) : encodeJpeg(decoded, options.quality ?? 75));
}

function encodeJpeg(image: DecodedImage, quality: number): Uint8Array {
  if (!Number.isInteger(quality) || quality < 1 || quality > 100)
    throw new Error(`data.saveImage: expected quality to be an integer 1-100, got ${describe(quality)}`);
  const rgba = sharedCodec().toChannels(image, 4);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- jpeg-js loads only when a JPEG is written
  const jpeg = require('jpeg-js');
  return jpeg.encode({ width: image.width, height: image.height, data: rgba.data }, quality).data;
}
