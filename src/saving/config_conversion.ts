// Layer configs between Tessera's camelCase and the snake_case that TensorFlow.js
// model.json files and Keras write. One rule converts keys both ways (Keras's and
// TensorFlow.js's to_snake_case, and its inverse) with a small table of exceptions;
// nested objects ({className, config}) become {class_name, config}, with the module
// and registered_name wrappers of Keras 3 when writing a .keras file.
import { toSnakeCase } from '../layers/naming';
import { builtinFunctionConfig } from '../serialization/builtin_function';
import { describe } from '../tensor/shape';

/** Which file format a config is read from or written to. */
export type DiskFormat = 'tfjs' | 'keras';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Keys where the general rule is not what the other side writes (Keras's optimizers
// say beta_1; the rule would give beta1; Adafactor's beta_2_decay, epsilon_1 and epsilon_2 and
// Muon's adam_beta_1 likewise).
const KEY_EXCEPTIONS: Record<string, string> = {
  beta1: 'beta_1',
  beta2: 'beta_2',
  beta2Decay: 'beta_2_decay',
  epsilon1: 'epsilon_1',
  epsilon2: 'epsilon_2',
  // Muon's.
  adamBeta1: 'adam_beta_1',
  adamBeta2: 'adam_beta_2',
};
const KEY_EXCEPTIONS_BACK: Record<string, string> = Object.fromEntries(Object.entries(KEY_EXCEPTIONS).map(([a, b]) => [b, a]));

// String values under these keys are names, never converted.
// AUC's curve too: Keras writes 'ROC' / 'PR' as they are.
const NAME_KEYS = new Set(['name', 'className', 'registeredName', 'module', 'curve']);

// Keys whose registered name ('package>name') stands for a function, which Keras 3 writes
// as {class_name: 'function', ...} (TextVectorization's standardize and split).
const FUNCTION_KEYS = new Set(['standardize', 'split']);

// Keras 3's form of a registered function (serialize_keras_object of a function).
function registeredFunction(name: string): Json {
  return { module: null, class_name: 'function', config: name.slice(name.lastIndexOf('>') + 1), registered_name: name };
}

// A layer's activation registered as 'package>name': Keras 3.15 writes it (activations.serialize)
// as a builtins function whose config is the registered name, and refuses the bare string.
const ACTIVATION_KEYS = new Set(['activation', 'recurrentActivation']);

// Keras 3 puts each kind of nested object in a module; the key's suffix says which.
const MODULE_BY_SUFFIX: [string, string][] = [
  ['Initializer', 'keras.initializers'],
  ['Regularizer', 'keras.regularizers'],
  ['Constraint', 'keras.constraints'],
  ['learningRate', 'keras.optimizers.schedules'],
  // LossScaleOptimizer's innerOptimizer.
  ['Optimizer', 'keras.optimizers'],
  // A wrapper's layer and backwardLayer, an RNN's cell (or cells): Keras cannot find them without it.
  ['layer', 'keras.layers'],
  ['Layer', 'keras.layers'],
  ['cell', 'keras.layers'],
  ['cells', 'keras.layers'],
];

/** 'kernel_initializer' -> 'kernelInitializer'. */
export function toCamelCase(key: string): string {
  return (Object.hasOwn(KEY_EXCEPTIONS_BACK, key) ? KEY_EXCEPTIONS_BACK[key] : undefined) ?? key.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** 'kernelInitializer' -> 'kernel_initializer'. */
export function toSnake(key: string): string {
  return (Object.hasOwn(KEY_EXCEPTIONS, key) ? KEY_EXCEPTIONS[key] : undefined) ?? toSnakeCase(key);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A config as written on disk: keys snake_case; string values too (Keras spells enum
 * values 'fan_avg', 'channels_last'), except names. `{className, config}` objects become
 * `{class_name, config}`; for Keras 3 they gain `module` and `registered_name`, and
 * `dtype` becomes a DTypePolicy. `verbatim` keeps string values as they are (a custom layer's
 * own options: its code compares them as it wrote them), except inside `{className, config}`.
 */
export function configToDisk(value: unknown, format: DiskFormat, key = '', verbatim = false): Json {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    // A registered function's name ('package>name') is a name, as it was registered.
    if (value.includes('>')) {
      if (format !== 'keras') return value;
      return FUNCTION_KEYS.has(key) ? registeredFunction(value) : ACTIVATION_KEYS.has(key) ? builtinFunctionConfig(value) : value;
    }
    return NAME_KEYS.has(key) || verbatim ? value : toSnakeCase(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot save the config value ${key}=${value}: JSON has no ${value}`);
    return value;
  }
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => configToDisk(v, format, key, verbatim));
  if (!isPlainObject(value)) throw new Error(`cannot save the config value under '${key}': ${describe(value)} is not plain data`);
  if (format === 'keras' && key === 'dtype' && typeof value === 'string') return dtypePolicy(value);
  const out: { [k: string]: Json } = {};
  const serialized = typeof value.className === 'string' && isPlainObject(value.config);
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[toSnake(k)] = format === 'keras' && k === 'dtype' && typeof v === 'string' ? dtypePolicy(v) : configToDisk(v, format, k, verbatim && !serialized);
  }
  if (format === 'keras' && serialized) {
    const module = MODULE_BY_SUFFIX.find(([suffix]) => key.endsWith(suffix))?.[1] ?? null;
    return { module, class_name: value.className as string, config: out.config, registered_name: null };
  }
  return out;
}

/** Keras 3's dtype policy object for a dtype name. */
export function dtypePolicy(dtype: string): Json {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name: dtype }, registered_name: null };
}

/**
 * A config as Tessera's classes take it: keys camelCase, `{class_name, config}` ->
 * `{className, config}`, Keras 3's wrappers dropped (module, registered_name) and
 * DTypePolicy objects turned into their dtype name. String values are left alone:
 * Tessera accepts Keras's spellings ('fan_avg', 'hard_sigmoid').
 */
export function configFromDisk(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(configFromDisk);
  if (!isPlainObject(value)) return value;
  if (value.class_name === 'DTypePolicy' || value.class_name === 'FloatDTypePolicy') {
    const name = isPlainObject(value.config) ? value.config.name : undefined;
    return typeof name === 'string' ? name : value;
  }
  if (value.class_name === '__tuple__' && isPlainObject(value.config) && Array.isArray(value.config.value)) return configFromDisk(value.config.value);
  // Keras 3 writes a custom function (an activation) as {class_name: 'function', config: its name}; Tessera names it.
  if (value.class_name === 'function' && typeof value.config === 'string')
    return typeof value.registered_name === 'string' && value.registered_name.includes('>') ? value.registered_name : value.config;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'module' || k === 'registered_name') continue;
    // A file's '__proto__' key is a key like any other (assigned, it would replace the object's prototype).
    Object.defineProperty(out, toCamelCase(k), { value: configFromDisk(v), enumerable: true, writable: true, configurable: true });
  }
  // A custom object is known by its registered name ('package>Name').
  if (typeof value.registered_name === 'string' && value.registered_name.includes('>')) out.className = value.registered_name;
  return out;
}
