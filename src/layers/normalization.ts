// Normalization layers with Keras 3 semantics: batchNormalization (batch statistics in
// training, which also update the moving ones; moving statistics in inference and
// whenever the layer is frozen) and layerNormalization over any axes.
import { noGrad } from '../tensor/run';
import { isDistributed } from '../distribute/backend';
import { allReduceNumbers } from '../distribute/collectives';
import { allReduceSumWithGrad } from '../distribute/differentiable';
import { add, div, mul, sub } from '../ops/binary';
import { cast } from '../ops/cast';
import { moments } from '../ops/moments';
import { batchNormInference, batchNormTraining, layerNorm } from '../ops/normalization';
import { sum } from '../ops/reduce';
import { reshape } from '../ops/reshape';
import { broadcastTo } from '../ops/tile';
import { transpose } from '../ops/transpose';
import { rsqrt, square } from '../ops/unary';
import { ones, zeros } from '../tensor/creation';
import { normalizeAxis, describe } from '../tensor/shape';
import type { Tensor, Variable } from '../tensor/tensor';
import type { ConstraintIdentifier } from '../constraints';
import * as initializers from '../initializers';
import type { RegularizerIdentifier } from '../regularizers';
import { InputSpec } from './input_spec';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { WeightSettings, checkAxisOption } from './weight_settings';
import { layerOptions } from './layer_options';
import { checkBoolean } from '../options/check_args';

/** The scale and offset options both normalization layers take. */
export interface AffineArgs extends LayerArgs {
  /** Small constant added to the variance. Default 1e-3. */
  epsilon?: number;
  /** Learn an offset beta. Default true. */
  center?: boolean;
  /** Learn a scale gamma. Default true. */
  scale?: boolean;
  /** Default zeros. */
  betaInitializer?: initializers.InitializerIdentifier;
  /** Default ones. */
  gammaInitializer?: initializers.InitializerIdentifier;
  /** Penalty on beta. */
  betaRegularizer?: RegularizerIdentifier | null;
  /** Penalty on gamma. */
  gammaRegularizer?: RegularizerIdentifier | null;
  /** Applied to beta after each update. */
  betaConstraint?: ConstraintIdentifier | null;
  /** Applied to gamma after each update. */
  gammaConstraint?: ConstraintIdentifier | null;
}

/** @internal The gamma/beta pair of a normalization layer and their options. */
export abstract class AffineNormalization extends Layer {
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  /** The learned scale, when `scale`; created by build. */
  gamma: Variable | null = null;
  /** The learned offset, when `center`; created by build. */
  beta: Variable | null = null;
  private readonly gammaSettings: WeightSettings;
  private readonly betaSettings: WeightSettings;

  constructor(args: AffineArgs) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-3;
    if (typeof this.epsilon !== 'number' || !(this.epsilon >= 0))
      throw new Error(`${this.name}: expected epsilon to be a non-negative number, got ${describe(args.epsilon)}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.gammaSettings = new WeightSettings(this.name, 'gamma', args, 'ones');
    this.betaSettings = new WeightSettings(this.name, 'beta', args, 'zeros');
    this.supportsMasking = true;
  }

  /** Creates gamma and beta (Keras's order) of `shape`. */
  protected buildAffine(shape: number[]): void {
    if (this.scale) this.gamma = this.gammaSettings.create(this, 'gamma', shape);
    if (this.center) this.beta = this.betaSettings.create(this, 'beta', shape);
  }

  /** gamma and beta, with ones and zeros standing in for the ones not learned. */
  protected affine(shape: number[], dtype: Tensor['dtype']): [Tensor, Tensor] {
    return [this.gamma ?? ones(shape, dtype), this.beta ?? zeros(shape, dtype)];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      ...this.betaSettings.config(),
      ...this.gammaSettings.config(),
    };
  }
}

/** Options of batchNormalization. */
export interface BatchNormalizationArgs extends AffineArgs {
  /** The features axis (normalized per entry of it). Default -1. */
  axis?: number;
  /** Moving statistics: moving * momentum + batch * (1 - momentum). Default 0.99. */
  momentum?: number;
  /** Default zeros. */
  movingMeanInitializer?: initializers.InitializerIdentifier;
  /** Default ones. */
  movingVarianceInitializer?: initializers.InitializerIdentifier;
  /**
   * Keras 3: under data-parallel training (ts.distribution.DataParallel on several MPI
   * ranks), batch statistics over every rank's batch instead of this rank's. Default false.
   */
  synchronized?: boolean;
}

/**
 * Batch normalization (Keras 3): in training, normalizes with the batch's statistics and
 * updates the moving ones; in inference, and always when the layer is frozen
 * (trainable false), uses the moving statistics. With a mask, masked entries take no
 * part in the batch statistics.
 */
export class BatchNormalization extends AffineNormalization {
  static override className = 'BatchNormalization';
  /** The axis (or axes) the layer works over. */
  readonly axis: number;
  /** Weight of the old moving statistics in each update. */
  readonly momentum: number;
  /** Non-trainable; created by build. */
  movingMean: Variable | null = null;
  /** Non-trainable; created by build. */
  movingVariance: Variable | null = null;
  /** Batch statistics over all ranks' batches under data-parallel training. */
  readonly synchronized: boolean;
  private readonly movingMeanInitializer: initializers.Initializer;
  private readonly movingVarianceInitializer: initializers.Initializer;

  constructor(args: BatchNormalizationArgs = {}) {
    args = layerOptions(BatchNormalization, new.target, args);
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new Error(`${this.name}: expected axis to be an integer (one features axis), got ${describe(args.axis)}`);
    this.momentum = args.momentum ?? 0.99;
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1))
      throw new Error(`${this.name}: expected momentum in [0, 1], got ${describe(args.momentum)}`);
    this.synchronized = args.synchronized ?? false;
    if (typeof this.synchronized !== 'boolean') throw new Error(`${this.name}: expected synchronized to be a boolean, got ${describe(args.synchronized)}`);
    this.movingMeanInitializer = initializers.get(args.movingMeanInitializer ?? 'zeros', this.name);
    this.movingVarianceInitializer = initializers.get(args.movingVarianceInitializer ?? 'ones', this.name);
  }

  override build(inputShape: SymbolicShape): void {
    const axis = normalizeAxis(this.name, this.axis, inputShape.length);
    const channels = inputShape[axis];
    if (channels === null) throw new Error(`${this.name}: axis ${this.axis} of the input must have a known size, got shape ${formatShape(inputShape)}`);
    this.buildAffine([channels]);
    this.movingMean = this.addWeight('moving_mean', [channels], this.dtype, this.movingMeanInitializer, null, false);
    this.movingVariance = this.addWeight('moving_variance', [channels], this.dtype, this.movingVarianceInitializer, null, false);
    this.inputSpec = new InputSpec({ ndim: inputShape.length, axes: { [axis]: channels } });
  }

  override call(x: Tensor, { training, mask }: CallOptions): Tensor {
    const axis = normalizeAxis(this.name, this.axis, x.rank);
    const [gamma, beta] = this.affine([x.shape[axis]], x.dtype);
    const movingMean = this.movingMean!;
    const movingVariance = this.movingVariance!;
    if (!training || !this.trainable) return batchNormInference(x, gamma, beta, movingMean, movingVariance, { axis, epsilon: this.epsilon });
    const m = Array.isArray(mask) ? mask[0] : mask;
    if (m !== null && m !== undefined) return this.maskedTraining(x, m, axis, gamma, beta);
    if (this.synchronized && isDistributed()) return this.synchronizedTraining(x, axis, gamma, beta);
    const r = batchNormTraining(x, gamma, beta, movingMean, movingVariance, { axis, epsilon: this.epsilon, momentum: this.momentum });
    this.updateMoving(r.movingMean, r.movingVariance);
    return r.y;
  }

  // Keras 3's masked moments: each entry weighted by its mask, composed from ops.
  private maskedTraining(x: Tensor, mask: Tensor, axis: number, gamma: Tensor, beta: Tensor): Tensor {
    const reduce = x.shape.map((_, i) => i).filter((i) => i !== axis);
    const weights = broadcastTo(reshape(cast(mask, x.dtype), [...mask.shape, ...new Array(x.rank - mask.rank).fill(1)]), x.shape);
    const count = sum(weights, reduce, true);
    const mean = div(sum(mul(x, weights), reduce, true), count);
    const centered = sub(x, mean);
    const variance = div(sum(mul(square(centered), weights), reduce, true), count);
    const bshape = x.shape.map((d, i) => (i === axis ? d : 1));
    const y = add(mul(mul(centered, rsqrt(add(variance, this.epsilon))), reshape(gamma, bshape)), reshape(beta, bshape));
    noGrad(() => {
      const blend = (moving: Tensor, batch: Tensor) => add(mul(moving, this.momentum), mul(reshape(batch, [x.shape[axis]]), 1 - this.momentum));
      this.updateMoving(blend(this.movingMean!, mean), blend(this.movingVariance!, variance));
    });
    return y;
  }

  // Keras 3's synchronized batch statistics: the sums of x and x^2 over every rank's
  // batch (differentiable all-reduces), then the moments of the global batch.
  private synchronizedTraining(x: Tensor, axis: number, gamma: Tensor, beta: Tensor): Tensor {
    const reduce = x.shape.map((_, i) => i).filter((i) => i !== axis);
    const localCount = reduce.reduce((n, i) => n * x.shape[i], 1);
    const count = allReduceNumbers([localCount])[0];
    const mean = div(allReduceSumWithGrad(sum(x, reduce, true)), count);
    const meanOfSquares = div(allReduceSumWithGrad(sum(square(x), reduce, true)), count);
    const variance = sub(meanOfSquares, square(mean));
    const bshape = x.shape.map((d, i) => (i === axis ? d : 1));
    const y = add(mul(mul(sub(x, mean), rsqrt(add(variance, this.epsilon))), reshape(gamma, bshape)), reshape(beta, bshape));
    noGrad(() => {
      const blend = (moving: Tensor, batch: Tensor) => add(mul(moving, this.momentum), mul(reshape(batch, [x.shape[axis]]), 1 - this.momentum));
      this.updateMoving(blend(this.movingMean!, mean), blend(this.movingVariance!, variance));
    });
    return y;
  }

  // The moving statistics change outside any gradient recording.
  private updateMoving(mean: Tensor, variance: Tensor): void {
    noGrad(() => {
      this.movingMean!.assign(mean);
      this.movingVariance!.assign(variance);
    });
    mean.dispose();
    variance.dispose();
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      synchronized: this.synchronized,
      movingMeanInitializer: initializers.serialize(this.movingMeanInitializer),
      movingVarianceInitializer: initializers.serialize(this.movingVarianceInitializer),
    };
  }
}

/** Options of layerNormalization. */
export interface LayerNormalizationArgs extends AffineArgs {
  /** The axis or axes normalized over (per example). Default -1. */
  axis?: number | number[];
  /**
   * Keras 3's rms_scaling: x * gamma / sqrt(variance + epsilon), with no mean taken off x
   * and no beta (center and scale are ignored; gamma is always learned). Default false.
   */
  rmsScaling?: boolean;
}

/**
 * Layer normalization (Keras 3): each example normalized over `axis` (one or several,
 * not necessarily trailing), then scaled by gamma and offset by beta, both shaped like
 * the normalized axes.
 */
export class LayerNormalization extends AffineNormalization {
  static override className = 'LayerNormalization';
  /** The axis (or axes) the layer works over. */
  readonly axis: number | number[];
  /** Keras 3's rms_scaling: scaled by gamma over the root of the variance, not centered. */
  readonly rmsScaling: boolean;

  constructor(args: LayerNormalizationArgs = {}) {
    args = layerOptions(LayerNormalization, new.target, args);
    const { rmsScaling, ...rest } = args;
    // Keras: rms_scaling learns gamma and no beta, whatever center and scale say.
    super(rmsScaling === true ? { ...rest, center: false, scale: true } : rest);
    this.rmsScaling = checkBoolean(this.name, 'rmsScaling', rmsScaling ?? false);
    this.axis = checkAxisOption(this.name, args.axis);
  }

  /** The normalized axes of a rank-`rank` input, ascending. */
  private axesFor(rank: number): number[] {
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => normalizeAxis(this.name, a, rank));
    if (new Set(axes).size !== axes.length) throw new Error(`${this.name}: axis ${JSON.stringify(this.axis)} names an axis twice`);
    return axes.sort((a, b) => a - b);
  }

  override build(inputShape: SymbolicShape): void {
    const axes = this.axesFor(inputShape.length);
    const dims = axes.map((a) => inputShape[a]);
    if (dims.some((d) => d === null))
      throw new Error(`${this.name}: the normalized axes [${axes.join(', ')}] of the input must have known sizes, got shape ${formatShape(inputShape)}`);
    this.buildAffine(dims as number[]);
    this.inputSpec = new InputSpec({ ndim: inputShape.length, axes: Object.fromEntries(axes.map((a, i) => [a, dims[i] as number])) });
  }

  override call(x: Tensor): Tensor {
    const axes = this.axesFor(x.rank);
    const [gamma, beta] = this.affine(
      axes.map((a) => x.shape[a]),
      x.dtype,
    );
    if (this.rmsScaling) return this.rmsScaled(x, axes, gamma);
    const first = x.rank - axes.length;
    if (axes.every((a, i) => a === first + i)) return layerNorm(x, gamma, beta, this.epsilon);
    // The op normalizes trailing axes: move the normalized ones to the end and back.
    const perm = [...x.shape.map((_, i) => i).filter((i) => !axes.includes(i)), ...axes];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return transpose(layerNorm(transpose(x, perm), gamma, beta, this.epsilon), inverse);
  }

  // Keras's rms_scaling as Keras computes it: the variance (about the mean), but x not centered.
  private rmsScaled(x: Tensor, axes: number[], gamma: Tensor): Tensor {
    const { variance } = moments(x, axes, true);
    const shape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    return mul(mul(x, rsqrt(add(variance, this.epsilon))), reshape(gamma, shape));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis, rmsScaling: this.rmsScaling };
  }
}
