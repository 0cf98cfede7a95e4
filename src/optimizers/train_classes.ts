// TensorFlow.js's optimizer classes (`new tf.train.AdamOptimizer(0.01, 0.9, 0.999)`):
// positional constructors in TensorFlow.js's order and defaults, each a subclass of the
// Keras 3 optimizer of this package that runs its update (so compile and fit take it). The
// factories of train.ts make these, so `train.adam() instanceof train.AdamOptimizer`.
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { checkBoolean } from '../options/check_args';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Adamax } from './adamax';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

// The name errors carry: the class's, or the factory's while one of train.ts's runs.
let caller: string | null = null;

/** @internal Runs make() with errors of the constructors it calls named `op` (train.adam). */
export function asFactory<T>(op: string, make: () => T): T {
  caller = op;
  try {
    return make();
  } finally {
    caller = null;
  }
}

const who = (cls: string) => caller ?? cls;

/** A positional number: `fallback` when omitted (undefined, or null where TensorFlow.js takes null for its default). */
function num(op: string, what: string, v: unknown, fallback?: number): number {
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'number')
    throw new Error(`${op}: expected ${what} to be a number${fallback === undefined ? ' (it has no default)' : ''}, got ${describe(v)}`);
  return v;
}

/** Optional epsilon: TensorFlow.js's null or undefined take the optimizer's default (1e-7). */
const epsilonOf = (op: string, v: unknown) => (v === undefined || v === null ? {} : { epsilon: num(op, 'epsilon', v) });

// Serialization names the class by constructor.name: these keep the Keras class's name, as
// TensorFlow.js's classes serialize as 'Adam', 'SGD', ... (their static className).
function kerasName(cls: abstract new (...args: never[]) => unknown, name: string): void {
  Object.defineProperty(cls, 'name', { value: name });
}

/** Plain SGD: `new train.SGDOptimizer(learningRate)`. */
export class SGDOptimizer extends SGD {
  constructor(learningRate: number) {
    const op = who('SGDOptimizer');
    if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
    super({ learningRate: num(op, 'learningRate', learningRate) });
  }
}

/** SGD with momentum: `new train.MomentumOptimizer(learningRate, momentum, useNesterov = false)`. */
export class MomentumOptimizer extends SGD {
  constructor(learningRate: number, momentum: number, useNesterov = false) {
    const op = who('MomentumOptimizer');
    if (arguments.length > 3) throw tooManyArguments(op, 3, arguments.length);
    const nesterov = checkBoolean(op, 'useNesterov', useNesterov);
    super({ learningRate: num(op, 'learningRate', learningRate), momentum: num(op, 'momentum', momentum), nesterov });
  }
}

/** Adam: `new train.AdamOptimizer(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?)`. */
export class AdamOptimizer extends Adam {
  constructor(learningRate?: number, beta1?: number, beta2?: number, epsilon?: number | null) {
    const op = who('AdamOptimizer');
    if (arguments.length > 4) throw tooManyArguments(op, 4, arguments.length);
    super({
      learningRate: num(op, 'learningRate', learningRate, 0.001),
      beta1: num(op, 'beta1', beta1, 0.9),
      beta2: num(op, 'beta2', beta2, 0.999),
      ...epsilonOf(op, epsilon),
    });
  }
}

/**
 * Adamax: `new train.AdamaxOptimizer(learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon?, decay = 0)`;
 * a learning-rate decay other than 0 is an error (use a schedule: `schedules.inverseTimeDecay`).
 */
export class AdamaxOptimizer extends Adamax {
  constructor(learningRate?: number, beta1?: number, beta2?: number, epsilon?: number | null, decay?: number) {
    const op = who('AdamaxOptimizer');
    if (arguments.length > 5) throw tooManyArguments(op, 5, arguments.length);
    if (num(op, 'decay', decay, 0) !== 0) {
      throw new Error(
        `${op}: a learning-rate decay (${describe(decay)}) is not supported; pass a schedule as the learning rate (schedules.inverseTimeDecay) to new optimizers.Adamax`,
      );
    }
    super({
      learningRate: num(op, 'learningRate', learningRate, 0.002),
      beta1: num(op, 'beta1', beta1, 0.9),
      beta2: num(op, 'beta2', beta2, 0.999),
      ...epsilonOf(op, epsilon),
    });
  }
}

/**
 * RMSprop: `new train.RMSPropOptimizer(learningRate, decay = 0.9, momentum = 0, epsilon?, centered = false)`;
 * TensorFlow.js's decay is Keras's rho.
 */
export class RMSPropOptimizer extends RMSprop {
  constructor(learningRate: number, decay?: number, momentum?: number, epsilon?: number | null, centered = false) {
    const op = who('RMSPropOptimizer');
    if (arguments.length > 5) throw tooManyArguments(op, 5, arguments.length);
    checkBoolean(op, 'centered', centered);
    super({
      learningRate: num(op, 'learningRate', learningRate),
      rho: num(op, 'decay', decay, 0.9),
      momentum: num(op, 'momentum', momentum, 0),
      ...epsilonOf(op, epsilon),
      centered,
    });
  }
}

/** Adagrad: `new train.AdagradOptimizer(learningRate, initialAccumulatorValue = 0.1)`. */
export class AdagradOptimizer extends Adagrad {
  constructor(learningRate: number, initialAccumulatorValue?: number) {
    const op = who('AdagradOptimizer');
    if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
    super({
      learningRate: num(op, 'learningRate', learningRate),
      initialAccumulatorValue: num(op, 'initialAccumulatorValue', initialAccumulatorValue, 0.1),
    });
  }
}

/** Adadelta: `new train.AdadeltaOptimizer(learningRate = 0.001, rho = 0.95, epsilon?)`. */
export class AdadeltaOptimizer extends Adadelta {
  constructor(learningRate?: number, rho?: number, epsilon?: number | null) {
    const op = who('AdadeltaOptimizer');
    if (arguments.length > 3) throw tooManyArguments(op, 3, arguments.length);
    super({
      learningRate: num(op, 'learningRate', learningRate, 0.001),
      rho: num(op, 'rho', rho, 0.95),
      ...epsilonOf(op, epsilon),
    });
  }
}

kerasName(SGDOptimizer, 'SGD');
kerasName(MomentumOptimizer, 'SGD');
kerasName(AdamOptimizer, 'Adam');
kerasName(AdamaxOptimizer, 'Adamax');
kerasName(RMSPropOptimizer, 'RMSprop');
kerasName(AdagradOptimizer, 'Adagrad');
kerasName(AdadeltaOptimizer, 'Adadelta');
