// The options a layer constructor reads, checked once against the generated option table:
// the class the user instantiates checks strictly (an unknown key is an error); a user's
// subclass passing its own keys up to a built-in class keeps them. Snake_case spellings
// (use_bias, input_shape, return_sequences) become the camelCase keys either way.
import { classOptions } from '../options/check';
import { refuseKerasPositional } from './keras_positional';

/**
 * @internal The first statement of a layer constructor: `args = layerOptions(Dense, new.target, args)`.
 * Layers are reached as layers.Dense; models (Sequential, Functional) at the top level.
 */
export function layerOptions<T extends object>(cls: Function, target: Function, args: T | null | undefined): T {
  refuseKerasPositional(cls.name, [args]);
  return classOptions('layers', cls, target, args);
}
