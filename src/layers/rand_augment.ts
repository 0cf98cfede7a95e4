// Keras 3's RandAugment: per call, numOps operations drawn at random (with repetition) from
// Keras's list of eleven, applied one after another to the whole batch, in training. Eagerly
// it also takes Keras's {images, labels, bounding_boxes, segmentation_masks}: boxes and masks
// follow each chosen operation in turn.
import { layerFactory } from './keras_positional';
import { choiceCode, type TransformInterpolation } from '../ops/image_transform';
import { seededRandom } from '../tensor/seeded_random';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { checkValueRange, ImageAugmentation, type AugmentationArgs } from './augmentation';
import { policySteps, stepTargets, type AugmentOpName } from './augment_policies';
import { chainTargets, type TargetTransform } from './augmentation_targets';
import { boundedFactor, checkChannels } from './color_augmentation';
import { layerOptions } from './layer_options';

/** @internal Keras 3's RandAugment operations, in its order. */
export const RAND_AUGMENT_OPS: readonly AugmentOpName[] = [
  'random_shear',
  'random_translation',
  'random_rotation',
  'random_brightness',
  'random_color_degeneration',
  'random_contrast',
  'random_sharpness',
  'random_posterization',
  'solarization',
  'auto_contrast',
  'equalization',
];

/** Options of randAugment. */
export interface RandAugmentArgs extends AugmentationArgs {
  /** The range the images' values lie in (default [0, 255]). */
  valueRange?: [number, number];
  /** How many operations each call applies, in sequence (default 2). */
  numOps?: number;
  /** The strength, in [0, 1]: f means [0, f], a pair [lower, upper] as given (default 0.5). */
  factor?: number | [number, number];
  /** How the geometric operations resample: 'bilinear' (default) or 'nearest'. */
  interpolation?: TransformInterpolation;
}

/**
 * RandAugment, in training: each call draws numOps operations from Keras's list (shear,
 * translation, rotation, brightness, colour degeneration, contrast, sharpness, posterization,
 * solarization, autoContrast, equalization), one choice for the whole batch, and applies them
 * in turn, each with its own per-image draws from `factor`. An operation chosen twice draws
 * anew the second time (Keras reuses its first draw). The identity in inference.
 */
export class RandAugment extends ImageAugmentation {
  static override className = 'RandAugment';
  /** The range of the images' values. */
  readonly valueRange: [number, number];
  /** How many operations each call applies. */
  readonly numOps: number;
  /** The strength, as given. */
  readonly factor: number | [number, number];
  /** How the geometric operations resample. */
  readonly interpolation: TransformInterpolation;
  /** @internal The operations of the last training call, by Keras's names (for tests and debugging). */
  lastOps: AugmentOpName[] = [];
  private readonly steps: ImageAugmentation[];

  constructor(args?: RandAugmentArgs) {
    args = layerOptions(RandAugment, new.target, args) ?? {};
    super(args);
    this.valueRange = checkValueRange(this.name, args.valueRange);
    this.numOps = args.numOps ?? 2;
    if (!Number.isInteger(this.numOps) || this.numOps < 0)
      throw new Error(`${this.name}: expected numOps a non-negative integer, got ${describe(args.numOps)}`);
    this.factor = args.factor ?? 0.5;
    const range = boundedFactor(this.name, 'factor', this.factor, 0, 1);
    this.interpolation = args.interpolation ?? 'bilinear';
    choiceCode(this.name, 'interpolation', this.interpolation, ['nearest', 'bilinear']);
    this.steps = policySteps(RAND_AUGMENT_OPS, {
      name: this.name,
      factor: range,
      valueRange: this.valueRange,
      interpolation: this.interpolation,
      seed: this.seed,
    });
  }

  protected augment(images: Tensor): Tensor {
    return this.drawTargets(images).images;
  }

  // The chosen operations in turn move images, boxes and masks (Keras's dict input).
  protected override drawTargets(images: Tensor): TargetTransform {
    checkChannels(this.name, images, [1, 3]);
    const random = seededRandom(this.name, this.seeds.next());
    const chosen = Array.from({ length: this.numOps }, () => Math.min(Math.floor(random() * this.steps.length), this.steps.length - 1));
    this.lastOps = chosen.map((i) => RAND_AUGMENT_OPS[i]);
    return chainTargets(
      images,
      chosen.map((i) => (x: Tensor) => stepTargets(RAND_AUGMENT_OPS, this.steps, i, x)),
    );
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), valueRange: this.valueRange, numOps: this.numOps, factor: this.factor, interpolation: this.interpolation };
  }
}

/** Applies numOps random operations of Keras's RandAugment list to images, in training. @example layers.randAugment({valueRange: [0, 1], numOps: 2, factor: 0.5}) */
export const randAugment = layerFactory(RandAugment);
