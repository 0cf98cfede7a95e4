// The Metric base class: state accumulated over an epoch by updateState, read by
// result(), cleared by resetState(). Tessera's metrics keep their state in JS numbers:
// each update reads back a few per-batch sums, so state never churns tensors. A user's
// Keras-style metric may keep it in variables instead (addVariable, addWeight).
import type { TensorLike } from '../tensor/creation';
import { checkDType, type DType } from '../tensor/dtype';
import { describe, type Shape } from '../tensor/shape';
import { Tensor, type Variable } from '../tensor/tensor';
import type { InitializerIdentifier } from '../initializers';
import { snakeCase } from '../losses/loss';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { classNameOf } from '../serialization/registry';
import { clone } from '../ops/cast';
import { MetricVariables, type AddVariableOptions } from './metric_variables';
import { floatx } from '../config/settings';

/** Options of a Metric (Keras 3's Metric(name=None, dtype=None)). */
export interface MetricArgs {
  /** The name in logs (default: the class name in snake_case). */
  name?: string;
  /** The dtype of the variables addVariable makes (default config.floatx(), float32 unless set). */
  dtype?: DType;
}

/**
 * A stateful metric (Keras 3's keras.metrics.Metric).
 * @example
 * const m = new metrics.Precision();
 * m.updateState(yTrue, yPred); m.updateState(yTrue2, yPred2);
 * m.result().print(); m.resetState();
 */
export abstract class Metric {
  /** The name logs use, as Keras 3 logs it ('accuracy', 'precision', 'auc', ...). */
  name: string;
  /** The dtype of the variables addVariable makes. */
  readonly dtype: DType;
  private readonly metricVariables = new MetricVariables();

  /**
   * @param config the name (a string), or Keras 3's options {name, dtype}:
   * `super({ name: 'true_positives' })` in a subclass.
   */
  constructor(config?: string | MetricArgs) {
    const owner = classNameOf(new.target);
    if (config !== undefined && config !== null && typeof config !== 'string' && (typeof config !== 'object' || Array.isArray(config))) {
      throw new Error(`${owner}: expected the metric's name (a string) or options {name, dtype}, got ${describe(config)}`);
    }
    const { name, dtype } = typeof config === 'string' ? { name: config } : checkOptions(owner, config, 'metrics.Metric');
    // null is Keras's None: the default.
    if (name !== undefined && name !== null && (typeof name !== 'string' || name.length === 0)) {
      throw new Error(`${owner}: expected name to be a non-empty string, got ${describe(name)}`);
    }
    this.name = name ?? snakeCase(new.target.name);
    this.dtype = checkDType(owner, dtype ?? floatx());
  }

  /**
   * Creates a non-trainable state variable this metric owns (Keras 3's add_variable), for
   * a metric written the Keras way: updateState assigns to it, result() reads it. The
   * default resetState restores its initial value; dispose() releases it.
   * @example this.truePositives = this.addVariable({ shape: [], initializer: 'zeros', name: 'true_positives' });
   */
  addVariable(options: AddVariableOptions & { shape: Shape }): Variable {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.addVariable`, 1, arguments.length);
    const op = `${this.name}.addVariable`;
    const o = checkOptions(op, options, 'Metric.addVariable');
    if (o.shape === undefined) throw new Error(`${op}: the options need a shape (e.g. { shape: [], initializer: 'zeros' })`);
    return this.makeVariable(op, o);
  }

  /**
   * addVariable under tf.keras's name, with its defaults (a scalar of zeros), in its
   * keyword form or positionally:
   * @example this.count = this.addWeight({ name: 'count', initializer: 'zeros' });
   * @example this.count = this.addWeight('count', [], 'zeros', 'float32');
   */
  addWeight(options: AddVariableOptions): Variable;
  addWeight(name: string, shape?: Shape, initializer?: InitializerIdentifier, dtype?: DType): Variable;
  addWeight(nameOrOptions: string | AddVariableOptions, shape?: Shape, initializer?: InitializerIdentifier, dtype?: DType): Variable {
    if (arguments.length > 4) throw tooManyArguments(`${this.name}.addWeight`, 4, arguments.length);
    const op = `${this.name}.addWeight`;
    if (typeof nameOrOptions === 'string') return this.makeVariable(op, { name: nameOrOptions, shape: shape ?? [], initializer, dtype });
    if (arguments.length > 1)
      throw new Error(`${op}: expected (name, shape?, initializer?, dtype?) or one options object, got an object and then ${describe(shape)}`);
    const o = checkOptions(op, nameOrOptions, 'Metric.addVariable');
    return this.makeVariable(op, { ...o, shape: o.shape ?? [] });
  }

  private makeVariable(op: string, o: AddVariableOptions): Variable {
    const v = this.metricVariables.add(op, this.name, o.shape, o.initializer, o.dtype ?? this.dtype, o.name);
    this.copyVariableResults();
    return v;
  }

  // Keras's result() may return a variable itself (`return this.truePositives`), but the
  // caller owns what result() returns and may dispose it: such a result becomes a copy.
  private copyVariableResults(): void {
    if (Object.prototype.hasOwnProperty.call(this, 'result')) return;
    const result = this.result;
    this.result = () => {
      const r = result.call(this);
      return this.metricVariables.owns(r) ? clone(r) : r;
    };
  }

  /** The state variables addVariable and addWeight made (Keras 3's metric.variables). */
  get variables(): Variable[] {
    return this.metricVariables.list;
  }

  /** Releases the variables addVariable and addWeight made; the metric is unusable after. */
  dispose(): void {
    this.metricVariables.dispose();
  }

  /** Accumulates one batch: (yTrue, yPred, sampleWeight?) for most metrics, (values, sampleWeight?) for Mean and Sum. */
  abstract updateState(...inputs: (TensorLike | undefined)[]): void;

  /** The value so far, as a new tensor the caller owns. */
  abstract result(): Tensor;

  /**
   * @internal The value so far as a number (what logs hold): result() read back; a list
   * for a metric of several values (F1Score's per class, with average null). Metrics
   * whose state is JS numbers override it to skip the tensor.
   */
  resultValue(): number | number[] {
    const r = this.result();
    try {
      const values = r.dataSync();
      return r.size === 1 ? values[0] : Array.from(values);
    } finally {
      r.dispose();
    }
  }

  /**
   * Clears the state, as at the start of an epoch. By default it restores the initial
   * value of every variable addVariable made (Keras 3 assigns zeros, the usual initial
   * value); a metric with state of its own overrides it.
   */
  resetState(): void {
    if (this.metricVariables.list.length === 0) {
      throw new Error(
        `${classNameOf(this.constructor)}.resetState: the metric has no variables to reset; keep its state in addVariable's variables, or override resetState`,
      );
    }
    this.metricVariables.reset();
  }

  /** The options that recreate this metric. */
  getConfig(): Record<string, unknown> {
    return this.dtype === 'float32' ? { name: this.name } : { name: this.name, dtype: this.dtype };
  }
}

/** Keras's divide_no_nan on numbers. */
export function divNoNan(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
