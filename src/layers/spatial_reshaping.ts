// Layers that resize the spatial axes of sequences and images without weights:
// upSampling1d/2d (nearest; bilinear for images), zeroPadding1d/2d, cropping1d/2d; the
// helpers here serve the 3-D forms too (spatial_reshaping_3d.ts). Channels-first inputs
// go through the channels-last code between two transposes (inChannelsLast).
import { add, mul } from '../ops/binary';
import { gather } from '../ops/gather';
import { pad } from '../ops/pad';
import { reshape } from '../ops/reshape';
import { slice } from '../ops/slice';
import { broadcastTo } from '../ops/tile';
import { tensor } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';
import { checkDataFormat, inChannelsLast, normalizeTuple, shapeInChannelsLast, type DataFormat } from './conv_utils';
import { InputSpec } from './input_spec';
import { Layer, type LayerArgs } from './layer';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { layerOptions } from './layer_options';
import { describe } from '../tensor/shape';
import { everyEntry } from '../options/every_entry';

/** @internal A known size times k; unknown stays unknown. */
export const times = (d: number | null, k: number) => (d === null ? null : d * k);

/** Options of upSampling1d. */
export interface UpSampling1DArgs extends LayerArgs {
  /** How many times each step is repeated. Default 2. */
  size?: number;
}

/** Repeats each step `size` times: [batch, steps, channels] -> [batch, steps * size, channels]. */
export class UpSampling1D extends Layer {
  static override className = 'UpSampling1D';
  /** The upsampling factor(s). */
  readonly size: number;
  constructor(args: UpSampling1DArgs = {}) {
    args = layerOptions(UpSampling1D, new.target, args);
    super(args);
    this.size = normalizeTuple(this.name, 'size', args.size ?? 2, 1)[0];
    this.inputSpec = new InputSpec({ ndim: 3 });
  }
  override call(x: Tensor): Tensor {
    return repeatAxes(x, [this.size]);
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return [s[0], times(s[1], this.size), s[2]];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size };
  }
}

/** Options of upSampling2d. */
export interface UpSampling2DArgs extends LayerArgs {
  /** Factors for rows and columns. Default [2, 2]. */
  size?: number | number[];
  /** 'channelsLast' or 'channelsFirst'; default config.imageDataFormat(), resolved when the layer is made. */
  dataFormat?: DataFormat;
  /** 'nearest' (default) or 'bilinear' (half-pixel centers, as Keras 3's image resize). */
  interpolation?: 'nearest' | 'bilinear';
}

/** Scales images up by integer factors: [batch, h, w, c] -> [batch, h * sh, w * sw, c]. */
export class UpSampling2D extends Layer {
  static override className = 'UpSampling2D';
  /** The upsampling factor(s). */
  readonly size: number[];
  /** Where the channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;
  /** 'nearest' or 'bilinear'. */
  readonly interpolation: 'nearest' | 'bilinear';
  constructor(args: UpSampling2DArgs = {}) {
    args = layerOptions(UpSampling2D, new.target, args);
    super(args);
    this.size = normalizeTuple(this.name, 'size', args.size ?? 2, 2);
    this.dataFormat = checkDataFormat(this.name, args.dataFormat, true);
    const interpolation = args.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new Error(`${this.name}: expected interpolation 'nearest' or 'bilinear', got ${describe(interpolation)}`);
    }
    this.interpolation = interpolation;
    this.inputSpec = new InputSpec({ ndim: 4 });
  }
  override call(x: Tensor): Tensor {
    return inChannelsLast(this.dataFormat, x, (xl) =>
      this.interpolation === 'nearest' ? repeatAxes(xl, this.size) : bilinearAlong(bilinearAlong(xl, 1, this.size[0]), 2, this.size[1]),
    );
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return shapeInChannelsLast(this.dataFormat, s, (sl) => [sl[0], times(sl[1], this.size[0]), times(sl[2], this.size[1]), sl[3]]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], dataFormat: this.dataFormat, interpolation: this.interpolation };
  }
}

/** @internal Nearest upsampling of axes 1..k: [b, d1, ..., c] -> [b, d1, 1, d2, 1, ..., c], broadcast, merge. */
export function repeatAxes(x: Tensor, factors: number[]): Tensor {
  const spatial = x.shape.slice(1, -1);
  const split = [x.shape[0], ...spatial.flatMap((d) => [d, 1]), x.shape[x.rank - 1]];
  const wide = [x.shape[0], ...spatial.flatMap((d, i) => [d, factors[i]]), x.shape[x.rank - 1]];
  return reshape(broadcastTo(reshape(x, split), wide), [x.shape[0], ...spatial.map((d, i) => d * factors[i]), x.shape[x.rank - 1]]);
}

// Linear interpolation along one axis with half-pixel centers: output i samples
// (i + 0.5) / factor - 0.5, clamped to the edges.
function bilinearAlong(x: Tensor, axis: number, factor: number): Tensor {
  const n = x.shape[axis];
  const low: number[] = [];
  const high: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n * factor; i++) {
    const src = Math.max((i + 0.5) / factor - 0.5, 0);
    const i0 = Math.min(Math.floor(src), n - 1);
    low.push(i0);
    high.push(Math.min(i0 + 1, n - 1));
    weight.push(src - i0);
  }
  const wShape = x.shape.map((d, a) => (a === axis ? n * factor : 1));
  const w = tensor(weight, wShape, x.dtype);
  const lowRows = gather(x, tensor(low, [low.length], 'int32'), axis);
  const highRows = gather(x, tensor(high, [high.length], 'int32'), axis);
  // low + w (high - low), written so that both terms carry gradients.
  return add(mul(lowRows, add(mul(w, -1), 1)), mul(highRows, w));
}

/** Options of zeroPadding1d. */
export interface ZeroPadding1DArgs extends LayerArgs {
  /** Zeros before and after the steps: one number for both, or [before, after]. Default 1. */
  padding?: number | number[];
}

/** Adds zero steps at the start and end of sequences. */
export class ZeroPadding1D extends Layer {
  static override className = 'ZeroPadding1D';
  /** 'valid', 'same' (or 'causal' for conv1d). */
  readonly padding: number[];
  constructor(args: ZeroPadding1DArgs = {}) {
    args = layerOptions(ZeroPadding1D, new.target, args);
    super(args);
    this.padding = normalizeTuple(this.name, 'padding', args.padding ?? 1, 2, true);
    this.inputSpec = new InputSpec({ ndim: 3 });
  }
  override call(x: Tensor): Tensor {
    return pad(x, [
      [0, 0],
      [this.padding[0], this.padding[1]],
      [0, 0],
    ]);
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return [s[0], s[1] === null ? null : s[1] + this.padding[0] + this.padding[1], s[2]];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: [...this.padding] };
  }
}

/** Options of zeroPadding2d and cropping2d: one number, [rows, cols], or [[top, bottom], [left, right]]. */
export type Spatial2DAmounts = number | number[] | number[][];

// How the forms of amounts(), per number of spatial axes, read in errors.
const AMOUNT_FORMS: Record<number, string> = {
  2: '[rows, cols] or [[top, bottom], [left, right]]',
  3: '[depth, rows, cols] or [[front, back], [top, bottom], [left, right]]',
};

/** @internal [before, after] per spatial axis from one number, one per axis (symmetric), or the pairs. */
export function amounts(op: string, what: string, value: Spatial2DAmounts, axes: number): number[][] {
  if (Array.isArray(value) && value.length === axes && everyEntry(value, Array.isArray)) {
    return (value as number[][]).map((p, i) => normalizeTuple(op, `${what}[${i}]`, p, 2, true));
  }
  if (Array.isArray(value) && value.some(Array.isArray))
    throw new Error(`${op}: expected ${what} to be a number, ${AMOUNT_FORMS[axes]}, got ${describe(value)}`);
  return normalizeTuple(op, what, value, axes, true).map((v) => [v, v]);
}

/** Options of zeroPadding2d. */
export interface ZeroPadding2DArgs extends LayerArgs {
  /** One number, [rows, cols] (symmetric) or [[top, bottom], [left, right]]. Default 1. */
  padding?: Spatial2DAmounts;
  /** 'channelsLast' or 'channelsFirst'; default config.imageDataFormat(), resolved when the layer is made. */
  dataFormat?: DataFormat;
}

/** @internal The base of zeroPadding2d and zeroPadding3d: zeros around `axes` spatial axes. */
export abstract class SpatialZeroPadding extends Layer {
  /** [before, after] per spatial axis: [[top, bottom], [left, right]], with [front, back] first in 3-D. */
  readonly padding: number[][];
  /** Where the channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;
  constructor(args: LayerArgs & { padding?: Spatial2DAmounts; dataFormat?: DataFormat }, axes: number) {
    super(args);
    this.padding = amounts(this.name, 'padding', args.padding ?? 1, axes);
    this.dataFormat = checkDataFormat(this.name, args.dataFormat, true);
    this.inputSpec = new InputSpec({ ndim: axes + 2 });
  }
  override call(x: Tensor): Tensor {
    // Channels-first pads the axes after the channels: one pad, no transposes.
    const spatial = this.padding.map(([a, b]) => [a, b]);
    return pad(x, this.dataFormat === 'channelsFirst' ? [[0, 0], [0, 0], ...spatial] : [[0, 0], ...spatial, [0, 0]]);
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const grow = (d: number | null, [a, b]: number[]) => (d === null ? null : d + a + b);
    return shapeInChannelsLast(this.dataFormat, s, (sl) => [sl[0], ...this.padding.map((p, i) => grow(sl[i + 1], p)), sl[this.padding.length + 1]]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: this.dataFormat };
  }
}

/** Adds rows and columns of zeros around images. */
export class ZeroPadding2D extends SpatialZeroPadding {
  static override className = 'ZeroPadding2D';
  constructor(args: ZeroPadding2DArgs = {}) {
    args = layerOptions(ZeroPadding2D, new.target, args);
    super(args, 2);
  }
}

/** @internal Crops [before, after] per spatial axis. */
export function crop(layer: Layer<any>, x: Tensor, amounts: number[][]): Tensor {
  const size = croppedShape(layer, x.shape, amounts).map((d, i) => (i === 0 || i === x.rank - 1 ? -1 : d)) as number[];
  return slice(x, [0, ...amounts.map((a) => a[0]), 0], size);
}

/** @internal The shape after cropping; throws when nothing would be left. */
export function croppedShape(layer: Layer<any>, s: SymbolicShape, amounts: number[][]): SymbolicShape {
  return s.map((d, i) => {
    if (i === 0 || i === s.length - 1 || d === null) return d;
    const left = d - amounts[i - 1][0] - amounts[i - 1][1];
    if (left <= 0) throw new Error(`${layer.name}: cropping ${JSON.stringify(amounts)} leaves nothing of an input of shape ${formatShape(s)}`);
    return left;
  });
}

/** Options of cropping1d. */
export interface Cropping1DArgs extends LayerArgs {
  /** Steps removed from the start and the end: one number for both, or [start, end]. Default [1, 1]. */
  cropping?: number | number[];
}

/** Removes steps from the start and end of sequences. */
export class Cropping1D extends Layer {
  static override className = 'Cropping1D';
  /** What is removed at the start and end of each spatial axis. */
  readonly cropping: number[];
  constructor(args: Cropping1DArgs = {}) {
    args = layerOptions(Cropping1D, new.target, args);
    super(args);
    this.cropping = normalizeTuple(this.name, 'cropping', args.cropping ?? 1, 2, true);
    this.inputSpec = new InputSpec({ ndim: 3 });
  }
  override call(x: Tensor): Tensor {
    return crop(this, x, [this.cropping]);
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return croppedShape(this, s, [this.cropping]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: [...this.cropping] };
  }
}

/** Options of cropping2d. */
export interface Cropping2DArgs extends LayerArgs {
  /** One number, [rows, cols] (symmetric) or [[top, bottom], [left, right]]. Default 0. */
  cropping?: Spatial2DAmounts;
  /** 'channelsLast' or 'channelsFirst'; default config.imageDataFormat(), resolved when the layer is made. */
  dataFormat?: DataFormat;
}

/** @internal The base of cropping2d and cropping3d: borders removed along `axes` spatial axes. */
export abstract class SpatialCropping extends Layer {
  /** [before, after] per spatial axis: [[top, bottom], [left, right]], with [front, back] first in 3-D. */
  readonly cropping: number[][];
  /** Where the channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;
  /** `fallback`: the cropping when none is given (Keras: 0 in 2-D, 1 in 3-D). */
  constructor(args: LayerArgs & { cropping?: Spatial2DAmounts; dataFormat?: DataFormat }, axes: number, fallback: number) {
    super(args);
    this.cropping = amounts(this.name, 'cropping', args.cropping ?? fallback, axes);
    this.dataFormat = checkDataFormat(this.name, args.dataFormat, true);
    this.inputSpec = new InputSpec({ ndim: axes + 2 });
  }
  override call(x: Tensor): Tensor {
    return inChannelsLast(this.dataFormat, x, (xl) => crop(this, xl, this.cropping));
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return shapeInChannelsLast(this.dataFormat, s, (sl) => croppedShape(this, sl, this.cropping));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping.map((c) => [...c]), dataFormat: this.dataFormat };
  }
}

/** Removes rows and columns at the borders of images. */
export class Cropping2D extends SpatialCropping {
  static override className = 'Cropping2D';
  constructor(args: Cropping2DArgs = {}) {
    args = layerOptions(Cropping2D, new.target, args);
    super(args, 2, 0);
  }
}
