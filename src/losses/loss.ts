// The Loss base class (Keras 3's keras.losses.Loss) and the wrapper that turns a
// per-sample loss function into one.
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { toTensor } from '../ops/convert';
import { normalizeReduction, reduceWeightedValues, type CanonicalReduction, type Reduction } from './reduction';
import { classOptions, wrapperOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';

/** A per-sample loss: (yTrue, yPred) -> one loss per sample (the last axis reduced). */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Options every Loss takes. */
export interface LossConfig {
  /** How per-sample losses are reduced (default 'sum_over_batch_size'). */
  reduction?: Reduction;
  /** The name used in logs. */
  name?: string;
}

/** Per-sample losses and, optionally, which of them count (a bool mask of their shape). */
export interface MaskedLosses {
  /** The per-sample losses. */
  values: Tensor;
  /** True where a loss counts; absent when all do. */
  mask?: Tensor;
}

/**
 * A loss: subclasses implement `call(yTrue, yPred)` returning per-sample losses;
 * `apply(yTrue, yPred, sampleWeight?)` weights and reduces them (Keras's `loss(...)`).
 * @example
 * class MyMse extends Loss { call(t: Tensor, p: Tensor) { return mean(square(sub(p, t)), -1); } }
 * const value = new MyMse().apply(yTrue, yPred);
 */
export abstract class Loss {
  /** The name used in logs. */
  readonly name: string;
  /** The reduction, in Keras's spelling. */
  readonly reduction: CanonicalReduction;

  constructor(config: LossConfig = {}, defaultName?: string) {
    config = classOptions('losses', Loss, new.target, config);
    this.name = config.name ?? defaultName ?? snakeCase(new.target.name);
    this.reduction = normalizeReduction(this.name, config.reduction);
  }

  /** Per-sample losses of a batch. */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;

  /** @internal Per-sample losses with a mask; override when some entries do not count. */
  callMasked(yTrue: Tensor, yPred: Tensor): MaskedLosses {
    return { values: this.call(yTrue, yPred) };
  }

  /** The loss of a batch: per-sample losses, times `sampleWeight`, reduced. */
  apply(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): Tensor {
    if (arguments.length > 3) throw tooManyArguments('Loss.apply', 3, arguments.length);
    return tidy(() => {
      const { values, mask } = this.callMasked(toTensor(this.name, 'yTrue', yTrue), toTensor(this.name, 'yPred', yPred));
      return reduceWeightedValues(this.name, values, sampleWeight, this.reduction, mask);
    });
  }

  /** The constructor options that recreate this loss. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }
}

/**
 * A Loss from a per-sample function (Keras's LossFunctionWrapper); options other than
 * `name` and `reduction` are passed to the function on every call.
 * @example const loss = new LossFunctionWrapper(huber, { name: 'huber_2', delta: 2 });
 */
export class LossFunctionWrapper<O extends object = object> extends Loss {
  /** The per-sample function. */
  readonly fn: (yTrue: Tensor, yPred: Tensor, options?: O) => Tensor;
  /** Options passed to `fn`. */
  readonly options: O;

  constructor(
    fn: (yTrue: Tensor, yPred: Tensor, options?: O) => Tensor,
    config: LossConfig & NoInfer<O> = {} as LossConfig & NoInfer<O>,
    defaultName?: string,
  ) {
    if (typeof fn !== 'function') throw new Error(`LossFunctionWrapper: expected a loss function, got ${typeof fn}`);
    config = wrapperOptions('losses', new.target, config);
    super(config, defaultName ?? (fn.name ? snakeCase(fn.name) : 'loss'));
    const { name: _name, reduction: _reduction, ...options } = config;
    this.fn = fn;
    this.options = options as O;
  }

  override call(yTrue: Tensor, yPred: Tensor): Tensor {
    // Options only when there are some: a function of (yTrue, yPred) refuses a third argument.
    return Object.keys(this.options).length > 0 ? this.fn(yTrue, yPred, this.options) : this.fn(yTrue, yPred);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.options };
  }
}

/** 'MeanSquaredError' and 'meanSquaredError' -> 'mean_squared_error'. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
