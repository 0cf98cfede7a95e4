// The 3-D forms of the spatial reshaping layers, over [batch, depth, height, width,
// channels] (or channels first): upSampling3d (nearest), zeroPadding3d and cropping3d.
import type { Tensor } from '../tensor/tensor';
import { checkDataFormat, inChannelsLast, normalizeTuple, shapeInChannelsLast, type DataFormat } from './conv_utils';
import { InputSpec } from './input_spec';
import { Layer, type LayerArgs } from './layer';
import { layerOptions } from './layer_options';
import { repeatAxes, SpatialCropping, SpatialZeroPadding, times } from './spatial_reshaping';
import type { SymbolicShape } from './symbolic_tensor';

/** Amounts per spatial axis of zeroPadding3d and cropping3d: one number, [depth, rows, cols], or [[front, back], [top, bottom], [left, right]]. */
export type Spatial3DAmounts = number | number[] | number[][];

/** Options of upSampling3d. */
export interface UpSampling3DArgs extends LayerArgs {
  /** Factors for depth, rows and columns. Default [2, 2, 2]. */
  size?: number | number[];
  /** 'channelsLast' or 'channelsFirst'; default config.imageDataFormat(), resolved when the layer is made. */
  dataFormat?: DataFormat;
}

/** Repeats each voxel: [batch, d, h, w, c] -> [batch, d * sd, h * sh, w * sw, c]. */
export class UpSampling3D extends Layer {
  static override className = 'UpSampling3D';
  /** The upsampling factors. */
  readonly size: number[];
  /** Where the channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;
  constructor(args: UpSampling3DArgs = {}) {
    args = layerOptions(UpSampling3D, new.target, args);
    super(args);
    this.size = normalizeTuple(this.name, 'size', args.size ?? 2, 3);
    this.dataFormat = checkDataFormat(this.name, args.dataFormat, true);
    this.inputSpec = new InputSpec({ ndim: 5 });
  }
  override call(x: Tensor): Tensor {
    return inChannelsLast(this.dataFormat, x, (xl) => repeatAxes(xl, this.size));
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return shapeInChannelsLast(this.dataFormat, s, (sl) => [sl[0], ...this.size.map((k, i) => times(sl[i + 1], k)), sl[4]]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], dataFormat: this.dataFormat };
  }
}

/** Options of zeroPadding3d. */
export interface ZeroPadding3DArgs extends LayerArgs {
  /** One number, [depth, rows, cols] (symmetric) or [[front, back], [top, bottom], [left, right]]. Default 1. */
  padding?: Spatial3DAmounts;
  /** 'channelsLast' or 'channelsFirst'; default config.imageDataFormat(), resolved when the layer is made. */
  dataFormat?: DataFormat;
}

/** Adds zeros around volumes along depth, rows and columns. */
export class ZeroPadding3D extends SpatialZeroPadding {
  static override className = 'ZeroPadding3D';
  constructor(args: ZeroPadding3DArgs = {}) {
    args = layerOptions(ZeroPadding3D, new.target, args);
    super(args, 3);
  }
}

/** Options of cropping3d. */
export interface Cropping3DArgs extends LayerArgs {
  /** One number, [depth, rows, cols] (symmetric) or [[front, back], [top, bottom], [left, right]]. Default 1, as Keras. */
  cropping?: Spatial3DAmounts;
  /** 'channelsLast' or 'channelsFirst'; default config.imageDataFormat(), resolved when the layer is made. */
  dataFormat?: DataFormat;
}

/** Removes slices at the borders of volumes along depth, rows and columns. */
export class Cropping3D extends SpatialCropping {
  static override className = 'Cropping3D';
  constructor(args: Cropping3DArgs = {}) {
    args = layerOptions(Cropping3D, new.target, args);
    super(args, 3, 1);
  }
}
