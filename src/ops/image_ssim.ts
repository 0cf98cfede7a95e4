// keras.ops.image.ssim: the structural similarity of Wang et al. (2004) as Keras 3.15 computes
// it: local means, variances and covariance under a normalised Gaussian window ('valid'
// convolutions, per channel), the SSIM map averaged over positions and channels.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { checkInRange, NON_NEGATIVE } from '../tensor/ranges';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { add, div, mul, sub } from './binary';
import { depthwiseConv2d } from './conv';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { gaussian1d } from './image_blur';
import { checkImageRank, toBatchNhwc, type ImageDataFormat } from './image_layout';
import { mean } from './reduce';
import { reshape } from './reshape';

/** Options of image.ssim (Keras's arguments after max_val). */
export interface SsimOptions {
  /** The side of the Gaussian window, a positive integer (default 11). */
  filterSize?: number;
  /** The window's standard deviation (default 1.5). */
  filterSigma?: number;
  /** The luminance constant: c1 = (k1 maxVal)^2 (default 0.01). */
  k1?: number;
  /** The contrast constant: c2 = (k2 maxVal)^2 (default 0.03). */
  k2?: number;
  /** 'channelsLast' (default) or 'channelsFirst'. */
  dataFormat?: ImageDataFormat;
}

const OP = 'image.ssim';

/**
 * The SSIM of two images or batches of images (rank 3 or 4, float, one shape) as
 * keras.ops.image.ssim: with mu, sigma^2 and sigma12 the window-weighted local means,
 * variances and covariance (a filterSize x filterSize Gaussian of filterSigma, positions where
 * the window fits), ((2 mu1 mu2 + c1)(2 sigma12 + c2)) / ((mu1^2 + mu2^2 + c1)(sigma1^2 +
 * sigma2^2 + c2)) averaged over positions and channels; one value per image ([batch], or a
 * scalar for one image). Differentiable w.r.t. both images.
 * @example ts.image.ssim(a, b, 255) // images in [0, 255]
 */
export function ssim(image1: TensorLike, image2: TensorLike, maxVal = 1, options?: SsimOptions | null): Tensor {
  if (arguments.length > 4) throw tooManyArguments(OP, 4, arguments.length);
  const o = checkOptions(OP, options, OP);
  checkInRange(OP, 'maxVal', maxVal, { lo: 0, hi: Infinity, loClosed: false });
  const size = o.filterSize ?? 11;
  if (!Number.isInteger(size) || size < 1 || size > 4096) throw new Error(`${OP}: expected filterSize an integer in [1, 4096], got ${describe(o.filterSize)}`);
  const sigma = checkInRange(OP, 'filterSigma', o.filterSigma ?? 1.5, { lo: 0, hi: Infinity, loClosed: false });
  const k1 = checkInRange(OP, 'k1', o.k1 ?? 0.01, NON_NEGATIVE);
  const k2 = checkInRange(OP, 'k2', o.k2 ?? 0.03, NON_NEGATIVE);
  const a = toTensor(OP, 'image1', image1);
  const b = toTensor(OP, 'image2', image2);
  // Keras would cast an int32 SSIM back to int32 (0 or 1): refused rather than truncated.
  checkInputDType(OP, 'image1', a, FLOAT_DTYPES);
  checkInputDType(OP, 'image2', b, FLOAT_DTYPES);
  checkImageRank(OP, 'image1', a);
  checkImageRank(OP, 'image2', b);
  if (a.shape.join() !== b.shape.join() || a.dtype !== b.dtype)
    throw new Error(`${OP}: expected image1 and image2 of one shape and dtype, got [${a.shape.join(', ')}] ${a.dtype} and [${b.shape.join(', ')}] ${b.dtype}`);
  return tidy(() => {
    const x = toBatchNhwc(OP, a, o.dataFormat).nhwc;
    const y = toBatchNhwc(OP, b, o.dataFormat).nhwc;
    const [n, h, w, c] = x.shape;
    if (h < size || w < size) throw new Error(`${OP}: images of ${h} x ${w} pixels are smaller than the ${size} x ${size} window (filterSize)`);
    const g = gaussian1d(size, sigma);
    const data = allocTypedArray(x.dtype, size * size * c, OP);
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) for (let ch = 0; ch < c; ch++) data[(i * size + j) * c + ch] = g[i] * g[j];
    const kernel = fromTypedArray(data, [size, size, c, 1], x.dtype, x.device);
    const blur = (t: Tensor) => depthwiseConv2d(t, kernel, { strides: 1, padding: 'valid' });
    const c1 = (k1 * maxVal) ** 2;
    const c2 = (k2 * maxVal) ** 2;
    const mu1 = blur(x);
    const mu2 = blur(y);
    const mu1mu2 = mul(mu1, mu2);
    const sq1 = mul(mu1, mu1);
    const sq2 = mul(mu2, mu2);
    const var1 = sub(blur(mul(x, x)), sq1);
    const var2 = sub(blur(mul(y, y)), sq2);
    const cov = sub(blur(mul(x, y)), mu1mu2);
    const num = mul(add(mul(mu1mu2, 2), c1), add(mul(cov, 2), c2));
    const den = mul(add(add(sq1, sq2), c1), add(add(var1, var2), c2));
    // Equal-sized maps per channel: the mean over all is Keras's mean of the channel means.
    const perImage = mean(div(num, den), [1, 2, 3]);
    return a.rank === 3 ? reshape(perImage, []) : reshape(perImage, [n]);
  });
}
