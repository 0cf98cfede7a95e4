// Keras 3's AutoContrast (a deterministic stretch, applied in inference too), RandomGaussianBlur
// and RandomErasing, on channels-last images [batch, height, width, channels] or one
// [height, width, channels]; the random ones act in training only, drawing from the layer's seeds.
import { layerFactory } from './keras_positional';
import { add, div, mul, sub } from '../ops/binary';
import { clipByValue } from '../ops/clip';
import { greater, greaterEqual, less, logicalAnd, where } from '../ops/compare';
import { depthwiseConv2d } from '../ops/conv';
import { max, min, sum } from '../ops/reduce';
import { reshape } from '../ops/reshape';
import { slice } from '../ops/slice';
import { tile } from '../ops/tile';
import { exp, sqrt, square } from '../ops/unary';
import { fromTypedArray, randomNormal } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { checkValueRange, FactorAugmentation, ImageAugmentation, type AugmentationArgs } from './augmentation';
import type { TargetTransform } from './augmentation_targets';
import { boundedFactor, unitFactor } from './color_augmentation';
import { mapValueRange } from './color_space';
import { layerOptions } from './layer_options';
import { everyEntry } from '../options/every_entry';

/** A [1, ...] tensor of 0, 1, ..., n - 1 laid along `axis` of a rank-4 shape, on the images' device. */
function positions(images: Tensor, n: number, axis: number, offset = 0): Tensor {
  const data = allocTypedArray(images.dtype, n).map((_, i) => i - offset);
  const shape = [1, 1, 1, 1];
  shape[axis] = n;
  return fromTypedArray(data, shape, images.dtype, images.device);
}

/** Options of autoContrast. */
export interface AutoContrastArgs extends Omit<AugmentationArgs, 'seed'> {
  /** The range the images' values lie in (default [0, 255]). */
  valueRange?: [number, number];
}

/**
 * Stretches each channel of each image so its lowest value maps to valueRange[0] and its
 * highest to valueRange[1]; a constant channel is left as it is. Deterministic, and applied in
 * inference as in training, as Keras 3 does.
 */
export class AutoContrast extends ImageAugmentation {
  static override className = 'AutoContrast';
  /** The range of the images' values. */
  readonly valueRange: [number, number];
  constructor(args?: AutoContrastArgs) {
    args = layerOptions(AutoContrast, new.target, args) ?? {};
    super(args);
    this.valueRange = checkValueRange(this.name, args.valueRange);
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    const pixels = mapValueRange(images, this.valueRange, [0, 255]);
    const low = min(pixels, [1, 2], true),
      high = max(pixels, [1, 2], true);
    const scale = div(255, sub(high, low));
    const stretched = clipByValue(sub(mul(pixels, scale), mul(low, scale)), 0, 255);
    // Keras keeps the channels whose stretch is NaN: the constant ones (high = low).
    return where(greater(high, low), mapValueRange(stretched, [0, 255], this.valueRange), images);
  }

  protected override inference(images: Tensor): Tensor {
    return this.augment(images);
  }

  override getConfig(): Record<string, unknown> {
    // No draws, so no seed (Keras 3's AutoContrast takes none).
    const { seed: _seed, ...config } = super.getConfig();
    return { ...config, valueRange: this.valueRange };
  }
}

/** Options of randomGaussianBlur. */
export interface RandomGaussianBlurArgs extends AugmentationArgs {
  /** The probability of blurring an image: f draws it from [0, f], [lower, upper] from that range; within [0, 1] (default 1). */
  factor?: number | [number, number];
  /** The kernel's size, an odd integer, or [width, height] as Keras reads a pair (default 3). */
  kernelSize?: number | [number, number];
  /** The standard deviation: s in [0, 1] draws from [0, s]; [lower, upper] (non-negative) from that range (default 1). */
  sigma?: number | [number, number];
  /** The range the images' values lie in; outputs are clipped to it (default [0, 255]). */
  valueRange?: [number, number];
}

/**
 * Blurs each image with probability drawn from `factor`, in training, with a Gaussian kernel
 * over zero padding; one horizontal and one vertical standard deviation (plus 1e-6) are drawn
 * per call for the whole batch, as Keras 3 does.
 */
export class RandomGaussianBlur extends FactorAugmentation {
  static override className = 'RandomGaussianBlur';
  /** The kernel size, as given. */
  readonly kernelSize: number | [number, number];
  /** The standard deviation's range, as given. */
  readonly sigma: number | [number, number];
  private readonly sigmaRange: [number, number];
  private readonly size: [number, number];
  constructor(args?: RandomGaussianBlurArgs) {
    args = layerOptions(RandomGaussianBlur, new.target, args) ?? {};
    super(args, args.factor ?? 1, unitFactor);
    this.kernelSize = args.kernelSize ?? 3;
    this.sigma = args.sigma ?? 1;
    const odd = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0 && (v as number) % 2 === 1;
    const k = this.kernelSize;
    if (odd(k)) this.size = [k, k];
    else if (Array.isArray(k) && k.length === 2 && everyEntry(k, odd)) this.size = [k[0], k[1]];
    else throw new Error(`${this.name}: expected kernelSize an odd positive integer or a pair of such, got ${describe(k)}`);
    const s = this.sigma;
    const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (typeof s === 'number' && s >= 0 && s <= 1) this.sigmaRange = [0, s];
    else if (Array.isArray(s) && s.length === 2 && everyEntry(s, finite)) this.sigmaRange = [Math.min(...s), Math.max(...s)];
    else throw new Error(`${this.name}: expected sigma a number in [0, 1] or a [lower, upper] pair of non-negative numbers, got ${describe(s)}`);
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    const perImage = [images.shape[0], 1, 1, 1];
    const probability = this.uniform(images, this.range[0], this.range[1], perImage);
    const chosen = less(this.uniform(images, 0, 1, perImage), probability);
    const sigma = add(this.uniform(images, this.sigmaRange[0], this.sigmaRange[1], [2]), 1e-6);
    const [kw, kh] = this.size;
    const gaussian = (n: number, axis: number, s: Tensor) => {
      const g = exp(mul(square(div(positions(images, n, axis, (n - 1) / 2), reshape(s, [1, 1, 1, 1]))), -0.5));
      return div(g, sum(g));
    };
    // The kernel [kh, kw] as the outer product, laid out [kh, kw, channels, 1] for depthwiseConv2d.
    const outer = mul(gaussian(kh, 1, slice(sigma, [1], [1])), gaussian(kw, 2, slice(sigma, [0], [1])));
    const kernel = tile(reshape(outer, [kh, kw, 1, 1]), [1, 1, images.shape[3], 1]);
    const blurred = depthwiseConv2d(images, kernel, { strides: 1, padding: 'same' });
    return clipByValue(where(chosen, blurred, images), ...this.valueRange);
  }

  protected override extraConfig(): Record<string, unknown> {
    return { kernelSize: this.kernelSize, sigma: this.sigma };
  }
}

/** Options of randomErasing. */
export interface RandomErasingArgs extends AugmentationArgs {
  /** The probability of erasing from an image: f draws it from [0, f], [lower, upper] from that range; within [0, 1] (default 1). */
  factor?: number | [number, number];
  /** The patch's squared side fractions, in [0, 1]: per image two are drawn from it (default [0.02, 0.33]); s means [0, s]. */
  scale?: number | [number, number];
  /** What fills the patch: a number, one per channel, or null (default): normal noise times valueRange[1]; clipped to valueRange. */
  fillValue?: number | number[] | null;
  /** The range the images' values lie in (default [0, 255]). */
  valueRange?: [number, number];
}

/**
 * Erases a random rectangle of each image with probability drawn from `factor`, in training:
 * its width and height are sqrt(u) times the image's, u drawn from `scale` (one for each side),
 * its place uniform; the rectangle takes fillValue.
 */
export class RandomErasing extends FactorAugmentation {
  static override className = 'RandomErasing';
  /** The patch's size fractions, as given. */
  readonly scale: number | [number, number];
  /** The fill: a number, one per channel, or null for noise. */
  readonly fillValue: number | number[] | null;
  private readonly scaleRange: [number, number];
  constructor(args?: RandomErasingArgs) {
    args = layerOptions(RandomErasing, new.target, args) ?? {};
    super(args, args.factor ?? 1, unitFactor);
    this.scale = args.scale ?? [0.02, 0.33];
    this.scaleRange = boundedFactor(this.name, 'scale', this.scale, 0, 1);
    this.fillValue = args.fillValue ?? null;
    const fv = this.fillValue;
    const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
    if (fv !== null && !finite(fv) && !(Array.isArray(fv) && fv.length > 0 && everyEntry(fv, finite)))
      throw new Error(`${this.name}: expected fillValue a number, an array of numbers (one per channel) or null, got ${describe(fv)}`);
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    const [n, h, w, c] = images.shape;
    const sides = sqrt(this.uniform(images, this.scaleRange[0], this.scaleRange[1], [n, 2, 1, 1]));
    const span = (ratio: Tensor, length: number): [Tensor, Tensor] => {
      const extent = mul(reshape(ratio, [n, 1, 1, 1]), length);
      const start = mul(this.uniform(images, 0, 1, [n, 1, 1, 1]), sub(length, extent));
      return [start, add(start, extent)];
    };
    const [x0, x1] = span(slice(sides, [0, 0, 0, 0], [n, 1, 1, 1]), w);
    const [y0, y1] = span(slice(sides, [0, 1, 0, 0], [n, 1, 1, 1]), h);
    const inside = (grid: Tensor, from: Tensor, to: Tensor) => logicalAnd(greaterEqual(grid, from), less(grid, to));
    const patch = logicalAnd(inside(positions(images, w, 2), x0, x1), inside(positions(images, h, 1), y0, y1));
    const probability = this.uniform(images, this.range[0], this.range[1], [n, 1, 1, 1]);
    const chosen = less(this.uniform(images, 0, 1, [n, 1, 1, 1]), probability);
    return where(logicalAnd(patch, chosen), this.fill(images, c), images);
  }

  private fill(images: Tensor, channels: number): Tensor {
    const fv = this.fillValue;
    let fill: Tensor;
    if (fv === null) fill = mul(randomNormal(images.shape, 0, 1, images.dtype, this.seeds.next()), this.valueRange[1]);
    else {
      if (Array.isArray(fv) && fv.length !== channels)
        throw new Error(`${this.name}: expected fillValue with one number per channel (${channels}), got ${fv.length} numbers`);
      const data = allocTypedArray(images.dtype, channels).map((_, i) => (Array.isArray(fv) ? fv[i] : fv));
      fill = fromTypedArray(data, [1, 1, 1, channels], images.dtype, images.device);
    }
    return clipByValue(fill, ...this.valueRange);
  }

  protected override extraConfig(): Record<string, unknown> {
    return { scale: this.scale, fillValue: this.fillValue };
  }
}

/** @internal The filter layer classes, for the layer registry. */
export const IMAGE_FILTER_LAYERS = [AutoContrast, RandomGaussianBlur, RandomErasing];

/** Stretches each channel to the full value range (in inference too). */
export const autoContrast = layerFactory(AutoContrast);
/** Blurs images with a random Gaussian kernel in training. */
export const randomGaussianBlur = layerFactory(RandomGaussianBlur);
/** Erases a random rectangle of images in training. */
export const randomErasing = layerFactory(RandomErasing);
