// Options objects as users write them: TensorFlow.js camelCase or Keras snake_case
// (use_bias, input_shape, beta_1, global_clipnorm). Every options object of the public API
// goes through here: a key that names no option is an error naming the owner, the key and
// the closest valid key, and two spellings of one option must agree. The valid keys come
// from the types themselves (option_keys.ts, generated).
import { checkNoHoles, describe } from '../tensor/shape';

// Where it lived first; shape.ts holds it so the axis checks there can use it.
export { checkNoHoles };
import { Tensor } from '../tensor/tensor';
import { classNameOf } from '../serialization/registry';
import { OPTION_KEYS, TENSOR_OPTION_KEYS } from './option_keys';

// One spelling for matching: Keras's snake_case, TF.js's camelCase and Keras's lower-case
// compounds (clipnorm) meet on lower case without underscores.
const spelling = (key: string): string => key.replace(/_/g, '').toLowerCase();

/** The valid keys of the option table entry `entry` ('layers.Dense', 'conv2d', 'Model.fit'). */
export function optionKeys(entry: string): readonly string[] {
  const keys = OPTION_KEYS[entry];
  if (keys === undefined) throw new Error(`internal error: no option table entry '${entry}' (run npm run gen:options)`);
  return keys;
}

/** True when the table has an entry called `entry`. */
export function hasOptionKeys(entry: string): boolean {
  return Object.prototype.hasOwnProperty.call(OPTION_KEYS, entry);
}

/** The valid key `key` spells ('use_bias' -> 'useBias', 'clipNorm' -> 'clipnorm'), or undefined. */
export function canonicalKey(key: string, valid: readonly string[]): string | undefined {
  if (valid.includes(key)) return key;
  const s = spelling(key);
  return valid.find((k) => spelling(k) === s);
}

/** What checkOptions does with a key that names no option. */
export type UnknownKeys = 'throw' | 'keep';

function keysOf(valid: readonly string[] | string): readonly string[] {
  return typeof valid === 'string' ? optionKeys(valid) : valid;
}

// The options that take tensors (from the table's types), named when a Tensor came where the options go.
function tensorHint(valid: readonly string[] | string): string {
  const keys = keysOf(valid);
  const tensorKeys = typeof valid === 'string' ? (TENSOR_OPTION_KEYS[valid] ?? []) : [];
  return tensorKeys.length > 0 ? `tensors go in by name: { ${tensorKeys.map((k) => `${k}: ...`).join(', ')} }` : `valid options are: ${keys.join(', ')}`;
}

/**
 * `options` with every key in its valid spelling (a copy when any was renamed). null and
 * undefined are no options ({}); anything but a plain object is an error. An unknown key
 * throws `${owner}: unknown option 'activaton'; did you mean 'activation'?`, unless
 * `unknown` is 'keep' (a user's subclass passing its own keys on). Keys whose value is
 * undefined count as absent.
 * @param valid the valid keys, or the name of their option table entry
 */
export function checkOptions<T extends object>(
  owner: string,
  options: T | null | undefined,
  valid: readonly string[] | string,
  unknown: UnknownKeys = 'throw',
): T {
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== 'object' || Array.isArray(options)) throw new Error(`${owner}: expected an options object, got ${describe(options)}`);
  // A tensor where options go: a positional habit (Keras's mha(query, value), predict(x, y)).
  if (options instanceof Tensor) {
    throw new Error(`${owner}: expected an options object, got a Tensor (shape [${options.shape.join(', ')}]); ${tensorHint(valid)}`);
  }
  const keys = keysOf(valid);
  let renamed = false;
  const out: Record<string, unknown> = {};
  const spelledAs = new Map<string, string>();
  // for-in, not Object.entries: keys an options object inherits (Object.create(defaults),
  // { units: 2, __proto__: { activaton: 'relu' } }) are read as options too, so are checked too.
  for (const key in options) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    checkNoHoles(owner, `option '${key}'`, value, key);
    const canonical = canonicalKey(key, keys);
    if (canonical === undefined) {
      if (unknown === 'throw') throw new Error(`${owner}: unknown option '${key}'; ${suggestion(key, keys)}`);
      // defineProperty: JSON.parse's own '__proto__' key, assigned, would set out's prototype.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const previous = spelledAs.get(canonical);
    if (previous !== undefined && !sameValue(out[canonical], value)) {
      throw new Error(`${owner}: options '${previous}' and '${key}' disagree (${describe(out[canonical])} and ${describe(value)}); they are one option`);
    }
    spelledAs.set(canonical, key);
    out[canonical] = value;
    if (canonical !== key) renamed = true;
  }
  return renamed ? (out as T) : options;
}

// Two spellings agree when they give the same value, arrays compared by content ([3] and [3]).
const sameValue = (a: unknown, b: unknown): boolean => a === b || (Array.isArray(a) && Array.isArray(b) && JSON.stringify(a) === JSON.stringify(b));

/** The valid name closest to `key` (case and underscores aside, a few edits at most), if any is close. */
export function closestName(key: string, valid: readonly string[]): string | undefined {
  const s = spelling(key);
  let best: string | undefined;
  let bestDistance = Infinity;
  let bestRaw = Infinity;
  for (const k of valid) {
    const d = editDistance(s, spelling(k));
    // Among spellings of one name (categoricalCrossentropy, categorical_crossentropy), the one written alike.
    const raw = d <= bestDistance ? editDistance(key, k) : Infinity;
    if (d < bestDistance || (d === bestDistance && raw < bestRaw)) [best, bestDistance, bestRaw] = [k, d, raw];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(s.length / 3)) ? best : undefined;
}

/** "did you mean 'x'? " for a misspelled name of a registry (loss, metric, optimizer), or ''. */
export function didYouMean(name: unknown, valid: readonly string[]): string {
  const best = typeof name === 'string' ? closestName(name, valid) : undefined;
  return best === undefined ? '' : `did you mean '${best}'? `;
}

// Older Keras names that no edit distance finds, by spelling: the option they became and what to say.
const RENAMED: Record<string, { option: string; hint: string }> = {
  lr: { option: 'learningRate', hint: "did you mean 'learningRate'? (Keras 2's lr)" },
  nbepoch: { option: 'epochs', hint: "did you mean 'epochs'? (Keras 1's nb_epoch)" },
  decay: {
    option: 'learningRate',
    hint: "Keras 2's decay is a schedule here: learningRate: ts.schedules.inverseTimeDecay({ initialLearningRate, decaySteps: 1, decayRate: decay })",
  },
};

/** "did you mean 'x'?" for the closest valid key, or the list of valid keys when none is close. */
export function suggestion(key: string, valid: readonly string[]): string {
  const renamed = RENAMED[spelling(key)];
  if (renamed !== undefined && valid.includes(renamed.option)) return renamed.hint;
  const best = closestName(key, valid);
  if (best !== undefined) return `did you mean '${best}'?`;
  return valid.length === 0 ? 'it takes no options' : `valid options are: ${valid.join(', ')}`;
}

// Levenshtein distance, with a swap of two neighbours counting once (acitvation).
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The option table entry of a class reached as `${namespace}.${name}` (or at the top level). */
function classEntry(namespace: string, cls: Function): string {
  const entry = entryOf(namespace, cls);
  if (entry === undefined) throw new Error(`internal error: ${cls.name} has no option table entry (run npm run gen:options)`);
  return entry;
}

/**
 * @internal The first statement of a built-in class's constructor:
 * `options = classOptions('schedules', ExponentialDecay, new.target, options)`.
 * - `cls` is the class being instantiated (`target`): unknown keys are errors.
 * - `target` is a built-in subclass (it has a table entry): checked again at each level
 *   up, against the keys of every class on the way, since a built-in subclass may add
 *   keys for its base (LSTM gives RNN its cell); this also checks a subclass that
 *   inherits its constructor (TruncatedNormal).
 * - `target` is a user's subclass: keys it passes up are kept.
 * Snake_case spellings are mapped in every case.
 */
export function classOptions<T extends object>(namespace: string, cls: Function, target: Function, options: T | null | undefined): T {
  const owner = classNameOf(target);
  if (target === cls) return checkOptions(owner, options, classEntry(namespace, cls));
  if (entryOf(namespace, target) === undefined) return checkOptions(owner, options, classEntry(namespace, cls), 'keep');
  const keys = new Set<string>();
  for (let c: Function | null = target; c !== null && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const entry = entryOf(namespace, c);
    if (entry !== undefined) for (const k of optionKeys(entry)) keys.add(k);
  }
  return checkOptions(owner, options, [...keys]);
}

function entryOf(namespace: string, cls: Function): string | undefined {
  return [`${namespace}.${cls.name}`, cls.name].find(hasOptionKeys);
}

/**
 * @internal The options of a function wrapper (LossFunctionWrapper, MeanMetricWrapper)
 * built into a named class: checked against that class's entry (`new Huber({delta})`);
 * a wrapper made directly, or a user's subclass, passes its function's options on as given.
 */
export function wrapperOptions<T extends object>(namespace: string, target: Function, options: T | null | undefined): T {
  const entry = `${namespace}.${target.name}`;
  if (hasOptionKeys(entry) && !WRAPPERS.has(target.name)) return checkOptions(classNameOf(target), options, entry);
  return checkOptions(classNameOf(target), options, [], 'keep');
}
const WRAPPERS = new Set(['LossFunctionWrapper', 'MeanMetricWrapper']);
