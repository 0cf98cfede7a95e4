// Weight regularizers: penalties added to the loss, l1 * sum|x| + l2 * sum x^2 (Keras's formula).
import { factory } from '../options/factory';
import { abs, square } from '../ops/unary';
import { add, mul } from '../ops/binary';
import { sum } from '../ops/reduce';
import { tidy } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { ClassRegistry, classNameOf, type Serialized } from '../serialization/registry';
import { describe } from '../tensor/shape';
import { classOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { namespaceDeserialize } from '../serialization/keras_form';

/** Maps a weight (or a layer's output, for activity regularization) to a scalar penalty. */
export abstract class Regularizer {
  /** The name configs use for this class. */
  static className = 'Regularizer';
  /** The penalty for x, a scalar. */
  abstract apply(x: Tensor): Tensor;
  /** The options this regularizer was made with. */
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Options of l1l2. */
export interface L1L2Args {
  /** Weight of sum |x|. Default 0. */
  l1?: number;
  /** Weight of sum x^2. Default 0. */
  l2?: number;
}

function checkFactor(op: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new Error(`${op}: expected ${what} to be a non-negative number, got ${describe(v)}`);
  return v;
}

// Keras's regularizers.l2(0.01) and L1L2(0.01, 0.02) take their factors positionally; here they are named.
function refusePositional(className: string, names: string[], args: readonly unknown[]): void {
  if (typeof args[0] !== 'number') return;
  const named = args
    .slice(0, names.length)
    .map((v, i) => `${names[i]}: ${String(v)}`)
    .join(', ');
  throw new Error(
    `${className}: expected an options object, got ${describe(args[0])}; Keras's positional ${className}(${args.map(String).join(', ')}) is written with named options here: { ${named} }`,
  );
}

/** l1 * sum|x| + l2 * sum x^2. */
export class L1L2 extends Regularizer {
  static override className = 'L1L2';
  /** Weight of sum |x|. */
  readonly l1: number;
  /** Weight of sum x^2. */
  readonly l2: number;

  constructor(args: L1L2Args = {}) {
    refusePositional(classNameOf(new.target), ['l1', 'l2'], [args]);
    args = classOptions('regularizers', L1L2, new.target, args);
    super();
    this.l1 = checkFactor('regularizers.l1l2', 'l1', args.l1 ?? 0);
    this.l2 = checkFactor('regularizers.l1l2', 'l2', args.l2 ?? 0);
  }

  apply(x: Tensor): Tensor {
    return tidy(() => {
      const terms: Tensor[] = [];
      if (this.l1 !== 0) terms.push(mul(sum(abs(x)), this.l1));
      if (this.l2 !== 0) terms.push(mul(sum(square(x)), this.l2));
      // Always a new scalar of x's dtype, so callers may dispose it.
      return terms.reduce((a, b) => add(a, b), mul(sum(x), 0));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** l1 * sum|x| (Keras's default l1 = 0.01). */
export class L1 extends L1L2 {
  static override className = 'L1';
  constructor(args: { l1?: number } = {}) {
    refusePositional('L1', ['l1'], [args]);
    args = classOptions('regularizers', L1, new.target, args);
    super({ l1: args.l1 ?? 0.01 });
  }
  override getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

/** l2 * sum x^2 (Keras's default l2 = 0.01). */
export class L2 extends L1L2 {
  static override className = 'L2';
  constructor(args: { l2?: number } = {}) {
    refusePositional('L2', ['l2'], [args]);
    args = classOptions('regularizers', L2, new.target, args);
    super({ l2: args.l2 ?? 0.01 });
  }
  override getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

/** A regularizer given by name ('l2', 'l1_l2'), as an object, or as `{className, config}`. */
export type RegularizerIdentifier = string | Regularizer | Serialized;

const registry = new ClassRegistry<Regularizer>('regularizer', Regularizer);
registry.registerClasses([L1, L2, L1L2]);

/** Makes a custom Regularizer subclass available by name and in configs. */
export function registerRegularizer(cls: new (config?: any) => Regularizer, name?: string): void {
  if (arguments.length > 2) throw tooManyArguments('regularizers.registerRegularizer', 2, arguments.length);
  registry.registerClass('regularizers.registerRegularizer', cls, name);
}

/** The regularizer an identifier stands for. */
export function get(identifier: RegularizerIdentifier, op = 'regularizers.get'): Regularizer {
  if (arguments.length > 2) throw tooManyArguments('regularizers.get', 2, arguments.length);
  return registry.resolve(op, identifier);
}

/** `{className, config}` of a regularizer. */
export function serialize(regularizer: Regularizer): Serialized {
  if (arguments.length > 1) throw tooManyArguments('regularizers.serialize', 1, arguments.length);
  return registry.serialize(regularizer, 'regularizers.serialize');
}

/** l1 * sum|x|. */
export const l1 = factory(L1, (name, args) => refusePositional(name, ['l1'], args));
/** l2 * sum x^2. */
export const l2 = factory(L2, (name, args) => refusePositional(name, ['l2'], args));
/** l1 * sum|x| + l2 * sum x^2. */
export const l1l2 = factory(L1L2, (name, args) => refusePositional(name, ['l1', 'l2'], args));
export { OrthogonalRegularizer, orthogonalRegularizer, type OrthogonalRegularizerArgs } from './orthogonal';

/**
 * Keras 3's keras.regularizers.deserialize: a regularizer from a name, a Keras config
 * {module, class_name, config, registered_name} or a {className, config}.
 * @example regularizers.deserialize({module: 'keras.regularizers', class_name: 'L2', config: {l2: 0.1}, registered_name: null})
 */
export const deserialize = namespaceDeserialize<Regularizer>('regularizers.deserialize', get, (v) => v instanceof Regularizer, 'a Regularizer');
export type { DeserializeOptions } from '../serialization/keras_form';
/** Keras 3's keras.regularizers.l1_l2 (the class L1L2, l1 and l2 default 0): the same factory as l1l2. @example regularizers.l1L2({l1: 0.01, l2: 0.01}) */
export const l1L2 = l1l2;
