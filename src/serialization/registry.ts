// Name -> value tables for everything a config refers to by name (activations,
// initializers, regularizers, constraints, layer classes). One lookup rule serves them
// all: case and underscores are ignored, so Keras's 'glorot_uniform', TensorFlow.js's
// 'glorotUniform' and the class name 'GlorotUniform' name the same entry.
import { didYouMean } from '../options/check';
import { describe, quoted } from '../tensor/shape';
import { customObjectsHint, findCustomObject, normalizeName, type CustomObject } from './custom_objects';

/** What serialize() produces for a configurable object: its registered class name and its config. */
export interface Serialized {
  className: string;
  config: Record<string, unknown>;
}

const normalize = normalizeName;

/**
 * @internal A name -> value table whose errors list the valid names. During a load with
 * customObjects, those this table `accepts` come first (see custom_objects.ts).
 */
export class Registry<T> {
  private readonly byKey = new Map<string, { name: string; value: T; listed: boolean }>();
  // The names custom objects were found under, so a loaded model saves again with them.
  // Only nameOf and savesAs read these: a later lookup by name does not find them.
  private readonly customNames = new WeakMap<object, string>();
  private readonly customNamesSeen = new Set<string>();

  /** `kind` names the table in errors: "unknown activation 'rlu'"; `accepts` says which custom objects can be entries. */
  constructor(
    protected readonly kind: string,
    private readonly accepts: (v: CustomObject) => boolean = () => false,
  ) {}

  // The custom object of the current load called `name`, remembered for nameOf.
  private custom(name: string): T | undefined {
    const found = findCustomObject(name, this.accepts);
    if (found === undefined) return undefined;
    this.customNames.set(found.value, found.name);
    this.customNamesSeen.add(normalize(name));
    return found.value as T;
  }

  /** True when a config may name `name`: an entry, or a name a load's customObjects gave (the model saves again as it was loaded). */
  savesAs(name: string): boolean {
    return this.has(name) || (typeof name === 'string' && this.customNamesSeen.has(normalize(name)));
  }

  /**
   * Adds (or replaces) an entry under its canonical name. `listed` false keeps it out of the
   * valid names errors list (internal classes a file may name, never a user).
   */
  register(name: string, value: T, listed = true): void {
    if (typeof name !== 'string' || name.length === 0) throw new Error(`register ${this.kind}: expected a non-empty name, got ${describe(name)}`);
    this.byKey.set(normalize(name), { name, value, listed });
  }

  /** The entry called `name`, or an error naming `op` and listing the valid names. */
  get(op: string, name: string): T {
    const custom = this.custom(name);
    if (custom !== undefined) return custom;
    const entry = typeof name === 'string' ? this.byKey.get(normalize(name)) : undefined;
    if (entry === undefined) {
      throw new Error(
        `${op}: unknown ${this.kind} ${quoted(name)}; ${didYouMean(name, this.names())}valid names are: ${this.names().join(', ')}${customObjectsHint()}`,
      );
    }
    return entry.value;
  }

  /** True when an entry is called `name`. */
  has(name: string): boolean {
    return typeof name === 'string' && (this.byKey.has(normalize(name)) || this.custom(name) !== undefined);
  }

  /** The canonical name `value` was registered under, if any. */
  nameOf(value: T): string | undefined {
    for (const entry of this.byKey.values()) if (entry.value === value) return entry.name;
    return (typeof value === 'object' && value !== null) || typeof value === 'function' ? this.customNames.get(value) : undefined;
  }

  /** Canonical names, in registration order (the listed ones). */
  names(): string[] {
    return [...this.byKey.values()].filter((e) => e.listed).map((e) => e.name);
  }
}

/** True for `{className, config}` objects. */
/** The config of `{className, config}`: a plain object, or {} when absent; anything else names `op`. */
export function configOf(op: string, s: Serialized): Record<string, unknown> {
  const c = s.config as unknown;
  if (c === undefined || c === null) return {};
  if (typeof c !== 'object' || Array.isArray(c))
    throw new Error(`${op}: expected the config of '${s.className}' to be an object of options, got ${describe(c)}`);
  return c as Record<string, unknown>;
}

export function isSerialized(x: unknown): x is Serialized {
  return typeof x === 'object' && x !== null && typeof (x as Serialized).className === 'string' && !Array.isArray(x);
}

/** The name a class is registered under: its own static `className`, else its JS name. */
export function classNameOf(cls: Function): string {
  return Object.prototype.hasOwnProperty.call(cls, 'className') ? (cls as unknown as { className: string }).className : cls.name;
}

/** Anything that describes itself with a config it can be rebuilt from. */
export interface Configurable {
  getConfig(): Record<string, unknown>;
}

/** @internal A table of classes rebuilt as `new cls(config)`: initializers, regularizers, constraints. */
export class ClassRegistry<T extends Configurable> extends Registry<new (config?: any) => T> {
  constructor(
    kind: string,
    private readonly base: abstract new (...args: any[]) => T,
  ) {
    super(kind, (v) => v.prototype instanceof base);
  }

  /** Registers classes under their static `className`. */
  registerClasses(classes: (new (config?: any) => T)[]): void {
    for (const cls of classes) this.register(classNameOf(cls), cls);
  }

  /** An instance from an instance, a registered name, or `{className, config}`. */
  resolve(op: string, identifier: string | T | Serialized): T {
    if (identifier instanceof this.base) return identifier;
    if (typeof identifier === 'string') return new (this.get(op, identifier))();
    if (isSerialized(identifier)) return new (this.get(op, identifier.className))(configOf(op, identifier));
    throw new Error(`${op}: expected a ${this.kind} name, object or {className, config}, got ${identifier === null ? 'null' : typeof identifier}`);
  }

  /** Registers a user's class under `name` (default: its className), for `op`'s errors. */
  registerClass(op: string, cls: new (config?: any) => T, name?: string): void {
    if (typeof cls !== 'function' || !(cls.prototype instanceof this.base)) {
      throw new Error(`${op}: expected a subclass of ${this.base.name}, got ${describe(cls)}`);
    }
    if (name === undefined) this.registerClasses([cls]);
    else this.register(name, cls);
  }

  /** `{className, config}` for an instance; `op` names the public function in errors. */
  serialize(obj: T, op = `${this.kind} serialize`): Serialized {
    if (!(obj instanceof this.base)) throw new Error(`${op}: expected a ${this.base.name}, got ${describe(obj)}`);
    return { className: classNameOf(obj.constructor), config: obj.getConfig() };
  }
}
