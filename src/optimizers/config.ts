// Optimizer options as users write them: TensorFlow.js camelCase, Keras 3 snake_case
// (learning_rate, beta_1, global_clipnorm) or Keras's own spellings (clipnorm): the
// spelling rules and errors are those of every options object (options/check.ts).
import { checkOptions } from '../options/check';

/**
 * The options with canonical keys, over `defaults` (whose keys are the valid options);
 * throws on unknown options (with the closest valid one) and on two spellings of one
 * option with different values.
 */
export function normalizeOptions<T extends object>(op: string, options: object, defaults: T): T {
  return { ...defaults, ...checkOptions(op, options, Object.keys(defaults)) };
}
