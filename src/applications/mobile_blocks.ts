// Pieces the mobile families (MobileNet, MobileNetV2, MobileNetV3, EfficientNet) share:
// Keras's rounding of channel counts, the padding before a stride-2 'valid' convolution,
// the default size MobileNet's files pick from the input, and their preprocessInput.
import type { DataFormatName } from '../config/settings';
import { ZeroPadding2D } from '../layers/spatial_reshaping';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import { checkOptions } from '../options/check';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkDataFormatName, imageDataFormat } from '../config/settings';
import type { ApplicationOptions } from './application';
import type { PreprocessInputOptions } from './imagenet_utils';

/** Keras's _make_divisible / _depth: `v` rounded to a multiple of `divisor`, never 10% below `v`. */
export function makeDivisible(v: number, divisor = 8): number {
  let rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * v) rounded += divisor;
  return rounded;
}

/**
 * Keras's imagenet_utils.correct_pad: the zero padding that makes a stride-2 'valid'
 * convolution of `kernel` cover the image as TensorFlow's 'same' does (one less before on even sizes).
 */
export function correctPadding(x: SymbolicTensor, kernel: number, dataFormat: DataFormatName): [[number, number], [number, number]] {
  const [h, w] = dataFormat === 'channelsFirst' ? x.shape.slice(2, 4) : x.shape.slice(1, 3);
  const adjust = h === null || w === null ? [1, 1] : [1 - (h % 2), 1 - (w % 2)];
  const c = Math.floor(kernel / 2);
  return [
    [c - adjust[0], c],
    [c - adjust[1], c],
  ];
}

/** A ZeroPadding2D layer of correctPadding's amounts applied to `x`. */
export function padForStride2(x: SymbolicTensor, kernel: number, name: string, dataFormat: DataFormatName): SymbolicTensor {
  return new ZeroPadding2D({ padding: correctPadding(x, kernel, dataFormat), name, dataFormat }).apply(x) as SymbolicTensor;
}

/**
 * The size MobileNet and MobileNetV2 take as default (and name their files by): the given
 * square size when it is one of `sizes`, else 224. Read from the raw options (checked later).
 */
export function sizeFromInput(options: ApplicationOptions | null | undefined, sizes: readonly number[], fromTensor: boolean): number | null {
  const given = options !== null && typeof options === 'object' ? options : {};
  const first = imageDataFormat() === 'channelsFirst';
  let hw: unknown[] | null = null;
  if (Array.isArray(given.inputShape) && given.inputShape.length === 3) hw = first ? given.inputShape.slice(1) : given.inputShape.slice(0, 2);
  else if (fromTensor && given.inputTensor != null && Array.isArray(given.inputTensor.shape) && given.inputTensor.shape.length === 4)
    hw = first ? given.inputTensor.shape.slice(2) : given.inputTensor.shape.slice(1, 3);
  if (hw === null) return null;
  return hw[0] === hw[1] && sizes.includes(hw[0] as number) ? (hw[0] as number) : 224;
}

/** Checks a width multiplier: a positive number. */
export function checkAlpha(op: string, alpha: unknown): number {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 0) throw new Error(`${op}: alpha must be a positive number, got ${describe(alpha)}`);
  return alpha;
}

/** Checks a boolean option. */
export function checkFlag(op: string, key: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new Error(`${op}: ${key} must be true or false, got ${describe(v)}`);
  return v;
}

/** Checks a dropout rate in [0, 1). */
export function checkRate(op: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new Error(`${op}: ${key} must be a number in [0, 1), got ${describe(v)}`);
  return v;
}

/** The preprocessInput of the families whose models rescale inside (MobileNetV3, EfficientNet): the input as it is. */
export function identityPreprocess(op: string, x: Tensor, options: Pick<PreprocessInputOptions, 'dataFormat'> | null | undefined): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a tensor of images, got ${describe(x)}`);
  const o = checkOptions(op, options, ['dataFormat']);
  if (o.dataFormat != null) checkDataFormatName(op, o.dataFormat);
  return x;
}
