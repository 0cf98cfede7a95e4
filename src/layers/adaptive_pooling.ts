// Adaptive pooling layers (Keras 3's AdaptiveAveragePooling1D/2D/3D and
// AdaptiveMaxPooling1D/2D/3D): pool each spatial axis to a fixed output size, with
// PyTorch's bins (see ops/adaptive_pool.ts).
import { adaptiveAveragePool, adaptiveMaxPool, type AdaptivePoolDataFormat } from '../ops/adaptive_pool';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { InputSpec } from './input_spec';
import { Layer, type LayerArgs } from './layer';
import { layerOptions } from './layer_options';
import type { SymbolicShape } from './symbolic_tensor';
import { imageDataFormat } from '../config/settings';
import { everyEntry } from '../options/every_entry';

/** Options of the adaptive pooling layers. */
export interface AdaptivePoolingArgs extends LayerArgs {
  /** The output length of every spatial axis, or one per axis (required). */
  outputSize?: number | number[];
  /** 'channelsLast' ([batch, ..., channels]) or 'channelsFirst'; default config.imageDataFormat(). */
  dataFormat?: AdaptivePoolDataFormat | 'channels_last' | 'channels_first';
}

/** The base of the adaptive pooling layers: `rank` spatial axes pooled by `pool`. */
export abstract class AdaptivePooling extends Layer {
  /** The output length of each spatial axis. */
  readonly outputSize: number[];
  /** Where the channels are. */
  readonly dataFormat: AdaptivePoolDataFormat;

  constructor(
    args: AdaptivePoolingArgs,
    private readonly rank: number,
    private readonly pool: typeof adaptiveAveragePool,
  ) {
    args = layerOptions(AdaptivePooling, new.target, args);
    super(args);
    const size = args.outputSize;
    const sizes = typeof size === 'number' ? new Array<number>(rank).fill(size) : size;
    if (!Array.isArray(sizes) || sizes.length !== rank || !everyEntry(sizes, (s) => Number.isInteger(s) && s >= 1))
      throw new Error(`${this.name}: expected outputSize to be a positive integer or ${rank} positive integers, got ${describe(size)}`);
    this.outputSize = [...sizes];
    const format = args.dataFormat ?? imageDataFormat();
    if (format === 'channelsLast' || format === 'channels_last') this.dataFormat = 'channelsLast';
    else if (format === 'channelsFirst' || format === 'channels_first') this.dataFormat = 'channelsFirst';
    else throw new Error(`${this.name}: expected dataFormat 'channelsLast' or 'channelsFirst', got ${describe(format)}`);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  override call(x: Tensor): Tensor {
    return this.pool(x, this.outputSize, this.dataFormat);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const first = this.dataFormat === 'channelsLast' ? 1 : 2;
    return s.map((d, i) => (i >= first && i < first + this.rank ? this.outputSize[i - first] : d));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), outputSize: this.outputSize, dataFormat: this.dataFormat };
  }
}

/** Average pooling of [batch, steps, channels] to outputSize steps. */
export class AdaptiveAveragePooling1D extends AdaptivePooling {
  static override className = 'AdaptiveAveragePooling1D';
  constructor(args: AdaptivePoolingArgs = {}) {
    args = layerOptions(AdaptiveAveragePooling1D, new.target, args);
    super(args, 1, adaptiveAveragePool);
  }
}

/** Average pooling of [batch, height, width, channels] to outputSize pixels. */
export class AdaptiveAveragePooling2D extends AdaptivePooling {
  static override className = 'AdaptiveAveragePooling2D';
  constructor(args: AdaptivePoolingArgs = {}) {
    args = layerOptions(AdaptiveAveragePooling2D, new.target, args);
    super(args, 2, adaptiveAveragePool);
  }
}

/** Average pooling of [batch, depth, height, width, channels] to outputSize voxels. */
export class AdaptiveAveragePooling3D extends AdaptivePooling {
  static override className = 'AdaptiveAveragePooling3D';
  constructor(args: AdaptivePoolingArgs = {}) {
    args = layerOptions(AdaptiveAveragePooling3D, new.target, args);
    super(args, 3, adaptiveAveragePool);
  }
}

/** Max pooling of [batch, steps, channels] to outputSize steps. */
export class AdaptiveMaxPooling1D extends AdaptivePooling {
  static override className = 'AdaptiveMaxPooling1D';
  constructor(args: AdaptivePoolingArgs = {}) {
    args = layerOptions(AdaptiveMaxPooling1D, new.target, args);
    super(args, 1, adaptiveMaxPool);
  }
}

/** Max pooling of [batch, height, width, channels] to outputSize pixels. */
export class AdaptiveMaxPooling2D extends AdaptivePooling {
  static override className = 'AdaptiveMaxPooling2D';
  constructor(args: AdaptivePoolingArgs = {}) {
    args = layerOptions(AdaptiveMaxPooling2D, new.target, args);
    super(args, 2, adaptiveMaxPool);
  }
}

/** Max pooling of [batch, depth, height, width, channels] to outputSize voxels. */
export class AdaptiveMaxPooling3D extends AdaptivePooling {
  static override className = 'AdaptiveMaxPooling3D';
  constructor(args: AdaptivePoolingArgs = {}) {
    args = layerOptions(AdaptiveMaxPooling3D, new.target, args);
    super(args, 3, adaptiveMaxPool);
  }
}

/** The adaptive pooling classes, for the layer registry. */
export const ADAPTIVE_POOLING_LAYERS = [
  AdaptiveAveragePooling1D,
  AdaptiveAveragePooling2D,
  AdaptiveAveragePooling3D,
  AdaptiveMaxPooling1D,
  AdaptiveMaxPooling2D,
  AdaptiveMaxPooling3D,
];
