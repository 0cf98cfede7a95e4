// The options a layer constructor reads, checked once against the generated option table:
// the class the user instantiates checks strictly (an unknown key is an error); a user's
// subclass passing its own keys up to a built-in class keeps them. Snake_case spellings
// (use_bias, input_shape, return_sequences) become the camelCase keys either way.
import { checkOptions, hasOptionKeys } from '../options/check';
import { classNameOf } from '../serialization/registry';

/** The option table entry of a layer or model class: 'layers.Dense', or 'Sequential' for models. */
function entryOf(cls: Function): string {
  const entry = hasOptionKeys(`layers.${cls.name}`) ? `layers.${cls.name}` : cls.name;
  if (!hasOptionKeys(entry)) throw new Error(`internal error: ${cls.name} has no option table entry (run npm run gen:options)`);
  return entry;
}

/**
 * @internal The first statement of a layer constructor: `args = layerOptions(Dense, new.target, args)`.
 * Strict when `cls` is the class being instantiated (`target`); otherwise unknown keys pass on.
 */
export function layerOptions<T extends object>(cls: Function, target: Function, args: T | null | undefined): T {
  return checkOptions(classNameOf(target), args, entryOf(cls), target === cls ? 'throw' : 'keep');
}
