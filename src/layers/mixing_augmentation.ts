// Keras 3's MixUp and CutMix: each image of a batch is mixed with another of the same batch
// (a random permutation), in training; applied to [images, labels] they mix the labels by the
// same weights. Eagerly they also take Keras's {images, labels, bounding_boxes,
// segmentation_masks}: labels mixed so, masks mixed as the images (MixUp weighs them, CutMix
// pastes the same rectangle); MixUp gives each image its partner's boxes too, CutMix refuses
// boxes by name (Keras raises NotImplementedError). The few draws per batch (permutation, Beta weights, boxes) are made on the
// host from the layer's seeds and sent to the images' device.
import { tooManyArguments } from '../options/arity';
import { layerFactory } from './keras_positional';
import { add, mul, sub } from '../ops/binary';
import { cast } from '../ops/cast';
import { greaterEqual, less, logicalAnd, where } from '../ops/compare';
import { FLOAT_DTYPES } from '../ops/convert';
import { concat } from '../ops/concat';
import { gather } from '../ops/gather';
import { expandDims, squeeze } from '../ops/reshape';
import { transpose } from '../ops/transpose';
import { fromTypedArray } from '../tensor/creation';
import { allocTypedArray, type DType } from '../tensor/dtype';
import { seededRandom } from '../tensor/seeded_random';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { boundedFactor } from './color_augmentation';
import { toChannelsFirst, toChannelsLast } from './conv_utils';
import type { CallOptions } from './layer';
import { SeededAugmentation, type AugmentationArgs } from './augmentation';
import { layerOptions } from './layer_options';
import type { SymbolicShape, SymbolicTensor } from './symbolic_tensor';
import type { StringBatch } from './preprocessing/strings';
import type { Nested } from './structure';
import { checkTargetShapes } from './augmentation_targets';
import { BOXES_KEY, BOX_LABELS_KEY, boxesRefused, isPlainObject, type ImageDict } from './image_dict_input';

/** A standard normal draw from uniform ones (Box-Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** @internal A Gamma(shape, 1) draw: Marsaglia and Tsang's method, boosted below shape 1. */
export function gammaDraw(shape: number, random: () => number): number {
  if (shape < 1) return gammaDraw(shape + 1, random) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3,
    c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(random);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** @internal A Beta(a, a) draw (0.5 when both gamma draws underflow). */
export function symmetricBeta(a: number, random: () => number): number {
  const x = gammaDraw(a, random),
    y = gammaDraw(a, random);
  return x + y > 0 ? x / (x + y) : 0.5;
}

/** The batch's indices in random order (Fisher-Yates). */
function permutation(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** One call's draw: the partner of each image, the weight of its own labels, and how two batches mix. */
interface MixDraw {
  /** The partner of each image (an index into the batch). */
  partner: Int32Array;
  /** Per image, the weight of its own labels. */
  labelWeights: Float64Array;
  /** Mixes `own` (channels-last, in the images' layout as a batch) with the same tensors permuted. */
  mixBatch: (own: Tensor) => Tensor;
}

/**
 * The base of MixUp and CutMix: images, [images, labels], or (eagerly) Keras's {images, labels,
 * bounding_boxes, segmentation_masks}; the identity outside training.
 */
abstract class MixingAugmentation extends SeededAugmentation {
  constructor(args: AugmentationArgs) {
    super(args, true);
  }

  /**
   * How this call mixes a channels-last batch `own` [batch, height, width, channels] with
   * `partners` (the same tensors, permuted), from the images' shape, and, per image, the
   * weight of its own labels.
   */
  protected abstract draw(images: Tensor, random: () => number): { paste: (own: Tensor, partners: Tensor) => Tensor; labelWeights: Float64Array };

  /** The dict's boxes and their labels after the mix (batched: [batch, n, 4] and [batch, n]). */
  protected abstract mixBoxes(boxes: Tensor, labels: Tensor, partner: Int32Array): { boxes: Tensor; labels: Tensor };

  protected override takesImageDict(): boolean {
    return true;
  }

  /** [images, labels] gives [images, labels]; images alone give images; Keras's dict gives the same keys. */
  override apply(inputs: ImageDict<Tensor>, options?: CallOptions | null): ImageDict<Tensor>;
  override apply(inputs: SymbolicTensor[], options?: CallOptions | null): SymbolicTensor[];
  override apply(inputs: Tensor[], options?: CallOptions | null): Tensor[];
  override apply(inputs: Nested<SymbolicTensor>, options?: CallOptions | null): SymbolicTensor;
  override apply(inputs: Nested<Tensor> | StringBatch, options?: CallOptions | null): Tensor;
  override apply(inputs: unknown, options: CallOptions | null = {}): unknown {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    return super.apply(inputs as Nested<Tensor>, options ?? undefined);
  }

  override call(inputs: Tensor | Tensor[] | Record<string, Tensor>, { training }: CallOptions): Tensor | Tensor[] | Record<string, Tensor> {
    if (isPlainObject(inputs)) return this.callDict(inputs as Record<string, Tensor>, training ?? false);
    const pair = Array.isArray(inputs);
    if (pair && inputs.length !== 2) throw new Error(`${this.name}: expected images or [images, labels], got ${inputs.length} tensors`);
    const [x, y] = pair ? inputs : [inputs as Tensor, null];
    const images = this.floatImages(x);
    if (y !== null) this.checkLabels(x, y, 'labels');
    if (!training) return pair ? [images, y!] : images;
    const drawn = this.drawMix(images);
    const out = drawn.mixBatch(images);
    return y === null ? out : [out, this.mixLabels(y, drawn, x.rank === 3)];
  }

  // Keras's dict: labels mixed by the images' weights, masks mixed as the images, boxes by mixBoxes.
  private callDict(x: Record<string, Tensor>, training: boolean): Record<string, Tensor> {
    const images = this.floatImages(x.images);
    const first = this.dataFormat === 'channelsFirst';
    const lead = images.rank === 4 ? 1 : 0;
    const spatial = (first ? images.shape.slice(lead + 1, lead + 3) : images.shape.slice(lead, lead + 2)) as [number, number];
    checkTargetShapes(this.name, x, BOXES_KEY, BOX_LABELS_KEY, spatial, first);
    if (x.labels !== undefined) this.checkLabels(x.images, x.labels, 'labels');
    this.checkBoxesTaken(x);
    if (!training) return { ...x, images };
    const drawn = this.drawMix(images);
    const out: Record<string, Tensor> = { ...x, images: drawn.mixBatch(images) };
    if (x.labels !== undefined) out.labels = this.mixLabels(x.labels, drawn, lead === 0);
    if (x.segmentation_masks !== undefined) out.segmentation_masks = drawn.mixBatch(x.segmentation_masks);
    if (x[BOXES_KEY] !== undefined) {
      const batch = (t: Tensor) => (lead === 0 ? expandDims(t, 0) : t);
      const unbatch = (t: Tensor) => (lead === 0 ? squeeze(t, 0) : t);
      const mixed = this.mixBoxes(batch(x[BOXES_KEY]), batch(x[BOX_LABELS_KEY]), drawn.partner);
      out[BOXES_KEY] = unbatch(mixed.boxes);
      out[BOX_LABELS_KEY] = unbatch(mixed.labels);
    }
    return out;
  }

  private checkLabels(images: Tensor, labels: Tensor, key: string): void {
    if (images.rank === 4 && (labels.rank < 1 || labels.shape[0] !== images.shape[0]))
      throw new Error(`${this.name}: expected ${key} with one row per image (${images.shape[0]}), got shape [${labels.shape.join(', ')}]`);
  }

  // One draw for the call; mixBatch applies it to images and masks alike (one image or a batch, either layout).
  private drawMix(images: Tensor): MixDraw {
    const single = images.rank === 3;
    const n = single ? 1 : images.shape[0];
    const random = seededRandom(this.name, this.seeds.next());
    const partner = permutation(n, random);
    const first = this.dataFormat === 'channelsFirst';
    // draw and paste see channels-last batches: channels-first ones are transposed there and back.
    const toLast = (t: Tensor) => {
      const b = single ? expandDims(t, 0) : t;
      return first ? transpose(b, toChannelsLast(2)) : b;
    };
    const back = (t: Tensor) => {
      const b = first ? transpose(t, toChannelsFirst(2)) : t;
      return single ? squeeze(b, 0) : b;
    };
    const { paste, labelWeights } = this.draw(toLast(images), random);
    const mixBatch = (own: Tensor) => {
      const last = toLast(own);
      return back(paste(last, gather(last, fromTypedArray(partner, [n], 'int32', last.device))));
    };
    return { partner, labelWeights, mixBatch };
  }

  /** w * labels + (1 - w) * the partner's labels, w per image. */
  private mixLabels(labels: Tensor, { partner, labelWeights }: MixDraw, single: boolean): Tensor {
    const y = FLOAT_DTYPES.includes(labels.dtype) ? labels : cast(labels, 'float32');
    const rows = single ? expandDims(y, 0) : y;
    const w = this.perRow(labelWeights, rows);
    const mixed = add(mul(w, rows), mul(sub(1, w), gather(rows, fromTypedArray(partner, [partner.length], 'int32', rows.device))));
    return single ? squeeze(mixed, 0) : mixed;
  }

  /** Host numbers, one per row of `like`, as a [n, 1, ...] tensor of its dtype and device. */
  protected perRow(numbers: ArrayLike<number>, like: Tensor): Tensor {
    const data = allocTypedArray(like.dtype as DType, numbers.length);
    for (let i = 0; i < numbers.length; i++) data[i] = numbers[i];
    return fromTypedArray(data, [numbers.length, ...like.shape.slice(1).map(() => 1)], like.dtype, like.device);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    return inputShape;
  }
}

/** Options of mixUp. */
export interface MixUpArgs extends AugmentationArgs {
  /** The Beta(alpha, alpha) distribution's parameter, positive (default 0.2): small values mix little. */
  alpha?: number;
}

/**
 * MixUp, in training: each image becomes w x + (1 - w) x', x' another image of the batch (a
 * random permutation) and w drawn per image from Beta(alpha, alpha); [images, labels] mixes
 * the labels by the same w.
 */
export class MixUp extends MixingAugmentation {
  static override className = 'MixUp';
  /** The Beta distribution's parameter. */
  readonly alpha: number;
  constructor(args?: MixUpArgs) {
    args = layerOptions(MixUp, new.target, args) ?? {};
    super(args);
    this.alpha = args.alpha ?? 0.2;
    if (typeof this.alpha !== 'number' || !(this.alpha > 0) || !Number.isFinite(this.alpha))
      throw new Error(`${this.name}: expected alpha a positive number, got ${describe(args.alpha)}`);
  }

  protected draw(images: Tensor, random: () => number) {
    const labelWeights = Float64Array.from({ length: images.shape[0] }, () => symmetricBeta(this.alpha, random));
    // Masks are weighed as the images (integer ones in float32, as labels).
    const paste = (own: Tensor, partners: Tensor) => {
      const [a, b] = FLOAT_DTYPES.includes(own.dtype) ? [own, partners] : [cast(own, 'float32'), cast(partners, 'float32')];
      const w = this.perRow(labelWeights, a);
      return add(mul(w, a), mul(sub(1, w), b));
    };
    return { paste, labelWeights };
  }

  /** Each image keeps its boxes and gains its partner's (as Keras: [batch, n, 4] becomes [batch, 2n, 4]). */
  protected mixBoxes(boxes: Tensor, labels: Tensor, partner: Int32Array): { boxes: Tensor; labels: Tensor } {
    const order = fromTypedArray(partner, [partner.length], 'int32', boxes.device);
    return { boxes: concat([boxes, gather(boxes, order)], 1), labels: concat([labels, gather(labels, order)], 1) };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Options of cutMix. */
export interface CutMixArgs extends AugmentationArgs {
  /** The range of the Beta parameter, in [0, 1]: f draws it from [0, f] (default 1), once per call. */
  factor?: number | [number, number];
}

/**
 * CutMix, in training: each image gets a rectangle pasted from another image of the batch. Per
 * call a Beta parameter a is drawn from `factor` (plus 1e-6); per image l from Beta(a, a), the
 * rectangle's sides are sqrt(1 - l) times the image's and its place uniform; [images, labels]
 * mixes the labels by the share of the image each source covers.
 */
export class CutMix extends MixingAugmentation {
  static override className = 'CutMix';
  /** The Beta parameter's range, as given. */
  readonly factor: number | [number, number];
  private readonly range: [number, number];
  constructor(args?: CutMixArgs) {
    args = layerOptions(CutMix, new.target, args) ?? {};
    super(args);
    this.factor = args.factor ?? 1;
    this.range = boundedFactor(this.name, 'factor', this.factor, 0, 1);
  }

  protected draw(images: Tensor, random: () => number) {
    const [n, h, w] = images.shape;
    const a = this.range[0] + (this.range[1] - this.range[0]) * random() + 1e-6;
    const box = { x0: new Float64Array(n), x1: new Float64Array(n), y0: new Float64Array(n), y1: new Float64Array(n) };
    const labelWeights = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const ratio = Math.sqrt(1 - symmetricBeta(a, random));
      const [bw, bh] = [ratio * w, ratio * h];
      box.x0[i] = random() * (w - bw);
      box.y0[i] = random() * (h - bh);
      box.x1[i] = box.x0[i] + bw;
      box.y1[i] = box.y0[i] + bh;
      labelWeights[i] = 1 - (bw * bh) / (w * h);
    }
    const grid = (size: number, axis: number) => {
      const data = allocTypedArray(images.dtype, size).map((_, k) => k);
      const shape = [1, 1, 1, 1];
      shape[axis] = size;
      return fromTypedArray(data, shape, images.dtype, images.device);
    };
    const within = (g: Tensor, from: Float64Array, to: Float64Array) =>
      logicalAnd(greaterEqual(g, this.perRow(from, images)), less(g, this.perRow(to, images)));
    const pasted = logicalAnd(within(grid(w, 2), box.x0, box.x1), within(grid(h, 1), box.y0, box.y1));
    // The same rectangle is pasted into masks (of any channel count and dtype).
    return { paste: (own: Tensor, partners: Tensor) => where(pasted, partners, own), labelWeights };
  }

  // Boxes are refused (as Keras): a pasted rectangle covers parts of them and brings parts of the partner's.
  protected override boxesRefusal(): string {
    return "the pasted rectangles would cover parts of the boxes and bring parts of the partners'";
  }

  protected mixBoxes(): never {
    throw boxesRefused(this.name, this.boxesRefusal());
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}

/** @internal The mixing layer classes, for the layer registry. */
export const MIXING_LAYERS = [MixUp, CutMix];

/** Mixes each image (and its labels, given [images, labels]) with another of the batch in training. */
export const mixUp = layerFactory(MixUp);
/** Pastes a rectangle of another image of the batch into each image (labels mixed by area) in training. */
export const cutMix = layerFactory(CutMix);
