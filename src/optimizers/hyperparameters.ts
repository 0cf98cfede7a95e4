// The ranges of the built-in optimizers' hyperparameters, checked when an optimizer is
// made (Keras's SGD refuses momentum outside [0, 1]; a beta of 1 divides by zero in Adam's
// bias correction; a negative epsilon or rho makes NaNs steps later).
import { NON_NEGATIVE, UNIT, UNIT_OPEN_ABOVE, checkInRange, type Interval } from '../tensor/ranges';
import { describe } from '../tensor/shape';

const RANGES: Record<string, Interval> = {
  beta1: UNIT_OPEN_ABOVE,
  beta2: UNIT_OPEN_ABOVE,
  rho: UNIT_OPEN_ABOVE,
  momentum: UNIT,
  epsilon: NON_NEGATIVE,
  initialAccumulatorValue: NON_NEGATIVE,
};
const FLAGS = ['nesterov', 'amsgrad', 'centered'];

/** Throws, naming the optimizer, on a hyperparameter outside its range or a flag that is not a boolean. */
export function checkHyperparameters(kind: string, hyper: Record<string, unknown>, learningRate: unknown): void {
  if (typeof learningRate === 'number') checkInRange(kind, 'learningRate', learningRate, NON_NEGATIVE);
  for (const [key, value] of Object.entries(hyper)) {
    const range = RANGES[key];
    if (range) checkInRange(kind, key, value, range);
    else if (FLAGS.includes(key) && typeof value !== 'boolean') throw new Error(`${kind}: expected ${key} to be true or false, got ${describe(value)}`);
  }
}
