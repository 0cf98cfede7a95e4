// What the convolution, pooling and spatial layers share: Keras's argument forms (an int
// or a tuple), the data-format check and channels-first wrappers, padding names, output lengths, and the lift of
// 1-D sequences [batch, steps, channels] to images [batch, 1, steps, channels].
import { windowGeometry, type PaddingMode } from '../ops/padding';
import { reshape } from '../ops/reshape';
import { transpose } from '../ops/transpose';
import { toBatchNhwc } from '../ops/image_layout';
import type { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { standardizeDataFormat } from '../config/settings';
import type { SymbolicShape } from './symbolic_tensor';
import { everyEntry } from '../options/every_entry';

/** Keras's data_format: channels after the spatial axes, or before them. */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/**
 * Throws unless `rank` is a spatial rank the windowed layers support (`ranks`, default 1 to
 * 3): their abstract bases (Conv, Pooling, ...) get it from a subclass, never from a user.
 */
export function checkSpatialRank(cls: string, rank: unknown, use: string, ranks: readonly number[] = [1, 2, 3]): void {
  if (!ranks.includes(rank as number))
    throw new Error(`${cls}: an abstract base class (its subclasses fix the spatial rank, ${ranks.join(' or ')}, got ${describe(rank)}); use ${use}`);
}

/** @internal `value` as a tuple of `n` positive (or, with `allowZero`, non-negative) integers. */
export function normalizeTuple(op: string, what: string, value: unknown, n: number, allowZero = false): number[] {
  const tuple = typeof value === 'number' ? new Array(n).fill(value) : value;
  const ok = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && (allowZero ? v >= 0 : v > 0);
  if (!Array.isArray(tuple) || tuple.length !== n || !everyEntry(tuple, ok)) {
    const kind = allowZero ? 'non-negative' : 'positive';
    throw new Error(`${op}: expected ${what} to be a ${kind} integer or an array of ${n} of them, got ${describe(value)}`);
  }
  return [...tuple];
}

/**
 * @internal `value`, or config.imageDataFormat() when none (Keras's standardize_data_format),
 * as a DataFormat. Layers that are channels-last only (no `channelsFirst` flag) refuse
 * channels-first, saying whether it came from the option or the global setting.
 */
export function checkDataFormat(op: string, value: unknown, channelsFirst = false): DataFormat {
  if (value !== undefined && value !== null && !['channelsLast', 'channels_last', 'channelsFirst', 'channels_first'].includes(value as string))
    throw new Error(`${op}: expected dataFormat 'channelsLast'${channelsFirst ? " or 'channelsFirst'" : ''}, got ${describe(value)}`);
  const format = standardizeDataFormat(op, value);
  if (format === 'channelsFirst' && !channelsFirst) {
    const source = value === undefined || value === null ? "config.imageDataFormat() is 'channelsFirst'" : "dataFormat 'channelsFirst' is not supported";
    throw new Error(
      `${op}: ${source}: this layer is channels-last only ([batch, ..., channels], NHWC); pass dataFormat: 'channelsLast' and transpose the input (layers.permute)`,
    );
  }
  return format;
}

/** @internal The permutation [batch, channels, ...spatial] -> [batch, ...spatial, channels] for `rank` spatial axes. */
export function toChannelsLast(rank: number): number[] {
  return [0, ...Array.from({ length: rank }, (_, i) => i + 2), 1];
}

/** @internal The permutation [batch, ...spatial, channels] -> [batch, channels, ...spatial]. */
export function toChannelsFirst(rank: number): number[] {
  return [0, rank + 1, ...Array.from({ length: rank }, (_, i) => i + 1)];
}

/**
 * @internal `f`, a channels-last computation, applied to `x` in `format`: channels-first runs
 * it between two transposes (the layers share the channels-last kernels).
 */
export function inChannelsLast(format: DataFormat, x: Tensor, f: (x: Tensor) => Tensor): Tensor {
  if (format === 'channelsLast') return f(x);
  const rank = x.rank - 2;
  return transpose(f(transpose(x, toChannelsLast(rank))), toChannelsFirst(rank));
}

/** @internal `f`, a channels-last shape computation, applied to the shape `s` in `format`. */
export function shapeInChannelsLast(format: DataFormat, s: SymbolicShape, f: (s: SymbolicShape) => SymbolicShape): SymbolicShape {
  if (format === 'channelsLast') return f(s);
  const rank = s.length - 2;
  const out = f(toChannelsLast(rank).map((a) => s[a]));
  return toChannelsFirst(rank).map((a) => out[a]);
}

/**
 * @internal inChannelsLast for image layers, whose input is a batch or one image (rank 3):
 * channels-first goes through keras.ops.image's layout change (toBatchNhwc) and back.
 */
export function imagesInChannelsLast(format: DataFormat, x: Tensor, f: (x: Tensor) => Tensor): Tensor {
  if (format === 'channelsLast') return f(x);
  const { nhwc, restore } = toBatchNhwc('imagesInChannelsLast', x, format);
  return restore(f(nhwc));
}

/** @internal shapeInChannelsLast for image layers (a batch, or one image of rank 3). */
export function imageShapeInChannelsLast(format: DataFormat, s: SymbolicShape, f: (s: SymbolicShape) => SymbolicShape): SymbolicShape {
  if (format === 'channelsLast') return f(s);
  if (s.length !== 3) return shapeInChannelsLast(format, s, f);
  const out = f([s[1], s[2], s[0]]);
  return [out[2], out[0], out[1]];
}

/** @internal A padding name (any case) among `allowed`. */
export function checkPadding(op: string, value: unknown, allowed: PaddingMode[]): PaddingMode {
  const v = typeof value === 'string' ? value.toLowerCase() : value;
  if (!allowed.includes(v as PaddingMode)) throw new Error(`${op}: expected padding ${allowed.map((p) => `'${p}'`).join(' or ')}, got ${describe(value)}`);
  return v as PaddingMode;
}

/** @internal Output length of a window op along one axis; null stays unknown. */
export function convOutputLength(op: string, size: number | null, kernel: number, stride: number, dilation: number, padding: PaddingMode): number | null {
  return size === null ? null : windowGeometry(op, size, kernel, stride, dilation, padding).out;
}

/** @internal Output length of a transposed convolution (Keras's deconv_output_length). */
export function deconvOutputLength(
  size: number | null,
  kernel: number,
  stride: number,
  dilation: number,
  padding: PaddingMode,
  outputPadding: number | null,
): number | null {
  if (size === null) return null;
  const k = dilation * (kernel - 1) + 1;
  if (outputPadding === null) return padding === 'same' ? size * stride : size * stride + Math.max(k - stride, 0);
  const pad = padding === 'same' ? Math.floor(k / 2) : 0;
  return (size - 1) * stride + k - 2 * pad + outputPadding;
}

/** @internal [batch, steps, channels] -> [batch, 1, steps, channels]. */
export function sequenceToImage(x: Tensor): Tensor {
  return reshape(x, [x.shape[0], 1, x.shape[1], x.shape[2]]);
}

/** @internal [batch, 1, steps, channels] -> [batch, steps, channels]. */
export function imageToSequence(y: Tensor): Tensor {
  return reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
}

/** @internal A 1-D window parameter as the 2-D pair of a height-1 image. */
export const widthOnly = (v: number[]): [number, number] => (v.length === 1 ? [1, v[0]] : [v[0], v[1]]);

/** @internal A 3-D window parameter ([depth, height, width]) as the ops take it. */
export const asTriple = (v: number[]): [number, number, number] => [v[0], v[1], v[2]];
