// TensorFlow.js's optimizer factories (`tf.train.adam(0.001)`): positional arguments in
// TensorFlow.js's order and defaults, making the Keras 3 optimizers of this package (whose
// update rules are Keras's: epsilon scaled as Keras scales it).
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { checkBoolean } from '../options/check_args';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Adamax } from './adamax';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

/** A positional number: `fallback` when omitted (undefined, or null where TensorFlow.js takes null for its default). */
function num(op: string, what: string, v: unknown, fallback?: number): number {
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'number')
    throw new Error(`train.${op}: expected ${what} to be a number${fallback === undefined ? ' (it has no default)' : ''}, got ${describe(v)}`);
  return v;
}

/** Optional epsilon: TensorFlow.js's null or undefined take the optimizer's default (1e-7). */
const epsilonOf = (op: string, v: unknown) => (v === undefined || v === null ? {} : { epsilon: num(op, 'epsilon', v) });

/** Plain SGD: `train.sgd(0.1)`. */
export function sgd(learningRate: number): SGD {
  if (arguments.length > 1) throw tooManyArguments('train.sgd', 1, arguments.length);
  return new SGD({ learningRate: num('sgd', 'learningRate', learningRate) });
}

/** SGD with momentum: `train.momentum(0.1, 0.9, useNesterov?)`. */
export function momentum(learningRate: number, momentum: number, useNesterov = false): SGD {
  if (arguments.length > 3) throw tooManyArguments('train.momentum', 3, arguments.length);
  const nesterov = checkBoolean('train.momentum', 'useNesterov', useNesterov);
  return new SGD({ learningRate: num('momentum', 'learningRate', learningRate), momentum: num('momentum', 'momentum', momentum), nesterov });
}

/** Adam: `train.adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?)`. */
export function adam(learningRate?: number, beta1?: number, beta2?: number, epsilon?: number | null): Adam {
  if (arguments.length > 4) throw tooManyArguments('train.adam', 4, arguments.length);
  return new Adam({
    learningRate: num('adam', 'learningRate', learningRate, 0.001),
    beta1: num('adam', 'beta1', beta1, 0.9),
    beta2: num('adam', 'beta2', beta2, 0.999),
    ...epsilonOf('adam', epsilon),
  });
}

/**
 * Adamax: `train.adamax(learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon?, decay = 0)`;
 * a learning-rate decay other than 0 is an error (use a schedule: `schedules.inverseTimeDecay`).
 */
export function adamax(learningRate?: number, beta1?: number, beta2?: number, epsilon?: number | null, decay?: number): Adamax {
  if (arguments.length > 5) throw tooManyArguments('train.adamax', 5, arguments.length);
  if (num('adamax', 'decay', decay, 0) !== 0) {
    throw new Error(
      `train.adamax: a learning-rate decay (${describe(decay)}) is not supported; pass a schedule as the learning rate (schedules.inverseTimeDecay) to new optimizers.Adamax`,
    );
  }
  return new Adamax({
    learningRate: num('adamax', 'learningRate', learningRate, 0.002),
    beta1: num('adamax', 'beta1', beta1, 0.9),
    beta2: num('adamax', 'beta2', beta2, 0.999),
    ...epsilonOf('adamax', epsilon),
  });
}

/** RMSprop: `train.rmsprop(learningRate, decay = 0.9, momentum = 0, epsilon?, centered = false)`; TensorFlow.js's decay is Keras's rho. */
export function rmsprop(learningRate: number, decay?: number, momentum?: number, epsilon?: number | null, centered = false): RMSprop {
  if (arguments.length > 5) throw tooManyArguments('train.rmsprop', 5, arguments.length);
  checkBoolean('train.rmsprop', 'centered', centered);
  return new RMSprop({
    learningRate: num('rmsprop', 'learningRate', learningRate),
    rho: num('rmsprop', 'decay', decay, 0.9),
    momentum: num('rmsprop', 'momentum', momentum, 0),
    ...epsilonOf('rmsprop', epsilon),
    centered,
  });
}

/** Adagrad: `train.adagrad(learningRate, initialAccumulatorValue = 0.1)`. */
export function adagrad(learningRate: number, initialAccumulatorValue?: number): Adagrad {
  if (arguments.length > 2) throw tooManyArguments('train.adagrad', 2, arguments.length);
  return new Adagrad({
    learningRate: num('adagrad', 'learningRate', learningRate),
    initialAccumulatorValue: num('adagrad', 'initialAccumulatorValue', initialAccumulatorValue, 0.1),
  });
}

/** Adadelta: `train.adadelta(learningRate = 0.001, rho = 0.95, epsilon?)`. */
export function adadelta(learningRate?: number, rho?: number, epsilon?: number | null): Adadelta {
  if (arguments.length > 3) throw tooManyArguments('train.adadelta', 3, arguments.length);
  return new Adadelta({
    learningRate: num('adadelta', 'learningRate', learningRate, 0.001),
    rho: num('adadelta', 'rho', rho, 0.95),
    ...epsilonOf('adadelta', epsilon),
  });
}
