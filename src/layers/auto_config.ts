// Keras 3 records a layer's constructor arguments itself (Operation.__new__), so a custom
// layer without get_config still saves and loads: get_config returns them merged with the
// base config, and from_config calls cls(**config). Here the base Layer sees the options
// object a subclass passes up (`super(args)`); the keys beyond Layer's own are that
// subclass's arguments, recorded for Layer's default getConfig.
//
// Where Tessera differs from Keras 3.15, on purpose:
// - Keras records only str/int/float/bool/None (in lists and dicts) and refuses anything else
//   (get_config raises NotImplementedError). Tessera also records layers, models,
//   initializers, regularizers, constraints, activations (any object serializeKerasObject
//   writes) in Keras's form {module, class_name, config, registered_name}, and fromConfig
//   rebuilds them: the constructor gets a layer again, as a Keras get_config written with
//   serialize_keras_object and a from_config with deserialize_keras_object would.
// - Keras binds the call to __init__'s signature and records the defaults of the arguments
//   left out too (bound_parameters.apply_defaults()); a TypeScript constructor's defaults are
//   code, invisible to Layer, so Tessera records the options that were passed, and a load
//   runs the same defaults again.
// - Keras's Model.__new__ drops the constructor's arguments, so a subclassed Model records
//   only its defaults (a wrong config, silently) or refuses; Tessera records a subclassed
//   Model's options as a layer's.
import { optionKeys } from '../options/check';
import { deserializeFromKeras, serializeAsKeras } from '../serialization/keras_form';
import { classNameOf } from '../serialization/registry';
import { toCamelCase, toSnake } from '../saving/config_conversion';
import { describe } from '../tensor/shape';

/** @internal What a user's subclass passed up beyond Layer's options, or undefined when nothing. */
export interface RecordedArgs {
  /** The subclass's own options, as given. */
  args: Record<string, unknown>;
  /** Why they cannot stand for the constructor's arguments (positional parameters), if so. */
  incomplete?: string;
}

let layerKeys: Set<string> | undefined;

/** @internal True for Layer's own option keys (name, dtype, ...), in their camelCase spelling. */
export function isLayerOption(key: string): boolean {
  layerKeys ??= new Set(optionKeys('layers.Layer'));
  return layerKeys.has(key);
}

// defineProperty: a '__proto__' key from JSON is data, not the prototype.
const put = (o: Record<string, unknown>, k: string, v: unknown): void => {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
};

/**
 * @internal The options beyond Layer's own in `args` (the object Layer's constructor got,
 * keys already in their valid spelling), copied: a later change to the caller's object does
 * not change the config.
 */
export function recordArgs(target: Function, args: object): RecordedArgs | undefined {
  const own: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(args)) {
    if (isLayerOption(k) || v === undefined) continue;
    put(own, k, v);
    any = true;
  }
  if (!any) return undefined;
  // constructor(units, args): fromConfig's new cls(config) could not call it.
  const incomplete = target.length > 1 ? `its constructor takes ${target.length} parameters, and fromConfig passes one options object` : undefined;
  return { args: own, incomplete };
}

const isPlain = (v: object): boolean => Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null;

/**
 * @internal The recorded options as config values: keys as given; plain data as it is;
 * layers, models, initializers, regularizers, constraints, activations (any object
 * serializeKerasObject takes) in Keras's form {module, class_name, config, registered_name}.
 * Anything else throws naming the class, the option and what to write.
 */
export function recordedConfig(layer: object, recorded: RecordedArgs): Record<string, unknown> {
  const cls = classNameOf(layer.constructor);
  const refuse = (why: string): Error =>
    new Error(
      `${cls}.getConfig: Tessera records the options a custom layer passes to super(args) as its config (Keras 3's auto config), but ${why}; ` +
        `override getConfig to return the constructor's options as plain data (JSON values, or serialized objects), with static fromConfig if the constructor does not take that object`,
    );
  if (recorded.incomplete !== undefined) throw refuse(recorded.incomplete);
  // Layers by where they were first met: one given twice would be written twice and load as two.
  const layersSeen = new Map<object, string>();
  const visit = (v: unknown, where: string, depth: number): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw refuse(`option ${where} is ${v}, which JSON cannot hold`);
      return v;
    }
    // Deeper than any config: a value that holds itself.
    if (depth > 64) throw refuse(`option ${where} nests deeper than 64 levels`);
    if (Array.isArray(v)) return v.map((x, i) => visit(x, `${where}[${i}]`, depth + 1));
    if (typeof v === 'object' && isPlain(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) put(out, k, visit(x, `${where}.${k}`, depth + 1));
      return out;
    }
    if (typeof v === 'function' || typeof v === 'object') {
      if (typeof (v as { addWeight?: unknown }).addWeight === 'function') {
        const first = layersSeen.get(v);
        if (first !== undefined)
          throw refuse(
            `option ${where} is the layer '${String((v as { name?: unknown }).name)}' (${describe(v)}) that option ${first} holds too, which a config would write twice and a load rebuild as two layers`,
          );
        layersSeen.set(v, where);
      }
      try {
        return serializeAsKeras(`${cls}.getConfig`, v);
      } catch (e) {
        // An object with a config of its own (a nested layer) that could not give it: its own error says why.
        if (typeof v === 'object' && typeof (v as { getConfig?: unknown }).getConfig === 'function')
          throw new Error(`${cls}.getConfig: option ${where}: ${(e as Error).message}`, { cause: e });
        if (typeof v === 'function')
          throw refuse(
            `option ${where} is a function (${v.name || 'anonymous'}) that is not a built-in or registered activation (utils.registerKerasSerializable registers one)`,
          );
        throw refuse(
          `option ${where} is ${describe(v)}, which is neither plain data nor an object Keras serializes ` +
            '(a layer, model, initializer, regularizer, constraint, loss, metric, optimizer, schedule or registered activation)',
        );
      }
    }
    throw refuse(`option ${where} is ${describe(v)}, which is not plain data`);
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(recorded.args)) put(out, k, visit(v, `'${k}'`, 0));
  return out;
}

/**
 * @internal The options fromConfig gives a custom layer's constructor: the objects its
 * config holds in Keras's form rebuilt (a layer, an initializer, ...), and, for a key it
 * reads in one habit while the config spells it in the other (a Keras file's units_count
 * read as unitsCount), that value: the constructor gets the options as it was given them.
 */
export function recordedOptions(cls: Function, config: Record<string, unknown>): Record<string, unknown> {
  const op = `${classNameOf(cls)}.fromConfig`;
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (typeof v !== 'object' || v === null || !isPlain(v)) return v;
    const o = v as Record<string, unknown>;
    if (typeof o.class_name === 'string' && 'config' in o) return deserializeFromKeras(op, o);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) put(out, k, revive(x));
    return out;
  };
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) put(options, k, isLayerOption(k) ? v : revive(v));
  const other = (key: string): string | undefined => {
    for (const alt of [toSnake(key), toCamelCase(key)]) if (alt !== key && Object.hasOwn(options, alt)) return alt;
    return undefined;
  };
  return new Proxy(options, {
    get: (target, key, receiver) => {
      if (typeof key !== 'string' || Object.hasOwn(target, key)) return Reflect.get(target, key, receiver);
      const alt = other(key);
      return alt === undefined ? Reflect.get(target, key, receiver) : target[alt];
    },
    has: (target, key) => Reflect.has(target, key) || (typeof key === 'string' && other(key) !== undefined),
  });
}
