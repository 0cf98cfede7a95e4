// keras.ops.image.elastic_transform: each pixel reads the image displaced by alpha times a
// Gaussian-blurred normal field (one per axis). The warp itself (elasticWarp) is shared with
// the RandomElasticTransform layer, which draws its own fields and strength.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { nextSeed, randomNormal, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { checkInRange, checkNumber, FINITE } from '../tensor/ranges';
import type { Tensor } from '../tensor/tensor';
import { add, mul } from './binary';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { gaussianBlur } from './image_blur';
import { toBatchNhwc, type ImageDataFormat } from './image_layout';
import { MAP_FILL_MODES, type MapFillMode, positionsAlong, sampleAt } from './image_sample';
import { choiceCode, type TransformInterpolation } from './image_transform';
import { reshape } from './reshape';
import { slice } from './slice';

/** Options of image.elasticTransform (Keras's arguments after alpha and sigma). */
export interface ElasticTransformOptions {
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: TransformInterpolation;
  /** Points outside the image: 'reflect' (default), 'constant', 'nearest', 'wrap' or 'mirror'. */
  fillMode?: MapFillMode;
  /** The value outside the image under fillMode 'constant' (default 0). */
  fillValue?: number;
  /** Makes the normal fields repeatable (default: the global random stream). */
  seed?: number;
  /** 'channelsLast' (default) or 'channelsFirst'. */
  dataFormat?: ImageDataFormat;
}

const OP = 'image.elasticTransform';
const INTERPOLATIONS: readonly TransformInterpolation[] = ['nearest', 'bilinear'];

/**
 * @internal Batched NHWC `images` warped by the normal fields `noiseX`, `noiseY` ([n, h, w, 1]):
 * each is scaled by sigma and blurred by a Gaussian of `sigma` over int(6 sigma) | 1 taps (zero
 * padding), then pixel (y, x) reads the images at (y + alpha dy, x + alpha dx), as Keras.
 */
export function elasticWarp(
  images: Tensor,
  noiseX: Tensor,
  noiseY: Tensor,
  alpha: number,
  sigma: number,
  order: 0 | 1,
  fillMode: MapFillMode,
  fillValue: number,
): Tensor {
  const [n, h, w, c] = images.shape;
  const k = Math.trunc(6 * sigma) | 1;
  const field = (noise: Tensor) => gaussianBlur(mul(noise, sigma), [k, k], [sigma, sigma]);
  const at = (grid: Tensor, shift: Tensor) => add(grid, mul(shift, alpha));
  return sampleAt(
    images,
    [
      { positions: positionsAlong(n, 0, 4, images) },
      { coordinates: at(positionsAlong(h, 1, 4, images), field(noiseY)) },
      { coordinates: at(positionsAlong(w, 2, 4, images), field(noiseX)) },
      { positions: positionsAlong(c, 3, 4, images) },
    ],
    order,
    fillMode,
    fillValue,
  );
}

/** @internal The options and parameters of elasticTransform checked: [order, fillMode, fillValue]. */
function checkElasticArgs(alpha: unknown, sigma: unknown, o: ElasticTransformOptions): [0 | 1, MapFillMode, number] {
  checkInRange(OP, 'alpha', alpha, FINITE);
  // A kernel side of int(6 sigma) | 1 taps, at most gaussianBlur's 4096.
  checkInRange(OP, 'sigma', sigma, { lo: 0, hi: 682, loClosed: false });
  const order = choiceCode(OP, 'interpolation', o.interpolation ?? 'bilinear', INTERPOLATIONS) as 0 | 1;
  const fillMode = o.fillMode ?? 'reflect';
  choiceCode(OP, 'fillMode', fillMode, MAP_FILL_MODES);
  const fillValue = checkNumber(OP, 'fillValue', o.fillValue ?? 0);
  // Checked here so that a bad seed names this op (nextSeed has no effect for a given seed).
  if (o.seed !== undefined) nextSeed(OP, o.seed);
  return [order, fillMode, fillValue];
}

/**
 * Distorts images (rank 3 or 4, float) as keras.ops.image.elastic_transform: two normal
 * fields per image, each times `sigma` and blurred by a Gaussian of `sigma` (int(6 sigma) | 1
 * taps, zero padding), displace the sampling grid by `alpha` times themselves; points outside
 * read by `fillMode`. Keras's JAX and TensorFlow backends draw both fields from one key (the
 * same field twice, a diagonal displacement); here, as its NumPy and PyTorch backends, they
 * are independent. Differentiable w.r.t. the images.
 * @example ts.image.elasticTransform(images, 20, 5, { seed: 1 })
 */
export function elasticTransform(images: TensorLike, alpha = 20, sigma = 5, options?: ElasticTransformOptions | null): Tensor {
  if (arguments.length > 4) throw tooManyArguments(OP, 4, arguments.length);
  const o = checkOptions(OP, options, OP);
  const [order, fillMode, fillValue] = checkElasticArgs(alpha, sigma, o);
  const x = toTensor(OP, 'images', images);
  checkInputDType(OP, 'images', x, FLOAT_DTYPES);
  return tidy(() => {
    const { nhwc, restore } = toBatchNhwc(OP, x, o.dataFormat);
    const [n, h, w] = nhwc.shape;
    if (nhwc.size === 0) return restore(nhwc);
    // One draw of both fields: a given seed gives two different ones.
    const noise = randomNormal([2 * n, h, w, 1], 0, 1, x.dtype, o.seed);
    const noiseX = slice(noise, [0, 0, 0, 0], [n, -1, -1, -1]);
    const noiseY = slice(noise, [n, 0, 0, 0], [n, -1, -1, -1]);
    return restore(elasticWarp(nhwc, noiseX, noiseY, alpha, sigma, order, fillMode, fillValue));
  });
}

/** @internal elasticTransform with given fields noiseX, noiseY ([n, h, w] per image), for checks against Keras. */
export function elasticTransformWithNoise(
  images: Tensor,
  noiseX: Tensor,
  noiseY: Tensor,
  alpha: number,
  sigma: number,
  options: ElasticTransformOptions,
): Tensor {
  const o = checkOptions(OP, options, OP);
  const [order, fillMode, fillValue] = checkElasticArgs(alpha, sigma, o);
  return tidy(() => {
    const { nhwc, restore } = toBatchNhwc(OP, images, o.dataFormat);
    const field = (t: Tensor) => reshape(t, [...t.shape, 1]);
    return restore(elasticWarp(nhwc, field(noiseX), field(noiseY), alpha, sigma, order, fillMode, fillValue));
  });
}
