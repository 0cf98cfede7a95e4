// Keras 3's pixel-value augmentation layers: RandomGrayscale, RandomInvert, Solarization,
// RandomPosterization, RandomColorDegeneration and RandomSharpness. Like the geometric ones
// (augmentation.ts) they act in training only, draw per image from the layer's seeds, and take
// channels-last images [batch, height, width, channels] or one [height, width, channels].
import { layerFactory } from './keras_positional';
import { add, div, mul, pow, sub } from '../ops/binary';
import { clipByValue } from '../ops/clip';
import { less, where } from '../ops/compare';
import { depthwiseConv2d } from '../ops/conv';
import { rgbToGrayscale } from '../ops/image_extra';
import { floor } from '../ops/unary';
import { fromTypedArray } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { checkValueRange, FactorAugmentation, ImageAugmentation, type AugmentationArgs } from './augmentation';
import type { TargetTransform } from './augmentation_targets';
import { mapValueRange } from './color_space';
import { layerOptions } from './layer_options';
import { everyEntry } from '../options/every_entry';

/**
 * @internal A factor of bounds in [lo, hi], Keras's way: one number f means [lo, f]; a pair is
 * sorted, and its bounds may reach down to `pairLo` (default lo). `integers`: whole numbers only.
 */
export function boundedFactor(layer: string, arg: string, value: unknown, lo: number, hi: number, integers = false, pairLo = lo): [number, number] {
  const within = (v: unknown, from: number): v is number => typeof v === 'number' && v >= from && v <= hi && (!integers || Number.isInteger(v));
  if (within(value, lo)) return [lo, value];
  if (Array.isArray(value) && value.length === 2 && everyEntry(value, (v) => within(v, pairLo))) return [Math.min(...value), Math.max(...value)];
  const kind = integers ? 'an integer' : 'a number';
  const pair = pairLo === lo ? 'a [lower, upper] pair of such' : `a [lower, upper] pair in [${pairLo}, ${hi}]`;
  throw new Error(`${layer}: expected ${arg} ${kind} in [${lo}, ${hi}] or ${pair}, got ${describe(value)}`);
}

/** @internal A factor in [0, 1] (a pair too), checked by boundedFactor. */
export const unitFactor = (layer: string, factor: unknown) => boundedFactor(layer, 'factor', factor, 0, 1);
/** @internal A factor in [0, 1], or a pair within [-1, 1] (as Keras 3 saves f: [-f, f]). */
export const signedUnitFactor = (layer: string, factor: unknown) => boundedFactor(layer, 'factor', factor, 0, 1, false, -1);

/** @internal Throws unless the images have one of the `allowed` channel counts. */
export function checkChannels(layer: string, images: Tensor, allowed: number[]): void {
  const channels = images.shape[images.rank - 1];
  if (allowed.includes(channels)) return;
  const want = allowed.length === 1 ? `${allowed[0]}` : `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
  throw new Error(`${layer}: expected images with ${want} channels (RGB, channels-last), got shape [${images.shape.join(', ')}]`);
}

/** The per-image [batch, 1, 1, 1] shape of one draw per image. */
const perImage = (images: Tensor) => [images.shape[0], 1, 1, 1];

/** Options of randomGrayscale. */
export interface RandomGrayscaleArgs extends AugmentationArgs {
  /** The probability, in [0, 1], that an image turns grey (default 0.5). */
  factor?: number;
}

/**
 * Turns each image grey with probability `factor`, in training: every channel becomes
 * 0.2989 R + 0.5870 G + 0.1140 B. One-channel images are already grey and pass unchanged.
 */
export class RandomGrayscale extends ImageAugmentation {
  static override className = 'RandomGrayscale';
  /** The probability that an image turns grey. */
  readonly factor: number;
  constructor(args?: RandomGrayscaleArgs) {
    args = layerOptions(RandomGrayscale, new.target, args) ?? {};
    super(args);
    this.factor = args.factor ?? 0.5;
    if (typeof this.factor !== 'number' || !(this.factor >= 0 && this.factor <= 1))
      throw new Error(`${this.name}: expected factor a probability in [0, 1], got ${describe(args.factor)}`);
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    checkChannels(this.name, images, [1, 3]);
    const chosen = less(this.uniform(images, 0, 1, perImage(images)), this.factor);
    if (images.shape[3] === 1) return images;
    return where(chosen, rgbToGrayscale(images), images);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

/** Options of randomInvert. */
export interface RandomInvertArgs extends AugmentationArgs {
  /** The probability of inverting an image: f draws it from [0, f], [lower, upper] from that range; within [0, 1] (default 1). */
  factor?: number | [number, number];
  /** The range the images' values lie in (default [0, 255]). */
  valueRange?: [number, number];
}

/**
 * Inverts each image at random, in training: a probability p is drawn per image from `factor`
 * and the image becomes valueRange[1] - x with probability p (Keras's formula, which assumes
 * the range starts at 0).
 */
export class RandomInvert extends FactorAugmentation {
  static override className = 'RandomInvert';
  constructor(args?: RandomInvertArgs) {
    args = layerOptions(RandomInvert, new.target, args) ?? {};
    super(args, args.factor ?? 1, unitFactor);
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    const probability = this.uniform(images, this.range[0], this.range[1], perImage(images));
    const chosen = less(this.uniform(images, 0, 1, perImage(images)), probability);
    return where(chosen, sub(this.valueRange[1], images), images);
  }
}

/** Options of solarization. */
export interface SolarizationArgs extends AugmentationArgs {
  /** Fraction of the value range added before thresholding, in [0, 1]: f draws from [0, f] (default 0). */
  additionFactor?: number | [number, number];
  /** Fraction of the value range above which pixels invert, in [0, 1]: f draws from [0, f] (default 0: every pixel). */
  thresholdFactor?: number | [number, number];
  /** The range the images' values lie in (default [0, 255]). */
  valueRange?: [number, number];
}

/**
 * Solarizes images, in training: on the 0..255 scale each image gets a random addition
 * (clipped to 255), then every pixel at or above a random threshold becomes 255 - x.
 */
export class Solarization extends ImageAugmentation {
  static override className = 'Solarization';
  /** The range of the addition, as given. */
  readonly additionFactor: number | [number, number];
  /** The range of the threshold, as given. */
  readonly thresholdFactor: number | [number, number];
  /** The range of the images' values. */
  readonly valueRange: [number, number];
  private readonly additions: [number, number];
  private readonly thresholds: [number, number];
  constructor(args?: SolarizationArgs) {
    args = layerOptions(Solarization, new.target, args) ?? {};
    super(args);
    this.additionFactor = args.additionFactor ?? 0;
    this.thresholdFactor = args.thresholdFactor ?? 0;
    this.additions = boundedFactor(this.name, 'additionFactor', this.additionFactor, 0, 1);
    this.thresholds = boundedFactor(this.name, 'thresholdFactor', this.thresholdFactor, 0, 1);
    this.valueRange = checkValueRange(this.name, args.valueRange);
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    // Keras scales the bounds by 255 (its code leaves the lower addition bound unscaled, which
    // only differs from its documentation for a [lower, upper] pair with lower > 0).
    const addition = this.uniform(images, this.additions[0] * 255, this.additions[1] * 255, perImage(images));
    const threshold = this.uniform(images, this.thresholds[0] * 255, this.thresholds[1] * 255, perImage(images));
    const shifted = clipByValue(add(mapValueRange(images, this.valueRange, [0, 255]), addition), 0, 255);
    const solarized = where(less(shifted, threshold), shifted, sub(255, shifted));
    return mapValueRange(solarized, [0, 255], this.valueRange);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), additionFactor: this.additionFactor, thresholdFactor: this.thresholdFactor, valueRange: this.valueRange };
  }
}

/** Options of randomPosterization. */
export interface RandomPosterizationArgs extends AugmentationArgs {
  /** Bits kept per channel, integers in [1, 8]: b draws from 1..b-1 (b = 1: 1); [lower, upper] from lower..upper-1; [b, b] keeps b. */
  factor: number | [number, number];
  /** The range the images' values lie in (default [0, 255]). */
  valueRange?: [number, number];
}

/**
 * Keeps only the high bits of each channel, in training: on the 0..255 scale a pixel becomes
 * floor(x / 2^s) * 2^s with s = 8 - bits, the number of bits drawn per image as Keras draws
 * it (a random integer in [lower, upper), upper excluded, unless lower = upper).
 */
export class RandomPosterization extends FactorAugmentation {
  static override className = 'RandomPosterization';
  constructor(args: RandomPosterizationArgs) {
    args = layerOptions(RandomPosterization, new.target, args);
    // The range is the bits kept.
    super(args, args.factor, (layer, factor) => boundedFactor(layer, 'factor', factor, 1, 8, true));
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    const [lo, hi] = this.range;
    const bits = lo === hi ? this.constantPerImage(images, lo) : clipByValue(floor(this.uniform(images, lo, hi, perImage(images))), lo, hi - 1);
    const step = pow(2, sub(8, bits));
    const pixels = floor(clipByValue(mapValueRange(images, this.valueRange, [0, 255]), 0, 255));
    return mapValueRange(mul(floor(div(pixels, step)), step), [0, 255], this.valueRange);
  }

  private constantPerImage(images: Tensor, value: number): Tensor {
    const data = allocTypedArray(images.dtype, images.shape[0]).fill(value);
    return fromTypedArray(data, perImage(images), images.dtype, images.device);
  }
}

/** Options of randomColorDegeneration. */
export interface RandomColorDegenerationArgs extends AugmentationArgs {
  /** How far towards grey, in [0, 1]: f draws from [0, f]; [lower, upper] (within [-1, 1], as Keras saves it) from that range. */
  factor: number | [number, number];
  /** The range the images' values lie in; outputs are clipped to it (default [0, 255]). */
  valueRange?: [number, number];
}

/** Blends each RGB image towards its greyscale by a random factor (0: unchanged, 1: grey), in training. */
export class RandomColorDegeneration extends FactorAugmentation {
  static override className = 'RandomColorDegeneration';
  constructor(args: RandomColorDegenerationArgs) {
    args = layerOptions(RandomColorDegeneration, new.target, args);
    // Keras 3 saves a factor f as [-f, f]: such pairs load (a negative factor moves away from grey).
    super(args, args.factor, signedUnitFactor);
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    checkChannels(this.name, images, [3]);
    const factor = this.uniform(images, this.range[0], this.range[1], perImage(images));
    const blended = add(images, mul(factor, sub(rgbToGrayscale(images), images)));
    return clipByValue(blended, ...this.valueRange);
  }
}

/** Options of randomSharpness. */
export interface RandomSharpnessArgs extends AugmentationArgs {
  /** In [0, 1]: 0 blurs fully, 0.5 leaves the image, 1 sharpens; f draws from [0, f]; [lower, upper] from that range. */
  factor: number | [number, number];
  /** The range the images' values lie in; outputs are clipped to it (default [0, 255]). */
  valueRange?: [number, number];
}

/**
 * Blurs or sharpens each image by a random amount, in training: with s = 2 * factor the image
 * becomes x + (1 - s) (blur(x) - x), blur being the 3x3 smoothing kernel (1/13 around, 5/13
 * at the centre) over zero padding, as Keras.
 */
export class RandomSharpness extends FactorAugmentation {
  static override className = 'RandomSharpness';
  constructor(args: RandomSharpnessArgs) {
    args = layerOptions(RandomSharpness, new.target, args);
    super(args, args.factor, unitFactor);
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    const sharpness = mul(this.uniform(images, this.range[0], this.range[1], perImage(images)), 2);
    const channels = images.shape[3];
    const kernel = allocTypedArray(images.dtype, 9 * channels).fill(1 / 13);
    kernel.fill(5 / 13, 4 * channels, 5 * channels);
    const smoothing = fromTypedArray(kernel, [3, 3, channels, 1], images.dtype, images.device);
    const blurred = depthwiseConv2d(images, smoothing, { strides: 1, padding: 'same' });
    return clipByValue(add(images, mul(sub(1, sharpness), sub(blurred, images))), ...this.valueRange);
  }
}

/** @internal The colour augmentation layer classes, for the layer registry. */
export const COLOR_AUGMENTATION_LAYERS = [RandomGrayscale, RandomInvert, Solarization, RandomPosterization, RandomColorDegeneration, RandomSharpness];

/** Turns images grey with probability `factor` in training. */
export const randomGrayscale = layerFactory(RandomGrayscale);
/** Inverts images (valueRange[1] - x) with a random probability in training. */
export const randomInvert = layerFactory(RandomInvert);
/** Solarizes images (pixels above a random threshold inverted) in training. */
export const solarization = layerFactory(Solarization);
/** Keeps a random number of high bits per channel in training. */
export const randomPosterization = layerFactory(RandomPosterization);
/** Blends images towards grey by a random factor in training. */
export const randomColorDegeneration = layerFactory(RandomColorDegeneration);
/** Blurs or sharpens images by a random factor in training. */
export const randomSharpness = layerFactory(RandomSharpness);
