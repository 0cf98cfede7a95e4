// Image preprocessing layers, Keras 3's: rescaling, resizing (with cropToAspectRatio) and
// centerCrop. NHWC batches [batch, height, width, channels], or single images of rank 3.
// Integer inputs (uint8-like pixels in int32) are cast to the layer's float dtype first.
// Resizing and centerCrop also take Keras's {images, labels, bounding_boxes,
// segmentation_masks} eagerly: boxes and masks (nearest) follow the crop/pad window and the
// resize; rescaling takes it too and scales the images alone (Keras's Rescaling fails on it).
import { add, mul } from '../ops/binary';
import { cast } from '../ops/cast';
import { slice } from '../ops/slice';
import { tensor } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { isFloatDType } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import { aspectCropBox, resizeImages } from '../data/image_resize';
import { resize, type ResizeInterpolation } from '../ops/image_resize';
import { checkDataFormat, imageShapeInChannelsLast, imagesInChannelsLast, type DataFormat } from './conv_utils';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { isPlainObject, refuseImageDict, routeImageDict } from './image_dict_input';
import { transformImageDict, withNewImages } from './image_dict_call';
import { imageDataFormat } from '../config/settings';
import { inFloat, windowBoxes, type ResizeWindow } from './augmentation_targets';
import { checkFormat, type BoxFormat } from '../utils/bounding_boxes/formats';
import type { SymbolicShape } from './symbolic_tensor';
import { layerOptions } from './layer_options';
import { everyEntry } from '../options/every_entry';

// Casts the images, integer ones too, to the layer's float dtype; Keras's dict input is refused by name.
abstract class ImageLayer extends Layer {
  /** @internal Whether the layer takes Keras's {images, bounding_boxes, ...} input. */
  protected takesImageDict(): boolean {
    return false;
  }

  protected override flattenInputs(inputs: unknown) {
    if (!this.takesImageDict()) refuseImageDict(this.name, inputs);
    return super.flattenInputs(inputs);
  }

  // The images (the first input; a dict's labels and masks keep their dtypes).
  protected override castInputs(inputs: Tensor[], created: Tensor[]): Tensor[] {
    return inputs.map((x, i) => {
      if (i > 0 || x.dtype === this.dtype || !isFloatDType(this.dtype)) return x;
      const c = cast(x, this.dtype);
      created.push(c);
      return c;
    });
  }
}

/**
 * @internal The base of resizing and centerCrop: each output image shows a window of the
 * input stretched to [height, width], so they take Keras's dict input: masks resized
 * (nearest) the same way, boxes moved into the window and scaled.
 */
abstract class WindowedImageLayer extends ImageLayer {
  /** The format of boxes given with the images (null: boxes are refused). */
  readonly boundingBoxFormat: BoxFormat | null;
  /** Where the channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;

  constructor(args: LayerArgs & { boundingBoxFormat?: BoxFormat | null; dataFormat?: DataFormat }) {
    super(args);
    const format = args?.boundingBoxFormat ?? null;
    this.boundingBoxFormat = format === null ? null : checkFormat(this.name, 'boundingBoxFormat', format);
    this.dataFormat = checkDataFormat(this.name, args?.dataFormat, true);
  }

  // In place of an input spec of rank 3 or 4 (a dict input has several tensors).
  private checkRank(shape: SymbolicShape): void {
    if (shape.length !== 3 && shape.length !== 4)
      throw new Error(`${this.name}: expected images of rank 3 (one image) or 4 (a batch), got shape [${shape.join(', ')}]`);
  }

  /** The window of an input of [height, width] that the output shows. */
  protected abstract window(height: number, width: number): ResizeWindow;

  /** The layer on channels-last images (masks come with interpolation 'nearest'). */
  protected abstract transformChannelsLast(x: Tensor, interpolation?: 'nearest'): Tensor;

  // Keras's dict input: checked and flattened here, nested back after the call.
  protected override applyWithCallArgs(inputs: unknown, options: CallOptions, callArgs: Parameters<Layer['applyWithCallArgs']>[2]): unknown {
    return routeImageDict(this.name, inputs, true, this.boundingBoxFormat, (x) => super.applyWithCallArgs(x, options, callArgs));
  }

  protected override takesImageDict(): boolean {
    return true;
  }

  override call(x: Tensor | Tensor[] | { [name: string]: Tensor }): Tensor | { [name: string]: Tensor } {
    if (x instanceof Tensor) {
      this.checkRank(x.shape);
      return imagesInChannelsLast(this.dataFormat, x, (xl) => this.transformChannelsLast(xl));
    }
    if (!isPlainObject(x)) throw new Error(`${this.name}: expected a tensor of images or an {images, ...} object, got ${describe(x)}`);
    const dict = x as Record<string, Tensor>;
    this.checkRank(dict.images.shape);
    return transformImageDict(this.name, dict, dict.images, this.dataFormat, this.boundingBoxFormat, (images) => ({
      images: this.transformChannelsLast(images),
      masks: (m) => inFloat(m, (f) => this.transformChannelsLast(f, 'nearest')),
      boxes: (xyxy) => windowBoxes(xyxy, this.window(images.shape[1], images.shape[2]), [this.height, this.width]),
    }));
  }

  /** Output height. */
  abstract readonly height: number;
  /** Output width. */
  abstract readonly width: number;

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    this.checkRank(s);
    return imageShapeInChannelsLast(this.dataFormat, s, (sl) => outputImageShape(sl, this.height, this.width));
  }

  override getConfig(): Record<string, unknown> {
    // As Keras: bounding_box_format is saved only when set.
    return { ...super.getConfig(), ...(this.boundingBoxFormat === null ? {} : { boundingBoxFormat: this.boundingBoxFormat }) };
  }
}

/** Options of rescaling. */
export interface RescalingArgs extends LayerArgs {
  /** Multiplies the input: a number, or one per channel (last axis). */
  scale: number | number[];
  /** Added after scaling: a number or one per channel; default 0. */
  offset?: number | number[];
}

/**
 * x * scale + offset, e.g. scale 1 / 255 maps pixels to [0, 1], scale 1 / 127.5 with offset -1
 * to [-1, 1]. Eagerly it also takes {images, labels, bounding_boxes, segmentation_masks}: the
 * images are rescaled, the rest passes (Keras's Rescaling takes tensors only).
 */
export class Rescaling extends ImageLayer {
  static override className = 'Rescaling';
  /** The factor, a number or one per channel. */
  readonly scale: number | number[];
  /** The offset, a number or one per channel. */
  readonly offset: number | number[];
  constructor(args: RescalingArgs) {
    args = layerOptions(Rescaling, new.target, args);
    super(args);
    this.scale = numbers(this.name, 'scale', args?.scale);
    this.offset = numbers(this.name, 'offset', args.offset ?? 0);
    // Keras: the mask passes through (values are scaled, steps are not).
    this.supportsMasking = true;
  }
  // Keras's dict input: checked and flattened here, nested back after the call (boxes pass, so no format is needed).
  protected override applyWithCallArgs(inputs: unknown, options: CallOptions, callArgs: Parameters<Layer['applyWithCallArgs']>[2]): unknown {
    return routeImageDict(this.name, inputs, true, undefined, (x) => super.applyWithCallArgs(x, options, callArgs));
  }

  protected override takesImageDict(): boolean {
    return true;
  }

  override call(x: Tensor | Tensor[] | { [name: string]: Tensor }): Tensor | { [name: string]: Tensor } {
    if (x instanceof Tensor) return this.rescale(x);
    if (!isPlainObject(x)) throw new Error(`${this.name}: expected a tensor or an {images, ...} object, got ${describe(x)}`);
    const dict = x as Record<string, Tensor>;
    return withNewImages(this.name, dict, this.rescale(dict.images), imageDataFormat());
  }

  private rescale(x: Tensor): Tensor {
    const as = (v: number | number[]) => (typeof v === 'number' ? tensor(v, [], x.dtype) : tensor(v, [v.length], x.dtype));
    const s = as(this.scale),
      o = as(this.offset);
    const scaled = mul(x, s);
    const out = add(scaled, o);
    for (const t of [s, o, scaled]) t.dispose();
    return out;
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
  override getConfig(): Record<string, unknown> {
    const copy = (v: number | number[]) => (typeof v === 'number' ? v : [...v]);
    return { ...super.getConfig(), scale: copy(this.scale), offset: copy(this.offset) };
  }
}

/** Options of resizing. */
export interface ResizingArgs extends LayerArgs {
  /** The format of boxes in a {images, bounding_boxes} input (Keras's bounding_box_format). */
  boundingBoxFormat?: BoxFormat | null;
  /** Output height. */
  height: number;
  /** Output width. */
  width: number;
  /** 'bilinear' (default), 'nearest', 'bicubic', 'lanczos3', 'lanczos5' or 'area' (keras.ops.image.resize's). */
  interpolation?: ResizeInterpolation;
  /** Crop the centre to the output's aspect ratio first (no distortion); default false. */
  cropToAspectRatio?: boolean;
  /** Pad to the output's aspect ratio with fillValue first (no distortion); default false. */
  padToAspectRatio?: boolean;
  /** How padToAspectRatio fills: 'constant' only (as Keras). */
  fillMode?: 'constant';
  /** The value padToAspectRatio pads with; default 0. */
  fillValue?: number;
  /** Antialiased downscaling (not for 'nearest' and 'area'); default false. */
  antialias?: boolean;
  /** 'channelsLast' only. */
  dataFormat?: DataFormat;
}

const RESIZE_INTERPOLATIONS: readonly ResizeInterpolation[] = ['bilinear', 'nearest', 'bicubic', 'lanczos3', 'lanczos5', 'area'];

/** Resizes images to [height, width] (half-pixel centres, as Keras's Resizing). */
export class Resizing extends WindowedImageLayer {
  static override className = 'Resizing';
  /** Output height. */
  readonly height: number;
  /** Output width. */
  readonly width: number;
  /** One of keras.ops.image.resize's interpolations. */
  readonly interpolation: ResizeInterpolation;
  /** Whether the centre is cropped to the output's aspect ratio first. */
  readonly cropToAspectRatio: boolean;
  /** Whether the images are padded to the output's aspect ratio first. */
  readonly padToAspectRatio: boolean;
  /** 'constant'. */
  readonly fillMode: 'constant';
  /** The value padToAspectRatio pads with. */
  readonly fillValue: number;
  /** Whether downscaling is antialiased. */
  readonly antialias: boolean;
  constructor(args: ResizingArgs) {
    args = layerOptions(Resizing, new.target, args);
    super(args);
    this.height = positive(this.name, 'height', args?.height);
    this.width = positive(this.name, 'width', args.width);
    const interpolation = args.interpolation ?? 'bilinear';
    if (!RESIZE_INTERPOLATIONS.includes(interpolation))
      throw new Error(`${this.name}: expected interpolation one of ${RESIZE_INTERPOLATIONS.map((i) => `'${i}'`).join(', ')}, got ${describe(interpolation)}`);
    this.interpolation = interpolation;
    this.cropToAspectRatio = bool(this.name, 'cropToAspectRatio', args.cropToAspectRatio);
    this.padToAspectRatio = bool(this.name, 'padToAspectRatio', args.padToAspectRatio);
    if (this.cropToAspectRatio && this.padToAspectRatio) throw new Error(`${this.name}: give only one of cropToAspectRatio and padToAspectRatio`);
    this.antialias = bool(this.name, 'antialias', args.antialias);
    if (args.fillMode !== undefined && args.fillMode !== 'constant')
      throw new Error(`${this.name}: expected fillMode 'constant' (as Keras), got ${describe(args.fillMode)}`);
    this.fillMode = 'constant';
    this.fillValue = args.fillValue ?? 0;
    if (typeof this.fillValue !== 'number' || !Number.isFinite(this.fillValue))
      throw new Error(`${this.name}: expected fillValue a finite number, got ${describe(args.fillValue)}`);
  }
  protected transformChannelsLast(x: Tensor, interpolation: ResizeInterpolation = this.interpolation): Tensor {
    const antialias = this.antialias && interpolation !== 'nearest';
    // Bilinear and nearest without antialiasing or padding: the resize kernels (as image datasets use).
    if ((interpolation === 'bilinear' || interpolation === 'nearest') && !antialias && !this.padToAspectRatio)
      return resizeImages(x, [this.height, this.width], interpolation, this.cropToAspectRatio);
    const { cropToAspectRatio, padToAspectRatio, fillValue } = this;
    return resize(x, [this.height, this.width], { interpolation, antialias, cropToAspectRatio, padToAspectRatio, fillValue });
  }
  // The crop window as the resize takes it, the padded frame (a window reaching outside the image), or the whole image.
  protected window(h: number, w: number): ResizeWindow {
    const [H, W] = [this.height, this.width];
    if (this.cropToAspectRatio) {
      const ch = Math.max(Math.min(h, Math.trunc((w * H) / W)), 1);
      const cw = Math.max(Math.min(w, Math.trunc((h * W) / H)), 1);
      return [Math.trunc((h - ch) / 2), Math.trunc((w - cw) / 2), ch, cw];
    }
    if (this.padToAspectRatio) {
      const top = Math.trunc((Math.max(h, Math.trunc((w * H) / W)) - h) / 2);
      const left = top > 0 ? 0 : Math.trunc((Math.max(w, Math.trunc((h * W) / H)) - w) / 2);
      return [-top, -left, h + 2 * top, w + 2 * left];
    }
    return [0, 0, h, w];
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio,
      padToAspectRatio: this.padToAspectRatio,
      fillMode: this.fillMode,
      fillValue: this.fillValue,
      antialias: this.antialias,
      dataFormat: this.dataFormat,
    };
  }
}

/** Options of centerCrop. */
export interface CenterCropArgs extends LayerArgs {
  /** The format of boxes in a {images, bounding_boxes} input (Keras's bounding_box_format). */
  boundingBoxFormat?: BoxFormat | null;
  /** Output height. */
  height: number;
  /** Output width. */
  width: number;
  /** 'channelsLast' or 'channelsFirst'; default config.imageDataFormat(), resolved when the layer is made. */
  dataFormat?: DataFormat;
}

/**
 * The central [height, width] window of each image; an image smaller than that on either
 * side is cropped to the aspect ratio and resized instead (Keras 3's CenterCrop).
 */
export class CenterCrop extends WindowedImageLayer {
  static override className = 'CenterCrop';
  /** Output height. */
  readonly height: number;
  /** Output width. */
  readonly width: number;
  constructor(args: CenterCropArgs) {
    args = layerOptions(CenterCrop, new.target, args);
    super(args);
    this.height = positive(this.name, 'height', args?.height);
    this.width = positive(this.name, 'width', args.width);
  }
  protected transformChannelsLast(x: Tensor, interpolation: 'bilinear' | 'nearest' = 'bilinear'): Tensor {
    const rank4 = x.rank === 4;
    const [h, w] = rank4 ? x.shape.slice(1, 3) : x.shape.slice(0, 2);
    const [top, left, ch, cw] = this.window(h, w);
    if (ch !== this.height || cw !== this.width) return resizeImages(x, [this.height, this.width], interpolation, true);
    return rank4 ? slice(x, [0, top, left, 0], [-1, ch, cw, -1]) : slice(x, [top, left, 0], [ch, cw, -1]);
  }
  // The centred window; an image smaller than the output on a side: the aspect-ratio crop that is resized.
  protected window(h: number, w: number): ResizeWindow {
    const dh = h - this.height,
      dw = w - this.width;
    if (dh < 0 || dw < 0) return aspectCropBox(h, w, [this.height, this.width]);
    return [Math.trunc(dh / 2), Math.trunc(dw / 2), this.height, this.width];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, dataFormat: this.dataFormat };
  }
}

// A channels-last image shape (one image or a batch) with its height and width replaced.
function outputImageShape(s: SymbolicShape, height: number, width: number): SymbolicShape {
  return s.length === 3 ? [height, width, s[2]] : [s[0], height, width, s[3]];
}

function numbers(owner: string, name: string, v: unknown): number | number[] {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (Array.isArray(v) && v.length > 0 && everyEntry(v, (e) => typeof e === 'number' && Number.isFinite(e))) return [...v];
  throw new Error(`${owner}: expected ${name} to be a finite number or an array of them (one per channel), got ${describe(v)}`);
}

function positive(owner: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${owner}: expected ${name} to be an integer >= 1, got ${describe(v)}`);
  return v;
}

function bool(owner: string, name: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new Error(`${owner}: expected ${name} to be a boolean, got ${describe(v)}`);
  return v;
}
