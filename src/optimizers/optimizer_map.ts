// OptimizerMap, Keras 3's mapping from variable paths to optimizers for a MultiOptimizer:
// a path's optimizer is the one under the exact key, else the one whose key (a regular
// expression) matches the whole path, else the default. A variable's path is Keras's
// variable.path of a layer's weight: 'dense_1/kernel', the layer's name and the weight's,
// under the layers that built it ('sequential/dense_1/kernel' in a Sequential).
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { describe } from '../tensor/shape';
import { Variable } from '../tensor/tensor';
import { variablePath } from '../layers/naming';
import { Optimizer } from './optimizer';
import { get, serialize, type SerializedOptimizer } from './registry';

/** OptimizerMap's options. */
export interface OptimizerMapConfig {
  /** The optimizer of every variable no key matches (an Optimizer, a name or {className, config}). */
  defaultOptimizer: Optimizer | string | SerializedOptimizer;
  /** Variable paths or regular expressions (matched against the whole path) to optimizers. */
  optimizerMap?: Record<string, Optimizer | string | SerializedOptimizer> | null;
}

// An optimizer a MultiOptimizer can hand variables to: not a wrapper (LossScaleOptimizer,
// MultiOptimizer: Keras refuses both), told apart by name so this module needs neither class.
export function checkInnerOptimizer(owner: string, what: string, value: unknown): Optimizer {
  if (!(value instanceof Optimizer)) throw new Error(`${owner}: expected ${what} to be an Optimizer, got ${describe(value)}`);
  const kind = value.constructor.name;
  if (kind === 'LossScaleOptimizer' || kind === 'MultiOptimizer')
    throw new Error(
      `${owner}: ${what} cannot be a ${kind}${kind === 'LossScaleOptimizer' ? ' (wrap the MultiOptimizer in one instead)' : ' (give each variable group its own optimizer)'}`,
    );
  return value;
}

// An optimizer of a config: instances as they are; names and {className, config} made.
function optimizerOf(owner: string, what: string, value: unknown): Optimizer {
  if (typeof value === 'string' || (value !== null && typeof value === 'object' && !(value instanceof Optimizer) && 'className' in value)) {
    try {
      value = get(value as string);
    } catch (e) {
      throw new Error(`${owner}: ${what}: ${(e as Error).message}`, { cause: e });
    }
  }
  return checkInnerOptimizer(owner, what, value);
}

/**
 * Variable paths (or regular expressions matching whole paths) to optimizers, with a
 * default for the rest: the argument of a MultiOptimizer.
 * @example
 * const map = new OptimizerMap({ defaultOptimizer: new Adam(), optimizerMap: { 'encoder/.*': new SGD() } });
 * map.set('head/kernel', new RMSprop());
 */
export class OptimizerMap {
  /** The optimizer of every variable no key matches. */
  readonly defaultOptimizer: Optimizer;
  private readonly entriesByKey = new Map<string, Optimizer>();
  private readonly patterns = new Map<string, RegExp>();

  constructor(config: OptimizerMapConfig) {
    if (arguments.length > 1) throw tooManyArguments('OptimizerMap', 1, arguments.length);
    if (config instanceof Optimizer)
      throw new Error(
        `OptimizerMap: expected options ({ defaultOptimizer, optimizerMap? }), got an Optimizer; write new OptimizerMap({ defaultOptimizer: optimizer })`,
      );
    const { defaultOptimizer, optimizerMap } = checkOptions('OptimizerMap', config, ['defaultOptimizer', 'optimizerMap']);
    if (defaultOptimizer === undefined) throw new Error(`OptimizerMap: expected options with a defaultOptimizer, got ${describe(config)}`);
    this.defaultOptimizer = optimizerOf('OptimizerMap', 'defaultOptimizer', defaultOptimizer);
    if (optimizerMap === undefined || optimizerMap === null) return;
    if (typeof optimizerMap !== 'object' || Array.isArray(optimizerMap) || optimizerMap instanceof Optimizer || optimizerMap instanceof Map)
      throw new Error(`OptimizerMap: expected optimizerMap to be an object of variable paths to optimizers, got ${describe(optimizerMap)}`);
    for (const [key, value] of Object.entries(optimizerMap)) this.set(key, optimizerOf('OptimizerMap', `optimizerMap['${key}']`, value));
  }

  /** Adds `optimizer` for a variable path or a regular expression; a key already present is an error. */
  set(key: string, optimizer: Optimizer): this {
    if (arguments.length > 2) throw tooManyArguments('OptimizerMap.set', 2, arguments.length);
    if (typeof key !== 'string')
      throw new Error(`OptimizerMap.set: expected the key to be a string (a variable path or a regular expression), got ${describe(key)}`);
    if (this.entriesByKey.has(key))
      throw new Error(`OptimizerMap.set: '${key}' is already in the map (optimizer '${this.entriesByKey.get(key)!.name}'); keys must be unique`);
    checkInnerOptimizer('OptimizerMap.set', `the optimizer of '${key}'`, optimizer);
    // Python's \A and \Z anchors would be the letters A and Z to JavaScript (the whole path is matched anyway).
    if (/(^|[^\\])(\\\\)*\\[AZ]/.test(key))
      throw new Error(
        `OptimizerMap.set: the key '${key}' uses Python's \\A or \\Z, which JavaScript reads as letters; the key always matches the whole path, so leave them out`,
      );
    let pattern: RegExp;
    try {
      // Python's re.fullmatch: the whole path.
      pattern = new RegExp(`^(?:${key})$`);
    } catch (e) {
      throw new Error(`OptimizerMap.set: the key '${key}' is not a valid regular expression (${(e as Error).message})`, { cause: e });
    }
    this.entriesByKey.set(key, optimizer);
    this.patterns.set(key, pattern);
    return this;
  }

  /**
   * The optimizer of a variable path: the exact key's, else the one key matching the whole
   * path as a regular expression, else the default; two matching keys are an error.
   */
  get(path: string): Optimizer {
    if (arguments.length > 1) throw tooManyArguments('OptimizerMap.get', 1, arguments.length);
    if (typeof path !== 'string') throw new Error(`OptimizerMap.get: expected a variable path (a string), got ${describe(path)}`);
    const exact = this.entriesByKey.get(path);
    if (exact !== undefined) return exact;
    const matching = [...this.patterns].filter(([, re]) => re.test(path)).map(([key]) => key);
    if (matching.length > 1)
      throw new Error(
        `OptimizerMap: variable '${path}' is claimed by ${matching.length} optimizers: the keys ${matching.map((k) => `'${k}'`).join(', ')} all match it; make the keys disjoint or add the exact path as a key`,
      );
    return matching.length === 1 ? this.entriesByKey.get(matching[0])! : this.defaultOptimizer;
  }

  /**
   * The optimizer of a variable (Keras's optimizer_map(variable)), by its path: 'layer/weight'
   * for a layer's weight (never numbered, unlike its name: a second model's 'dense' layer
   * has weights named 'dense/kernel_1' and the path 'dense/kernel'); another variable's name.
   */
  optimizerFor(variable: Variable): Optimizer {
    if (arguments.length > 1) throw tooManyArguments('OptimizerMap.optimizerFor', 1, arguments.length);
    if (!(variable instanceof Variable)) throw new Error(`OptimizerMap.optimizerFor: expected a Variable, got ${describe(variable)}`);
    return this.get(variablePath(variable));
  }

  /** Whether `key` is a key of the map (not whether it would match one). */
  has(key: string): boolean {
    if (arguments.length > 1) throw tooManyArguments('OptimizerMap.has', 1, arguments.length);
    return this.entriesByKey.has(key);
  }

  /** Removes a key; returns whether it was there. */
  delete(key: string): boolean {
    if (arguments.length > 1) throw tooManyArguments('OptimizerMap.delete', 1, arguments.length);
    this.patterns.delete(key);
    return this.entriesByKey.delete(key);
  }

  /** The number of keys (the default not counted). */
  get size(): number {
    return this.entriesByKey.size;
  }

  /** The keys, in the order they were added. */
  keys(): string[] {
    if (arguments.length > 0) throw tooManyArguments('OptimizerMap.keys', 0, arguments.length);
    return [...this.entriesByKey.keys()];
  }

  /** The optimizers of the keys, in the keys' order (the default not among them). */
  values(): Optimizer[] {
    if (arguments.length > 0) throw tooManyArguments('OptimizerMap.values', 0, arguments.length);
    return [...this.entriesByKey.values()];
  }

  /** [key, optimizer] pairs, in the order they were added. */
  entries(): [string, Optimizer][] {
    if (arguments.length > 0) throw tooManyArguments('OptimizerMap.entries', 0, arguments.length);
    return [...this.entriesByKey.entries()];
  }

  /** defaultOptimizer and optimizerMap, each optimizer serialized ({className, config}). */
  getConfig(): { defaultOptimizer: SerializedOptimizer; optimizerMap: Record<string, SerializedOptimizer> } {
    if (arguments.length > 0) throw tooManyArguments('OptimizerMap.getConfig', 0, arguments.length);
    return {
      defaultOptimizer: serialize(this.defaultOptimizer),
      optimizerMap: Object.fromEntries([...this.entriesByKey].map(([k, o]) => [k, serialize(o)])),
    };
  }

  /** An OptimizerMap from getConfig()'s output, with fresh optimizers. */
  static fromConfig(config: OptimizerMapConfig): OptimizerMap {
    if (arguments.length > 1) throw tooManyArguments('OptimizerMap.fromConfig', 1, arguments.length);
    return new OptimizerMap(config);
  }
}
