// The augmentation operations RandAugment and AugMix choose from, built as Keras 3 builds them
// from one `factor` [lower, upper], a valueRange and an interpolation: Tessera's augmentation
// layers, plus the shear Keras takes from its RandomShear (not a layer of Tessera's own).
import { mul, sub } from '../ops/binary';
import { cast } from '../ops/cast';
import { greater } from '../ops/compare';
import { concat } from '../ops/concat';
import { transform, type TransformInterpolation } from '../ops/image_transform';
import { slice } from '../ops/slice';
import { zerosLike } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';
import { ImageAugmentation, RandomBrightness, RandomContrast, RandomRotation, RandomTranslation, type AugmentationArgs } from './augmentation';
import { RandomColorDegeneration, RandomPosterization, RandomSharpness, Solarization } from './color_augmentation';
import { Equalization } from './equalization';
import { AutoContrast } from './image_filters';

/** Keras 3's names of the operations, as its RandAugment and AugMix list them. */
export type AugmentOpName =
  | 'random_shear'
  | 'random_translation'
  | 'random_rotation'
  | 'random_brightness'
  | 'random_color_degeneration'
  | 'random_contrast'
  | 'random_sharpness'
  | 'random_posterization'
  | 'solarization'
  | 'auto_contrast'
  | 'equalization';

/**
 * @internal Shears images [n, h, w, c] about their top-left corner, factors [n, 2] = (x, y) per
 * image: the output pixel (x, y) reads the input at (x + sx y, sy x + y), reflecting outside
 * the image (Keras 3's RandomShear transform).
 */
export function shearImages(images: Tensor, factors: Tensor, interpolation: TransformInterpolation): Tensor {
  const n = images.shape[0];
  const sx = slice(factors, [0, 0], [n, 1]);
  const sy = slice(factors, [0, 1], [n, 1]);
  const zero = zerosLike(sx);
  const one = sub(1, zero);
  const m = concat([one, sx, zero, sy, one, zero, zero, zero], 1);
  return transform(images, m, { interpolation, fillMode: 'reflect', fillValue: 0 });
}

/** Keras's RandomShear as RandAugment and AugMix make it: both factors drawn from [lower, upper], one random sign per image. */
class ShearStep extends ImageAugmentation {
  static override className = 'RandomShear';
  constructor(
    args: AugmentationArgs,
    private readonly range: [number, number],
    private readonly interpolation: TransformInterpolation,
  ) {
    super(args);
  }

  protected augment(images: Tensor): Tensor {
    const sign = sub(1, mul(cast(greater(this.uniform(images, 0, 1), 0.5), images.dtype), 2));
    const sy = this.uniform(images, ...this.range);
    const sx = this.uniform(images, ...this.range);
    return shearImages(images, mul(concat([sx, sy], 1), sign), this.interpolation);
  }
}

/** What the operations are built from. */
export interface PolicySettings {
  /** The owner's name: the steps are named after it (their errors say whose). */
  name: string;
  /** The strength [lower, upper], within [0, 1]. */
  factor: [number, number];
  valueRange: [number, number];
  interpolation: TransformInterpolation;
  /** The owner's seed; each step draws from its own (seed + its place in `names` + 1). */
  seed: number | null;
}

/** @internal The operations `names`, in that order, as Keras 3 configures them from the settings. */
export function policySteps(names: readonly AugmentOpName[], s: PolicySettings): ImageAugmentation[] {
  return names.map((op, k) => {
    const common = { name: `${s.name}_${op}`, seed: s.seed === null ? null : (s.seed + k + 1) % 2 ** 32 };
    const { factor, valueRange, interpolation } = s;
    switch (op) {
      case 'random_shear':
        return new ShearStep(common, factor, interpolation);
      case 'random_translation':
        return new RandomTranslation({ ...common, heightFactor: factor, widthFactor: factor, interpolation });
      case 'random_rotation':
        return new RandomRotation({ ...common, factor, interpolation });
      case 'random_brightness':
        return new RandomBrightness({ ...common, factor, valueRange });
      case 'random_color_degeneration':
        return new RandomColorDegeneration({ ...common, factor, valueRange });
      case 'random_contrast':
        return new RandomContrast({ ...common, factor, valueRange });
      case 'random_sharpness':
        return new RandomSharpness({ ...common, factor, valueRange });
      case 'random_posterization':
        // Keras: bits from max(1, int(8 * upper)).
        return new RandomPosterization({ ...common, factor: Math.max(1, Math.trunc(8 * factor[1])), valueRange });
      case 'solarization':
        return new Solarization({ ...common, additionFactor: factor, thresholdFactor: factor, valueRange });
      case 'auto_contrast':
        return new AutoContrast({ name: common.name, valueRange });
      case 'equalization':
        return new Equalization({ name: common.name, valueRange });
    }
  });
}

/**
 * @internal Applies `steps[i]` (operation `names[i]`) to images [n, h, w, c], c 1 or 3 (the
 * owner checks it on every call, not only when a colour operation is drawn). Grey images have
 * no colour to take away: colour degeneration leaves them (Keras's scales them by 0.9999).
 */
export function applyStep(names: readonly AugmentOpName[], steps: ImageAugmentation[], i: number, images: Tensor): Tensor {
  if (names[i] === 'random_color_degeneration' && images.shape[3] === 1) return images;
  return steps[i].call(images, { training: true });
}
