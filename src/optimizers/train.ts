// TensorFlow.js's optimizer factories (`tf.train.adam(0.001)`): positional arguments in
// TensorFlow.js's order and defaults, making the classes of train_classes.ts (Keras 3
// optimizers of this package, whose update rules are Keras's: epsilon scaled as Keras scales it).
import { tooManyArguments } from '../options/arity';
import {
  AdadeltaOptimizer,
  AdagradOptimizer,
  AdamOptimizer,
  AdamaxOptimizer,
  MomentumOptimizer,
  RMSPropOptimizer,
  SGDOptimizer,
  asFactory,
} from './train_classes';

export { AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer, AdamaxOptimizer, MomentumOptimizer, RMSPropOptimizer, SGDOptimizer };

/** Plain SGD: `train.sgd(0.1)`. */
export function sgd(learningRate: number): SGDOptimizer {
  if (arguments.length > 1) throw tooManyArguments('train.sgd', 1, arguments.length);
  return asFactory('train.sgd', () => new SGDOptimizer(learningRate));
}

/** SGD with momentum: `train.momentum(0.1, 0.9, useNesterov?)`. */
export function momentum(learningRate: number, momentum: number, useNesterov = false): MomentumOptimizer {
  if (arguments.length > 3) throw tooManyArguments('train.momentum', 3, arguments.length);
  return asFactory('train.momentum', () => new MomentumOptimizer(learningRate, momentum, useNesterov));
}

/** Adam: `train.adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?)`. */
export function adam(learningRate?: number, beta1?: number, beta2?: number, epsilon?: number | null): AdamOptimizer {
  if (arguments.length > 4) throw tooManyArguments('train.adam', 4, arguments.length);
  return asFactory('train.adam', () => new AdamOptimizer(learningRate, beta1, beta2, epsilon));
}

/**
 * Adamax: `train.adamax(learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon?, decay = 0)`;
 * a learning-rate decay other than 0 is an error (use a schedule: `schedules.inverseTimeDecay`).
 */
export function adamax(learningRate?: number, beta1?: number, beta2?: number, epsilon?: number | null, decay?: number): AdamaxOptimizer {
  if (arguments.length > 5) throw tooManyArguments('train.adamax', 5, arguments.length);
  return asFactory('train.adamax', () => new AdamaxOptimizer(learningRate, beta1, beta2, epsilon, decay));
}

/** RMSprop: `train.rmsprop(learningRate, decay = 0.9, momentum = 0, epsilon?, centered = false)`; TensorFlow.js's decay is Keras's rho. */
export function rmsprop(learningRate: number, decay?: number, momentum?: number, epsilon?: number | null, centered = false): RMSPropOptimizer {
  if (arguments.length > 5) throw tooManyArguments('train.rmsprop', 5, arguments.length);
  return asFactory('train.rmsprop', () => new RMSPropOptimizer(learningRate, decay, momentum, epsilon, centered));
}

/** Adagrad: `train.adagrad(learningRate, initialAccumulatorValue = 0.1)`. */
export function adagrad(learningRate: number, initialAccumulatorValue?: number): AdagradOptimizer {
  if (arguments.length > 2) throw tooManyArguments('train.adagrad', 2, arguments.length);
  return asFactory('train.adagrad', () => new AdagradOptimizer(learningRate, initialAccumulatorValue));
}

/** Adadelta: `train.adadelta(learningRate = 0.001, rho = 0.95, epsilon?)`. */
export function adadelta(learningRate?: number, rho?: number, epsilon?: number | null): AdadeltaOptimizer {
  if (arguments.length > 3) throw tooManyArguments('train.adadelta', 3, arguments.length);
  return asFactory('train.adadelta', () => new AdadeltaOptimizer(learningRate, rho, epsilon));
}
