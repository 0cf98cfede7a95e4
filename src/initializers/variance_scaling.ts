// VarianceScaling and its named presets (Glorot, He, LeCun): random values whose
// variance is scale / fan, so activations keep their size from layer to layer.
import { randomNormal, randomUniform, truncatedNormal } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Initializer, checkInitShape, computeFans } from './initializer';
import { describe, quoted } from '../tensor/shape';
import { checkOptions, classOptions } from '../options/check';
import { ownEntry } from '../options/own_entry';

/** Which fan divides the scale. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/** The distribution values are drawn from. */
export type Distribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/** Options of the variance-scaling initializer. */
export interface VarianceScalingArgs {
  /** Default 1. */
  scale?: number;
  /** 'fanIn' (default), 'fanOut' or 'fanAvg'; Keras's 'fan_in' spellings work too. */
  mode?: FanMode | string;
  /** 'truncatedNormal' (default), 'untruncatedNormal' or 'uniform' ('normal' means truncated, as in Keras 2). */
  distribution?: Distribution | string;
  /** Makes the values repeatable (the same values on every call). */
  seed?: number | null;
}

// The standard deviation of a unit normal truncated to [-2, 2]: dividing by it makes the
// truncated values have the variance asked for.
const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

const MODES: Record<string, FanMode> = { fanin: 'fanIn', fanout: 'fanOut', fanavg: 'fanAvg' };
const DISTRIBUTIONS: Record<string, Distribution> = {
  truncatednormal: 'truncatedNormal',
  normal: 'truncatedNormal',
  untruncatednormal: 'untruncatedNormal',
  uniform: 'uniform',
};

function pick<T>(op: string, what: string, table: Record<string, T>, value: string): T {
  const found = typeof value === 'string' ? ownEntry(table, value.replace(/_/g, '').toLowerCase()) : undefined;
  if (found === undefined) throw new Error(`${op}: unknown ${what} ${quoted(value)}; valid values are: ${[...new Set(Object.values(table))].join(', ')}`);
  return found;
}

/** Values with variance scale / fan, from a (truncated) normal or a uniform distribution. */
export class VarianceScaling extends Initializer {
  static override className = 'VarianceScaling';
  /** The variance is scale / fan. */
  readonly scale: number;
  /** Which fan divides the scale: 'fanIn', 'fanOut' or 'fanAvg'. */
  readonly mode: FanMode;
  /** What values are drawn from: 'truncatedNormal', 'untruncatedNormal' or 'uniform'. */
  readonly distribution: Distribution;
  /** The seed that makes the values repeatable; undefined draws fresh values each call. */
  readonly seed?: number;

  constructor(args: VarianceScalingArgs = {}) {
    args = classOptions('initializers', VarianceScaling, new.target, args);
    super();
    const op = 'initializers.varianceScaling';
    const scale = args.scale ?? 1;
    if (!(typeof scale === 'number' && scale > 0 && Number.isFinite(scale)))
      throw new Error(`${op}: expected scale to be a positive number, got ${describe(scale)}`);
    this.scale = scale;
    this.mode = pick(op, 'mode', MODES, args.mode ?? 'fanIn');
    this.distribution = pick(op, 'distribution', DISTRIBUTIONS, args.distribution ?? 'truncatedNormal');
    this.seed = args.seed ?? undefined;
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    checkInitShape('initializers.varianceScaling', shape);
    const [fanIn, fanOut] = computeFans(shape);
    const fan = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, fan);
    switch (this.distribution) {
      case 'truncatedNormal':
        return truncatedNormal(shape, 0, Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV, dtype, this.seed);
      case 'untruncatedNormal':
        return randomNormal(shape, 0, Math.sqrt(variance), dtype, this.seed);
      case 'uniform': {
        const limit = Math.sqrt(3 * variance);
        return randomUniform(shape, -limit, limit, dtype, this.seed);
      }
    }
  }

  override getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

/** Options of the named presets: only a seed. */
export interface SeedArgs {
  /** Makes the values repeatable. */
  seed?: number | null;
}

// A preset is VarianceScaling with fixed options; its config is only the seed.
function preset(className: string, scale: number, mode: FanMode, distribution: Distribution) {
  const cls = class extends VarianceScaling {
    static override className = className;
    constructor(args: SeedArgs = {}) {
      // Checked against the factory of the same name (initializers.glorotUniform).
      args = checkOptions(className, args, `initializers.${className[0].toLowerCase()}${className.slice(1)}`, new.target === cls ? 'throw' : 'keep');
      super({ scale, mode, distribution, seed: args.seed });
    }
    override getConfig(): Record<string, unknown> {
      return { seed: this.seed ?? null };
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return cls;
}

/** Glorot (Xavier) uniform: limit sqrt(6 / (fanIn + fanOut)). Keras's default kernel initializer. */
export const GlorotUniform = preset('GlorotUniform', 1, 'fanAvg', 'uniform');
/** Glorot (Xavier) normal: truncated normal with stddev sqrt(2 / (fanIn + fanOut)). */
export const GlorotNormal = preset('GlorotNormal', 1, 'fanAvg', 'truncatedNormal');
/** He uniform: limit sqrt(6 / fanIn), for ReLU layers. */
export const HeUniform = preset('HeUniform', 2, 'fanIn', 'uniform');
/** He normal: truncated normal with stddev sqrt(2 / fanIn), for ReLU layers. */
export const HeNormal = preset('HeNormal', 2, 'fanIn', 'truncatedNormal');
/** LeCun uniform: limit sqrt(3 / fanIn). */
export const LecunUniform = preset('LecunUniform', 1, 'fanIn', 'uniform');
/** LeCun normal: truncated normal with stddev sqrt(1 / fanIn), for SELU networks. */
export const LecunNormal = preset('LecunNormal', 1, 'fanIn', 'truncatedNormal');
