// Keras 3's custom_objects (load_model(path, custom_objects={...})): classes and functions
// that one load finds by name before the registries do, and that nothing outside that
// load sees. The scope follows the load through its awaits (AsyncLocalStorage), so two
// loads running at once keep theirs apart and nothing is left in a global table.
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe } from '../tensor/shape';

/** The registries' name rule: case and underscores are ignored ('glorot_uniform' = 'GlorotUniform'). */
export const normalizeName = (name: string): string => name.replace(/_/g, '').toLowerCase();

/**
 * Keras 3's custom_objects: a name as the file writes it (a class name, or a registered
 * name such as 'my_package>MyLayer') -> a Layer class, an activation / loss / metric
 * function, or a Loss, Metric, Initializer, Regularizer or Constraint class.
 */
export type CustomObjects = Record<string, CustomObject>;

/** A class or a function of customObjects. */
export type CustomObject = (abstract new (...args: any[]) => unknown) | ((...args: any[]) => unknown);

const active = new AsyncLocalStorage<ReadonlyMap<string, CustomObject>>();

// Keras 3's GLOBAL_CUSTOM_OBJECTS / GLOBAL_CUSTOM_NAMES: what registerKerasSerializable
// made known to every load, by registered name ('package>Name'), and back.
const globalObjects = new Map<string, CustomObject>();
const globalNames = new Map<CustomObject, string>();

/** Makes `value` known to every load as `registeredName` (Keras 3: a later registration under the name replaces it). */
export function registerGlobalObject(registeredName: string, value: CustomObject): void {
  const previous = globalObjects.get(registeredName);
  if (previous !== undefined) globalNames.delete(previous);
  globalObjects.set(registeredName, value);
  globalNames.set(value, registeredName);
}

/** The globally registered objects, by registered name (a copy). */
export function globalCustomObjects(): Map<string, CustomObject> {
  return new Map(globalObjects);
}

/** The name `value` was registered under globally, if any. */
export function globalNameOf(value: unknown): string | undefined {
  return globalNames.get(value as CustomObject);
}

/** The objects of the innermost customObjectScope or load with customObjects (empty outside one). */
export function currentCustomObjects(): ReadonlyMap<string, CustomObject> {
  return active.getStore() ?? new Map();
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** True for a `class` (a Loss or Layer subclass), false for a plain or arrow function. */
export const isClass = (v: CustomObject): boolean => /^class[\s{]/.test(Function.prototype.toString.call(v));

/** `objects` checked (an object of classes and functions by name) as a map; `op` names the caller in errors. */
export function checkCustomObjects(op: string, objects: unknown): Map<string, CustomObject> {
  if (objects === undefined || objects === null) return new Map();
  if (!isPlainObject(objects))
    throw new Error(`${op}: expected customObjects to be an object of classes and functions by name ({ MyLayer }), got ${describe(objects)}`);
  const out = new Map<string, CustomObject>();
  for (const [name, value] of Object.entries(objects)) {
    if (name.length === 0) throw new Error(`${op}: customObjects has an empty name; use the class or registered name the file writes`);
    if (typeof value !== 'function') {
      throw new Error(
        `${op}: customObjects['${name}']: expected a class (a Layer, Loss, Metric, Initializer, Regularizer or Constraint subclass) or a function (an activation, loss or metric), got ${describe(value)}`,
      );
    }
    out.set(name, value as CustomObject);
  }
  return out;
}

/** Runs `fn` (and everything it awaits) with `objects`, and only them, in scope. */
export function withCustomObjects<R>(objects: ReadonlyMap<string, CustomObject>, fn: () => R): R {
  return active.run(objects, fn);
}

/**
 * The custom object of this load or scope called `name` that `accepts` takes (the same
 * name first, then by the registries' rule), else one registered globally under exactly
 * `name`, with the name it was given under; undefined when there is none.
 */
export function findCustomObject(name: unknown, accepts: (v: CustomObject) => boolean): { name: string; value: CustomObject } | undefined {
  if (typeof name !== 'string') return undefined;
  const objects = active.getStore();
  if (objects !== undefined) {
    const same = objects.get(name);
    if (same !== undefined && accepts(same)) return { name, value: same };
    const key = normalizeName(name);
    for (const [n, value] of objects) if (normalizeName(n) === key && accepts(value)) return { name: n, value };
  }
  // Then what registerKerasSerializable registered, by its exact registered name (as Keras looks it up).
  const registered = globalObjects.get(name);
  return registered !== undefined && accepts(registered) ? { name, value: registered } : undefined;
}

/** A hint for "unknown name" errors raised while a model loads: customObjects can supply it. */
export function customObjectsHint(): string {
  return active.getStore() === undefined ? '' : '; a custom one can be passed to this load: loadModel(path, { customObjects: { name: classOrFunction } })';
}
