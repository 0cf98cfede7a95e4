// Keras 3's RandomColorJitter: randomBrightness, randomContrast, randomSaturation and
// randomHue in that order, each only where its factor is given, in training.
import { layerFactory } from './keras_positional';
import type { Tensor } from '../tensor/tensor';
import { checkValueRange, ImageAugmentation, RandomBrightness, RandomContrast, type AugmentationArgs, type AugmentationFactor } from './augmentation';
import type { TargetTransform } from './augmentation_targets';
import { RandomHue, RandomSaturation } from './hsv_augmentation';
import { layerOptions } from './layer_options';

/** Options of randomColorJitter. */
export interface RandomColorJitterArgs extends AugmentationArgs {
  /** The range the images' values lie in (default [0, 255]). */
  valueRange?: [number, number];
  /** randomBrightness's factor (default null: no brightness change). */
  brightnessFactor?: AugmentationFactor | null;
  /** randomContrast's factor (default null: no contrast change). */
  contrastFactor?: AugmentationFactor | null;
  /** randomSaturation's factor (default null: no saturation change). */
  saturationFactor?: number | [number, number] | null;
  /** randomHue's factor (default null: no hue change). */
  hueFactor?: number | [number, number] | null;
}

/** Applies random brightness, contrast, saturation and hue changes (those given), in training. */
export class RandomColorJitter extends ImageAugmentation {
  static override className = 'RandomColorJitter';
  /** The range of the images' values. */
  readonly valueRange: [number, number];
  /** The brightness factor, as given (null: none). */
  readonly brightnessFactor: AugmentationFactor | null;
  /** The contrast factor, as given (null: none). */
  readonly contrastFactor: AugmentationFactor | null;
  /** The saturation factor, as given (null: none). */
  readonly saturationFactor: number | [number, number] | null;
  /** The hue factor, as given (null: none). */
  readonly hueFactor: number | [number, number] | null;
  private readonly steps: ImageAugmentation[];
  constructor(args?: RandomColorJitterArgs) {
    args = layerOptions(RandomColorJitter, new.target, args) ?? {};
    super(args);
    this.valueRange = checkValueRange(this.name, args.valueRange);
    this.brightnessFactor = args.brightnessFactor ?? null;
    this.contrastFactor = args.contrastFactor ?? null;
    this.saturationFactor = args.saturationFactor ?? null;
    this.hueFactor = args.hueFactor ?? null;
    // Each step draws from its own seed (the jitter's seed + its place), so the draws differ.
    // Named after the jitter and the step, so that a bad factor's error says which one.
    const step = (k: number, what: string) => ({
      valueRange: this.valueRange,
      seed: this.seed === null ? null : (this.seed + k) % 2 ** 32,
      name: `${this.name}_${what}`,
    });
    const steps: ImageAugmentation[] = [];
    if (this.brightnessFactor !== null) steps.push(new RandomBrightness({ factor: this.brightnessFactor, ...step(0, 'brightness') }));
    if (this.contrastFactor !== null) steps.push(new RandomContrast({ factor: this.contrastFactor, ...step(1, 'contrast') }));
    if (this.saturationFactor !== null) steps.push(new RandomSaturation({ factor: this.saturationFactor, ...step(2, 'saturation') }));
    if (this.hueFactor !== null) steps.push(new RandomHue({ factor: this.hueFactor, ...step(3, 'hue') }));
    this.steps = steps;
  }

  // Keras's dict input: pixel values change, boxes and masks pass.
  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    return this.steps.reduce((x, layer) => layer.call(x, { training: true }), images);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      valueRange: this.valueRange,
      brightnessFactor: this.brightnessFactor,
      contrastFactor: this.contrastFactor,
      saturationFactor: this.saturationFactor,
      hueFactor: this.hueFactor,
    };
  }
}

/** Changes brightness, contrast, saturation and hue at random in training. */
export const randomColorJitter = layerFactory(RandomColorJitter);
