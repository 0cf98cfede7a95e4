// Keras 3 records a layer's constructor arguments itself (Operation.__new__), so a custom
// layer without get_config still saves and loads: get_config returns them merged with the
// base config when they are plain data, and from_config calls cls(**config). Here the base
// Layer sees the options object a subclass passes up (`super(args)`); the keys beyond
// Layer's own are that subclass's arguments, recorded for Layer's default getConfig.
import * as activations from '../activations';
import { Constraint } from '../constraints/constraint';
import * as constraints from '../constraints';
import { Initializer } from '../initializers/initializer';
import * as initializers from '../initializers';
import * as regularizers from '../regularizers';
import { optionKeys } from '../options/check';
import { classNameOf } from '../serialization/registry';
import { describe } from '../tensor/shape';

/** @internal What a user's subclass passed up beyond Layer's options, or undefined when nothing. */
export interface RecordedArgs {
  /** The subclass's own options, as given. */
  args: Record<string, unknown>;
  /** Why they cannot stand for the constructor's arguments (positional parameters), if so. */
  incomplete?: string;
}

let layerKeys: Set<string> | undefined;

/**
 * @internal The options beyond Layer's own in `args` (the object Layer's constructor got,
 * keys already in their valid spelling), copied: a later change to the caller's object does
 * not change the config.
 */
export function recordArgs(target: Function, args: object): RecordedArgs | undefined {
  layerKeys ??= new Set(optionKeys('layers.Layer'));
  const own: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(args)) {
    if (layerKeys.has(k) || v === undefined) continue;
    // defineProperty: a '__proto__' key from JSON is data, not the prototype.
    Object.defineProperty(own, k, { value: v, enumerable: true, writable: true, configurable: true });
    any = true;
  }
  if (!any) return undefined;
  // constructor(units, args): fromConfig's new cls(config) could not call it.
  const incomplete = target.length > 1 ? `its constructor takes ${target.length} parameters, and fromConfig passes one options object` : undefined;
  return { args: own, incomplete };
}

const isPlain = (v: object): boolean => Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null;

/**
 * @internal The recorded options as config values: plain data as it is; initializers,
 * regularizers and constraints as their {className, config}; an activation function by its
 * registered name. Anything else throws naming the class, the option and what to write.
 */
export function recordedConfig(layer: object, recorded: RecordedArgs): Record<string, unknown> {
  const cls = classNameOf(layer.constructor);
  const refuse = (why: string): Error =>
    new Error(
      `${cls}.getConfig: Tessera records the options a custom layer passes to super(args) as its config (Keras 3's auto config), but ${why}; ` +
        `override getConfig to return the constructor's options as plain data (JSON values, or serialized objects), with static fromConfig if the constructor does not take that object`,
    );
  if (recorded.incomplete !== undefined) throw refuse(recorded.incomplete);
  const visit = (v: unknown, where: string, depth: number): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw refuse(`option ${where} is ${v}, which JSON cannot hold`);
      return v;
    }
    // Deeper than any config: a value that holds itself.
    if (depth > 64) throw refuse(`option ${where} nests deeper than 64 levels`);
    if (Array.isArray(v)) return v.map((x, i) => visit(x, `${where}[${i}]`, depth + 1));
    if (v instanceof Initializer) return initializers.serialize(v);
    if (v instanceof regularizers.Regularizer) return regularizers.serialize(v);
    if (v instanceof Constraint) return constraints.serialize(v);
    if (typeof v === 'function') {
      try {
        return activations.serialize(v as activations.ActivationFn);
      } catch {
        throw refuse(`option ${where} is a function that is not a built-in or registered activation (utils.registerKerasSerializable names one)`);
      }
    }
    if (typeof v === 'object' && isPlain(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue;
        Object.defineProperty(out, k, { value: visit(x, `${where}.${k}`, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    throw refuse(`option ${where} is ${describe(v)}, which is not plain data`);
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(recorded.args)) {
    Object.defineProperty(out, k, { value: visit(v, `'${k}'`, 0), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
