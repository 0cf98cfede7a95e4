// Keras 3's per-namespace serialize / deserialize (keras.losses.serialize, keras.layers.deserialize,
// ...) on top of saving/keras_object.ts. That module imports every namespace, so the namespaces
// reach it through these hooks, which it installs when it loads, rather than by an import cycle.
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { describe } from '../tensor/shape';
import { checkCustomObjects, currentCustomObjects, withCustomObjects, type CustomObjects } from './custom_objects';

/** Options of the namespaces' deserialize (Keras's custom_objects argument). */
export interface DeserializeOptions {
  /** Custom classes and functions by name (or registered name 'package>Name'), added to the current customObjectScope. */
  customObjects?: CustomObjects | null;
}

interface Hooks {
  serialize(obj: unknown): unknown;
  deserialize(config: unknown): unknown;
}
let hooks: Hooks | undefined;

/** @internal Called once by saving/keras_object.ts. */
export function installKerasFormHooks(h: Hooks): void {
  hooks = h;
}

function installed(op: string): Hooks {
  if (hooks === undefined) throw new Error(`${op}: Keras serialization is not loaded; import Tessera from its entry point`);
  return hooks;
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** `obj` as Keras's {module, class_name, config, registered_name}, after `isKind` says it is the namespace's. */
export function kerasSerialize(op: string, obj: unknown, isKind: (v: unknown) => boolean, expected: string): unknown {
  if (!isKind(obj)) throw new Error(`${op}: expected ${expected}, got ${describe(obj)}`);
  return installed(op).serialize(obj);
}

/**
 * What a Keras config stands for in one namespace: a name or a TensorFlow.js-style
 * {className, config} through the namespace's `get`, a Keras {module, class_name, config,
 * registered_name} through deserializeKerasObject; `isKind` checks the result.
 */
export function kerasDeserialize<T>(
  op: string,
  config: unknown,
  options: DeserializeOptions | null | undefined,
  get: (identifier: any) => T,
  isKind: (v: unknown) => boolean,
  expected: string,
): T {
  const { customObjects } = checkOptions(op, options, op);
  const custom = checkCustomObjects(op, customObjects);
  // Keras: a call's custom_objects add to the scope's.
  const scope = new Map([...currentCustomObjects(), ...custom]);
  return withCustomObjects(scope, () => {
    let out: unknown;
    if (typeof config === 'string') out = get(config);
    else if (isPlain(config) && typeof config.class_name === 'string') out = installed(op).deserialize(config);
    else if (isPlain(config) && typeof config.className === 'string') out = get(config);
    else throw new Error(`${op}: expected a name or a config {module, class_name, config, registered_name}, got ${describe(config)}`);
    if (!isKind(out)) throw new Error(`${op}: the config describes ${describe(out)}, not ${expected}`);
    return out as T;
  });
}

/**
 * @internal The deserialize of a namespace whose `get(identifier, op)` resolves names and
 * {className, config} (activations, constraints, initializers, regularizers): kerasDeserialize
 * with that get, its errors naming `op`.
 */
export function namespaceDeserialize<T>(
  op: string,
  get: (identifier: any, op: string) => T,
  isKind: (v: unknown) => boolean,
  expected: string,
): (config: unknown, options?: DeserializeOptions | null) => T {
  return function deserialize(config: unknown, options?: DeserializeOptions | null): T {
    if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
    return kerasDeserialize(op, config, options, (c) => get(c, op), isKind, expected);
  };
}

/** @internal Any Keras-serializable object in Keras's form (serializeKerasObject), for a custom layer's recorded options. */
export function serializeAsKeras(op: string, obj: unknown): unknown {
  return installed(op).serialize(obj);
}

/** @internal The object a Keras form describes (deserializeKerasObject, in the current customObjects scope). */
export function deserializeFromKeras(op: string, config: unknown): unknown {
  return installed(op).deserialize(config);
}
