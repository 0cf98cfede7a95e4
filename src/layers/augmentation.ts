// Image augmentation layers, active in training only (the identity in inference, except
// randomCrop, which resizes as Keras 3 does): Keras 3's RandomFlip, RandomRotation,
// RandomZoom, RandomTranslation, RandomCrop, RandomContrast and RandomBrightness on images
// ([batch, height, width, channels] or one [height, width, channels]; channels-first ones go
// through the same code between two transposes).
// Random draws come from the layer's SeedSequence on the images' device; geometric layers
// build one projective matrix per image there and run the image_transform kernel.
// Eagerly, the layers that override drawTargets (the colour layers, RandomFlip, RandomRotation,
// RandomZoom, RandomTranslation, RandomCrop, RandomShear, RandomPerspective, RandAugment,
// AugMix, RandomElasticTransform) also take Keras's {images, labels, bounding_boxes,
// segmentation_masks}: one draw per call moves images, boxes and masks together
// (augmentation_targets.ts, image_dict_call.ts); a layer may refuse boxes by name (boxesRefusal).
import { layerFactory } from './keras_positional';
import { add, mul, sub } from '../ops/binary';
import { cast } from '../ops/cast';
import { clipByValue } from '../ops/clip';
import { lessEqual } from '../ops/compare';
import { concat } from '../ops/concat';
import { FLOAT_DTYPES } from '../ops/convert';
import { choiceCode, type TransformFillMode, type TransformInterpolation } from '../ops/image_transform';
import { mean } from '../ops/reduce';
import { expandDims, squeeze } from '../ops/reshape';
import { cos, neg, sin } from '../ops/unary';
import { fill, nextSeed, uniformFromStream, zerosLike } from '../tensor/creation';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkDataFormat, imageShapeInChannelsLast, imagesInChannelsLast, type DataFormat } from './conv_utils';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { BOXES_KEY, boxesRefused, isPlainObject, refuseImageDict, routeImageDict, type ImageDict } from './image_dict_input';
import { transformImageDict } from './image_dict_call';
import type { Nested } from './structure';
import type { StringBatch } from './preprocessing/strings';
import { keepTargets, matrixTargets, windowTargets, type TargetTransform } from './augmentation_targets';
import { checkFormat, type BoxFormat } from '../utils/bounding_boxes/formats';
import { layerOptions } from './layer_options';
import { SeedSequence } from './seeds';
import type { SymbolicShape, SymbolicTensor } from './symbolic_tensor';
import { everyEntry } from '../options/every_entry';

/** A factor: one number f (the range [-f, f], or [f, f] where noted) or a [lower, upper] pair. */
export type AugmentationFactor = number | [number, number];

/** Options every augmentation layer takes. */
export interface AugmentationArgs extends LayerArgs {
  /** Makes the sequence of random draws repeatable (null: the global stream, setSeed). */
  seed?: number | null;
  /**
   * 'channelsLast' or 'channelsFirst' (image augmentations; the mixing ones are channels-last
   * only); default config.imageDataFormat(), resolved when the layer is made.
   */
  dataFormat?: DataFormat;
  /**
   * The format of the boxes in a {images, bounding_boxes: {boxes, labels}} input (Keras's
   * bounding_box_format: 'xyxy', 'rel_xyxy', 'center_xywh', ...); needed when boxes come.
   */
  boundingBoxFormat?: BoxFormat | null;
}

/** @internal The [lower, upper] of a factor whose bounds lie in [lo, hi]; one number f means [-|f|, |f|]. */
export function factorRange(layer: string, arg: string, value: unknown, lo: number, hi: number): [number, number] {
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;
  if (ok(value)) return [-Math.abs(value), Math.abs(value)];
  if (Array.isArray(value) && value.length === 2 && everyEntry(value, ok)) return [Math.min(...value), Math.max(...value)];
  const where = Number.isFinite(lo) ? `with values in [${lo}, ${hi}]` : 'of finite values';
  throw new Error(`${layer}: expected ${arg} a number or a [lower, upper] pair ${where}, got ${describe(value)}`);
}

/** @internal The base of the image and the mixing augmentations: a seed and the data format, both saved. */
export abstract class SeededAugmentation extends Layer {
  /** Seed of the random draws (null: the global stream). */
  readonly seed: number | null;
  /** Where the channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;
  /** The format of boxes given with the images (null: boxes are refused). */
  readonly boundingBoxFormat: BoxFormat | null;
  protected readonly seeds: SeedSequence;

  /** `channelsFirst`: whether the layer takes channels-first images (the image augmentations do). */
  constructor(args: AugmentationArgs, channelsFirst = false) {
    super(args);
    this.seed = args?.seed ?? null;
    this.seeds = new SeedSequence(this.name, this.seed);
    this.dataFormat = checkDataFormat(this.name, args?.dataFormat, channelsFirst);
    const format = args?.boundingBoxFormat ?? null;
    this.boundingBoxFormat = format === null ? null : checkFormat(this.name, 'boundingBoxFormat', format);
  }

  /** @internal Whether the layer takes Keras's {images, bounding_boxes, ...} input. */
  protected takesImageDict(): boolean {
    return false;
  }

  /** @internal Why a layer that takes the dict refuses boxes in it, in training and outside (null: it takes them). */
  protected boxesRefusal(): string | null {
    return null;
  }

  /** @internal Throws, naming the layer, when the flat dict `x` has boxes and the layer refuses them. */
  protected checkBoxesTaken(x: Record<string, Tensor>): void {
    const refusal = x[BOXES_KEY] === undefined ? null : this.boxesRefusal();
    if (refusal !== null) throw boxesRefused(this.name, refusal);
  }

  /** Checks that `x` holds images of rank 3 or 4; integer ones become float32. */
  protected floatImages(x: Tensor): Tensor {
    if (x.rank !== 3 && x.rank !== 4) throw new Error(`${this.name}: expected images of rank 3 or 4 (${this.dataFormat}), got shape [${x.shape.join(', ')}]`);
    // Integer images (decoded pixels) compute in float32, as Keras casts to its compute dtype.
    return FLOAT_DTYPES.includes(x.dtype) ? x : cast(x, 'float32');
  }

  // Keras's dict input ({images, bounding_boxes, ...}): checked and flattened for the layers that take it, refused by the others.
  protected override applyWithCallArgs(inputs: unknown, options: CallOptions, callArgs: Parameters<Layer['applyWithCallArgs']>[2]): unknown {
    return routeImageDict(this.name, inputs, this.takesImageDict(), this.boundingBoxFormat, (x) => super.applyWithCallArgs(x, options, callArgs));
  }

  protected override flattenInputs(inputs: unknown) {
    if (!this.takesImageDict()) refuseImageDict(this.name, inputs);
    return super.flattenInputs(inputs);
  }

  override getConfig(): Record<string, unknown> {
    // As Keras: bounding_box_format is saved only when set.
    const boxes = this.boundingBoxFormat === null ? {} : { boundingBoxFormat: this.boundingBoxFormat };
    return { ...super.getConfig(), seed: this.seed, dataFormat: this.dataFormat, ...boxes };
  }
}

/** The base: a seed, float images of rank 3 or 4, the identity outside training. */
export abstract class ImageAugmentation extends SeededAugmentation {
  constructor(args: AugmentationArgs) {
    super(args, true);
  }

  /**
   * Applies the layer to images, or (eagerly) to Keras's {images, labels, bounding_boxes:
   * {boxes, labels}, segmentation_masks} where the layer moves boxes and masks with the images.
   * @example layers.randomFlip({ boundingBoxFormat: 'xyxy' }).apply({ images, bounding_boxes: { boxes, labels } }, { training: true })
   */
  override apply(inputs: ImageDict<Tensor>, options?: CallOptions | null): ImageDict<Tensor>;
  override apply(inputs: Nested<SymbolicTensor>, options?: CallOptions): SymbolicTensor;
  override apply(inputs: Nested<Tensor> | StringBatch, options?: CallOptions): Tensor;
  override apply(...args: unknown[]): unknown {
    // Forwarded as given (apply checks their count and the options).
    return (super.apply as (...a: unknown[]) => unknown).apply(this, args);
  }

  /** The augmented batch of images [batch, height, width, channels]. */
  protected abstract augment(images: Tensor): Tensor;

  /** The output in inference (default: the images themselves). */
  protected inference(images: Tensor): Tensor {
    return images;
  }

  /**
   * @internal This call's draw applied to the images [batch, height, width, channels] and
   * to what moves with them; a layer that overrides it takes Keras's dict input.
   */
  protected drawTargets(images: Tensor): TargetTransform {
    throw new Error(`${this.name}: boxes and masks are not moved by this layer (images ${images.shape.join('x')})`);
  }

  protected override takesImageDict(): boolean {
    return this.drawTargets !== ImageAugmentation.prototype.drawTargets;
  }

  /** @internal drawTargets of the layers that change pixel values only (boxes and masks pass). */
  protected colourTargets(images: Tensor): TargetTransform {
    return keepTargets(this.augment(images));
  }

  override call(x: Tensor, options: CallOptions): Tensor;
  override call(x: Tensor | Tensor[] | { [name: string]: Tensor }, options: CallOptions): Tensor | { [name: string]: Tensor };
  override call(x: Tensor | Tensor[] | { [name: string]: Tensor }, options: CallOptions): Tensor | { [name: string]: Tensor } {
    if (!(x instanceof Tensor)) {
      if (!isPlainObject(x)) throw new Error(`${this.name}: expected a tensor of images or an {images, ...} object, got ${describe(x)}`);
      return this.callDict(x, options.training ?? false);
    }
    return this.callImages(x, options);
  }

  private callImages(x: Tensor, { training }: CallOptions): Tensor {
    const images = this.floatImages(x);
    const batch = x.rank === 3 ? expandDims(images, 0) : images;
    // augment and inference see channels-last batches [batch, height, width, channels].
    const y = imagesInChannelsLast(this.dataFormat, batch, (b) => (training ? this.augment(b) : this.inference(b)));
    return x.rank === 3 ? squeeze(y, 0) : y;
  }

  // Keras's dict: one draw moves images, boxes and masks; labels pass.
  private callDict(x: Record<string, Tensor>, training: boolean): Record<string, Tensor> {
    this.checkBoxesTaken(x);
    const images = this.floatImages(x.images);
    return transformImageDict(this.name, x, images, this.dataFormat, this.boundingBoxFormat, (b) =>
      training ? this.drawTargets(b) : this.inferenceTargets(b),
    );
  }

  /** @internal What moves outside training: by default the images only (boxes and masks pass, as Keras). */
  protected inferenceTargets(images: Tensor): TargetTransform {
    return keepTargets(this.inference(images));
  }

  /** Per-image uniform draws [batch, 1] (or `shape`) in [lo, hi], on the images' device. */
  protected uniform(images: Tensor, lo: number, hi: number, shape: number[] = [images.shape[0], 1]): Tensor {
    return uniformFromStream(this.name, shape, lo, hi, images.dtype, nextSeed(this.name, this.seeds.next()), images.device);
  }

  /** A [batch, 1] tensor of `value` on the images' device. */
  protected constant(images: Tensor, value: number): Tensor {
    return fill([images.shape[0], 1], value, images.dtype, images.device);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}

/**
 * @internal The base of the layers drawn from one `factor` and working in a `valueRange`: keeps
 * both as given (and saves them), the factor's [lower, upper] as `range`. `bounds` checks the
 * factor and gives that range (it runs once the layer has its name).
 */
export abstract class FactorAugmentation extends ImageAugmentation {
  /** The factor, as given. */
  readonly factor: AugmentationFactor;
  /** The range of the images' values (outputs are clipped to it where the layer clips). */
  readonly valueRange: [number, number];
  /** The factor's [lower, upper]. */
  protected readonly range: [number, number];

  constructor(
    args: AugmentationArgs & { valueRange?: [number, number] },
    factor: AugmentationFactor,
    bounds: (layer: string, factor: AugmentationFactor) => [number, number],
  ) {
    super(args);
    this.factor = factor;
    this.range = bounds(this.name, factor);
    this.valueRange = checkValueRange(this.name, args.valueRange);
  }

  /** The layer's own config entries, saved between factor and valueRange (Keras's order). */
  protected extraConfig(): Record<string, unknown> {
    return {};
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor, ...this.extraConfig(), valueRange: this.valueRange };
  }
}

/** Options shared by the geometric layers that resample (rotation, zoom, translation). */
export interface ResamplingArgs extends AugmentationArgs {
  /** How points outside the image read: 'reflect' (default), 'wrap', 'constant' or 'nearest'. */
  fillMode?: TransformFillMode;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: TransformInterpolation;
  /** The value outside the image under fillMode 'constant' (default 0). */
  fillValue?: number;
}

/** The base of rotation, zoom and translation: one projective matrix per image. */
abstract class ResamplingAugmentation extends ImageAugmentation {
  readonly fillMode: TransformFillMode;
  readonly interpolation: TransformInterpolation;
  readonly fillValue: number;

  constructor(args: ResamplingArgs) {
    super(args);
    this.fillMode = args.fillMode ?? 'reflect';
    this.interpolation = args.interpolation ?? 'bilinear';
    choiceCode(this.name, 'fillMode', this.fillMode, ['constant', 'reflect', 'wrap', 'nearest']);
    choiceCode(this.name, 'interpolation', this.interpolation, ['nearest', 'bilinear']);
    this.fillValue = args.fillValue ?? 0;
    if (typeof this.fillValue !== 'number' || !Number.isFinite(this.fillValue))
      throw new Error(`${this.name}: expected fillValue a finite number, got ${describe(args.fillValue)}`);
  }

  /** The [batch, 8] output-to-input matrices of this call. */
  protected abstract matrices(images: Tensor): Tensor;

  protected augment(images: Tensor): Tensor {
    return this.drawTargets(images).images;
  }

  protected override drawTargets(images: Tensor): TargetTransform {
    return matrixTargets(images, this.matrices(images), this.interpolation, { fillMode: this.fillMode, fillValue: this.fillValue });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue };
  }
}

/** Options of randomFlip. */
export interface RandomFlipArgs extends AugmentationArgs {
  /** 'horizontal', 'vertical' or 'horizontal_and_vertical' (default). */
  mode?: 'horizontal' | 'vertical' | 'horizontal_and_vertical';
}

/** Flips each image left-right, upside down, or both at once (mode) with probability 1/2, in training. */
export class RandomFlip extends ImageAugmentation {
  static override className = 'RandomFlip';
  /** Which flips: 'horizontal', 'vertical' or 'horizontal_and_vertical'. */
  readonly mode: 'horizontal' | 'vertical' | 'horizontal_and_vertical';
  constructor(args?: RandomFlipArgs) {
    args = layerOptions(RandomFlip, new.target, args) ?? {};
    super(args);
    this.mode = args.mode ?? 'horizontal_and_vertical';
    choiceCode(this.name, 'mode', this.mode, ['horizontal', 'vertical', 'horizontal_and_vertical']);
  }

  protected augment(images: Tensor): Tensor {
    return this.drawTargets(images).images;
  }

  protected override drawTargets(images: Tensor): TargetTransform {
    const [, h, w] = images.shape;
    // Per image one flag f in {0, 1} for both axes, as Keras 3 draws it ('horizontal_and_vertical'
    // turns an image half a turn or leaves it): coordinate -> f ? size - 1 - coordinate : coordinate.
    const drawn = cast(lessEqual(this.uniform(images, 0, 1), 0.5), images.dtype);
    const flip = (size: number, on: boolean): [Tensor, Tensor] => {
      const f = on ? drawn : this.constant(images, 0);
      return [sub(1, mul(f, 2)), mul(f, size - 1)];
    };
    const [sx, tx] = flip(w, this.mode !== 'vertical');
    const [sy, ty] = flip(h, this.mode !== 'horizontal');
    const zero = zerosLike(sx);
    const m = concat([sx, zero, tx, zero, sy, ty, zero, zero], 1);
    return matrixTargets(images, m, 'nearest');
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mode: this.mode };
  }
}

/** Options of randomRotation. */
export interface RandomRotationArgs extends ResamplingArgs {
  /** Fraction of a full turn: f rotates by an angle in [-f * 2pi, f * 2pi]; [lower, upper] as given. Positive: counter-clockwise. */
  factor: AugmentationFactor;
}

/** Rotates each image about its centre by a random angle, in training. */
export class RandomRotation extends ResamplingAugmentation {
  static override className = 'RandomRotation';
  /** Fraction of a full turn, as given. */
  readonly factor: AugmentationFactor;
  private readonly range: [number, number];
  constructor(args: RandomRotationArgs) {
    args = layerOptions(RandomRotation, new.target, args);
    super(args);
    this.factor = args.factor;
    this.range = factorRange(this.name, 'factor', args.factor, -Infinity, Infinity);
  }

  protected matrices(images: Tensor): Tensor {
    const [, h, w] = images.shape;
    const angle = mul(this.uniform(images, this.range[0], this.range[1]), 2 * Math.PI);
    const c = cos(angle),
      s = sin(angle);
    // Keras's offsets: the centre ((w - 1) / 2, (h - 1) / 2) stays in place.
    const xOffset = mul(sub(w - 1, sub(mul(c, w - 1), mul(s, h - 1))), 0.5);
    const yOffset = mul(sub(h - 1, add(mul(s, w - 1), mul(c, h - 1))), 0.5);
    const zero = zerosLike(c);
    return concat([c, neg(s), xOffset, s, c, yOffset, zero, zero], 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

/** Options of randomZoom. */
export interface RandomZoomArgs extends ResamplingArgs {
  /** Vertical zoom in [-1, 1]: the scale is drawn from [1 + lower, 1 + upper]; positive zooms out. */
  heightFactor: AugmentationFactor;
  /** Horizontal zoom, as heightFactor (default null: the vertical scale, keeping the aspect ratio). */
  widthFactor?: AugmentationFactor | null;
}

/** Zooms each image in or out about its centre by a random scale, in training. */
export class RandomZoom extends ResamplingAugmentation {
  static override className = 'RandomZoom';
  /** Vertical zoom range, as given. */
  readonly heightFactor: AugmentationFactor;
  /** Horizontal zoom range, as given (null: the vertical scale). */
  readonly widthFactor: AugmentationFactor | null;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number] | null;
  constructor(args: RandomZoomArgs) {
    args = layerOptions(RandomZoom, new.target, args);
    super(args);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor ?? null;
    this.heightRange = factorRange(this.name, 'heightFactor', args.heightFactor, -1, 1);
    this.widthRange = this.widthFactor === null ? null : factorRange(this.name, 'widthFactor', this.widthFactor, -1, 1);
  }

  protected matrices(images: Tensor): Tensor {
    const [, h, w] = images.shape;
    const zy = this.uniform(images, 1 + this.heightRange[0], 1 + this.heightRange[1]);
    const zx = this.widthRange === null ? zy : this.uniform(images, 1 + this.widthRange[0], 1 + this.widthRange[1]);
    const zero = zerosLike(zy);
    const offset = (z: Tensor, size: number) => mul(sub(1, z), (size - 1) / 2);
    return concat([zx, zero, offset(zx, w), zero, zy, offset(zy, h), zero, zero], 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }
}

/** Options of randomTranslation. */
export interface RandomTranslationArgs extends ResamplingArgs {
  /** Vertical shift as a fraction of the height, in [-1, 1]; positive moves the image down. */
  heightFactor: AugmentationFactor;
  /** Horizontal shift as a fraction of the width, in [-1, 1]; positive moves the image right. */
  widthFactor: AugmentationFactor;
}

/** Shifts each image by a random offset, in training. */
export class RandomTranslation extends ResamplingAugmentation {
  static override className = 'RandomTranslation';
  /** Vertical shift range as a fraction of the height, as given. */
  readonly heightFactor: AugmentationFactor;
  /** Horizontal shift range as a fraction of the width, as given. */
  readonly widthFactor: AugmentationFactor;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number];
  constructor(args: RandomTranslationArgs) {
    args = layerOptions(RandomTranslation, new.target, args);
    super(args);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
    this.heightRange = factorRange(this.name, 'heightFactor', args.heightFactor, -1, 1);
    this.widthRange = factorRange(this.name, 'widthFactor', args.widthFactor, -1, 1);
  }

  protected matrices(images: Tensor): Tensor {
    const [, h, w] = images.shape;
    const dy = mul(this.uniform(images, this.heightRange[0], this.heightRange[1]), h);
    const dx = mul(this.uniform(images, this.widthRange[0], this.widthRange[1]), w);
    const zero = zerosLike(dx),
      one = this.constant(images, 1);
    return concat([one, zero, neg(dx), zero, one, neg(dy), zero, zero], 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }
}

/** Options of randomCrop. */
export interface RandomCropArgs extends AugmentationArgs {
  /** Height of the crop. */
  height: number;
  /** Width of the crop. */
  width: number;
}

/**
 * Crops a random height x width window (one place for the whole batch), in training. In
 * inference, and in training unless the image is larger than the crop on both sides (as
 * Keras 3: a side as long as the crop's gives a centred window), it takes the largest
 * centred window of the crop's aspect ratio and resizes it (bilinear) to height x width, as Keras 3.
 */
export class RandomCrop extends ImageAugmentation {
  static override className = 'RandomCrop';
  /** Height of the crop. */
  readonly height: number;
  /** Width of the crop. */
  readonly width: number;
  constructor(args: RandomCropArgs) {
    args = layerOptions(RandomCrop, new.target, args);
    super(args);
    for (const key of ['height', 'width'] as const) {
      const v = args[key];
      if (!Number.isInteger(v) || v < 1) throw new Error(`${this.name}: expected ${key} a positive integer, got ${describe(v)}`);
    }
    this.height = args.height;
    this.width = args.width;
  }

  protected augment(images: Tensor): Tensor {
    return this.drawTargets(images).images;
  }

  protected override drawTargets(images: Tensor): TargetTransform {
    const [, h, w] = images.shape;
    if (h <= this.height || w <= this.width) return this.inferenceTargets(images);
    // One offset pair for the batch, drawn on the device and read back (two numbers).
    const [uy, ux] = this.uniform(images, 0, 1, [2]).dataSync();
    const top = Math.min(Math.floor(uy * (h - this.height + 1)), h - this.height);
    const left = Math.min(Math.floor(ux * (w - this.width + 1)), w - this.width);
    return windowTargets(images, top, left, this.height, this.width);
  }

  protected override inference(images: Tensor): Tensor {
    return this.inferenceTargets(images).images;
  }

  /** Keras's crop_to_aspect_ratio window, resized with half-pixel centres (TensorFlow's bilinear resize); boxes and masks follow it. */
  protected override inferenceTargets(images: Tensor): TargetTransform {
    const [, h, w] = images.shape;
    const cropH = Math.max(Math.min(h, Math.trunc((w * this.height) / this.width)), 1);
    const cropW = Math.max(Math.min(w, Math.trunc((h * this.width) / this.height)), 1);
    const top = Math.trunc((h - cropH) / 2),
      left = Math.trunc((w - cropW) / 2);
    if (cropH === this.height && cropW === this.width) return windowTargets(images, top, left, cropH, cropW);
    const sy = cropH / this.height,
      sx = cropW / this.width;
    const row = [sx, 0, left + 0.5 * sx - 0.5, 0, sy, top + 0.5 * sy - 0.5, 0, 0];
    const m = concat(
      row.map((v) => fill([1, 1], v, images.dtype, images.device)),
      1,
    );
    return matrixTargets(images, m, 'bilinear', { fillMode: 'nearest', outputShape: [this.height, this.width] });
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return imageShapeInChannelsLast(this.dataFormat, inputShape, (s) => [...s.slice(0, -3), this.height, this.width, s[s.length - 1]]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

/** Options of randomContrast. */
export interface RandomContrastArgs extends AugmentationArgs {
  /** f: the contrast scale is drawn from [1 - f, 1 + f]; [lower, upper]: from [1 - lower, 1 + upper]; lower in [0, 1]. */
  factor: AugmentationFactor;
  /** The range the images' values lie in; outputs are clipped to it (default [0, 255]). */
  valueRange?: [number, number];
}

/** @internal A valueRange option, [0, 255] by default. */
export function checkValueRange(layer: string, value: unknown): [number, number] {
  const range = value ?? [0, 255];
  if (!Array.isArray(range) || range.length !== 2 || !everyEntry(range, (v) => typeof v === 'number' && Number.isFinite(v)) || !(range[0] < range[1])) {
    throw new Error(`${layer}: expected valueRange [low, high] with low < high, got ${describe(value)}`);
  }
  return range as [number, number];
}

/** Scales each image's deviation from its per-channel mean by a random factor, in training. */
export class RandomContrast extends FactorAugmentation {
  static override className = 'RandomContrast';
  constructor(args: RandomContrastArgs) {
    args = layerOptions(RandomContrast, new.target, args);
    super(args, args.factor, contrastRange);
  }

  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    const scale = this.uniform(images, 1 - this.range[0], 1 + this.range[1], [images.shape[0], 1, 1, 1]);
    const centre = mean(images, [1, 2], true);
    return clipByValue(add(mul(sub(images, centre), scale), centre), ...this.valueRange);
  }
}

/** RandomContrast's [lower, upper]: f means [f, f]; lower in [0, 1], upper non-negative. */
function contrastRange(layer: string, f: unknown): [number, number] {
  const [lower, upper] = typeof f === 'number' ? [f, f] : Array.isArray(f) && f.length === 2 ? f : [NaN, NaN];
  if (!(lower >= 0 && lower <= 1 && upper >= 0))
    throw new Error(`${layer}: expected factor a number in [0, 1] or a [lower, upper] pair with lower in [0, 1] and upper >= 0, got ${describe(f)}`);
  return [lower, upper];
}

/** Options of randomBrightness. */
export interface RandomBrightnessArgs extends AugmentationArgs {
  /** Fraction of valueRange's span to add, in [-1, 1]: f draws from [-f, f]; [lower, upper] as given. */
  factor: AugmentationFactor;
  /** The range the images' values lie in; outputs are clipped to it (default [0, 255]). */
  valueRange?: [number, number];
}

/** Adds a random offset to each image, in training. */
export class RandomBrightness extends FactorAugmentation {
  static override className = 'RandomBrightness';
  constructor(args: RandomBrightnessArgs) {
    args = layerOptions(RandomBrightness, new.target, args);
    super(args, args.factor, (layer, factor) => factorRange(layer, 'factor', factor, -1, 1));
  }

  protected override drawTargets(images: Tensor): TargetTransform {
    return this.colourTargets(images);
  }

  protected augment(images: Tensor): Tensor {
    const span = this.valueRange[1] - this.valueRange[0];
    const delta = mul(this.uniform(images, this.range[0], this.range[1], [images.shape[0], 1, 1, 1]), span);
    return clipByValue(add(images, delta), ...this.valueRange);
  }
}

/** @internal The augmentation layer classes, for the layer registry. */
export const AUGMENTATION_LAYERS = [RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomCrop, RandomContrast, RandomBrightness];

/** Flips images at random in training (mode 'horizontal', 'vertical' or 'horizontal_and_vertical'). */
export const randomFlip = layerFactory(RandomFlip);
/** Rotates images by a random fraction of a turn in training. */
export const randomRotation = layerFactory(RandomRotation);
/** Zooms images by a random scale in training. */
export const randomZoom = layerFactory(RandomZoom);
/** Shifts images by a random fraction of their size in training. */
export const randomTranslation = layerFactory(RandomTranslation);
/** Crops a random window in training; a centred, resized window in inference. */
export const randomCrop = layerFactory(RandomCrop);
/** Changes the contrast of images by a random factor in training. */
export const randomContrast = layerFactory(RandomContrast);
/** Changes the brightness of images by a random offset in training. */
export const randomBrightness = layerFactory(RandomBrightness);
