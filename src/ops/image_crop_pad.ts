// keras.ops.image.crop_images and pad_images: a window of each image, or each image placed
// in a zero canvas, given two of (start, end margin, target size) per axis as Keras takes them.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';
import { checkImageRank, fromNhwc, imageDataFormat, imageHW, toNhwc, type ImageDataFormat } from './image_layout';
import { pad } from './pad';
import { slice } from './slice';

/** Options of image.cropImages: per axis exactly two of the start margin, end margin and target size. */
export interface CropImagesOptions {
  /** Rows cropped from the top. */
  topCropping?: number;
  /** Columns cropped from the left. */
  leftCropping?: number;
  /** Rows cropped from the bottom. */
  bottomCropping?: number;
  /** Columns cropped from the right. */
  rightCropping?: number;
  /** Height of the result. */
  targetHeight?: number;
  /** Width of the result. */
  targetWidth?: number;
  /** 'channelsLast' (default: [..., height, width, channels]) or 'channelsFirst'. */
  dataFormat?: ImageDataFormat;
}

/** Options of image.padImages: per axis exactly two of the start padding, end padding and target size. */
export interface PadImagesOptions {
  /** Rows of zeros above. */
  topPadding?: number;
  /** Columns of zeros to the left. */
  leftPadding?: number;
  /** Rows of zeros below. */
  bottomPadding?: number;
  /** Columns of zeros to the right. */
  rightPadding?: number;
  /** Height of the result. */
  targetHeight?: number;
  /** Width of the result. */
  targetWidth?: number;
  /** 'channelsLast' (default: [..., height, width, channels]) or 'channelsFirst'. */
  dataFormat?: ImageDataFormat;
}

const INT32_MAX = 2 ** 31 - 1;

/** Each axis's [start, end, target] as given (undefined where not), checked as Keras does: exactly two per axis. */
function axisArgs(op: string, names: [string, string, string], values: unknown[]): (number | undefined)[] {
  if (values.filter((v) => v === undefined).length !== 1) {
    const got = names.map((n, i) => `${n}=${values[i] === undefined ? 'undefined' : describe(values[i])}`).join(', ');
    throw new Error(`${op}: must specify exactly two of ${names.join(', ')}; got ${got}`);
  }
  values.forEach((v, i) => {
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= INT32_MAX))
      throw new Error(`${op}: expected ${names[i]} to be an integer in [0, 2^31 - 1], got ${describe(v)}`);
  });
  return values as (number | undefined)[];
}

function negative(op: string, name: string, v: number, why: string): never {
  throw new Error(`${op}: ${name} must be >= 0, got ${v} (${why})`);
}

/**
 * Crops images of rank 3 or 4 (keras.ops.image.crop_images): per axis, give two of the start
 * margin, end margin and target size.
 * @example ts.image.cropImages(images, { topCropping: 2, leftCropping: 2, targetHeight: 24, targetWidth: 24 })
 */
export function cropImages(images: TensorLike, options: CropImagesOptions): Tensor {
  if (arguments.length > 2) throw tooManyArguments('image.cropImages', 2, arguments.length);
  const op = 'image.cropImages';
  const o = checkOptions(op, options, op);
  const format = imageDataFormat(op, o.dataFormat);
  const x = toTensor(op, 'images', images);
  checkImageRank(op, 'images', x);
  const [vTop, vBottom, vHeight] = axisArgs(op, ['topCropping', 'bottomCropping', 'targetHeight'], [o.topCropping, o.bottomCropping, o.targetHeight]);
  const [vLeft, vRight, vWidth] = axisArgs(op, ['leftCropping', 'rightCropping', 'targetWidth'], [o.leftCropping, o.rightCropping, o.targetWidth]);
  const [h, w] = imageHW(x, format);
  const top = vTop ?? h - (vHeight as number) - (vBottom as number);
  const height = vHeight ?? h - (vBottom as number) - top;
  const left = vLeft ?? w - (vWidth as number) - (vRight as number);
  const width = vWidth ?? w - (vRight as number) - left;
  if (top < 0) negative(op, 'topCropping', top, `images of height ${h}`);
  if (height < 0) negative(op, 'targetHeight', height, `images of height ${h}`);
  if (left < 0) negative(op, 'leftCropping', left, `images of width ${w}`);
  if (width < 0) negative(op, 'targetWidth', width, `images of width ${w}`);
  // Keras's JAX backend would clamp such a window back inside the image; here it is an error.
  if (top + height > h) throw new Error(`${op}: rows ${top} to ${top + height} do not fit in images of height ${h}`);
  if (left + width > w) throw new Error(`${op}: columns ${left} to ${left + width} do not fit in images of width ${w}`);
  return tidy(() => fromNhwc(slice(toNhwc(x, format), [0, top, left, 0], [-1, height, width, -1]), format, x.rank));
}

/**
 * Pads images of rank 3 or 4 with zeros (keras.ops.image.pad_images): per axis, give two of
 * the start padding, end padding and target size.
 * @example ts.image.padImages(images, { topPadding: 1, leftPadding: 1, targetHeight: 32, targetWidth: 32 })
 */
export function padImages(images: TensorLike, options: PadImagesOptions): Tensor {
  if (arguments.length > 2) throw tooManyArguments('image.padImages', 2, arguments.length);
  const op = 'image.padImages';
  const o = checkOptions(op, options, op);
  const format = imageDataFormat(op, o.dataFormat);
  const x = toTensor(op, 'images', images);
  checkImageRank(op, 'images', x);
  const [vTop, vBottom, vHeight] = axisArgs(op, ['topPadding', 'bottomPadding', 'targetHeight'], [o.topPadding, o.bottomPadding, o.targetHeight]);
  const [vLeft, vRight, vWidth] = axisArgs(op, ['leftPadding', 'rightPadding', 'targetWidth'], [o.leftPadding, o.rightPadding, o.targetWidth]);
  const [h, w] = imageHW(x, format);
  const top = vTop ?? (vHeight as number) - (vBottom as number) - h;
  const bottom = vBottom ?? (vHeight as number) - top - h;
  const left = vLeft ?? (vWidth as number) - (vRight as number) - w;
  const right = vRight ?? (vWidth as number) - left - w;
  if (top < 0) negative(op, 'topPadding', top, `images of height ${h}`);
  if (left < 0) negative(op, 'leftPadding', left, `images of width ${w}`);
  if (right < 0) negative(op, 'rightPadding', right, `images of width ${w}`);
  if (bottom < 0) negative(op, 'bottomPadding', bottom, `images of height ${h}`);
  if (h + top + bottom > INT32_MAX || w + left + right > INT32_MAX)
    throw new Error(`${op}: padded images of ${h + top + bottom} x ${w + left + right} pixels are too large (at most 2^31 - 1 per side)`);
  return tidy(() =>
    fromNhwc(
      pad(toNhwc(x, format), [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ]),
      format,
      x.rank,
    ),
  );
}
