// Pooling layers: max and average over windows (1-D, 2-D and 3-D), and global max and
// average over every step, pixel or voxel (globalAveragePooling1d skips masked steps).
// Channels-first window pooling runs the channels-last kernels between two transposes.
import { div, mul } from '../ops/binary';
import { cast } from '../ops/cast';
import type { PaddingMode } from '../ops/padding';
import { avgPool1d, avgPool2d, maxPool1d, maxPool2d } from '../ops/pooling';
import { avgPool3d, maxPool3d } from '../ops/pooling3d';
import { max, mean, sum } from '../ops/reduce';
import { expandDims } from '../ops/reshape';
import type { Tensor } from '../tensor/tensor';
import {
  asTriple,
  checkDataFormat,
  checkPadding,
  checkSpatialRank,
  convOutputLength,
  normalizeTuple,
  inChannelsLast,
  shapeInChannelsLast,
  widthOnly,
  type DataFormat,
} from './conv_utils';
import { InputSpec } from './input_spec';
import { Layer, type CallOptions, type LayerArgs, type Mask } from './layer';
import type { SymbolicShape } from './symbolic_tensor';
import { layerOptions } from './layer_options';

/** Options of the window pooling layers. */
export interface PoolingArgs extends LayerArgs {
  /** The window: one size for every spatial axis, or one per axis. Default 2. */
  poolSize?: number | number[];
  /** Default: the pool size. */
  strides?: number | number[] | null;
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
  /**
   * 'channelsLast' ([batch, ..., channels]) or 'channelsFirst' ([batch, channels, ...]); default
   * config.imageDataFormat(), resolved when the layer is made.
   */
  dataFormat?: DataFormat;
}

/** The base of max and average pooling over windows. */
export abstract class Pooling extends Layer {
  /** The window size per spatial axis. */
  readonly poolSize: number[];
  /** The step of the window per spatial axis. */
  readonly strides: number[];
  /** 'valid', 'same' (or 'causal' for conv1d). */
  readonly padding: PaddingMode;
  /** Where the channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;

  constructor(
    args: PoolingArgs,
    private readonly rank: number,
    private readonly kind: 'max' | 'avg',
  ) {
    checkSpatialRank(new.target.name, rank, 'maxPooling1d / 2d / 3d or averagePooling1d / 2d / 3d');
    args = layerOptions(Pooling, new.target, args);
    super(args);
    this.poolSize = normalizeTuple(this.name, 'poolSize', args.poolSize ?? 2, rank);
    this.strides = normalizeTuple(this.name, 'strides', args.strides ?? this.poolSize, rank);
    this.padding = checkPadding(this.name, args.padding ?? 'valid', ['valid', 'same']);
    this.dataFormat = checkDataFormat(this.name, args.dataFormat, true);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  override call(x: Tensor): Tensor {
    return inChannelsLast(this.dataFormat, x, (xl) => this.channelsLastCall(xl));
  }

  private channelsLastCall(x: Tensor): Tensor {
    const padding = this.padding as 'valid' | 'same';
    if (this.rank === 1) return (this.kind === 'max' ? maxPool1d : avgPool1d)(x, this.poolSize[0], { strides: this.strides[0], padding });
    if (this.rank === 3) return (this.kind === 'max' ? maxPool3d : avgPool3d)(x, asTriple(this.poolSize), { strides: asTriple(this.strides), padding });
    return (this.kind === 'max' ? maxPool2d : avgPool2d)(x, widthOnly(this.poolSize), { strides: widthOnly(this.strides), padding });
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return shapeInChannelsLast(this.dataFormat, s, (sl) => [
      sl[0],
      ...sl.slice(1, -1).map((n, i) => convOutputLength(this.name, n, this.poolSize[i], this.strides[i], 1, this.padding)),
      sl[sl.length - 1],
    ]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding, dataFormat: this.dataFormat };
  }
}

/** Max over windows of [batch, steps, channels]. */
export class MaxPooling1D extends Pooling {
  static override className = 'MaxPooling1D';
  constructor(args: PoolingArgs = {}) {
    args = layerOptions(MaxPooling1D, new.target, args);
    super(args, 1, 'max');
  }
}

/** Max over windows of [batch, height, width, channels]. */
export class MaxPooling2D extends Pooling {
  static override className = 'MaxPooling2D';
  constructor(args: PoolingArgs = {}) {
    args = layerOptions(MaxPooling2D, new.target, args);
    super(args, 2, 'max');
  }
}

/** Mean over windows of [batch, steps, channels]. */
export class AveragePooling1D extends Pooling {
  static override className = 'AveragePooling1D';
  constructor(args: PoolingArgs = {}) {
    args = layerOptions(AveragePooling1D, new.target, args);
    super(args, 1, 'avg');
  }
}

/** Mean over windows of [batch, height, width, channels] ('same' divides by the taps inside). */
export class AveragePooling2D extends Pooling {
  static override className = 'AveragePooling2D';
  constructor(args: PoolingArgs = {}) {
    args = layerOptions(AveragePooling2D, new.target, args);
    super(args, 2, 'avg');
  }
}

/** Max over windows of [batch, depth, height, width, channels]. */
export class MaxPooling3D extends Pooling {
  static override className = 'MaxPooling3D';
  constructor(args: PoolingArgs = {}) {
    args = layerOptions(MaxPooling3D, new.target, args);
    super(args, 3, 'max');
  }
}

/** Mean over windows of [batch, depth, height, width, channels] ('same' divides by the taps inside). */
export class AveragePooling3D extends Pooling {
  static override className = 'AveragePooling3D';
  constructor(args: PoolingArgs = {}) {
    args = layerOptions(AveragePooling3D, new.target, args);
    super(args, 3, 'avg');
  }
}

/** Options of the global pooling layers. */
export interface GlobalPoolingArgs extends LayerArgs {
  /**
   * 'channelsLast' ([batch, ..., channels]) or 'channelsFirst' ([batch, channels, ...]); default
   * config.imageDataFormat(), resolved when the layer is made.
   */
  dataFormat?: DataFormat;
  /** Keep the pooled axes with size 1. Default false. */
  keepdims?: boolean;
}

/** The base of global pooling: one value per channel over all steps, pixels or voxels. */
export abstract class GlobalPooling extends Layer {
  /** Where the channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;
  /** Whether the pooled axes stay with size 1. */
  readonly keepdims: boolean;
  protected readonly axes: number[];

  constructor(
    args: GlobalPoolingArgs,
    rank: number,
    private readonly reduce: typeof mean,
  ) {
    checkSpatialRank(new.target.name, rank, 'globalAveragePooling1d / 2d / 3d or globalMaxPooling1d / 2d / 3d');
    args = layerOptions(GlobalPooling, new.target, args);
    super(args);
    this.dataFormat = checkDataFormat(this.name, args.dataFormat, true);
    this.keepdims = args.keepdims ?? false;
    // The spatial axes: after the batch, and after the channels too when they come first.
    const offset = this.dataFormat === 'channelsFirst' ? 2 : 1;
    this.axes = Array.from({ length: rank }, (_, i) => i + offset);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  override call(x: Tensor, options: CallOptions): Tensor {
    void options;
    return this.reduce(x, this.axes, this.keepdims);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    if (this.keepdims) return s.map((d, i) => (this.axes.includes(i) ? 1 : d));
    return [s[0], this.dataFormat === 'channelsFirst' ? s[1] : s[s.length - 1]];
  }

  // The pooled axes are gone, and with them what a mask described.
  override computeMask(): Mask {
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}

/** Mean over steps: [batch, steps, channels] -> [batch, channels]; masked steps are left out. */
export class GlobalAveragePooling1D extends GlobalPooling {
  static override className = 'GlobalAveragePooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    args = layerOptions(GlobalAveragePooling1D, new.target, args);
    super(args, 1, mean);
  }
  override call(x: Tensor, options: CallOptions): Tensor {
    const m = Array.isArray(options.mask) ? options.mask[0] : options.mask;
    if (m === null || m === undefined) return super.call(x, options);
    // The steps are axis 1 ([batch, steps, channels]) or 2 ([batch, channels, steps]).
    const steps = this.axes[0];
    const weights = expandDims(cast(m, x.dtype), steps === 1 ? 2 : 1);
    return div(sum(mul(x, weights), steps, this.keepdims), sum(weights, steps, this.keepdims));
  }
}

/** Mean over pixels: [batch, height, width, channels] -> [batch, channels]. */
export class GlobalAveragePooling2D extends GlobalPooling {
  static override className = 'GlobalAveragePooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    args = layerOptions(GlobalAveragePooling2D, new.target, args);
    super(args, 2, mean);
  }
}

/** Max over steps: [batch, steps, channels] -> [batch, channels]. */
export class GlobalMaxPooling1D extends GlobalPooling {
  static override className = 'GlobalMaxPooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    args = layerOptions(GlobalMaxPooling1D, new.target, args);
    super(args, 1, max);
  }
}

/** Max over pixels: [batch, height, width, channels] -> [batch, channels]. */
export class GlobalMaxPooling2D extends GlobalPooling {
  static override className = 'GlobalMaxPooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    args = layerOptions(GlobalMaxPooling2D, new.target, args);
    super(args, 2, max);
  }
}

/** Mean over voxels: [batch, depth, height, width, channels] -> [batch, channels]. */
export class GlobalAveragePooling3D extends GlobalPooling {
  static override className = 'GlobalAveragePooling3D';
  constructor(args: GlobalPoolingArgs = {}) {
    args = layerOptions(GlobalAveragePooling3D, new.target, args);
    super(args, 3, mean);
  }
}

/** Max over voxels: [batch, depth, height, width, channels] -> [batch, channels]. */
export class GlobalMaxPooling3D extends GlobalPooling {
  static override className = 'GlobalMaxPooling3D';
  constructor(args: GlobalPoolingArgs = {}) {
    args = layerOptions(GlobalMaxPooling3D, new.target, args);
    super(args, 3, max);
  }
}
