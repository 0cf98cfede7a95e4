// Random initializers with fixed parameters: normal, uniform and truncated normal. With
// a seed, an initializer draws the same values on every call (as in Keras 3).
import { randomNormal, randomUniform, truncatedNormal } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Initializer, checkFinite, checkInitShape } from './initializer';
import { classOptions } from '../options/check';

/** Options of the normal initializers. */
export interface RandomNormalArgs {
  /** Default 0. */
  mean?: number;
  /** Default 0.05. */
  stddev?: number;
  /** Makes the values repeatable. */
  seed?: number | null;
}

/** Options of the uniform initializer. */
export interface RandomUniformArgs {
  /** Default -0.05. */
  minval?: number;
  /** Default 0.05. */
  maxval?: number;
  /** Makes the values repeatable. */
  seed?: number | null;
}

/** Normally distributed values. */
export class RandomNormal extends Initializer {
  static override className = 'RandomNormal';
  /** The mean of the distribution. */
  readonly mean: number;
  /** The standard deviation (before truncation, for TruncatedNormal). */
  readonly stddev: number;
  /** The seed that makes the values repeatable; undefined draws fresh values each call. */
  readonly seed?: number;

  constructor(args: RandomNormalArgs = {}) {
    args = classOptions('initializers', RandomNormal, new.target, args);
    super();
    const op = 'initializers.randomNormal';
    this.mean = checkFinite(op, 'mean', args.mean ?? 0);
    this.stddev = checkFinite(op, 'stddev', args.stddev ?? 0.05);
    this.seed = args.seed ?? undefined;
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    return randomNormal(checkInitShape('initializers.randomNormal', shape), this.mean, this.stddev, dtype, this.seed);
  }

  override getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }
}

/** Normal values redrawn when more than two standard deviations from the mean. */
export class TruncatedNormal extends RandomNormal {
  static override className = 'TruncatedNormal';

  override apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    return truncatedNormal(checkInitShape('initializers.truncatedNormal', shape), this.mean, this.stddev, dtype, this.seed);
  }
}

/** Uniform values in [minval, maxval). */
export class RandomUniform extends Initializer {
  static override className = 'RandomUniform';
  /** The lower bound (inclusive). */
  readonly minval: number;
  /** The upper bound (exclusive). */
  readonly maxval: number;
  /** The seed that makes the values repeatable; undefined draws fresh values each call. */
  readonly seed?: number;

  constructor(args: RandomUniformArgs = {}) {
    args = classOptions('initializers', RandomUniform, new.target, args);
    super();
    this.minval = checkFinite('initializers.randomUniform', 'minval', args.minval ?? -0.05);
    this.maxval = checkFinite('initializers.randomUniform', 'maxval', args.maxval ?? 0.05);
    this.seed = args.seed ?? undefined;
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    return randomUniform(checkInitShape('initializers.randomUniform', shape), this.minval, this.maxval, dtype, this.seed);
  }

  override getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }
}
