// Weight constraints: projections applied to a weight after each optimizer step
// (Keras's kernel_constraint). Norms are taken over `axis` (default 0: for a dense
// kernel [in, out], the incoming weights of each unit).
import { factory, noOptionsFactory } from '../options/factory';
import { add, div, mul } from '../ops/binary';
import { clipByValue } from '../ops/clip';
import { sum } from '../ops/reduce';
import { relu, sqrt, square } from '../ops/unary';
import { tidy } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { ClassRegistry, type Serialized } from '../serialization/registry';
import { describe } from '../tensor/shape';
import { classOptions } from '../options/check';
import { Constraint } from './constraint';
import { tooManyArguments } from '../options/arity';
import { namespaceDeserialize } from '../serialization/keras_form';
import { epsilon } from '../config/settings';
import { everyEntry } from '../options/every_entry';

export { Constraint } from './constraint';
export { constraintOf } from './of_variable';

// Keras's backend epsilon: keeps the division defined for all-zero slices.

function norms(w: Tensor, axis: number | number[]): Tensor {
  return sqrt(sum(square(w), axis, true));
}

function checkAxis(op: string, axis: unknown): number | number[] {
  const ok = (a: unknown) => typeof a === 'number' && Number.isInteger(a);
  if (!(ok(axis) || (Array.isArray(axis) && everyEntry(axis, ok))))
    throw new Error(`${op}: expected axis to be an integer or an array of integers, got ${describe(axis)}`);
  return axis as number | number[];
}

/** Options of maxNorm. */
export interface MaxNormArgs {
  /** The largest allowed norm. Default 2. */
  maxValue?: number;
  /** Axes the norm is taken over. Default 0. */
  axis?: number | number[];
}

/** Rescales slices whose norm exceeds maxValue down to it. */
export class MaxNorm extends Constraint {
  static override className = 'MaxNorm';
  /** The largest allowed norm. */
  readonly maxValue: number;
  /** Axes the norm is taken over (0: each column of a dense kernel). */
  readonly axis: number | number[];
  constructor(args: MaxNormArgs = {}) {
    args = classOptions('constraints', MaxNorm, new.target, args);
    super();
    this.maxValue = args.maxValue ?? 2;
    this.axis = checkAxis('constraints.maxNorm', args.axis ?? 0);
  }
  apply(w: Tensor): Tensor {
    return tidy(() => {
      const n = norms(w, this.axis);
      return mul(w, div(clipByValue(n, 0, this.maxValue), add(n, epsilon())));
    });
  }
  override getConfig(): Record<string, unknown> {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/** Options of minMaxNorm. */
export interface MinMaxNormArgs {
  /** Default 0. */
  minValue?: number;
  /** Default 1. */
  maxValue?: number;
  /** How far to move toward the allowed range: 1 (default) projects fully. */
  rate?: number;
  /** Axes the norm is taken over. Default 0. */
  axis?: number | number[];
}

/** Moves slice norms into [minValue, maxValue] at `rate`. */
export class MinMaxNorm extends Constraint {
  static override className = 'MinMaxNorm';
  /** The smallest allowed norm. */
  readonly minValue: number;
  /** The largest allowed norm. */
  readonly maxValue: number;
  /** How far norms move toward the allowed range per application: 1 projects fully. */
  readonly rate: number;
  /** Axes the norm is taken over (0: each column of a dense kernel). */
  readonly axis: number | number[];
  constructor(args: MinMaxNormArgs = {}) {
    args = classOptions('constraints', MinMaxNorm, new.target, args);
    super();
    this.minValue = args.minValue ?? 0;
    this.maxValue = args.maxValue ?? 1;
    this.rate = args.rate ?? 1;
    this.axis = checkAxis('constraints.minMaxNorm', args.axis ?? 0);
  }
  apply(w: Tensor): Tensor {
    return tidy(() => {
      const n = norms(w, this.axis);
      const desired = add(mul(clipByValue(n, this.minValue, this.maxValue), this.rate), mul(n, 1 - this.rate));
      return mul(w, div(desired, add(n, epsilon())));
    });
  }
  override getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** Sets negative values to 0. */
export class NonNeg extends Constraint {
  static override className = 'NonNeg';
  apply(w: Tensor): Tensor {
    return relu(w);
  }
}

/** Options of unitNorm. */
export interface UnitNormArgs {
  /** Axes the norm is taken over. Default 0. */
  axis?: number | number[];
}

/** Scales slices to norm 1. */
export class UnitNorm extends Constraint {
  static override className = 'UnitNorm';
  /** Axes the norm is taken over (0: each column of a dense kernel). */
  readonly axis: number | number[];
  constructor(args: UnitNormArgs = {}) {
    args = classOptions('constraints', UnitNorm, new.target, args);
    super();
    this.axis = checkAxis('constraints.unitNorm', args.axis ?? 0);
  }
  apply(w: Tensor): Tensor {
    return tidy(() => div(w, add(norms(w, this.axis), epsilon())));
  }
  override getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/** A constraint given by name ('nonNeg', 'max_norm'), as an object, or as `{className, config}`. */
export type ConstraintIdentifier = string | Constraint | Serialized;

const registry = new ClassRegistry<Constraint>('constraint', Constraint);
registry.registerClasses([MaxNorm, MinMaxNorm, NonNeg, UnitNorm]);

/** Makes a custom Constraint subclass available by name and in configs. */
export function registerConstraint(cls: new (config?: any) => Constraint, name?: string): void {
  if (arguments.length > 2) throw tooManyArguments('constraints.registerConstraint', 2, arguments.length);
  registry.registerClass('constraints.registerConstraint', cls, name);
}

/** The constraint an identifier stands for. */
export function get(identifier: ConstraintIdentifier, op = 'constraints.get'): Constraint {
  if (arguments.length > 2) throw tooManyArguments('constraints.get', 2, arguments.length);
  return registry.resolve(op, identifier);
}

/** `{className, config}` of a constraint. */
export function serialize(constraint: Constraint): Serialized {
  if (arguments.length > 1) throw tooManyArguments('constraints.serialize', 1, arguments.length);
  return registry.serialize(constraint, 'constraints.serialize');
}

/** Rescales slices whose norm exceeds maxValue. */
export const maxNorm = factory(MaxNorm);
/** Moves slice norms into [minValue, maxValue]. */
export const minMaxNorm = factory(MinMaxNorm);
/** Sets negative values to 0. */
export const nonNeg = noOptionsFactory(NonNeg);
/** Scales slices to norm 1. */
export const unitNorm = factory(UnitNorm);

/**
 * Keras 3's keras.constraints.deserialize: a constraint from a name, a Keras config
 * {module, class_name, config, registered_name} or a {className, config}.
 * @example constraints.deserialize({module: 'keras.constraints', class_name: 'MaxNorm', config: {max_value: 2}, registered_name: null})
 */
export const deserialize = namespaceDeserialize<Constraint>('constraints.deserialize', get, (v) => v instanceof Constraint, 'a Constraint');
export type { DeserializeOptions } from '../serialization/keras_form';
