// keras.ops.image.gaussian_blur: a separable Gaussian kernel applied per channel over zero
// padding ('same'), the deterministic counterpart of the RandomGaussianBlur layer.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { depthwiseConv2d } from './conv';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { type ImageDataFormat, toBatchNhwc } from './image_layout';
import { everyEntry } from '../options/every_entry';

/** Options of image.gaussianBlur. */
export interface GaussianBlurOptions {
  /** 'channelsLast' (default) or 'channelsFirst'. */
  dataFormat?: ImageDataFormat;
}

// A kernel side beyond this is refused before any allocation (no image needs more).
const MAX_KERNEL = 4096;

/** @internal The normalised 1-D Gaussian exp(-(i - (n - 1) / 2)^2 / (2 sigma^2)) of n taps. */
export function gaussian1d(n: number, sigma: number): number[] {
  const g = Array.from({ length: n }, (_, i) => Math.exp(-0.5 * ((i - (n - 1) / 2) / sigma) ** 2));
  const total = g.reduce((a, b) => a + b, 0);
  return g.map((v) => v / total);
}

/**
 * Blurs images (rank 3 or 4, float) with a Gaussian kernel per channel, zero padding keeping
 * the size. As Keras 3 reads them (its JAX backend, whatever its docstring says), `kernelSize`
 * and `sigma` are [along x (width), along y (height)]: the kernel is
 * outer(g(kernelSize[1], sigma[1]), g(kernelSize[0], sigma[0])), each 1-D Gaussian summing to 1.
 * @example ts.image.gaussianBlur(images, [5, 5], [1.5, 1.5])
 */
export function gaussianBlur(
  images: TensorLike,
  kernelSize: [number, number] = [3, 3],
  sigma: [number, number] = [1, 1],
  options?: GaussianBlurOptions | null,
): Tensor {
  if (arguments.length > 4) throw tooManyArguments('image.gaussianBlur', 4, arguments.length);
  const op = 'image.gaussianBlur';
  const o = checkOptions(op, options, op);
  const x = toTensor(op, 'images', images);
  checkInputDType(op, 'images', x, FLOAT_DTYPES);
  const pair = (v: unknown, ok: (e: unknown) => boolean) => Array.isArray(v) && v.length === 2 && everyEntry(v, ok);
  if (!pair(kernelSize, (k) => Number.isInteger(k) && (k as number) > 0 && (k as number) <= MAX_KERNEL))
    throw new Error(`${op}: expected kernelSize a pair [x, y] of positive integers up to ${MAX_KERNEL}, got ${describe(kernelSize)}`);
  if (!pair(sigma, (s) => typeof s === 'number' && Number.isFinite(s) && s > 0))
    throw new Error(`${op}: expected sigma a pair [x, y] of positive finite numbers, got ${describe(sigma)}`);
  return tidy(() => {
    const { nhwc, restore } = toBatchNhwc(op, x, o.dataFormat);
    const channels = nhwc.shape[3];
    const [kw, kh] = kernelSize;
    const gx = gaussian1d(kw, sigma[0]);
    const gy = gaussian1d(kh, sigma[1]);
    // [kh, kw, channels, 1]: the same kernel for every channel (depthwise).
    const data = allocTypedArray(x.dtype, kh * kw * channels, op);
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let ch = 0; ch < channels; ch++) data[(i * kw + j) * channels + ch] = gy[i] * gx[j];
    const kernel = fromTypedArray(data, [kh, kw, channels, 1], x.dtype, x.device);
    return restore(depthwiseConv2d(nhwc, kernel, { strides: 1, padding: 'same' }));
  });
}
