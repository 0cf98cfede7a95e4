// Regularization by noise, active in training only (identity in inference):
// spatialDropout1d/2d/3d (whole channels dropped), gaussianNoise (additive),
// gaussianDropout (multiplicative) and alphaDropout (keeps SELU's mean and variance).
import { add, mul } from '../ops/binary';
import { cast } from '../ops/cast';
import { greaterEqual } from '../ops/compare';
import { randomNormal, randomUniform } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';
import { checkDataFormat, type DataFormat } from './conv_utils';
import { InputSpec } from './input_spec';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { Dropout } from './regularization';
import { SeedSequence } from './seeds';
import type { SymbolicShape } from './symbolic_tensor';
import { describe } from '../tensor/shape';
import { layerOptions } from './layer_options';

/** Options of spatialDropout1d, spatialDropout2d and spatialDropout3d. */
export interface SpatialDropoutArgs extends LayerArgs {
  /** Fraction of the channels to drop, in [0, 1). */
  rate: number;
  /** Makes the sequence of masks repeatable. */
  seed?: number | null;
  /** 'channelsLast' or 'channelsFirst'; default config.imageDataFormat(), resolved when the layer is made. */
  dataFormat?: DataFormat;
}

/** Dropout of whole channels: one mask value per example and channel, shared over steps or pixels. */
export abstract class SpatialDropout extends Dropout {
  /** Where the channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;
  constructor(args: SpatialDropoutArgs, rank: number) {
    args = layerOptions(SpatialDropout, new.target, args);
    super({ ...args, noiseShape: null });
    this.dataFormat = checkDataFormat(this.name, args.dataFormat, true);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }
  protected override noiseShapeOf(x: Tensor): number[] {
    const channels = this.dataFormat === 'channelsFirst' ? 1 : x.rank - 1;
    return x.shape.map((d, i) => (i === 0 || i === channels ? d : 1));
  }
  override getConfig(): Record<string, unknown> {
    const { noiseShape, ...config } = super.getConfig();
    void noiseShape;
    return { ...config, dataFormat: this.dataFormat };
  }
}

/** Drops whole channels of [batch, steps, channels] (noise shape [batch, 1, channels]). */
export class SpatialDropout1D extends SpatialDropout {
  static override className = 'SpatialDropout1D';
  constructor(args: SpatialDropoutArgs) {
    args = layerOptions(SpatialDropout1D, new.target, args);
    super(args, 1);
  }
}

/** Drops whole channels of [batch, height, width, channels] (noise shape [batch, 1, 1, channels]). */
export class SpatialDropout2D extends SpatialDropout {
  static override className = 'SpatialDropout2D';
  constructor(args: SpatialDropoutArgs) {
    args = layerOptions(SpatialDropout2D, new.target, args);
    super(args, 2);
  }
}

/** Drops whole channels of [batch, depth, height, width, channels] (noise shape [batch, 1, 1, 1, channels]). */
export class SpatialDropout3D extends SpatialDropout {
  static override className = 'SpatialDropout3D';
  constructor(args: SpatialDropoutArgs) {
    args = layerOptions(SpatialDropout3D, new.target, args);
    super(args, 3);
  }
}

/** The base of the noise layers: one number option, a seed, identity outside training. */
abstract class NoiseLayer extends Layer {
  readonly seed: number | null;
  protected readonly seeds: SeedSequence;
  constructor(args: LayerArgs & { seed?: number | null }) {
    super(args);
    this.seed = args.seed ?? null;
    this.seeds = new SeedSequence(this.name, this.seed);
    this.supportsMasking = true;
  }
  /** The noisy x (training only). */
  protected abstract noisy(x: Tensor): Tensor;
  override call(x: Tensor, { training }: CallOptions): Tensor {
    return training ? this.noisy(x) : x;
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), seed: this.seed };
  }
}

function checkRate(op: string, rate: unknown): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`${op}: expected rate in [0, 1), got ${describe(rate)}`);
  return rate;
}

/** Options of gaussianNoise. */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the noise. */
  stddev: number;
  /** Seed of the random masks (null: the global stream). */
  seed?: number | null;
}

/** Adds zero-mean Gaussian noise in training. */
export class GaussianNoise extends NoiseLayer {
  static override className = 'GaussianNoise';
  /** Standard deviation of the noise. */
  readonly stddev: number;
  constructor(args: GaussianNoiseArgs) {
    args = layerOptions(GaussianNoise, new.target, args);
    super(args);
    if (typeof args?.stddev !== 'number' || !(args.stddev >= 0))
      throw new Error(`${this.name}: expected stddev to be a non-negative number, got ${describe(args?.stddev)}`);
    this.stddev = args.stddev;
  }
  protected noisy(x: Tensor): Tensor {
    return this.stddev === 0 ? x : add(x, randomNormal(x.shape, 0, this.stddev, x.dtype, this.seeds.next()));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}

/** Options of gaussianDropout and alphaDropout. */
export interface NoiseRateArgs extends LayerArgs {
  /** Drop probability, in [0, 1). */
  rate: number;
  /** Seed of the random masks (null: the global stream). */
  seed?: number | null;
}

/** Multiplies by Gaussian noise of mean 1 and standard deviation sqrt(rate / (1 - rate)) in training. */
export class GaussianDropout extends NoiseLayer {
  static override className = 'GaussianDropout';
  /** Drop probability. */
  readonly rate: number;
  constructor(args: NoiseRateArgs) {
    args = layerOptions(GaussianDropout, new.target, args);
    super(args);
    this.rate = checkRate(this.name, args?.rate);
  }
  protected noisy(x: Tensor): Tensor {
    if (this.rate === 0) return x;
    return mul(x, randomNormal(x.shape, 1, Math.sqrt(this.rate / (1 - this.rate)), x.dtype, this.seeds.next()));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}

// SELU's constants (Klambauer et al. 2017).
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Options of alphaDropout. */
export interface AlphaDropoutArgs extends NoiseRateArgs {
  /** The mask's shape, broadcast to the input; null entries take the input's size. */
  noiseShape?: SymbolicShape | null;
}

/**
 * Dropout for SELU networks: dropped units take SELU's negative saturation value and an
 * affine correction keeps the mean and variance (Keras's formula).
 */
export class AlphaDropout extends NoiseLayer {
  static override className = 'AlphaDropout';
  /** Drop probability. */
  readonly rate: number;
  /** Shape of the mask (null entries: the input's size). */
  readonly noiseShape: SymbolicShape | null;
  constructor(args: AlphaDropoutArgs) {
    args = layerOptions(AlphaDropout, new.target, args);
    super(args);
    this.rate = checkRate(this.name, args?.rate);
    this.noiseShape = args.noiseShape ?? null;
  }
  protected noisy(x: Tensor): Tensor {
    if (this.rate === 0) return x;
    const rate = this.rate;
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const shape = this.noiseShape?.map((d, i) => d ?? x.shape[i]) ?? x.shape;
    const kept = cast(greaterEqual(randomUniform(shape, 0, 1, x.dtype, this.seeds.next()), rate), x.dtype);
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    // Dropped units become alphaP, then the affine map a * _ + b restores mean and variance.
    const dropped = add(mul(x, kept), mul(add(mul(kept, -1), 1), alphaP));
    return add(mul(dropped, a), b);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape };
  }
}
