// Keras 3's keras.RematScope: which layers rematerialize their calls (remat.ts). Keras's
// `with RematScope(...):` is `scope.run(() => ...)` here; a layer takes the scope active
// when it is constructed (as Keras's), or else the one active when it is called.
import { tooManyArguments } from '../options/arity';
import { classOptions } from '../options/check';
import { checkCallback, checkNotPromise } from '../scopes/sync_callback';
import { describe } from '../tensor/shape';

/** RematScope's modes, Keras's names. */
export type RematMode = 'full' | 'activations' | 'larger_than' | 'list_of_layers';

const MODES: readonly string[] = ['full', 'activations', 'larger_than', 'list_of_layers'];

/** Options of a RematScope. */
export interface RematScopeOptions {
  /**
   * 'full' (every layer's call), 'activations' (layers with an activation), 'larger_than'
   * (layers whose output has more than outputSizeThreshold elements), 'list_of_layers'
   * (layers named in layerNames), or null (none). Default 'full'.
   */
  mode?: RematMode | null;
  /** The output size above which 'larger_than' rematerializes a layer. Default 1024. */
  outputSizeThreshold?: number;
  /** The layer names 'list_of_layers' rematerializes. Default none. */
  layerNames?: string[];
}

const stack: RematScope[] = [];

/**
 * Rematerialization (gradient checkpointing) for the layers constructed or called while
 * `run`'s callback runs (Keras's RematScope): their intermediate activations are recomputed
 * in the backward pass instead of kept. Scopes nest; the innermost wins.
 * @example const dense = new ts.RematScope({ mode: 'full' }).run(() => ts.layers.dense({ units: 64, activation: 'relu' }));
 */
export class RematScope {
  /** The mode (null: no rematerialization). */
  readonly mode: RematMode | null;
  /** The output size above which 'larger_than' rematerializes a layer. */
  readonly outputSizeThreshold: number;
  /** The layer names 'list_of_layers' rematerializes. */
  readonly layerNames: readonly string[];
  // layerNames for the lookup on each layer call.
  readonly #layerNameSet: ReadonlySet<string>;

  constructor(options: RematScopeOptions = {}) {
    if (arguments.length > 1) throw tooManyArguments('RematScope', 1, arguments.length);
    options = classOptions('', RematScope, new.target, options);
    const op = 'RematScope';
    const mode = options.mode === undefined ? 'full' : options.mode;
    if (mode !== null && !MODES.includes(mode as string))
      throw new Error(`${op}: expected mode to be 'full', 'activations', 'larger_than', 'list_of_layers' or null, got ${describe(mode)}`);
    const threshold = options.outputSizeThreshold ?? 1024;
    if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 0)
      throw new Error(`${op}: expected outputSizeThreshold to be a non-negative integer, got ${describe(threshold)}`);
    const names = options.layerNames ?? [];
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))
      throw new Error(`${op}: expected layerNames to be an array of layer names (strings), got ${describe(names)}`);
    if (names.length > 0 && mode !== 'list_of_layers')
      throw new Error(`${op}: layerNames is read only by mode 'list_of_layers', but mode is ${describe(mode)}`);
    this.mode = mode;
    this.outputSizeThreshold = threshold;
    this.layerNames = Object.freeze([...names]);
    this.#layerNameSet = new Set(names);
  }

  /** @internal Whether layerNames holds `name`. */
  listsLayer(name: string): boolean {
    return this.#layerNameSet.has(name);
  }

  /** Runs fn inside this scope and returns what it returns; fn must be synchronous. */
  run<T>(fn: () => T): T {
    if (arguments.length > 1) throw tooManyArguments('RematScope.run', 1, arguments.length);
    checkCallback('RematScope.run', `RematScope(${describe(this.mode)})`, fn);
    stack.push(this);
    try {
      return checkNotPromise('RematScope.run', `RematScope(${describe(this.mode)})`, fn());
    } finally {
      stack.splice(stack.lastIndexOf(this), 1);
    }
  }
}

/** @internal The innermost active RematScope, or null. */
export function currentRematScope(): RematScope | null {
  return stack.length > 0 ? stack[stack.length - 1] : null;
}
