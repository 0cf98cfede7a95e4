// The ranges of the built-in optimizers' hyperparameters, checked when an optimizer is
// made (Keras's SGD refuses momentum outside [0, 1]; a beta of 1 divides by zero in Adam's
// bias correction; a negative epsilon or rho makes NaNs steps later).
import { FINITE, NON_NEGATIVE, UNIT, UNIT_OPEN_ABOVE, checkInRange, type Interval } from '../tensor/ranges';

const NON_POSITIVE: Interval = { lo: -Infinity, hi: 0 };
import { describe } from '../tensor/shape';
import { ownEntry } from '../options/own_entry';

const RANGES: Record<string, Interval> = {
  beta1: UNIT_OPEN_ABOVE,
  beta2: UNIT_OPEN_ABOVE,
  rho: UNIT_OPEN_ABOVE,
  momentum: UNIT,
  epsilon: NON_NEGATIVE,
  initialAccumulatorValue: NON_NEGATIVE,
  // Ftrl's (Keras refuses a positive power and negative strengths).
  learningRatePower: NON_POSITIVE,
  l1RegularizationStrength: NON_NEGATIVE,
  l2RegularizationStrength: NON_NEGATIVE,
  l2ShrinkageRegularizationStrength: NON_NEGATIVE,
  beta: NON_NEGATIVE,
  // Adafactor's: a positive decay exponent makes the second moment's weight 1 - t^d negative.
  beta2Decay: NON_POSITIVE,
  epsilon1: NON_NEGATIVE,
  epsilon2: NON_NEGATIVE,
  clipThreshold: { lo: 0, hi: Infinity, loClosed: false },
  // Muon's AdamW part and Newton-Schulz coefficients.
  adamBeta1: UNIT_OPEN_ABOVE,
  adamBeta2: UNIT_OPEN_ABOVE,
  adamLrRatio: NON_NEGATIVE,
  muonA: FINITE,
  muonB: FINITE,
  muonC: FINITE,
  // LossScaleOptimizer's.
  initialScale: { lo: 0, hi: Infinity, loClosed: false },
  dynamicGrowthSteps: { lo: 1, hi: Infinity },
};
// Where one optimizer's range differs from the shared one: Lion's beta1 of 0 degenerates to
// SignSGD (Keras refuses it) and 1 is fine (no bias correction divides by 1 - beta1).
const RANGES_OF: Record<string, Record<string, Interval>> = {
  Lion: { beta1: { lo: 0, hi: 1, loClosed: false }, beta2: UNIT },
  // ScheduleFreeAdamW divides by beta1 to recover its average.
  ScheduleFreeAdamW: { beta1: { lo: 0, hi: 1, loClosed: false, hiClosed: false } },
};
const FLAGS = ['nesterov', 'amsgrad', 'centered', 'relativeStep', 'excludeEmbeddings'];

/** Throws, naming the optimizer, on a hyperparameter outside its range or a flag that is not a boolean. */
export function checkHyperparameters(kind: string, hyper: Record<string, unknown>, learningRate: unknown): void {
  if (typeof learningRate === 'number') checkInRange(kind, 'learningRate', learningRate, NON_NEGATIVE);
  for (const [key, value] of Object.entries(hyper)) {
    const range = ownEntry(ownEntry(RANGES_OF, kind) ?? {}, key) ?? ownEntry(RANGES, key);
    if (range) checkInRange(kind, key, value, range);
    else if (FLAGS.includes(key) && typeof value !== 'boolean') throw new Error(`${kind}: expected ${key} to be true or false, got ${describe(value)}`);
  }
}
