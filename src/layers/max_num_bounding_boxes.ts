// Keras 3's MaxNumBoundingBoxes: the boxes and labels of an object-detection input
// {images, bounding_boxes: {boxes, labels}, ...} cut or padded to a fixed count, so that
// images with different numbers of boxes batch together. Everything else passes as is.
import { tooManyArguments } from '../options/arity';
import { pad } from '../ops/pad';
import { slice } from '../ops/slice';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { checkFormat, type BoxFormat } from '../utils/bounding_boxes/formats';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { layerOptions } from './layer_options';
import { checkDataFormat, type DataFormat } from './conv_utils';
import type { Nested } from './structure';
import type { SymbolicTensor, TensorSpec } from './symbolic_tensor';

/** Options of maxNumBoundingBoxes. */
export interface MaxNumBoundingBoxesArgs extends LayerArgs {
  /** How many boxes (and labels) each image keeps: extra ones are cut, missing ones padded. */
  maxNumber: number;
  /** The value padded boxes and labels hold (an integer, default -1). */
  fillValue?: number;
  /** The boxes' format (kept in the config as Keras's; the count does not depend on it). */
  boundingBoxFormat?: BoxFormat | null;
  /** Where the images' channels are (Keras writes it; the boxes do not depend on it). */
  dataFormat?: DataFormat;
}

/** Images with their boxes, as Keras's image preprocessing layers take and return them. */
export interface ImagesWithBoxes<T> {
  /** Images [batch, height, width, channels], or one image [height, width, channels]. */
  images: T;
  /** The boxes [batch, n, 4] (or [n, 4]) and their labels [batch, n] (or [n]). */
  bounding_boxes: { boxes: T; labels: T };
  /** Other entries (labels, segmentation_masks) pass through as they are. */
  [key: string]: any;
}

// apply flattens one level of keys; the nested bounding_boxes travel as these two.
const BOXES = 'bounding_boxes/boxes',
  LABELS = 'bounding_boxes/labels';

/**
 * Cuts or pads the boxes and labels of {images, bounding_boxes: {boxes, labels}} to
 * maxNumber per image (Keras's MaxNumBoundingBoxes): batched images [batch, h, w, c] with
 * boxes [batch, n, 4] and labels [batch, n], or one image [h, w, c] with [n, 4] and [n].
 */
export class MaxNumBoundingBoxes extends Layer<'dict'> {
  static override className = 'MaxNumBoundingBoxes';
  /** How many boxes each image keeps. */
  readonly maxNumber: number;
  /** The value of padded boxes and labels. */
  readonly fillValue: number;
  /** The boxes' format, or null when not given. */
  readonly boundingBoxFormat: BoxFormat | null;
  /** Where the images' channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;
  constructor(args: MaxNumBoundingBoxesArgs) {
    args = layerOptions(MaxNumBoundingBoxes, new.target, args);
    super(args);
    const { maxNumber, fillValue = -1, boundingBoxFormat = null } = args ?? {};
    // Counts and labels are int32 (a fill past that range would wrap in integer labels).
    const int32 = (v: unknown, lo: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= 2 ** 31 - 1;
    if (!int32(maxNumber, 1)) throw new Error(`${this.name}: expected maxNumber to be a positive integer (int32), got ${describe(maxNumber)}`);
    if (!int32(fillValue, -(2 ** 31))) throw new Error(`${this.name}: expected fillValue to be an integer (int32), got ${describe(fillValue)}`);
    this.maxNumber = maxNumber;
    this.fillValue = fillValue;
    this.boundingBoxFormat = boundingBoxFormat === null ? null : checkFormat(this.name, 'boundingBoxFormat', boundingBoxFormat);
    this.dataFormat = checkDataFormat(this.name, args.dataFormat, true);
  }

  /** Applies the layer to {images, bounding_boxes: {boxes, labels}, ...}; returns the same structure. */
  override apply(inputs: ImagesWithBoxes<SymbolicTensor> | Nested<SymbolicTensor>, options?: CallOptions | null): ImagesWithBoxes<SymbolicTensor>;
  override apply(inputs: ImagesWithBoxes<Tensor> | Nested<Tensor>, options?: CallOptions | null): ImagesWithBoxes<Tensor>;
  override apply(inputs: unknown, options?: CallOptions | null): unknown {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    const flat = this.flattenBoxes(inputs) as Nested<Tensor>;
    const out = (arguments.length > 1 ? super.apply(flat, options ?? undefined) : super.apply(flat)) as Record<string, unknown>;
    const { [BOXES]: boxes, [LABELS]: labels, ...rest } = out;
    return { ...rest, bounding_boxes: { boxes, labels } };
  }

  // {images, bounding_boxes: {boxes, labels}, ...} as one level of keys, checked.
  private flattenBoxes(inputs: unknown): Record<string, unknown> {
    const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
    if (!isObject(inputs) || !('images' in inputs) || !('bounding_boxes' in inputs)) {
      throw new Error(`${this.name}: expected {images, bounding_boxes: {boxes, labels}}, as Keras's MaxNumBoundingBoxes, got ${describe(inputs)}`);
    }
    const { bounding_boxes: bb, ...rest } = inputs;
    if (!isObject(bb) || !('boxes' in bb) || !('labels' in bb))
      throw new Error(`${this.name}: expected bounding_boxes to be {boxes, labels}, got ${describe(bb)}`);
    const extra = Object.keys(bb).filter((k) => k !== 'boxes' && k !== 'labels');
    if (extra.length > 0)
      throw new Error(`${this.name}: bounding_boxes has keys [${extra.join(', ')}] besides boxes and labels (only those two are supported, as Keras)`);
    return { ...rest, [BOXES]: bb.boxes, [LABELS]: bb.labels };
  }

  /** @internal It takes Keras's image dict (so a pipeline passes it the dict). */
  protected takesImageDict(): boolean {
    return true;
  }

  // Checks the shapes; true when the input is a batch.
  private batched(inputs: Record<string, { shape: (number | null)[] }>): boolean {
    if (inputs[BOXES] === undefined) throw new Error(`${this.name}: expected {images, bounding_boxes: {boxes, labels}}, got no bounding_boxes`);
    const rank = inputs.images.shape.length;
    if (rank !== 3 && rank !== 4)
      throw new Error(`${this.name}: expected images of rank 3 (one image) or 4 (a batch), got shape [${inputs.images.shape.join(', ')}]`);
    const lead = rank === 4 ? 1 : 0;
    const boxes = inputs[BOXES].shape,
      labels = inputs[LABELS].shape;
    if (boxes.length !== lead + 2 || boxes[lead + 1] !== 4) {
      throw new Error(`${this.name}: expected boxes of shape [${rank === 4 ? 'batch, ' : ''}n, 4] for images of rank ${rank}, got [${boxes.join(', ')}]`);
    }
    if (labels.length !== lead + 1 || labels[lead] !== boxes[lead]) {
      throw new Error(`${this.name}: expected labels of shape [${boxes.slice(0, -1).join(', ')}] (one per box), got [${labels.join(', ')}]`);
    }
    return rank === 4;
  }

  // Images and labels stay in their dtypes (uint8-like pixels, integer labels).
  protected override castInputs(inputs: Tensor[]): Tensor[] {
    return inputs;
  }

  override call(inputs: Tensor | Tensor[] | { [name: string]: Tensor }): Record<string, Tensor> {
    const x = inputs as Record<string, Tensor>;
    const lead = this.batched(x) ? 1 : 0;
    const fit = (t: Tensor): Tensor => {
      const n = t.shape[lead];
      const kept =
        n > this.maxNumber
          ? slice(
              t,
              new Array<number>(t.rank).fill(0),
              t.shape.map((d, i) => (i === lead ? this.maxNumber : d)),
            )
          : t;
      if (n >= this.maxNumber) return kept;
      return pad(
        kept,
        t.shape.map((_, i) => [0, i === lead ? this.maxNumber - n : 0]),
        this.fillValue,
      );
    };
    return { ...x, [BOXES]: fit(x[BOXES]), [LABELS]: fit(x[LABELS]) };
  }

  override computeOutputSpec(inputs: Nested<TensorSpec>): Nested<TensorSpec> {
    const x = inputs as Record<string, TensorSpec>;
    const lead = this.batched(x) ? 1 : 0;
    const fit = (s: TensorSpec): TensorSpec => ({ dtype: s.dtype, shape: s.shape.map((d, i) => (i === lead ? this.maxNumber : d)) });
    return { ...x, [BOXES]: fit(x[BOXES]), [LABELS]: fit(x[LABELS]) };
  }

  override getConfig(): Record<string, unknown> {
    // Keras 3.15's get_config leaves fill_value out (so a reloaded layer pads with -1); it is kept here.
    return {
      ...super.getConfig(),
      maxNumber: this.maxNumber,
      fillValue: this.fillValue,
      dataFormat: this.dataFormat,
      ...(this.boundingBoxFormat === null ? {} : { boundingBoxFormat: this.boundingBoxFormat }),
    };
  }
}
