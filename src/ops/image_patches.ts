// keras.ops.image.extract_patches: every [sizeH, sizeW] window (strided, dilated, 'valid' or
// 'same' padded as a convolution) flattened into the channel axis in Keras's order
// ((row * sizeW + column) * channels + channel), by one gather: differentiable.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { tensor, zeros, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { checkElementCount, describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { concat } from './concat';
import { toTensor } from './convert';
import { gather } from './gather';
import { checkImageRank, fromNhwc, imageDataFormat, imageHW, toNhwc, type ImageDataFormat } from './image_layout';
import { reshape } from './reshape';
import { everyEntry } from '../options/every_entry';

/** Options of image.extractPatches. */
export interface ExtractPatchesOptions {
  /** Step between windows, an integer or [rows, columns]; default the patch size (no overlap). */
  strides?: number | [number, number];
  /** Spacing of the pixels within a window, an integer or [rows, columns]; default 1. */
  dilationRate?: number | [number, number];
  /** 'valid' (default: whole windows only) or 'same' (zero-padded, ceil(size / stride) windows per axis). */
  padding?: 'valid' | 'same';
  /** 'channelsLast' (default: [..., height, width, channels]) or 'channelsFirst'. */
  dataFormat?: ImageDataFormat;
}

const OP = 'image.extractPatches';
const INT32_MAX = 2 ** 31 - 1;
/** The most pixel reads per image (a 1 GiB index array), refused before the index is built. */
const MAX_READS = 2 ** 28;

function pair(name: string, v: unknown): [number, number] {
  const ok = (d: unknown) => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= INT32_MAX;
  if (ok(v)) return [v as number, v as number];
  if (Array.isArray(v) && v.length === 3 && name === 'size')
    throw new Error(`${OP}: 3-D patches (size of 3 entries, Keras's volumes) are not supported; got size ${describe(v)}`);
  if (Array.isArray(v) && v.length === 2 && everyEntry(v, ok)) return [v[0], v[1]];
  throw new Error(`${OP}: expected ${name} to be a positive integer or [rows, columns] of them, got ${describe(v)}`);
}

/** @internal [windows, padding before] along one axis of `length` pixels, as a convolution pads. */
export function axisWindows(length: number, size: number, stride: number, dilation: number, same: boolean): [number, number] {
  const extent = (size - 1) * dilation + 1;
  if (!same) return [length >= extent ? Math.floor((length - extent) / stride) + 1 : 0, 0];
  const windows = Math.ceil(length / stride);
  const total = Math.max((windows - 1) * stride + extent - length, 0);
  return [windows, Math.floor(total / 2)];
}

/**
 * Extracts patches of `size` ([rows, columns] or one integer) from images of rank 3 or 4,
 * as keras.ops.image.extract_patches: [..., windowsH, windowsW, sizeH * sizeW * channels]
 * (channels last) or [..., sizeH * sizeW * channels, windowsH, windowsW] (channels first).
 * @example ts.image.extractPatches(images, 16) // ViT's 16 x 16 patches
 */
export function extractPatches(images: TensorLike, size: number | [number, number], options?: ExtractPatchesOptions | null): Tensor {
  if (arguments.length > 3) throw tooManyArguments(OP, 3, arguments.length);
  const o = checkOptions(OP, options, OP);
  const format = imageDataFormat(OP, o.dataFormat);
  const [ph, pw] = pair('size', size);
  // As Keras, strides absent (or 0) are the patch size.
  const [sh, sw] = o.strides === undefined || o.strides === 0 ? [ph, pw] : pair('strides', o.strides);
  const [dh, dw] = o.dilationRate === undefined ? [1, 1] : pair('dilationRate', o.dilationRate);
  const padding = o.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') throw new Error(`${OP}: expected padding 'valid' or 'same', got ${describe(o.padding)}`);
  const x = toTensor(OP, 'images', images);
  checkImageRank(OP, 'images', x);
  const [h, w] = imageHW(x, format);
  const n = x.rank === 4 ? x.shape[0] : 1;
  const c = format === 'channelsLast' ? x.shape[x.rank - 1] : x.shape[x.rank - 3];
  const [oh, top] = axisWindows(h, ph, sh, dh, padding === 'same');
  const [ow, left] = axisWindows(w, pw, sw, dw, padding === 'same');
  checkElementCount(OP, [n, oh, ow, ph, pw, c], 'output shape');
  const count = oh * ow * ph * pw;
  if (count > MAX_READS) throw new Error(`${OP}: ${oh} x ${ow} windows of ${ph} x ${pw} pixels are ${count} pixel reads per image, more than 2^28`);
  // Source pixel of each (window row, window column, patch row, patch column); h * w is the zero pixel.
  const index = new Int32Array(count);
  let k = 0;
  for (let y = 0; y < oh; y++)
    for (let xw = 0; xw < ow; xw++)
      for (let i = 0; i < ph; i++)
        for (let j = 0; j < pw; j++) {
          const r = y * sh + i * dh - top;
          const col = xw * sw + j * dw - left;
          index[k++] = r >= 0 && r < h && col >= 0 && col < w ? r * w + col : h * w;
        }
  return tidy(() => {
    const nhwc = toNhwc(x, format);
    const flat = concat([reshape(nhwc, [n, h * w, c]), zeros([n, 1, c], x.dtype)], 1);
    const picked = gather(flat, tensor(index, [count], 'int32'), 1);
    return fromNhwc(reshape(picked, [n, oh, ow, ph * pw * c]), format, x.rank);
  });
}
