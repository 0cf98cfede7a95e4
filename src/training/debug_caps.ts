// config.setMaxEpochs / setMaxStepsPerEpoch (Keras 3.10+): caps on fit's epochs and on the
// steps of an epoch, evaluate and predict, for tests and debugging runs. A cap that bites
// says so, as Keras warns 'Limiting epochs to N'.
import { maxEpochs, maxStepsPerEpoch } from '../config/settings';

/** @internal `epochs`, or config.maxEpochs() when that is smaller. */
export function cappedEpochs(op: string, epochs: number): number {
  const cap = maxEpochs();
  if (cap === null || cap >= epochs) return epochs;
  console.warn(`${op}: limiting epochs to ${cap} (config.maxEpochs)`);
  return cap;
}

/** @internal `steps` (undefined: the whole data), or config.maxStepsPerEpoch() when that is smaller. */
export function cappedSteps(op: string, what: string, steps: number | undefined): number | undefined {
  const cap = maxStepsPerEpoch();
  if (cap === null || (steps !== undefined && cap >= steps)) return steps;
  console.warn(`${op}: limiting ${what} to ${cap} (config.maxStepsPerEpoch)`);
  return cap;
}
