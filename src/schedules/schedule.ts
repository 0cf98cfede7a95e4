// LearningRateSchedule: the learning rate as a function of the optimizer step
// (Keras 3's keras.optimizers.schedules.LearningRateSchedule).
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';

/** A learning rate: a number, a schedule, or a function of the step (0 for the first update). */
export type LearningRate = number | LearningRateSchedule | ((step: number) => number);

/**
 * A learning rate that depends on the step. Subclasses implement `call(step)` and, to be
 * serializable, `getConfig()` returning the options that recreate them.
 * @example
 * class Halving extends LearningRateSchedule { call(step: number) { return 0.1 / 2 ** Math.floor(step / 100); } }
 */
export abstract class LearningRateSchedule<C extends object = object> {
  /** The options, defaults filled in. */
  readonly config: C;

  constructor(config: C = {} as C) {
    this.config = config;
  }

  /** The learning rate at `step` (0 for the first update). */
  abstract call(step: number): number;

  /** The options that recreate this schedule. */
  getConfig(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.config));
  }

  /** A schedule from the options getConfig() returned. */
  static fromConfig<T extends LearningRateSchedule>(this: new (config: never) => T, config: Record<string, unknown>): T {
    return new this(config as never);
  }
}

/** The rate `learningRate` gives at `step`, checked to be a finite number. */
export function learningRateAt(learningRate: LearningRate, step: number): number {
  if (arguments.length > 2) throw tooManyArguments('schedules.learningRateAt', 2, arguments.length);
  const lr = learningRate instanceof LearningRateSchedule ? learningRate.call(step) : typeof learningRate === 'function' ? learningRate(step) : learningRate;
  if (typeof lr !== 'number' || !Number.isFinite(lr)) {
    throw new Error(`learning rate: expected a finite number at step ${step}, got ${describe(lr)}`);
  }
  return lr;
}

/** Throws unless `value` is a positive number. */
export function checkPositive(op: string, arg: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new Error(`${op}: expected ${arg} > 0, got ${describe(value)}`);
  return value;
}
