// groupNormalization, rmsNormalization and unitNormalization with Keras 3 semantics.
import { add, mul, sub } from '../ops/binary';
import { l2Normalize } from '../ops/clip';
import { moments } from '../ops/moments';
import { mean } from '../ops/reduce';
import { reshape } from '../ops/reshape';
import { rsqrt, square } from '../ops/unary';
import { describe, normalizeAxis } from '../tensor/shape';
import type { Tensor, Variable } from '../tensor/tensor';
import type { ConstraintIdentifier } from '../constraints';
import type { InitializerIdentifier } from '../initializers';
import type { RegularizerIdentifier } from '../regularizers';
import { InputSpec } from './input_spec';
import { Layer, type LayerArgs } from './layer';
import { AffineNormalization, type AffineArgs } from './normalization';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { WeightSettings, checkAxisOption, checkPositiveInt } from './weight_settings';
import { layerOptions } from './layer_options';

/** Options of groupNormalization. */
export interface GroupNormalizationArgs extends AffineArgs {
  /** Number of channel groups; must divide the channels. Default 32. */
  groups?: number;
  /** The channels axis. Default -1. */
  axis?: number;
}

/** Group normalization (Keras 3): statistics per sample over each group of channels and all other axes. */
export class GroupNormalization extends AffineNormalization {
  static override className = 'GroupNormalization';
  /** Number of channel groups. */
  readonly groups: number;
  /** The channels axis. */
  readonly axis: number;

  constructor(args: GroupNormalizationArgs = {}) {
    args = layerOptions(GroupNormalization, new.target, args);
    super(args);
    this.groups = checkPositiveInt(this.name, 'groups', args.groups ?? 32);
    if (!Number.isInteger(args.axis ?? -1)) throw new Error(`${this.name}: expected axis to be an integer, got ${describe(args.axis)}`);
    this.axis = args.axis ?? -1;
  }

  override build(inputShape: SymbolicShape): void {
    const axis = normalizeAxis(this.name, this.axis, inputShape.length);
    const channels = inputShape[axis];
    if (channels === null) throw new Error(`${this.name}: the channels axis ${this.axis} must have a known size, got shape ${formatShape(inputShape)}`);
    if (channels % this.groups !== 0) {
      throw new Error(
        `${this.name}: expected groups (${this.groups}) to divide the number of channels, got ${channels} channels (input shape ${formatShape(inputShape)})`,
      );
    }
    this.buildAffine([channels]);
    this.inputSpec = new InputSpec({ ndim: inputShape.length, axes: { [axis]: channels } });
  }

  override call(x: Tensor): Tensor {
    const axis = normalizeAxis(this.name, this.axis, x.rank);
    const c = x.shape[axis];
    // [..., C, ...] -> [..., G, C/G, ...]: statistics over every axis but batch and group.
    const grouped = reshape(x, [...x.shape.slice(0, axis), this.groups, c / this.groups, ...x.shape.slice(axis + 1)]);
    const axes = grouped.shape.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
    const { mean: mu, variance } = moments(grouped, axes, true);
    const normalized = reshape(mul(sub(grouped, mu), rsqrt(add(variance, this.epsilon))), x.shape);
    const [gamma, beta] = this.affine([c], x.dtype);
    const along = x.shape.map((d, i) => (i === axis ? d : 1));
    return add(mul(normalized, reshape(gamma, along)), reshape(beta, along));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), groups: this.groups, axis: this.axis };
  }
}

/** Options of rmsNormalization. */
export interface RMSNormalizationArgs extends LayerArgs {
  /** The axis (or axes) normalized. Default -1. */
  axis?: number | number[];
  /** Added to the mean square. Default 1e-6. */
  epsilon?: number;
  /** Default ones. */
  scaleInitializer?: InitializerIdentifier;
  /** Penalty on the scale. */
  scaleRegularizer?: RegularizerIdentifier | null;
  /** Applied to the scale after each update. */
  scaleConstraint?: ConstraintIdentifier | null;
}

/** Root-mean-square normalization (Keras 3.9): x / sqrt(mean(x²) + epsilon) * scale. */
export class RMSNormalization extends Layer {
  static override className = 'RMSNormalization';
  /** The normalized axis (or axes). */
  readonly axis: number | number[];
  /** Added to the mean square. */
  readonly epsilon: number;
  /** The learned scale over the normalized axes; created by build. */
  scale: Variable | null = null;
  private readonly scaleSettings: WeightSettings;

  constructor(args: RMSNormalizationArgs = {}) {
    args = layerOptions(RMSNormalization, new.target, args);
    super(args);
    this.axis = checkAxisOption(this.name, args.axis);
    this.epsilon = args.epsilon ?? 1e-6;
    if (typeof this.epsilon !== 'number' || !(this.epsilon >= 0))
      throw new Error(`${this.name}: expected epsilon to be a non-negative number, got ${describe(args.epsilon)}`);
    this.scaleSettings = new WeightSettings(this.name, 'scale', args, 'ones');
    this.supportsMasking = true;
  }

  private axesFor(rank: number): number[] {
    return (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => normalizeAxis(this.name, a, rank)).sort((a, b) => a - b);
  }

  override build(inputShape: SymbolicShape): void {
    const axes = this.axesFor(inputShape.length);
    const dims = axes.map((a) => inputShape[a]);
    if (dims.some((d) => d === null)) throw new Error(`${this.name}: the normalized axes must have known sizes, got shape ${formatShape(inputShape)}`);
    this.scale = this.scaleSettings.create(this, 'scale', dims as number[]);
  }

  override call(x: Tensor): Tensor {
    const axes = this.axesFor(x.rank);
    const normalized = mul(x, rsqrt(add(mean(square(x), axes, true), this.epsilon)));
    return mul(
      normalized,
      reshape(
        this.scale!,
        x.shape.map((d, i) => (axes.includes(i) ? d : 1)),
      ),
    );
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, epsilon: this.epsilon, ...this.scaleSettings.config() };
  }
}

/** Options of unitNormalization. */
export interface UnitNormalizationArgs extends LayerArgs {
  /** The axis (or axes) to normalize. Default -1. */
  axis?: number | number[];
}

/** Scales each vector along `axis` to unit L2 norm (Keras 3's UnitNormalization). */
export class UnitNormalization extends Layer {
  static override className = 'UnitNormalization';
  /** The normalized axis (or axes). */
  readonly axis: number | number[];

  constructor(args: UnitNormalizationArgs = {}) {
    args = layerOptions(UnitNormalization, new.target, args);
    super(args);
    this.axis = checkAxisOption(this.name, args.axis);
    this.supportsMasking = true;
  }

  override call(x: Tensor): Tensor {
    return l2Normalize(x, this.axis, 1e-12);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
