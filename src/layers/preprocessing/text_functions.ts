// TextVectorization's custom standardize / split functions in a config: by the name they
// are registered under ('package>name', utils.registerKerasSerializable), as Keras 3 saves
// a registered function, so a model with a custom standardize saves and loads.
import { currentCustomObjects, globalCustomObjects, globalNameOf, isClass } from '../../serialization/custom_objects';

/** The function a config's registered name ('package>name') stands for; other values as given. */
export function resolveTextFunction(op: string, key: string, v: unknown): unknown {
  if (typeof v !== 'string' || !v.includes('>')) return v;
  const fn = currentCustomObjects().get(v) ?? globalCustomObjects().get(v);
  if (typeof fn !== 'function' || isClass(fn)) {
    throw new Error(
      `${op}: ${key} '${v}' names no registered function; register it with utils.registerKerasSerializable (or pass it in loadModel's customObjects)`,
    );
  }
  return fn;
}

/** A config's value for standardize / split: a function by its registered name. */
export function textFunctionName(op: string, key: string, v: unknown): unknown {
  if (typeof v !== 'function') return v;
  const name = globalNameOf(v);
  if (name === undefined) {
    throw new Error(
      `${op}: the custom ${key} function ${v.name || '(anonymous)'} cannot be saved in the config; register it with utils.registerKerasSerializable (Keras's register_keras_serializable) to save it by name`,
    );
  }
  return name;
}
