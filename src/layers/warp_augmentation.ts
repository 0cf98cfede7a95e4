// Keras 3's RandomShear, RandomPerspective and RandomElasticTransform on channels-last images
// ([batch, height, width, channels] or one [height, width, channels]), in training only,
// built on image.affineTransform, image.perspectiveTransform and image.elasticTransform's warp.
// RandomShear and RandomPerspective also take Keras's {images, bounding_boxes,
// segmentation_masks} (boxes through the inverse of the warp); RandomElasticTransform takes
// labels and masks (the same field, nearest) and refuses boxes by name, as Keras raises.
import { layerFactory } from './keras_positional';
import { add, mul } from '../ops/binary';
import { clipByValue } from '../ops/clip';
import { greater, less, where } from '../ops/compare';
import { concat } from '../ops/concat';
import { elasticWarp } from '../ops/image_elastic';
import { MAP_FILL_MODES, type MapFillMode } from '../ops/image_sample';
import { choiceCode, type TransformInterpolation } from '../ops/image_transform';
import { affineTransform, homography, perspectiveTransform } from '../ops/image_warp';
import { fromTypedArray, randomNormal, zerosLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { factorRange, FactorAugmentation, ImageAugmentation, type AugmentationArgs, type AugmentationFactor } from './augmentation';
import { boundedFactor, unitFactor } from './color_augmentation';
import { layerOptions } from './layer_options';
import { boxesThroughMatrices, inFloat, type TargetTransform } from './augmentation_targets';

const INTERPOLATIONS: readonly TransformInterpolation[] = ['nearest', 'bilinear'];

/** fillValue as given: a finite number (default 0). */
function checkFill(layer: string, value: unknown): number {
  const v = value ?? 0;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${layer}: expected fillValue a finite number, got ${describe(value)}`);
  return v;
}

/** Options of randomShear. */
export interface RandomShearArgs extends AugmentationArgs {
  /** Horizontal shear in [0, 1]: f draws from [-f, f], [lower, upper] from that range (default 0). */
  xFactor?: AugmentationFactor;
  /** Vertical shear, as xFactor (default 0). */
  yFactor?: AugmentationFactor;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: TransformInterpolation;
  /** Points outside the image: 'reflect' (default), 'wrap', 'constant' or 'nearest'. */
  fillMode?: 'reflect' | 'wrap' | 'constant' | 'nearest';
  /** The value outside the image under fillMode 'constant' (default 0). */
  fillValue?: number;
}

/**
 * Shears each image by random factors, in training: output (x, y) reads the input at
 * (x + sx y, sy x + y) about the top-left corner, both factors negated together with
 * probability 1/2, as Keras 3.
 */
export class RandomShear extends ImageAugmentation {
  static override className = 'RandomShear';
  /** Horizontal shear range, as given. */
  readonly xFactor: AugmentationFactor;
  /** Vertical shear range, as given. */
  readonly yFactor: AugmentationFactor;
  /** 'bilinear' or 'nearest'. */
  readonly interpolation: TransformInterpolation;
  /** How points outside the image read. */
  readonly fillMode: 'reflect' | 'wrap' | 'constant' | 'nearest';
  /** The value outside the image under 'constant'. */
  readonly fillValue: number;
  private readonly xRange: [number, number];
  private readonly yRange: [number, number];
  constructor(args?: RandomShearArgs) {
    args = layerOptions(RandomShear, new.target, args) ?? {};
    super(args);
    this.xFactor = args.xFactor ?? 0;
    this.yFactor = args.yFactor ?? 0;
    this.xRange = factorRange(this.name, 'xFactor', this.xFactor, 0, 1);
    this.yRange = factorRange(this.name, 'yFactor', this.yFactor, 0, 1);
    this.interpolation = args.interpolation ?? 'bilinear';
    this.fillMode = args.fillMode ?? 'reflect';
    choiceCode(this.name, 'interpolation', this.interpolation, INTERPOLATIONS);
    choiceCode(this.name, 'fillMode', this.fillMode, ['reflect', 'wrap', 'constant', 'nearest']);
    this.fillValue = checkFill(this.name, args.fillValue);
  }

  protected augment(images: Tensor): Tensor {
    return this.drawTargets(images).images;
  }

  // One draw moves images, masks (nearest) and boxes (through the inverse of the shear).
  protected override drawTargets(images: Tensor): TargetTransform {
    // Keras's draws, in its order: the sign, then the vertical and horizontal factors.
    const sign = where(greater(this.uniform(images, 0, 1), 0.5), this.constant(images, -1), this.constant(images, 1));
    const sy = mul(this.uniform(images, this.yRange[0], this.yRange[1]), sign);
    const sx = mul(this.uniform(images, this.xRange[0], this.xRange[1]), sign);
    const zero = zerosLike(sx),
      one = this.constant(images, 1);
    const m = concat([one, sx, zero, sy, one, zero, zero, zero], 1);
    const fill = { fillMode: this.fillMode, fillValue: this.fillValue };
    return {
      images: affineTransform(images, m, { interpolation: this.interpolation, ...fill }),
      masks: (masks) => inFloat(masks, (x) => affineTransform(x, m, { interpolation: 'nearest', ...fill })),
      boxes: (xyxy) => boxesThroughMatrices(xyxy, m),
    };
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      xFactor: this.xFactor,
      yFactor: this.yFactor,
      fillMode: this.fillMode,
      interpolation: this.interpolation,
      fillValue: this.fillValue,
    };
  }
}

/** Options of randomPerspective. */
export interface RandomPerspectiveArgs extends AugmentationArgs {
  /** The probability of warping an image: f draws it from [0, f], [lower, upper] from that range; within [0, 1] (default 1). */
  factor?: AugmentationFactor;
  /** How far corners move, in [0, 1]: each corner coordinate scales by 1 + u, u from [-scale / 2, scale / 2] (default 1). */
  scale?: number;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: TransformInterpolation;
  /** The value of points from outside the image (default 0). */
  fillValue?: number;
}

/**
 * Warps each image, with probability drawn from `factor`, in training: the corners
 * (0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1) move to themselves times 1 + u (so (0, 0)
 * stays), u drawn per coordinate from [-scale / 2, scale / 2], as Keras 3.
 */
export class RandomPerspective extends ImageAugmentation {
  static override className = 'RandomPerspective';
  /** The probability range, as given. */
  readonly factor: AugmentationFactor;
  /** The corners' displacement scale. */
  readonly scale: number;
  /** 'bilinear' or 'nearest'. */
  readonly interpolation: TransformInterpolation;
  /** The value of points from outside the image. */
  readonly fillValue: number;
  private readonly range: [number, number];
  constructor(args?: RandomPerspectiveArgs) {
    args = layerOptions(RandomPerspective, new.target, args) ?? {};
    super(args);
    this.factor = args.factor ?? 1;
    this.range = unitFactor(this.name, this.factor);
    this.scale = args.scale ?? 1;
    if (typeof this.scale !== 'number' || !(this.scale >= 0 && this.scale <= 1))
      throw new Error(`${this.name}: expected scale a number in [0, 1], got ${describe(args.scale)}`);
    this.interpolation = args.interpolation ?? 'bilinear';
    choiceCode(this.name, 'interpolation', this.interpolation, INTERPOLATIONS);
    this.fillValue = checkFill(this.name, args.fillValue);
  }

  protected augment(images: Tensor): Tensor {
    return this.drawTargets(images).images;
  }

  // One draw moves images, masks (nearest) and boxes (through the inverse homography of the images warped).
  protected override drawTargets(images: Tensor): TargetTransform {
    const [n, h, w] = images.shape;
    const probability = this.uniform(images, this.range[0], this.range[1], [n, 1, 1, 1]);
    const chosen = less(this.uniform(images, 0, 1, [n, 1, 1, 1]), probability);
    const u = this.uniform(images, -0.5 * this.scale, 0.5 * this.scale, [n, 4, 2]);
    const corners = [0, 0, w - 1, 0, 0, h - 1, w - 1, h - 1];
    const start = fromTypedArray(
      allocTypedArray(images.dtype, 8 * n).map((_, i) => corners[i % 8]),
      [n, 4, 2],
      images.dtype,
      images.device,
    );
    const end = mul(start, add(u, 1));
    const warp = (x: Tensor, interpolation: TransformInterpolation) =>
      where(chosen, perspectiveTransform(x, start, end, { interpolation, fillValue: this.fillValue }), x);
    return {
      images: warp(images, this.interpolation),
      masks: (masks) => inFloat(masks, (x) => warp(x, 'nearest')),
      boxes: (xyxy) => {
        // The images' homographies (read on the host, as perspectiveTransform does); the identity where no warp was drawn.
        const [s, e, on] = [start.dataSync(), end.dataSync(), chosen.dataSync()];
        const rows = [...Array(n).keys()].flatMap((i) => (on[i] ? homography(this.name, s, e, 8 * i) : [1, 0, 0, 0, 1, 0, 0, 0]));
        return boxesThroughMatrices(xyxy, fromTypedArray(Float32Array.from(rows), [n, 8], 'float32', images.device));
      },
    };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, scale: this.scale, interpolation: this.interpolation, fillValue: this.fillValue };
  }
}

/** Options of randomElasticTransform. */
export interface RandomElasticTransformArgs extends AugmentationArgs {
  /** The probability of distorting an image: f draws it from [0, f], [lower, upper] from that range; within [0, 1] (default 1). */
  factor?: AugmentationFactor;
  /** The distortion strength d, per call: s in [0, 1] draws it from [0, s], [lower, upper] from that range (default 1). */
  scale?: AugmentationFactor;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: TransformInterpolation;
  /** Points outside the image: 'reflect' (default), 'constant', 'nearest', 'wrap' or 'mirror'. */
  fillMode?: MapFillMode;
  /** The value outside the image under fillMode 'constant' (default 0). */
  fillValue?: number;
  /** The range the images' values lie in; outputs are clipped to it (default [0, 255]). */
  valueRange?: [number, number];
}

/**
 * Distorts each image with probability drawn from `factor`, in training: every pixel reads the
 * input displaced by alpha times a Gaussian-blurred normal field (per image, one field per
 * axis), alpha = 0.1 d max(h, w), the blur's sigma 0.05 d min(h, w) over a kernel of
 * int(6 sigma) | 1 taps, d drawn from `scale` per call, as Keras 3. Keras draws both fields
 * from one seed (the same field for x and y, a diagonal displacement); here they are independent.
 */
export class RandomElasticTransform extends FactorAugmentation {
  static override className = 'RandomElasticTransform';
  /** The distortion strength range, as given. */
  readonly scale: AugmentationFactor;
  /** 'bilinear' or 'nearest'. */
  readonly interpolation: TransformInterpolation;
  /** How points outside the image read. */
  readonly fillMode: MapFillMode;
  /** The value outside the image under 'constant'. */
  readonly fillValue: number;
  private readonly scaleRange: [number, number];
  constructor(args?: RandomElasticTransformArgs) {
    args = layerOptions(RandomElasticTransform, new.target, args) ?? {};
    super(args, args.factor ?? 1, unitFactor);
    this.scale = args.scale ?? 1;
    this.scaleRange = boundedFactor(this.name, 'scale', this.scale, 0, 1);
    this.interpolation = args.interpolation ?? 'bilinear';
    this.fillMode = args.fillMode ?? 'reflect';
    choiceCode(this.name, 'interpolation', this.interpolation, INTERPOLATIONS);
    choiceCode(this.name, 'fillMode', this.fillMode, MAP_FILL_MODES);
    this.fillValue = checkFill(this.name, args.fillValue);
  }

  protected augment(images: Tensor): Tensor {
    return this.drawTargets(images).images;
  }

  // One draw moves images and masks (nearest, unclipped) by the same field; boxes are refused (boxesRefusal).
  protected override drawTargets(images: Tensor): TargetTransform {
    // Keras leaves the images as they are (unclipped) when nothing can happen; so with no pixels.
    if (this.scaleRange[1] === 0 || this.range[1] === 0 || images.size === 0) return { images };
    const [n, h, w] = images.shape;
    const probability = this.uniform(images, this.range[0], this.range[1], [n, 1, 1, 1]);
    const chosen = less(this.uniform(images, 0, 1, [n, 1, 1, 1]), probability);
    // The strength sets the kernel's size, so it is read here (one number per call).
    const d = this.uniform(images, this.scaleRange[0], this.scaleRange[1], [1]).dataSync()[0];
    const alpha = Math.max(h, w) * 0.1 * d;
    const sigma = Math.min(h, w) * 0.05 * d;
    if (sigma === 0) return { images: clipByValue(images, ...this.valueRange) };
    const noise = () => randomNormal([n, h, w, 1], 0, 1, images.dtype, this.seeds.next());
    const [noiseX, noiseY] = [noise(), noise()];
    const warp = (x: Tensor, order: 0 | 1) => where(chosen, elasticWarp(x, noiseX, noiseY, alpha, sigma, order, this.fillMode, this.fillValue), x);
    return {
      images: clipByValue(warp(images, this.interpolation === 'nearest' ? 0 : 1), ...this.valueRange),
      masks: (masks) => inFloat(masks, (m) => warp(m, 0)),
    };
  }

  protected override boxesRefusal(): string {
    return 'a random displacement field does not map boxes to boxes';
  }

  protected override extraConfig(): Record<string, unknown> {
    return { scale: this.scale, interpolation: this.interpolation, fillMode: this.fillMode, fillValue: this.fillValue };
  }
}

/** @internal The warp layer classes, for the layer registry. */
export const WARP_AUGMENTATION_LAYERS = [RandomShear, RandomPerspective, RandomElasticTransform];

/** Shears images by random factors in training. */
export const randomShear = layerFactory(RandomShear);
/** Warps images by random corner moves in training. */
export const randomPerspective = layerFactory(RandomPerspective);
/** Distorts images by a smooth random displacement field in training. */
export const randomElasticTransform = layerFactory(RandomElasticTransform);
