// Keras 3's augmentation layers that work in HSV: RandomSaturation and RandomHue. Training
// only, one draw per image from the layer's seeds, RGB channels-last images.
import { layerFactory } from './keras_positional';
import { add, div, mul, sub } from '../ops/binary';
import { cast } from '../ops/cast';
import { clipByValue } from '../ops/clip';
import { greater, less, where } from '../ops/compare';
import { concat } from '../ops/concat';
import type { Tensor } from '../tensor/tensor';
import { FactorAugmentation, type AugmentationArgs } from './augmentation';
import type { TargetTransform } from './augmentation_targets';
import { checkChannels, signedUnitFactor, unitFactor } from './color_augmentation';
import { hsvToRgb, mapValueRange, planes, rgbToHsv } from './color_space';
import { layerOptions } from './layer_options';
import { epsilon } from '../config/settings';

/** Keras's epsilon, which keeps factor / (1 - factor) finite at factor 1. */

/** Options of randomSaturation. */
export interface RandomSaturationArgs extends AugmentationArgs {
  /** In [0, 1]: 0 turns grey, 0.5 leaves the image, 1 saturates fully; f draws from [0, f]; [lower, upper] (within [-1, 1], as Keras saves it) from that range. */
  factor: number | [number, number];
  /** The range the images' values lie in (default [0, 255]). */
  valueRange?: [number, number];
}

/**
 * Scales each RGB image's saturation by f / (1 - f), f drawn per image from `factor`, in
 * training. The scaled saturation is clipped to [0, 1] (Keras clips it to valueRange, which
 * lets it exceed 1 and the colours go negative when valueRange is [0, 255]; the two agree
 * for [0, 1]).
 */
export class RandomSaturation extends FactorAugmentation {
  static override className = 'RandomSaturation';
  constructor(args: RandomSaturationArgs) {
    args = layerOptions(RandomSaturation, new.target, args);
    // Keras 3 saves a factor f as [-f, f]: such pairs load (a negative factor turns grey).
    super(args, args.factor, signedUnitFactor);
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    checkChannels(this.name, images, [3]);
    const f = this.uniform(images, this.range[0], this.range[1], [images.shape[0], 1, 1, 1]);
    const scale = div(f, add(sub(1, f), epsilon()));
    const [hue, saturation, value] = planes(rgbToHsv(images));
    return hsvToRgb(concat([hue, clipByValue(mul(saturation, scale), 0, 1), value], 3));
  }
}

/** Options of randomHue. */
export interface RandomHueArgs extends AugmentationArgs {
  /** In [0, 1]: the hue turns by up to half a turn times the factor, either way; f draws from [0, f]; [lower, upper] from that range. */
  factor: number | [number, number];
  /** The range the images' values lie in (default [0, 255]). */
  valueRange?: [number, number];
}

/**
 * Rotates each RGB image's hue by a random amount, in training: a sign (each with probability
 * 1/2) and a factor f are drawn per image, the hue (in [0, 1)) moves by sign * f / 2 and wraps,
 * and the colours are clipped to valueRange.
 */
export class RandomHue extends FactorAugmentation {
  static override className = 'RandomHue';
  constructor(args: RandomHueArgs) {
    args = layerOptions(RandomHue, new.target, args);
    super(args, args.factor, unitFactor);
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    checkChannels(this.name, images, [3]);
    const shape = [images.shape[0], 1, 1, 1];
    const sign = sub(1, mul(cast(greater(this.uniform(images, 0, 1, shape), 0.5), images.dtype), 2));
    const delta = mul(mul(sign, this.uniform(images, this.range[0], this.range[1], shape)), 0.5);
    const [hue, saturation, value] = planes(rgbToHsv(mapValueRange(images, this.valueRange, [0, 1])));
    let turned = add(hue, delta);
    turned = where(greater(turned, 1), sub(turned, 1), turned);
    turned = where(less(turned, 0), add(turned, 1), turned);
    const rgb = clipByValue(hsvToRgb(concat([turned, saturation, value], 3)), 0, 1);
    return mapValueRange(rgb, [0, 1], this.valueRange);
  }
}

/** @internal The HSV augmentation layer classes, for the layer registry. */
export const HSV_AUGMENTATION_LAYERS = [RandomSaturation, RandomHue];

/** Scales the saturation of RGB images by a random factor in training. */
export const randomSaturation = layerFactory(RandomSaturation);
/** Rotates the hue of RGB images by a random amount in training. */
export const randomHue = layerFactory(RandomHue);
