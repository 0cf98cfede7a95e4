// Keras 3's object registration (keras.utils.register_keras_serializable,
// custom_object_scope, get_custom_objects, get_registered_name, get_registered_object),
// wired to Tessera's registries so that a registered class loads from a saved model.
import { registerLayer, type LayerClass } from '../layers/serialization';
import { Initializer, registerInitializer } from '../initializers';
import { Regularizer, registerRegularizer } from '../regularizers';
import { Constraint, registerConstraint } from '../constraints';
import { registerActivation } from '../activations';
import {
  checkCustomObjects,
  currentCustomObjects,
  globalCustomObjects,
  globalNameOf,
  isClass,
  registerGlobalObject,
  withCustomObjects,
  type CustomObject,
  type CustomObjects,
} from '../serialization/custom_objects';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';

/** Options of registerKerasSerializable (Keras's decorator arguments). */
export interface RegisterKerasSerializableOptions {
  /** The package part of the registered name 'package>name' (default 'Custom', as Keras). */
  package?: string;
  /** The name part (default: the class's or function's JS name). */
  name?: string;
}

// A Layer class by duck type, as layers/serialization.ts tells them.
const isLayerClass = (v: Function): boolean => {
  const proto = v.prototype as { addWeight?: unknown; computeOutputShape?: unknown } | undefined;
  return (
    typeof (v as Partial<LayerClass>).fromConfig === 'function' && typeof proto?.addWeight === 'function' && typeof proto.computeOutputShape === 'function'
  );
};

/**
 * Keras 3's `@register_keras_serializable(package, name)`, as a plain function (a TypeScript
 * decorator would need a compiler flag): registers `obj` under 'package>name' for every
 * load and returns it. A Layer class is also registered with the layer registry under that
 * name (so a saved model writes it as its registered_name and loads into the class); an
 * Initializer, Regularizer or Constraint subclass with its own registry; a plain function
 * as an activation name (the functions a layer config names). Losses and metrics are found
 * by the registered name when a model is compiled from a file. A class must have getConfig.
 * @example class MyDense extends layers.Dense {} ; utils.registerKerasSerializable(MyDense, { package: 'my_package' }); // 'my_package>MyDense'
 */
export function registerKerasSerializable<T extends CustomObject>(obj: T, options?: RegisterKerasSerializableOptions | null): T {
  const op = 'utils.registerKerasSerializable';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  if (typeof obj !== 'function') throw new Error(`${op}: expected a class or a function to register, got ${describe(obj)}`);
  const { package: pkg = 'Custom', name } = checkOptions(op, options, op);
  if (typeof pkg !== 'string' || pkg.length === 0) throw new Error(`${op}: expected package to be a non-empty string, got ${describe(pkg)}`);
  if (name !== undefined && (typeof name !== 'string' || name.length === 0))
    throw new Error(`${op}: expected name to be a non-empty string, got ${describe(name)}`);
  const className = name ?? obj.name;
  if (className.length === 0) throw new Error(`${op}: the function has no name; pass one: registerKerasSerializable(fn, { name: 'my_fn' })`);
  const registeredName = `${pkg}>${className}`;
  const cls = isClass(obj);
  if (cls && typeof (obj.prototype as { getConfig?: unknown })?.getConfig !== 'function')
    throw new Error(`${op}: cannot register a class that does not have a getConfig() method (${obj.name || 'anonymous class'})`);
  if (cls && isLayerClass(obj)) registerLayer(obj as unknown as LayerClass, registeredName);
  else if (obj.prototype instanceof Initializer) registerInitializer(obj as never, registeredName);
  else if (obj.prototype instanceof Regularizer) registerRegularizer(obj as never, registeredName);
  else if (obj.prototype instanceof Constraint) registerConstraint(obj as never, registeredName);
  else if (!cls) registerActivation(registeredName, obj as never);
  registerGlobalObject(registeredName, obj);
  return obj;
}

/**
 * Keras 3's `with custom_object_scope(objects):` as a function: runs `fn` (and all it
 * awaits) with `objects` found by name in deserialization (loadModel, deserializeLayer,
 * losses.get, ...), and returns what `fn` returns (a promise for an async `fn`). As in
 * Keras, an inner scope replaces an outer one; a load's own customObjects add to it.
 * @example await utils.customObjectScope({ MyLayer }, () => loadModel('m.keras'))
 */
export function customObjectScope<R>(objects: CustomObjects | null, fn: () => R): R {
  const op = 'utils.customObjectScope';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  const checked = checkCustomObjects(op, objects);
  if (typeof fn !== 'function') throw new Error(`${op}: expected a function to run in the scope, got ${describe(fn)}`);
  return withCustomObjects(checked, fn);
}

/**
 * Keras 3's get_custom_objects: the objects registerKerasSerializable registered, by
 * registered name. A frozen copy (Keras returns its live dictionary; to register here,
 * call registerKerasSerializable). Objects of a customObjectScope are not in it (as Keras).
 */
export function getCustomObjects(): Readonly<Record<string, CustomObject>> {
  if (arguments.length > 0) throw tooManyArguments('utils.getCustomObjects', 0, arguments.length);
  return Object.freeze(Object.fromEntries(globalCustomObjects()));
}

/** Keras 3's get_registered_name: the name `obj` was registered under, else its JS name. */
export function getRegisteredName(obj: CustomObject): string {
  const op = 'utils.getRegisteredName';
  if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
  if (typeof obj !== 'function') throw new Error(`${op}: expected a class or a function, got ${describe(obj)}`);
  return globalNameOf(obj) ?? obj.name;
}

/**
 * Keras 3's get_registered_object: the object called `name` in the current
 * customObjectScope, else registered globally, else in `customObjects`, else in
 * `moduleObjects`; null when none has it (Keras's None).
 */
export function getRegisteredObject(name: string, customObjects?: CustomObjects | null, moduleObjects?: CustomObjects | null): CustomObject | null {
  const op = 'utils.getRegisteredObject';
  if (arguments.length > 3) throw tooManyArguments(op, 3, arguments.length);
  if (typeof name !== 'string') throw new Error(`${op}: expected a name (a string), got ${describe(name)}`);
  const custom = checkCustomObjects(op, customObjects);
  const module = checkCustomObjects(op, moduleObjects);
  return currentCustomObjects().get(name) ?? globalCustomObjects().get(name) ?? custom.get(name) ?? module.get(name) ?? null;
}

/**
 * Keras 3's keras.saving.CustomObjectScope (`with CustomObjectScope(objects):`) as an
 * object: run(fn) runs `fn` with the objects in scope, as customObjectScope(objects, fn).
 * @example const scope = new saving.CustomObjectScope({ MyLayer }); await scope.run(() => loadModel('m.keras'));
 */
export class CustomObjectScope {
  /** The classes and functions this scope makes known, by name (a frozen copy). */
  readonly customObjects: Readonly<Record<string, CustomObject>>;

  constructor(objects: CustomObjects | null) {
    const op = 'saving.CustomObjectScope';
    if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
    this.customObjects = Object.freeze(Object.fromEntries(checkCustomObjects(op, objects)));
  }

  /** Runs `fn` (and all it awaits) with this scope's objects found by name in deserialization; returns what `fn` returns. */
  run<R>(fn: () => R): R {
    if (arguments.length > 1) throw tooManyArguments('CustomObjectScope.run', 1, arguments.length);
    if (typeof fn !== 'function') throw new Error(`CustomObjectScope.run: expected a function to run in the scope, got ${describe(fn)}`);
    return withCustomObjects(new Map(Object.entries(this.customObjects)), fn);
  }
}
