// Keras 3's keras.utils.Config: a dict of named values read and set as attributes
// (config.learningRate) or by key (config.get('seed')), that freeze() makes read-only.
// A Proxy gives the attribute access; an unknown attribute is an error, as Keras's.
import { tooManyArguments } from '../options/arity';
import { didYouMean } from '../options/check';
import { describe } from '../tensor/shape';

const STATE = Symbol('Config.state');
interface State {
  values: Map<string, unknown>;
  frozen: boolean;
}

// Names JavaScript tools probe on any object (await, Jest, util.inspect, React): absent, not errors.
const PROBES = new Set([
  'then',
  'toJSON',
  'asymmetricMatch',
  '$$typeof',
  'nodeType',
  'tagName',
  'nodeName',
  'inspect',
  'constructor',
  'length',
  '@@__IMMUTABLE_ITERABLE__@@',
  '@@__IMMUTABLE_RECORD__@@',
  '_isMockFunction',
]);

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * Keras 3's keras.utils.Config: named values set and read as attributes or by key; after
 * freeze() every change is refused until unfreeze(). Keys named like a method (get, keys,
 * ...) are reached with get / set only. Iteration yields the keys sorted, as Keras's.
 * @example const c = new utils.Config({ learningRate: 0.1 }); c.seed = 123; c.freeze(); c.seed = 1; // throws
 */
export class Config {
  /** The values by key, read and set as attributes (an unknown one throws). */
  [key: string]: any;
  declare private readonly [STATE]: State;

  constructor(values?: Record<string, unknown> | null) {
    if (arguments.length > 1) throw tooManyArguments('utils.Config', 1, arguments.length);
    if (values !== undefined && values !== null && !isPlain(values))
      throw new Error(`utils.Config: expected an object of named values, got ${describe(values)}`);
    Object.defineProperty(this, STATE, { value: { values: new Map(Object.entries(values ?? {})), frozen: false }, configurable: true });
    return new Proxy(this, HANDLER);
  }

  /** True after freeze() (until unfreeze()). */
  get frozen(): boolean {
    return this[STATE].frozen;
  }

  /** Refuses every change from now on (until unfreeze()). */
  freeze(): void {
    if (arguments.length > 0) throw tooManyArguments('Config.freeze', 0, arguments.length);
    this[STATE].frozen = true;
  }

  /** Allows changes again. */
  unfreeze(): void {
    if (arguments.length > 0) throw tooManyArguments('Config.unfreeze', 0, arguments.length);
    this[STATE].frozen = false;
  }

  /** The value of `key`, or `fallback` (default null, Keras's None) when there is none. */
  get(key: string, fallback: unknown = null): unknown {
    if (arguments.length > 2) throw tooManyArguments('Config.get', 2, arguments.length);
    const values = this[STATE].values;
    return values.has(key) ? values.get(key) : fallback;
  }

  /** Sets `key` (Keras's config[key] = value); refused when frozen. */
  set(key: string, value: unknown): void {
    if (arguments.length > 2) throw tooManyArguments('Config.set', 2, arguments.length);
    if (typeof key !== 'string') throw new Error(`Config.set: expected a key (a string), got ${describe(key)}`);
    mutable(this[STATE], 'set');
    this[STATE].values.set(key, value);
  }

  /** True when `key` has a value (Keras's `key in config`). */
  has(key: string): boolean {
    if (arguments.length > 1) throw tooManyArguments('Config.has', 1, arguments.length);
    return this[STATE].values.has(key);
  }

  /** Removes `key` and returns its value, else `fallback`; with no fallback a missing key throws (as Keras's pop). Refused when frozen. */
  pop(key: string, ...fallback: unknown[]): unknown {
    if (fallback.length > 1) throw tooManyArguments('Config.pop', 2, fallback.length + 1);
    const state = this[STATE];
    mutable(state, 'pop');
    if (!state.values.has(key)) {
      if (fallback.length === 1) return fallback[0];
      throw new Error(
        `Config.pop: unknown key ${describe(key)}; ${didYouMean(key, [...state.values.keys()])}the keys are: ${[...state.values.keys()].join(', ')}`,
      );
    }
    const value = state.values.get(key);
    state.values.delete(key);
    return value;
  }

  /** Sets every key of `values`; refused when frozen. */
  update(values: Record<string, unknown>): void {
    if (arguments.length > 1) throw tooManyArguments('Config.update', 1, arguments.length);
    if (!isPlain(values)) throw new Error(`Config.update: expected an object of named values, got ${describe(values)}`);
    mutable(this[STATE], 'update');
    for (const [k, v] of Object.entries(values)) this[STATE].values.set(k, v);
  }

  /** The keys, in the order they were set. */
  keys(): string[] {
    if (arguments.length > 0) throw tooManyArguments('Config.keys', 0, arguments.length);
    return [...this[STATE].values.keys()];
  }

  /** The values, in the order their keys were set. */
  values(): unknown[] {
    if (arguments.length > 0) throw tooManyArguments('Config.values', 0, arguments.length);
    return [...this[STATE].values.values()];
  }

  /** [key, value] pairs, in the order the keys were set. */
  items(): [string, unknown][] {
    if (arguments.length > 0) throw tooManyArguments('Config.items', 0, arguments.length);
    return [...this[STATE].values.entries()];
  }

  /** How many keys have values (Keras's len(config)). */
  get size(): number {
    return this[STATE].values.size;
  }

  /** A plain object of the values (a shallow copy). */
  asDict(): Record<string, unknown> {
    if (arguments.length > 0) throw tooManyArguments('Config.asDict', 0, arguments.length);
    return Object.fromEntries(this[STATE].values);
  }

  /** The values as a JSON string. */
  toJson(): string {
    if (arguments.length > 0) throw tooManyArguments('Config.toJson', 0, arguments.length);
    try {
      return JSON.stringify(this.asDict());
    } catch (e) {
      throw new Error(`Config.toJson: the values cannot be written as JSON (${(e as Error).message.split('\n')[0]})`, { cause: e });
    }
  }

  /** What console.log shows: `Config { key: value, ... }` (Keras's repr, <Config {...}>). */
  [Symbol.for('nodejs.util.inspect.custom')](depth: number, options: { depth?: number | null }, inspect: (v: unknown, o: object) => string): string {
    // One level down, as Node's own objects: a config holding itself printed 1.3 MB before.
    if (depth < 0) return '[Config]';
    const inner = { ...options, depth: options.depth === null || options.depth === undefined ? options.depth : options.depth - 1 };
    return `Config ${inspect(this.asDict(), inner)}`;
  }

  /** The keys, sorted (as iterating Keras's Config). */
  *[Symbol.iterator](): Iterator<string> {
    yield* [...this[STATE].values.keys()].sort();
  }
}

function mutable(state: State, what: string): void {
  if (state.frozen) throw new Error(`Config.${what}: cannot change the config: it is frozen (call unfreeze() first)`);
}

const HANDLER: ProxyHandler<Config> = {
  get(target, prop, receiver) {
    if (typeof prop === 'symbol' || prop in target) return Reflect.get(target, prop, receiver);
    const { values } = target[STATE];
    if (values.has(prop)) return values.get(prop);
    if (PROBES.has(prop)) return undefined;
    throw new Error(`Config: unknown attribute '${prop}'; ${didYouMean(prop, [...values.keys()])}the keys are: ${[...values.keys()].join(', ') || '(none)'}`);
  },
  set(target, prop, value) {
    if (typeof prop === 'symbol') return Reflect.set(target, prop, value);
    if (prop in target) throw new Error(`Config: '${prop}' is a method or property of Config; set it as a key with config.set('${prop}', value)`);
    mutable(target[STATE], `${prop}`);
    target[STATE].values.set(prop, value);
    return true;
  },
  deleteProperty(target, prop) {
    if (typeof prop === 'symbol') return Reflect.deleteProperty(target, prop);
    mutable(target[STATE], `${prop}`);
    target[STATE].values.delete(prop);
    return true;
  },
  // Object.defineProperty(config, key, ...) sets a key as `config.key = value` does (frozen
  // refused); without this trap it made a property of the target that hid the key.
  defineProperty(target, prop, descriptor) {
    if (typeof prop === 'symbol') return Reflect.defineProperty(target, prop, descriptor);
    if (prop in target) throw new Error(`Config: '${prop}' is a method or property of Config; set it as a key with config.set('${prop}', value)`);
    if (!('value' in descriptor)) throw new Error(`Config: a key's value cannot be a getter or setter, got one for '${prop}'`);
    mutable(target[STATE], `${prop}`);
    target[STATE].values.set(prop, descriptor.value);
    return true;
  },
  has(target, prop) {
    return typeof prop === 'string' && target[STATE].values.has(prop) ? true : Reflect.has(target, prop);
  },
  ownKeys(target) {
    return [...target[STATE].values.keys()];
  },
  getOwnPropertyDescriptor(target, prop) {
    if (typeof prop !== 'string' || !target[STATE].values.has(prop)) return undefined;
    return { value: target[STATE].values.get(prop), writable: true, enumerable: true, configurable: true };
  },
};
