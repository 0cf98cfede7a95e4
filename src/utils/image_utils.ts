// Keras 3's keras.utils.img_to_array / array_to_img. Keras's image is a PIL image; Tessera's
// is what its image decoding gives (data/image_codec.ts's DecodedImage: width, height,
// channels and 8-bit pixels, row-major), which saveImage's codec encodes.
import type { DecodedImage } from '../data/image_codec';
import { cast } from '../ops/cast';
import { reshape } from '../ops/reshape';
import { transpose } from '../ops/transpose';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { checkBoolean } from '../options/check_args';
import { tensor } from '../tensor/creation';
import { checkDType, type DType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { imageDataFormat } from '../config/settings';
import { everyEntry } from '../options/every_entry';

/** Keras's image data format, either spelling. */
export type ImageDataFormat = 'channelsLast' | 'channelsFirst' | 'channels_last' | 'channels_first';

/** Options of imgToArray. */
export interface ImgToArrayOptions {
  /** 'channelsLast': [height, width, channels]; 'channelsFirst': [channels, height, width]; default config.imageDataFormat(). */
  dataFormat?: ImageDataFormat | null;
  /** The tensor's dtype (default 'float32'). */
  dtype?: DType | null;
}

/** Options of arrayToImg. */
export interface ArrayToImgOptions {
  /** The layout of `x`: 'channelsLast' or 'channelsFirst'; default config.imageDataFormat(). */
  dataFormat?: ImageDataFormat | null;
  /** Stretch the values to 0-255 first (x - min, then / max, times 255), as Keras (default true). */
  scale?: boolean;
}

// True for channels first; `op` names the caller in the error.
function channelsFirst(op: string, dataFormat: unknown): boolean {
  if (dataFormat === undefined || dataFormat === null) return imageDataFormat() === 'channelsFirst';
  if (dataFormat === 'channelsLast' || dataFormat === 'channels_last') return false;
  if (dataFormat === 'channelsFirst' || dataFormat === 'channels_first') return true;
  throw new Error(`${op}: expected dataFormat 'channelsLast' or 'channelsFirst', got ${describe(dataFormat)}`);
}

/**
 * An image (as loadImage's decoding gives it: { width, height, channels, data }, or the
 * [height, width, channels] / [height, width] tensor that utils.loadImg gives) as a
 * float32 tensor [height, width, channels], or [channels, height, width] with
 * dataFormat 'channelsFirst' (Keras's img_to_array).
 * @example const x = ts.utils.imgToArray(ts.utils.arrayToImg(ts.randomUniform([4, 4, 3])))
 */
export function imgToArray(image: DecodedImage | Tensor, options?: ImgToArrayOptions | null): Tensor {
  const op = 'utils.imgToArray';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  const { dataFormat, dtype } = checkOptions(op, options, op);
  const first = channelsFirst(op, dataFormat);
  const type = dtype === undefined || dtype === null ? 'float32' : checkDType(op, dtype);
  // Keras's img_to_array takes arrays too (np.asarray): loadImg's tensor, the tutorials' pattern.
  if (image instanceof Tensor) return tensorToArray(op, image, first, type);
  const img = image as Partial<DecodedImage> | null;
  const dims = img !== null && typeof img === 'object' ? [img.height, img.width] : [];
  if (
    dims.length !== 2 ||
    !everyEntry(dims, (d) => Number.isSafeInteger(d) && (d as number) > 0) ||
    ![1, 2, 3, 4].includes(img!.channels as number) ||
    !(img!.data instanceof Uint8Array) ||
    img!.data.length !== img!.height! * img!.width! * img!.channels!
  ) {
    throw new Error(
      `${op}: expected an image { width, height, channels (1 to 4), data: a Uint8Array of height * width * channels pixels } (what image decoding and arrayToImg give), got ${describe(image)}`,
    );
  }
  const { height, width, channels, data } = image;
  return tidy(() => {
    const hwc = tensor(Float32Array.from(data), [height, width, channels]);
    const laid = first ? transpose(hwc, [2, 0, 1]) : hwc;
    return type === 'float32' ? laid : cast(laid, type);
  });
}

// A [height, width, channels] or [height, width] tensor laid out and cast as Keras's
// img_to_array does a numpy array (a 2-D one gains a channels axis of 1).
function tensorToArray(op: string, image: Tensor, first: boolean, type: DType): Tensor {
  if (image.rank !== 2 && image.rank !== 3) throw new Error(`${op}: expected an image tensor of rank 2 or 3, got ${describe(image)}`);
  return tidy(() => {
    const [h, w] = image.shape;
    const hwc = image.rank === 3 ? image : reshape(image, first ? [1, h, w] : [h, w, 1]);
    const laid = first && image.rank === 3 ? transpose(hwc, [2, 0, 1]) : hwc;
    // A copy, as np.asarray of another dtype: the caller may dispose what it gave.
    return cast(laid, type);
  });
}

/**
 * A tensor [height, width, channels] (or [channels, height, width] with dataFormat
 * 'channelsFirst'; channels 1, 3 or 4) as an image { width, height, channels, data } of
 * 8-bit pixels, as Keras's array_to_img: values stretched to 0-255 unless scale is false,
 * then truncated to integers (numpy's astype('uint8')). saveImage writes such pixels.
 * @example const img = ts.utils.arrayToImg(x, { scale: false })
 */
export function arrayToImg(x: Tensor, options?: ArrayToImgOptions | null): DecodedImage {
  const op = 'utils.arrayToImg';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  const { dataFormat, scale = true } = checkOptions(op, options, op);
  const first = channelsFirst(op, dataFormat);
  checkBoolean(op, 'scale', scale);
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a tensor, got ${describe(x)}`);
  if (x.rank !== 3) throw new Error(`${op}: expected image array to have rank 3 (single image), got a tensor of shape [${x.shape.join(', ')}]`);
  const hwc = first ? tidy(() => transpose(x, [1, 2, 0])) : x;
  const [height, width, channels] = hwc.shape;
  let values: Float64Array;
  try {
    values = Float64Array.from(hwc.dataSync() as ArrayLike<number>);
  } finally {
    if (hwc !== x) hwc.dispose();
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new Error(`${op}: unsupported channel number: ${channels} (expected 1, 3 or 4)`);
  if (height === 0 || width === 0) throw new Error(`${op}: the image has no pixels (shape [${x.shape.join(', ')}])`);
  if (scale) {
    let lo = Infinity;
    for (const v of values) lo = Math.min(lo, v);
    let hi = -Infinity;
    for (let i = 0; i < values.length; i++) hi = Math.max(hi, (values[i] -= lo));
    for (let i = 0; i < values.length; i++) values[i] = (hi !== 0 ? values[i] / hi : values[i]) * 255;
  }
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    // Keras would wrap such values around (uint8); Tessera says so instead.
    if (!(values[i] >= 0 && values[i] < 256))
      throw new Error(
        `${op}: expected pixel values in 0-255, got ${values[i]}${scale ? ' (the tensor holds NaN or infinity)' : ' (pass scale: true to stretch them)'}`,
      );
    data[i] = Math.trunc(values[i]);
  }
  return { width, height, channels, data };
}
