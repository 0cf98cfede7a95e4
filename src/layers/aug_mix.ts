// Keras 3's AugMix: numChains chains of random operations, mixed by Dirichlet weights and
// then with the original images by a Beta weight, in training. Eagerly it also takes Keras's
// {images, labels, bounding_boxes, segmentation_masks}: masks mixed as the images (Keras's
// transform_segmentation_masks), labels and boxes passed as they are (as Keras).
import { layerFactory } from './keras_positional';
import { add, mul } from '../ops/binary';
import { clipByValue } from '../ops/clip';
import { choiceCode, type TransformInterpolation } from '../ops/image_transform';
import { seededRandom } from '../tensor/seeded_random';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { checkValueRange, ImageAugmentation, type AugmentationArgs } from './augmentation';
import { policySteps, stepTargets, type AugmentOpName } from './augment_policies';
import { chainTargets, type TargetTransform } from './augmentation_targets';
import { cast } from '../ops/cast';
import { FLOAT_DTYPES } from '../ops/convert';
import { boundedFactor, checkChannels } from './color_augmentation';
import { layerOptions } from './layer_options';
import { gammaDraw, symmetricBeta } from './mixing_augmentation';

/** @internal Keras 3's AugMix operations with allOps, in its order (without: the first seven). */
export const AUG_MIX_OPS: readonly AugmentOpName[] = [
  'random_shear',
  'random_translation',
  'random_rotation',
  'random_posterization',
  'solarization',
  'auto_contrast',
  'equalization',
  'random_brightness',
  'random_color_degeneration',
  'random_contrast',
  'random_sharpness',
];

/** Options of augMix. */
export interface AugMixArgs extends AugmentationArgs {
  /** The range the images' values lie in; outputs are clipped to it (default [0, 255]). */
  valueRange?: [number, number];
  /** How many chains are mixed (default 3). */
  numChains?: number;
  /** The most operations a chain applies: each of its chainDepth steps is an operation or none, chosen uniformly (default 3). */
  chainDepth?: number;
  /** The strength, in [0, 1]: f means [0, f], a pair [lower, upper] as given (default 0.3). */
  factor?: number | [number, number];
  /** The Dirichlet (chain weights) and Beta (original-image weight) parameter, positive (default 1). */
  alpha?: number;
  /** Choose from all eleven operations (default true) or only the seven geometric and tonal ones (no brightness, colour degeneration, contrast or sharpness). */
  allOps?: boolean;
  /** How the geometric operations resample: 'bilinear' (default) or 'nearest'. */
  interpolation?: TransformInterpolation;
}

/**
 * AugMix, in training: per call, each of numChains chains applies up to chainDepth operations
 * drawn from Keras's list (each step an operation or none, uniformly); the chains' outputs are
 * summed with Dirichlet(alpha) weights, and the result is m x + (1 - m) chains with m drawn
 * from Beta(alpha, alpha), clipped to valueRange. The draws are for the whole batch (operations'
 * own parameters per image), all from the layer's seed (Keras picks the chains' operations with
 * Python's unseeded random). The identity in inference.
 */
export class AugMix extends ImageAugmentation {
  static override className = 'AugMix';
  /** The range of the images' values. */
  readonly valueRange: [number, number];
  /** How many chains are mixed. */
  readonly numChains: number;
  /** The most operations a chain applies. */
  readonly chainDepth: number;
  /** The strength, as given. */
  readonly factor: number | [number, number];
  /** The Dirichlet and Beta parameter. */
  readonly alpha: number;
  /** Whether all eleven operations are drawn from (else the first seven). */
  readonly allOps: boolean;
  /** How the geometric operations resample. */
  readonly interpolation: TransformInterpolation;
  /** @internal The chains of the last training call, as lists of Keras's operation names (for tests and debugging). */
  lastChains: AugmentOpName[][] = [];
  /** @internal The chain weights and the original images' weight of the last training call. */
  lastWeights: { chains: number[]; original: number } | null = null;
  private readonly ops: readonly AugmentOpName[];
  private readonly steps: ImageAugmentation[];

  constructor(args?: AugMixArgs) {
    args = layerOptions(AugMix, new.target, args) ?? {};
    super(args);
    this.valueRange = checkValueRange(this.name, args.valueRange);
    const count = (key: 'numChains' | 'chainDepth', value: unknown) => {
      if (!Number.isInteger(value) || (value as number) < 1) throw new Error(`${this.name}: expected ${key} a positive integer, got ${describe(value)}`);
      return value as number;
    };
    this.numChains = count('numChains', args.numChains ?? 3);
    this.chainDepth = count('chainDepth', args.chainDepth ?? 3);
    this.factor = args.factor ?? 0.3;
    const range = boundedFactor(this.name, 'factor', this.factor, 0, 1);
    this.alpha = args.alpha ?? 1;
    if (typeof this.alpha !== 'number' || !Number.isFinite(this.alpha) || !(this.alpha > 0))
      throw new Error(`${this.name}: expected alpha a positive number, got ${describe(args.alpha)}`);
    this.allOps = args.allOps ?? true;
    if (typeof this.allOps !== 'boolean') throw new Error(`${this.name}: expected allOps to be true or false, got ${describe(args.allOps)}`);
    this.interpolation = args.interpolation ?? 'bilinear';
    choiceCode(this.name, 'interpolation', this.interpolation, ['nearest', 'bilinear']);
    this.ops = this.allOps ? AUG_MIX_OPS : AUG_MIX_OPS.slice(0, 7);
    this.steps = policySteps(this.ops, { name: this.name, factor: range, valueRange: this.valueRange, interpolation: this.interpolation, seed: this.seed });
  }

  protected augment(images: Tensor): Tensor {
    return this.drawTargets(images).images;
  }

  // Masks are mixed as the images (same chains and weights, unclipped; integer ones in float32);
  // boxes pass as they are, as Keras's (the original images keep their weight in the mix).
  protected override drawTargets(images: Tensor): TargetTransform {
    checkChannels(this.name, images, [1, 3]);
    const random = seededRandom(this.name, this.seeds.next());
    // Dirichlet(alpha) weights: normalized Gamma(alpha) draws.
    const gammas = Array.from({ length: this.numChains }, () => gammaDraw(this.alpha, random));
    const total = gammas.reduce((a, b) => a + b, 0);
    const chainWeights = gammas.map((g) => (total > 0 ? g / total : 1 / this.numChains));
    const original = symmetricBeta(this.alpha, random);
    // Each step: one of the operations, or (index ops.length) none.
    const chains = chainWeights.map(() =>
      Array.from({ length: this.chainDepth }, () => Math.min(Math.floor(random() * (this.ops.length + 1)), this.ops.length)).filter((i) => i < this.ops.length),
    );
    this.lastChains = chains.map((c) => c.map((i) => this.ops[i]));
    this.lastWeights = { chains: chainWeights, original };
    const drawn = chains.map((chain) =>
      chainTargets(
        images,
        chain.map((i) => (x: Tensor) => stepTargets(this.ops, this.steps, i, x)),
      ),
    );
    // m x + (1 - m) sum_c w_c chain_c(x), for images and masks alike.
    const blend = (x: Tensor, outputs: Tensor[]) =>
      add(
        mul(x, original),
        mul(
          outputs.map((y, c) => mul(y, chainWeights[c])).reduce((a, b) => add(a, b)),
          1 - original,
        ),
      );
    const masks = (m: Tensor) => {
      const f = FLOAT_DTYPES.includes(m.dtype) ? m : cast(m, 'float32');
      return blend(
        f,
        drawn.map((d) => (d.masks === undefined ? f : d.masks(f))),
      );
    };
    return {
      images: clipByValue(
        blend(
          images,
          drawn.map((d) => d.images),
        ),
        ...this.valueRange,
      ),
      masks,
    };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      valueRange: this.valueRange,
      numChains: this.numChains,
      chainDepth: this.chainDepth,
      factor: this.factor,
      alpha: this.alpha,
      allOps: this.allOps,
      interpolation: this.interpolation,
    };
  }
}

/** Mixes chains of random operations (Keras's AugMix list) with the images, in training. @example layers.augMix({valueRange: [0, 1], numChains: 3, chainDepth: 3}) */
export const augMix = layerFactory(AugMix);
