// TensorFlow.js's names for fitDataset's and evaluateDataset's step counts
// (batchesPerEpoch, validationBatches, batches), read as Keras's (stepsPerEpoch,
// validationSteps, steps): the same meaning under another name, so both habits work.
import { describe } from '../tensor/shape';

/** fitDataset's options: fit's, and TensorFlow.js's names for two of them. */
export interface TfjsFitDatasetNames {
  /** TensorFlow.js's name of stepsPerEpoch. */
  batchesPerEpoch?: number;
  /** TensorFlow.js's name of validationSteps. */
  validationBatches?: number;
}

/** evaluateDataset's options: evaluate's, and TensorFlow.js's name for steps. */
export interface TfjsEvaluateDatasetNames {
  /** TensorFlow.js's name of steps. */
  batches?: number;
}

const RENAMES: Record<'fitDataset' | 'evaluateDataset', Array<[string, string]>> = {
  fitDataset: [
    ['batchesPerEpoch', 'stepsPerEpoch'],
    ['validationBatches', 'validationSteps'],
  ],
  evaluateDataset: [['batches', 'steps']],
};

/** `args` with TensorFlow.js's step-count names given Keras's; both names at once must agree. */
export function renameTfjsDatasetArgs<A>(op: string, method: keyof typeof RENAMES, args: A): A {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return args; // checked by the loop
  const given = args as Record<string, unknown>;
  if (!RENAMES[method].some(([from]) => given[from] !== undefined)) return args;
  const out: Record<string, unknown> = { ...given };
  for (const [from, to] of RENAMES[method]) {
    if (out[from] === undefined) continue;
    if (out[to] !== undefined && out[to] !== out[from]) {
      throw new Error(
        `${op}: options '${from}' (TensorFlow.js's name) and '${to}' disagree (${describe(out[from])} and ${describe(out[to])}); they are one option`,
      );
    }
    out[to] = out[from];
    delete out[from];
  }
  return out as A;
}
