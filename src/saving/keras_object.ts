// Keras 3's serialize_keras_object / deserialize_keras_object: any Keras object (a layer or
// model, loss, metric, optimizer, initializer, regularizer, constraint, learning-rate
// schedule, activation) as {module, class_name, config, registered_name}, the shape a
// .keras file's config.json holds, and back; plain values, lists and objects pass through
// with their members converted. Built on what .keras saving and loading already use.
import * as activations from '../activations';
import * as constraints from '../constraints';
import { Constraint } from '../constraints/constraint';
import * as initializers from '../initializers';
import { Initializer } from '../initializers/initializer';
import { Layer } from '../layers/layer';
import { serializeLayer } from '../layers/serialization';
import * as losses from '../losses';
import { Loss } from '../losses/loss';
import * as metrics from '../metrics';
import { Metric } from '../metrics/metric';
import * as optimizers from '../optimizers';
import { Optimizer } from '../optimizers/optimizer';
import * as regularizers from '../regularizers';
import { Regularizer } from '../regularizers';
import * as schedules from '../schedules';
import { LearningRateSchedule } from '../schedules/schedule';
import {
  checkCustomObjects,
  currentCustomObjects,
  findCustomObject,
  globalNameOf,
  withCustomObjects,
  type CustomObjects,
} from '../serialization/custom_objects';
import { builtinFunctionConfig } from '../serialization/builtin_function';
import { installKerasFormHooks } from '../serialization/keras_form';
import { classNameOf } from '../serialization/registry';
import { checkNestDepth } from '../ops/nest';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { buildConfigOf, buildModel, checkConfigDepth } from './build_model';
import { configFromDisk, configToDisk, type Json } from './config_conversion';
import { optimizerFromConfig } from './keras_optimizer';
import { dropNeutralInitializerKeys, layerToDisk } from './model_config';

/** Options of deserializeKerasObject. */
export interface DeserializeKerasObjectOptions {
  /** Custom classes and functions by name (or registered name 'package>Name'), as Keras's custom_objects. */
  customObjects?: CustomObjects | null;
}

const SER = 'utils.serializeKerasObject';
const DESER = 'utils.deserializeKerasObject';

// The kinds of objects with a {className, config} form, their Keras module and namespace.
interface Kind {
  base: abstract new (...args: any[]) => object;
  module: string;
  namespace: Record<string, unknown>;
  config: (obj: any) => { className: string; config: object };
}
const fromGetConfig = (obj: { getConfig(): object }) => ({ className: classNameOf(obj.constructor), config: obj.getConfig() });
const KINDS: Kind[] = [
  { base: Loss, module: 'keras.losses', namespace: losses, config: fromGetConfig },
  { base: Metric, module: 'keras.metrics', namespace: metrics, config: fromGetConfig },
  { base: Optimizer, module: 'keras.optimizers', namespace: optimizers, config: (o: Optimizer) => optimizers.serialize(o) },
  { base: Initializer, module: 'keras.initializers', namespace: initializers, config: (o: Initializer) => initializers.serialize(o) },
  { base: Regularizer, module: 'keras.regularizers', namespace: regularizers, config: (o: Regularizer) => regularizers.serialize(o) },
  { base: Constraint, module: 'keras.constraints', namespace: constraints, config: (o: Constraint) => constraints.serialize(o) },
  { base: LearningRateSchedule, module: 'keras.optimizers.schedules', namespace: schedules, config: (o: LearningRateSchedule) => schedules.serialize(o) },
];

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * An object's Keras 3 config, `{module, class_name, config, registered_name}` (a built
 * layer adds build_config), as keras.saving.serialize_keras_object returns it; numbers,
 * strings, booleans and null as they are; arrays and plain objects member by member.
 * @example ts.utils.serializeKerasObject(new ts.losses.MeanSquaredError())
 * // {module: 'keras.losses', class_name: 'MeanSquaredError', config: {...}, registered_name: null}
 */
export function serializeKerasObject(obj: unknown): Json {
  if (arguments.length > 1) throw tooManyArguments(SER, 1, arguments.length);
  checkNestDepth(SER, obj, 'the value'); // a value holding itself, before serialize recurses into it
  return serialize(obj, '');
}

function serialize(obj: unknown, where: string): Json {
  if (obj === null || obj === undefined) return null;
  if (typeof obj === 'string' || typeof obj === 'boolean') return obj;
  if (typeof obj === 'number') {
    if (!Number.isFinite(obj)) throw new Error(`${SER}: ${where || 'the value'} is ${obj}, which JSON cannot hold`);
    return obj;
  }
  if (Array.isArray(obj)) return obj.map((v, i) => serialize(v, `${where}[${i}]`));
  if (obj instanceof Layer) {
    const out = layerToDisk(serializeLayer(obj), 'keras');
    const build = buildConfigOf(obj);
    if (build !== undefined) out.build_config = build as unknown as Json;
    return out;
  }
  if (typeof obj === 'function') return serializeFunction(obj as (...args: unknown[]) => unknown);
  for (const kind of KINDS) {
    if (!(obj instanceof kind.base)) continue;
    const { className, config } = kind.config(obj);
    const registered = globalNameOf(obj.constructor);
    // A custom class is known by its registered name ('package>Name'), as Keras writes it.
    return {
      module: registered === undefined ? kind.module : null,
      class_name: classNameOf(obj.constructor),
      config: configToDisk(config, 'keras'),
      registered_name: registered ?? (className.includes('>') ? className : null),
    };
  }
  if (isPlain(obj)) return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, serialize(v, where ? `${where}.${k}` : k)]));
  throw new Error(
    `${SER}: cannot serialize ${where ? `${where}: ` : ''}${describe(obj)}; expected a layer, model, loss, metric, optimizer, initializer, regularizer, constraint, learning-rate schedule, activation, or plain data of them`,
  );
}

// Keras 3.15 writes any named function as {module: 'builtins', class_name: 'function', config: 'relu',
// registered_name: 'function'}, a registered one with its registered name as config ('package>name').
function serializeFunction(fn: (...args: unknown[]) => unknown): Json {
  const registered = globalNameOf(fn);
  if (registered !== undefined) return builtinFunctionConfig(registered);
  let name: string;
  try {
    name = activations.serialize(fn as never, SER);
  } catch {
    throw new Error(
      `${SER}: cannot serialize the function ${fn.name || '(anonymous)'}: it is not a built-in activation; register it with utils.registerKerasSerializable to write it by name`,
    );
  }
  return builtinFunctionConfig(name);
}

/**
 * The object a Keras 3 config describes (keras.saving.deserialize_keras_object): a layer
 * or model (fresh weights), loss, metric, optimizer, initializer, regularizer, constraint,
 * schedule or activation; plain values, lists and objects member by member. Custom
 * classes: registered (utils.registerKerasSerializable) or given as customObjects.
 * @example const loss = ts.utils.deserializeKerasObject({ module: 'keras.losses', class_name: 'Huber', config: { delta: 2 }, registered_name: null });
 */
export function deserializeKerasObject(config: unknown, options?: DeserializeKerasObjectOptions | null): unknown {
  if (arguments.length > 2) throw tooManyArguments(DESER, 2, arguments.length);
  const { customObjects } = checkOptions(DESER, options, DESER);
  const custom = checkCustomObjects(DESER, customObjects);
  checkConfigDepth(DESER, config, 'the config');
  // As Keras: the call's customObjects add to those of the current customObjectScope.
  return withCustomObjects(new Map([...currentCustomObjects(), ...custom]), () => deserialize(config, 'config'));
}

function deserialize(v: unknown, where: string): unknown {
  if (v === null || v === undefined || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x, i) => deserialize(x, `${where}[${i}]`));
  if (!isPlain(v)) throw new Error(`${DESER}: expected plain JSON data at ${where}, got ${describe(v)}`);
  // As Keras: an object without class_name and config is a dict of configs.
  if (typeof v.class_name !== 'string' || !('config' in v)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deserialize(x, `${where}.${k}`)]));
  }
  const className = v.class_name;
  const module = typeof v.module === 'string' ? v.module : null;
  const registered = typeof v.registered_name === 'string' ? v.registered_name : null;
  if (className === '__tuple__' && isPlain(v.config) && Array.isArray(v.config.value)) return deserialize(v.config.value, where);
  if (className === 'function') return deserializeFunction(v.config, module, registered, where);
  if (
    module === 'keras.layers' ||
    (module === 'keras' && ['Sequential', 'Functional', 'Model'].includes(className)) ||
    module?.startsWith('keras.src.models') ||
    module?.startsWith('keras.src.layers') ||
    isLayerClass(className, registered)
  ) {
    return buildModel(v, 'keras', `${DESER}: ${where}`);
  }
  const kind = KINDS.find((k) => k.module === module) ?? KINDS.find((k) => classIn(k, className, registered) !== undefined);
  const cls = kind && classIn(kind, className, registered);
  if (kind === undefined || cls === undefined) {
    throw new Error(
      `${DESER}: ${where}: unknown class '${registered ?? className}'${module ? ` of module ${module}` : ''}; a custom class must be registered (utils.registerKerasSerializable) or given as customObjects`,
    );
  }
  // Keras-only optimizer options (use_ema, ...) must be off, as when a .keras file loads.
  if (kind.base === Optimizer) return optimizerFromConfig(`${DESER}: ${where}`, v);
  if (v.config !== null && v.config !== undefined && !isPlain(v.config))
    throw new Error(`${DESER}: ${where}: expected the config of ${className} to be an object, got ${describe(v.config)}`);
  const config = (configFromDisk(v.config ?? {}) ?? {}) as Record<string, unknown>;
  // Keras writes the dtype of losses and metrics; Tessera's follow their inputs.
  if (kind.base === Loss || kind.base === Metric) delete config.dtype;
  // Keras names a schedule after its class by default; Tessera's have no name.
  if (kind.base === LearningRateSchedule && config.name === className) delete config.name;
  if (kind.base === Initializer) dropNeutralInitializerKeys(config, `${DESER}: ${where}: ${className}`);
  try {
    return (cls as unknown as { fromConfig?: (c: object) => unknown }).fromConfig?.(config) ?? new (cls as new (c: object) => unknown)(config);
  } catch (e) {
    throw new Error(`${DESER}: ${where}: cannot rebuild ${className}: ${(e as Error).message}`, { cause: e });
  }
}

// The class a config names within a kind: a custom object by registered or class name, else the built-in.
function classIn(kind: Kind, className: string, registered: string | null): Function | undefined {
  for (const name of [registered, className]) {
    if (name === null) continue;
    const found = findCustomObject(name, (c) => c.prototype instanceof kind.base)?.value;
    if (found !== undefined) return found;
  }
  const builtIn = kind.namespace[className];
  return typeof builtIn === 'function' && (builtIn as { prototype?: unknown }).prototype instanceof kind.base ? builtIn : undefined;
}

function isLayerClass(className: string, registered: string | null): boolean {
  return [registered, className].some((n) => n !== null && findCustomObject(n, (c) => c.prototype instanceof Layer) !== undefined);
}

function deserializeFunction(config: unknown, module: string | null, registered: string | null, where: string): unknown {
  if (typeof config !== 'string') throw new Error(`${DESER}: ${where}: expected a function's config to be its name, got ${describe(config)}`);
  for (const name of [registered, config]) {
    if (name === null || name === 'function') continue;
    const found = findCustomObject(name, (c) => typeof c === 'function');
    if (found !== undefined) return found.value;
  }
  try {
    if (module === 'keras.losses') return losses.get(config);
    if (module === 'keras.metrics') return metrics.get(config);
    return activations.get(config, DESER);
  } catch (e) {
    throw new Error(`${DESER}: ${where}: unknown function '${config}': ${(e as Error).message}`, { cause: e });
  }
}

// ts.layers.serialize, ts.losses.deserialize, ...: the namespaces reach these two through serialization/keras_form.ts.
installKerasFormHooks({
  serialize: (obj) => serialize(obj, ''),
  deserialize: (config) => {
    checkConfigDepth(DESER, config, 'the config');
    return deserialize(config, 'config');
  },
});
