// Keras 3's Equalization: histogram equalization of each channel, in training. Deterministic;
// the histograms are counted on the images' device with one segment sum for the whole batch.
import { layerFactory } from './keras_positional';
import { add, div, mul, sub } from '../ops/binary';
import { cast } from '../ops/cast';
import { clipByValue } from '../ops/clip';
import { greater, lessEqual, where } from '../ops/compare';
import { gather, unsortedSegmentSum } from '../ops/gather';
import { cumsum, min, sum } from '../ops/reduce';
import { reshape } from '../ops/reshape';
import { floor, round } from '../ops/unary';
import { fromTypedArray, onesLike } from '../tensor/creation';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { checkValueRange, ImageAugmentation, type AugmentationArgs } from './augmentation';
import type { TargetTransform } from './augmentation_targets';
import { layerOptions } from './layer_options';

/** Options of equalization. */
export interface EqualizationArgs extends Omit<AugmentationArgs, 'seed'> {
  /** The range the images' values lie in (default [0, 255]). */
  valueRange?: [number, number];
  /** The number of histogram bins, an integer from 2 (default 256). */
  bins?: number;
}

/**
 * Equalizes the histogram of each channel of each image, in training: on the 0..255 scale the
 * values are counted in `bins` bins, and each value becomes the rounded, stretched cumulative
 * count of its bin (Keras 3's lookup table); a channel whose values share one bin is unchanged.
 * Keras counts the histogram of each channel over the whole batch; here each image has its
 * own, as for one image or images equalized one at a time.
 */
export class Equalization extends ImageAugmentation {
  static override className = 'Equalization';
  /** The range of the images' values. */
  readonly valueRange: [number, number];
  /** The number of histogram bins. */
  readonly bins: number;
  constructor(args?: EqualizationArgs) {
    args = layerOptions(Equalization, new.target, args) ?? {};
    super(args);
    this.valueRange = checkValueRange(this.name, args.valueRange);
    this.bins = args.bins ?? 256;
    if (!Number.isInteger(this.bins) || this.bins < 2) throw new Error(`${this.name}: expected bins an integer of at least 2, got ${describe(args.bins)}`);
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    const [n, h, w, c] = images.shape;
    const bins = this.bins;
    const toPixels = (x: Tensor, from: [number, number], to: [number, number]) => {
      // Keras's _scale_values: x * scale + offset.
      const scale = (to[1] - to[0]) / (from[1] - from[0]);
      return add(mul(x, scale), to[0] - from[0] * scale);
    };
    const pixels = toPixels(images, this.valueRange, [0, 255]);
    // Bin of each value for counting, and (computed as Keras does, a little differently) for lookup.
    const counted = cast(floor(clipByValue(div(mul(pixels, bins - 1), 255), 0, bins - 1)), 'int32');
    const looked = cast(floor(clipByValue(mul(div(pixels, 255), bins - 1), 0, bins - 1)), 'int32');
    // One histogram per (image, channel): segment (image * c + channel) * bins + bin.
    const base = new Int32Array(n * c).map((_, k) => k * bins);
    const offsets = fromTypedArray(base, [n, 1, 1, c], 'int32', images.device);
    const histogram = reshape(unsortedSegmentSum(reshape(onesLike(pixels), [-1]), reshape(add(counted, offsets), [-1]), n * c * bins), [n * c, bins]);
    const cdf = cumsum(histogram, 1);
    const cdfMin = min(where(greater(cdf, 0), cdf, Infinity), 1, true);
    const total = sub(reshape(sum(histogram, 1), [n * c, 1]), cdfMin);
    const lut = clipByValue(round(div(mul(sub(cdf, cdfMin), 255), where(greater(total, 0), total, 1))), 0, 255);
    const equalized = reshape(gather(reshape(lut, [-1]), reshape(add(looked, offsets), [-1])), [n, h, w, c]);
    // A channel with one occupied bin (or none) keeps its values.
    const occupied = sum(cast(greater(histogram, 0), pixels.dtype), 1);
    const flat = reshape(lessEqual(occupied, 1), [n, 1, 1, c]);
    return toPixels(where(flat, pixels, equalized), [0, 255], this.valueRange);
  }

  override getConfig(): Record<string, unknown> {
    const { seed: _seed, ...config } = super.getConfig();
    return { ...config, valueRange: this.valueRange, bins: this.bins };
  }
}

/** Equalizes the histogram of each image channel in training. */
export const equalization = layerFactory(Equalization);
