// Activation layers with options (Keras's advanced activations): reLU (maxValue,
// negativeSlope, threshold), leakyReLU, eLU, softmax (axis, mask) and pReLU (a learned slope).
import { minimum, mul, sub } from '../ops/binary';
import { largeNegative } from '../ops/attention';
import { cast } from '../ops/cast';
import { greater, where } from '../ops/compare';
import { logSumExp, softmax } from '../ops/softmax';
import { elu, exp, leakyRelu, relu } from '../ops/unary';
import type { Tensor, Variable } from '../tensor/tensor';
import type { ConstraintIdentifier } from '../constraints';
import type { InitializerIdentifier } from '../initializers';
import type { RegularizerIdentifier } from '../regularizers';
import { InputSpec } from './input_spec';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { WeightSettings, checkAxisOption } from './weight_settings';
import { describe } from '../tensor/shape';
import { layerOptions } from './layer_options';
import { everyEntry } from '../options/every_entry';

// Elementwise activations keep the shape and pass masks on.
abstract class ActivationLayer extends Layer {
  constructor(args: LayerArgs) {
    super(args);
    this.supportsMasking = true;
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}

function checkNumber(op: string, what: string, v: unknown, min = -Infinity): number {
  if (typeof v !== 'number' || Number.isNaN(v) || v < min)
    throw new Error(`${op}: expected ${what} to be a number${min > -Infinity ? ` >= ${min}` : ''}, got ${describe(v)}`);
  return v;
}

/** Options of reLU. */
export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output (default none). */
  maxValue?: number | null;
  /** Slope below the threshold. Default 0. */
  negativeSlope?: number;
  /** Inputs at or below it give (x - threshold) * negativeSlope. Default 0. */
  threshold?: number;
}

/** Rectified linear unit with Keras's options: min(max(x, 0), maxValue), leaky below the threshold. */
export class ReLU extends ActivationLayer {
  static override className = 'ReLU';
  /** Upper bound of the output (null: none). */
  readonly maxValue: number | null;
  /** Slope below the threshold (or zero). */
  readonly negativeSlope: number;
  /** Where the linear part starts. */
  readonly threshold: number;
  constructor(args: ReLUArgs = {}) {
    args = layerOptions(ReLU, new.target, args);
    super(args);
    this.maxValue = args.maxValue === undefined || args.maxValue === null ? null : checkNumber(this.name, 'maxValue', args.maxValue, 0);
    this.negativeSlope = checkNumber(this.name, 'negativeSlope', args.negativeSlope ?? 0, 0);
    this.threshold = checkNumber(this.name, 'threshold', args.threshold ?? 0);
  }
  override call(x: Tensor): Tensor {
    // Keras's relu: x where x > threshold, else 0; clipped at maxValue; minus slope * (threshold - x) below.
    let y = this.threshold === 0 ? relu(x) : mul(x, cast(greater(x, this.threshold), x.dtype));
    if (this.maxValue !== null) y = minimum(y, this.maxValue);
    if (this.negativeSlope !== 0) y = sub(y, mul(relu(sub(this.threshold, x)), this.negativeSlope));
    return y;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}

/** Options of leakyReLU. */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0. Default 0.3 (Keras 3). */
  negativeSlope?: number;
  /** TensorFlow.js's and Keras 2's name for negativeSlope. */
  alpha?: number;
}

/** x for x >= 0, negativeSlope * x below. */
export class LeakyReLU extends ActivationLayer {
  static override className = 'LeakyReLU';
  /** Slope below the threshold (or zero). */
  readonly negativeSlope: number;
  constructor(args: LeakyReLUArgs = {}) {
    args = layerOptions(LeakyReLU, new.target, args);
    super(args);
    if (args.alpha !== undefined && args.negativeSlope !== undefined && args.alpha !== args.negativeSlope) {
      throw new Error(`${this.name}: alpha and negativeSlope are one option and disagree (${args.alpha} and ${args.negativeSlope})`);
    }
    this.negativeSlope = checkNumber(this.name, 'negativeSlope', args.negativeSlope ?? args.alpha ?? 0.3, 0);
  }
  override call(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}

/** Options of eLU. */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part. Default 1. */
  alpha?: number;
}

/** Exponential linear unit: x for x > 0, alpha (exp(x) - 1) below. */
export class ELU extends ActivationLayer {
  static override className = 'ELU';
  /** Scale of the negative part. */
  readonly alpha: number;
  constructor(args: ELUArgs = {}) {
    args = layerOptions(ELU, new.target, args);
    super(args);
    this.alpha = checkNumber(this.name, 'alpha', args.alpha ?? 1);
  }
  override call(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Options of softmax. */
export interface SoftmaxArgs extends LayerArgs {
  /** The axis (or axes) normalized over. Default -1. */
  axis?: number | number[];
}

/**
 * Softmax over `axis`. With a mask (broadcastable to the input; kept where true, or > 0.5 if numeric), masked
 * positions get probability 0, as Keras 3 does for attention scores.
 */
export class Softmax extends ActivationLayer {
  static override className = 'Softmax';
  /** The axis (or axes) the layer works over. */
  readonly axis: number | number[];
  constructor(args: SoftmaxArgs = {}) {
    args = layerOptions(Softmax, new.target, args);
    super(args);
    this.axis = checkAxisOption(this.name, args.axis);
  }
  override call(x: Tensor, { mask }: CallOptions): Tensor {
    const m = Array.isArray(mask) ? mask[0] : mask;
    const keep = m === null || m === undefined ? null : this.keepMask(x, m);
    // As Keras: masked logits become a large negative number (replaced, not added to).
    const logits = keep === null ? x : where(keep, x, largeNegative(x.dtype));
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    const y = axes.length === 1 ? softmax(logits, axes[0]) : exp(sub(logits, logSumExp(logits, axes, true)));
    // Zeroed afterwards too, so a fully masked axis gives zeros, not a uniform distribution.
    return keep === null ? y : where(keep, y, 0);
  }
  // Keras keeps the positions where a bool mask is true or a numeric mask is > 0.5; the mask
  // broadcasts to the input without growing it (a larger mask would silently grow the output).
  private keepMask(x: Tensor, mask: Tensor): Tensor {
    const bad =
      mask.rank > x.rank ||
      mask.shape.some((d, i) => {
        const xd = x.shape[x.rank - mask.rank + i];
        return d !== 1 && d !== xd;
      });
    if (bad)
      throw new Error(
        `${this.name}: expected a mask broadcastable to the input shape ${formatShape(x.shape)} (each axis 1 or the input's size, no extra axes), got mask shape ${formatShape(mask.shape)}`,
      );
    return mask.dtype === 'bool' ? mask : greater(mask, 0.5);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}

/** Options of pReLU. */
export interface PReLUArgs extends LayerArgs {
  /** Default zeros. */
  alphaInitializer?: InitializerIdentifier;
  /** Penalty on alpha. */
  alphaRegularizer?: RegularizerIdentifier | null;
  /** Applied to alpha after each update. */
  alphaConstraint?: ConstraintIdentifier | null;
  /** Axes (1-based, batch excluded, as Keras) along which one slope is shared, e.g. [1, 2] for images. */
  sharedAxes?: number[] | number | null;
}

/** Parametric ReLU: x for x >= 0, alpha * x below, with alpha learned per element (or shared along sharedAxes). */
export class PReLU extends ActivationLayer {
  static override className = 'PReLU';
  /** 1-based axes sharing one slope. */
  readonly sharedAxes: number[] | null;
  /** The learned slopes, shaped like an example (1 along sharedAxes); created by build. */
  alpha: Variable | null = null;
  private readonly alphaSettings: WeightSettings;
  constructor(args: PReLUArgs = {}) {
    args = layerOptions(PReLU, new.target, args);
    super(args);
    const shared = args.sharedAxes ?? null;
    const list = shared === null ? null : Array.isArray(shared) ? shared : [shared];
    if (list !== null && !everyEntry(list, (a) => Number.isInteger(a) && a >= 1))
      throw new Error(`${this.name}: expected sharedAxes to be 1-based axes (batch excluded), got ${describe(shared)}`);
    this.sharedAxes = list;
    this.alphaSettings = new WeightSettings(this.name, 'alpha', args, 'zeros');
  }
  override build(inputShape: SymbolicShape): void {
    const shape = inputShape.slice(1).map((d, i) => (this.sharedAxes?.includes(i + 1) ? 1 : d));
    if (shape.some((d) => d === null))
      throw new Error(`${this.name}: every axis not in sharedAxes must have a known size, got input shape ${formatShape(inputShape)}`);
    this.alpha = this.alphaSettings.create(this, 'alpha', shape as number[]);
    const axes: Record<number, number> = {};
    inputShape.forEach((d, i) => {
      if (i > 0 && d !== null && !this.sharedAxes?.includes(i)) axes[i] = d;
    });
    this.inputSpec = new InputSpec({ ndim: inputShape.length, axes });
  }
  override call(x: Tensor): Tensor {
    // relu(x) - alpha * relu(-x), as Keras writes it.
    return sub(relu(x), mul(this.alpha!, relu(mul(x, -1))));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), sharedAxes: this.sharedAxes && [...this.sharedAxes], ...this.alphaSettings.config() };
  }
}
