// Deterministic initializers: zeros, ones, a constant, and the identity matrix.
import { eye, fill } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { mul } from '../ops/binary';
import { tidy } from '../tensor/memory';
import { Initializer, checkFinite, checkInitShape } from './initializer';
import { classOptions } from '../options/check';

/** Options of the constant initializer. */
export interface ConstantArgs {
  /** The value every element gets. Default 0. */
  value?: number;
}

/** Every element `value`. */
export class Constant extends Initializer {
  static override className = 'Constant';
  /** The value every element gets. */
  readonly value: number;

  /** `fixed`: a subclass whose value is implied by its class (zeros, ones) has an empty config. */
  constructor(
    args: ConstantArgs = {},
    private readonly fixed = false,
  ) {
    args = classOptions('initializers', Constant, new.target, args);
    super();
    this.value = checkFinite('initializers.constant', 'value', args.value ?? 0);
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    return fill(checkInitShape('initializers.constant', shape), this.value, dtype);
  }

  override getConfig(): Record<string, unknown> {
    return this.fixed ? {} : { value: this.value };
  }
}

/** Every element 0. */
export class Zeros extends Constant {
  static override className = 'Zeros';
  constructor() {
    super({ value: 0 }, true);
  }
}

/** Every element 1. */
export class Ones extends Constant {
  static override className = 'Ones';
  constructor() {
    super({ value: 1 }, true);
  }
}

/** Options of the identity initializer. */
export interface IdentityArgs {
  /** Multiplies the identity matrix. Default 1. */
  gain?: number;
}

/** gain times the identity matrix (2-D shapes only; non-square shapes get ones on the diagonal). */
export class Identity extends Initializer {
  static override className = 'Identity';
  /** Multiplies the identity matrix. */
  readonly gain: number;

  constructor(args: IdentityArgs = {}) {
    args = classOptions('initializers', Identity, new.target, args);
    super();
    this.gain = checkFinite('initializers.identity', 'gain', args.gain ?? 1);
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    const op = 'initializers.identity';
    checkInitShape(op, shape);
    if (shape.length !== 2) throw new Error(`${op}: expected a 2-D shape, got [${shape.join(', ')}]`);
    return tidy(() => mul(eye(shape[0], shape[1], dtype), this.gain));
  }

  override getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}
