// keras.ops.image.resize: Keras 3's resize (jax.image.resize's half-pixel sampling) with its
// interpolations, antialiasing, aspect-ratio crop or pad and both data formats. Bilinear
// without antialiasing and nearest run the resize kernels; the other cases multiply by the
// separable weight matrices of image_resize_weights.ts. Both are differentiable.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { tensor, type TensorLike } from '../tensor/creation';
import { checkAllocation } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { checkElementCount, describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { cast, clone } from './cast';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { einsum } from './einsum';
import { resizeBilinear, resizeNearestNeighbor } from './image';
import { checkImageRank, fromNhwc, imageDataFormat, imageHW, toNhwc, type ImageDataFormat } from './image_layout';
import { MAX_WEIGHTS, resampleWeights, type ResampleKernel } from './image_resize_weights';
import { pad } from './pad';
import { slice } from './slice';
import { everyEntry } from '../options/every_entry';

/** keras.ops.image.resize's interpolations. */
export type ResizeInterpolation = 'bilinear' | 'nearest' | 'bicubic' | 'lanczos3' | 'lanczos5' | 'area';

/** Options of image.resize (keras.ops.image.resize). */
export interface ImageResizeOptions {
  /** 'bilinear' (default), 'nearest', 'bicubic', 'lanczos3', 'lanczos5' or 'area' (TensorFlow's ResizeArea). */
  interpolation?: ResizeInterpolation;
  /** Widen the kernel when downsampling so that it averages (not for 'nearest' and 'area'); default false. */
  antialias?: boolean;
  /** Resize the largest centred window of the target's aspect ratio (no distortion); default false. */
  cropToAspectRatio?: boolean;
  /** Pad to the target's aspect ratio with fillValue first (no distortion); default false. */
  padToAspectRatio?: boolean;
  /** How padToAspectRatio fills: 'constant' only (as Keras). */
  fillMode?: 'constant';
  /** The value padToAspectRatio pads with; default 0. */
  fillValue?: number;
  /** 'channelsLast' (default: [..., height, width, channels]) or 'channelsFirst'. */
  dataFormat?: ImageDataFormat;
}

const OP = 'image.resize';
const INTERPOLATIONS: readonly ResizeInterpolation[] = ['bilinear', 'nearest', 'bicubic', 'lanczos3', 'lanczos5', 'area'];

function flag(name: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new Error(`${OP}: expected ${name} to be a boolean, got ${describe(v)}`);
  return v;
}

/**
 * Resizes images of rank 3 or 4 to `size` = [height, width] as keras.ops.image.resize (pixel
 * centres at +0.5, as jax.image.resize and tf.image.resize). Float images keep their dtype;
 * int32 images come back float32 ('nearest': int32), as Keras's JAX backend.
 * @example ts.image.resize(images, [224, 224], { interpolation: 'bicubic', antialias: true })
 */
export function resize(images: TensorLike, size: [number, number], options?: ImageResizeOptions | null): Tensor {
  if (arguments.length > 3) throw tooManyArguments(OP, 3, arguments.length);
  const o = checkOptions(OP, options, OP);
  const interpolation = o.interpolation ?? 'bilinear';
  if (!INTERPOLATIONS.includes(interpolation))
    throw new Error(`${OP}: expected interpolation one of ${INTERPOLATIONS.map((i) => `'${i}'`).join(', ')}, got ${describe(o.interpolation)}`);
  const antialias = flag('antialias', o.antialias);
  const crop = flag('cropToAspectRatio', o.cropToAspectRatio);
  const padded = flag('padToAspectRatio', o.padToAspectRatio);
  if (crop && padded) throw new Error(`${OP}: only one of padToAspectRatio and cropToAspectRatio can be true`);
  if (o.fillMode !== undefined && o.fillMode !== 'constant')
    throw new Error(`${OP}: expected fillMode 'constant' (the only one Keras's resize supports), got ${describe(o.fillMode)}`);
  const fillValue = o.fillValue ?? 0;
  if (typeof fillValue !== 'number') throw new Error(`${OP}: expected fillValue to be a number, got ${describe(o.fillValue)}`);
  const format = imageDataFormat(OP, o.dataFormat);
  if (!Array.isArray(size) || size.length !== 2 || !everyEntry(size, (s) => Number.isInteger(s) && s > 0))
    throw new Error(`${OP}: expected size to be [height, width], two integers > 0, got ${describe(size)}`);
  const x = toTensor(OP, 'images', images);
  checkInputDType(OP, 'images', x, [...FLOAT_DTYPES, 'int32']);
  checkImageRank(OP, 'images', x);
  const [h, w] = imageHW(x, format);
  const channels = format === 'channelsLast' ? x.shape[x.rank - 1] : x.shape[x.rank - 3];
  checkElementCount(OP, [x.rank === 4 ? x.shape[0] : 1, size[0], size[1], channels], 'output shape');
  checkAllocation(OP, x.dtype === 'float64' ? 'float64' : 'float32', (x.rank === 4 ? x.shape[0] : 1) * size[0] * size[1] * channels);
  if (h === 0 || w === 0) throw new Error(`${OP}: cannot resize empty images of shape [${x.shape.join(', ')}]`);
  return tidy(() => {
    // As JAX: integer images resample in float32; 'nearest' only picks pixels, so it keeps int32.
    let nhwc = toNhwc(x.dtype === 'int32' ? cast(x, 'float32') : x, format);
    if (crop) {
      // Keras's window: the largest centred one of the target's aspect ratio, at least 1 pixel.
      const ch = Math.max(Math.min(h, Math.trunc((w * size[0]) / size[1])), 1);
      const cw = Math.max(Math.min(w, Math.trunc((h * size[1]) / size[0])), 1);
      nhwc = slice(nhwc, [0, Math.trunc((h - ch) / 2), Math.trunc((w - cw) / 2), 0], [-1, ch, cw, -1]);
    } else if (padded) {
      // Keras pads the same amount on both sides (so an odd difference leaves the ratio 1 pixel off), height first.
      const top = Math.trunc((Math.max(h, Math.trunc((w * size[0]) / size[1])) - h) / 2);
      const left = Math.trunc((Math.max(w, Math.trunc((h * size[1]) / size[0])) - w) / 2);
      if (top > 0)
        nhwc = pad(
          nhwc,
          [
            [0, 0],
            [top, top],
            [0, 0],
            [0, 0],
          ],
          fillValue,
        );
      else if (left > 0)
        nhwc = pad(
          nhwc,
          [
            [0, 0],
            [0, 0],
            [left, left],
            [0, 0],
          ],
          fillValue,
        );
    }
    const y = resampleNhwc(nhwc, size, interpolation, antialias);
    return fromNhwc(x.dtype === 'int32' && interpolation === 'nearest' ? cast(y, 'int32') : y, format, x.rank);
  });
}

function resampleNhwc(x: Tensor, size: [number, number], interpolation: ResizeInterpolation, antialias: boolean): Tensor {
  const [, h, w] = x.shape;
  if (interpolation === 'nearest') return resizeNearestNeighbor(x, size, { halfPixelCenters: true });
  // Antialiasing changes bilinear only where it downsamples.
  if (interpolation === 'bilinear' && (!antialias || (size[0] >= h && size[1] >= w))) return resizeBilinear(x, size, { halfPixelCenters: true });
  let y = x;
  // As JAX, an axis whose size is kept is left alone (its kernels interpolate: the identity).
  if (size[0] !== h) y = einsum('nhwc,Hh->nHwc', y, weights(h, size[0], interpolation, antialias, y));
  if (size[1] !== w) y = einsum('nhwc,Ww->nhWc', y, weights(w, size[1], interpolation, antialias, y));
  return y === x ? clone(x) : y;
}

function weights(inSize: number, outSize: number, kernel: ResampleKernel, antialias: boolean, like: Tensor): Tensor {
  if (outSize * inSize > MAX_WEIGHTS)
    throw new Error(
      `${OP}: resizing ${inSize} to ${outSize} pixels with '${kernel}' needs a ${outSize} x ${inSize} weight matrix, more than ${MAX_WEIGHTS} entries; use 'bilinear' (without antialias) or 'nearest' for sizes this large`,
    );
  return tensor(resampleWeights(inSize, outSize, kernel, antialias), [outSize, inSize], like.dtype);
}
