// The augmentation operations RandAugment and AugMix choose from, built as Keras 3 builds them
// from one `factor` [lower, upper], a valueRange and an interpolation: Tessera's augmentation
// layers (RandomShear among them).
import type { TransformInterpolation } from '../ops/image_transform';
import type { Tensor } from '../tensor/tensor';
import { ImageAugmentation, RandomBrightness, RandomContrast, RandomRotation, RandomTranslation } from './augmentation';
import { RandomShear } from './warp_augmentation';
import { RandomColorDegeneration, RandomPosterization, RandomSharpness, Solarization } from './color_augmentation';
import { Equalization } from './equalization';
import { AutoContrast } from './image_filters';
import type { TargetTransform } from './augmentation_targets';

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
        return new RandomShear({ ...common, xFactor: factor, yFactor: factor, interpolation, fillMode: 'reflect' });
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
 * @internal `steps[i]`'s draw on images [n, h, w, c] and what moves with them, c 1 or 3
 * (the owner checks it on every call, not only when a colour operation is drawn). Grey images
 * have no colour to take away: colour degeneration leaves them (Keras's scales them by 0.9999).
 */
export function stepTargets(names: readonly AugmentOpName[], steps: ImageAugmentation[], i: number, images: Tensor): TargetTransform {
  if (names[i] === 'random_color_degeneration' && images.shape[3] === 1) return { images };
  // drawTargets is protected: the policy layers own these steps and call it as Pipeline reads takesImageDict.
  return (steps[i] as unknown as { drawTargets(images: Tensor): TargetTransform }).drawTargets(images);
}
