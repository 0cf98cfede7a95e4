// cloneModel (Keras 3's keras.models.clone_model): the same architecture with new layers,
// so new weights. Functional models are rebuilt from their config with hooks that choose
// each layer (cloneFunction) and make each call (callFunction); Sequential models list
// their cloned layers; any other model comes back from its own config. A compiled model's
// clone is compiled the same way, with a fresh optimizer and fresh metrics.
import { InputLayer, input } from '../layers/input_layer';
import type { Layer } from '../layers/layer';
import { deserializeLayer, serializeLayer } from '../layers/serialization';
import { flattenNested, type Nested } from '../layers/structure';
import { SymbolicTensor } from '../layers/symbolic_tensor';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { compileConfigOf, compileFromConfig } from '../saving/keras_optimizer';
import { describe } from '../tensor/shape';
import { compiledOf } from '../training/steps';
import { Functional } from './functional';
import { graphFromConfig } from './functional_config';
import { Model } from './model';
import { Sequential } from './sequential';

/** Options of cloneModel (Keras 3's clone_model arguments). */
export interface CloneModelOptions {
  /**
   * Tensors to build the clone on, in the structure of the model's inputs (one input() for a
   * Sequential model); default new input() tensors of the same shapes, dtypes and names.
   */
  inputTensors?: Nested<SymbolicTensor> | null;
  /**
   * Makes the clone of each layer (input layers excepted); default a new layer from the
   * layer's config, with fresh weights. Return the layer itself to share it.
   */
  cloneFunction?: ((layer: Layer<any>) => Layer<any>) | null;
  /**
   * Functional models only: makes each call of the cloned layers, (layer, inputs, options) =>
   * outputs; default `layer.apply(inputs, options)`. It may wrap the call in more layers.
   */
  callFunction?: ((layer: Layer<any>, inputs: Nested<SymbolicTensor>, options: Record<string, any>) => unknown) | null;
  /** Clone nested Sequential and functional models layer by layer with cloneFunction (default false). */
  recursive?: boolean;
}

const OP = 'cloneModel';

/**
 * A new model with the architecture of `model` and new layers (so freshly initialized
 * weights), as Keras 3's clone_model. A compiled model's clone is compiled the same way.
 * @example
 * const fresh = cloneModel(model);
 * // Keras's docs: a Dropout after each Dense, sharing the layers (and weights) of `model`.
 * const withDropout = cloneModel(model, {
 *   cloneFunction: (layer) => layer,
 *   callFunction: (layer, inputs, options) => {
 *     const out = layer.apply(inputs, options);
 *     return layer instanceof layers.Dense ? layers.dropout({ rate: 0.5 }).apply(out) : out;
 *   },
 * });
 */
export function cloneModel<M extends Model<any>>(model: M, options?: CloneModelOptions | null): M {
  if (arguments.length > 2) throw tooManyArguments(OP, 2, arguments.length);
  if (!(model instanceof Model)) throw new Error(`${OP}: expected a Model (Sequential, functional or subclassed), got ${describe(model)}`);
  const { inputTensors, cloneFunction, callFunction, recursive = false } = checkOptions(OP, options, OP) as CloneModelOptions;
  for (const [key, fn] of [
    ['cloneFunction', cloneFunction],
    ['callFunction', callFunction],
  ] as const) {
    if (fn !== undefined && fn !== null && typeof fn !== 'function') throw new Error(`${OP}: expected ${key} to be a function, got ${describe(fn)}`);
  }
  if (typeof recursive !== 'boolean') throw new Error(`${OP}: expected recursive to be true or false, got ${describe(recursive)}`);
  return cloneWith(
    model,
    { inputTensors: inputTensors ?? undefined, cloneFunction: cloneFunction ?? undefined, callFunction: callFunction ?? undefined, recursive },
    new Map(),
  ) as M;
}

interface Resolved {
  inputTensors?: Nested<SymbolicTensor>;
  cloneFunction?: (layer: Layer<any>) => Layer<any>;
  callFunction?: (layer: Layer<any>, inputs: Nested<SymbolicTensor>, options: Record<string, any>) => unknown;
  recursive: boolean;
}

// Keras's wrapped clone function: each layer cloned once (shared layers stay shared), nested
// models cloned layer by layer when recursive.
function layerCloner(options: Resolved, cache: Map<Layer<any>, Layer<any>>): (layer: Layer<any>) => Layer<any> {
  return (layer) => {
    const cached = cache.get(layer);
    if (cached !== undefined) return cached;
    let clone: Layer<any>;
    if (options.recursive && (layer instanceof Sequential || layer instanceof Functional)) {
      clone = cloneWith(layer, { ...options, inputTensors: undefined }, cache);
    } else if (options.cloneFunction !== undefined) {
      clone = options.cloneFunction(layer);
      if (clone === null || typeof clone !== 'object' || typeof (clone as Layer<any>).apply !== 'function')
        throw new Error(`${OP}: cloneFunction must return a Layer, got ${describe(clone)} for layer '${layer.name}'`);
    } else clone = deserializeLayer(serializeLayer(layer));
    cache.set(layer, clone);
    return clone;
  };
}

function cloneWith(model: Model<any>, options: Resolved, cache: Map<Layer<any>, Layer<any>>): Model<any> {
  let clone: Model<any>;
  if (model instanceof Sequential) {
    if (options.callFunction !== undefined)
      throw new Error(
        `${OP}: callFunction is not supported with Sequential models (their layers are listed, not called, when the model is made); use it with functional models`,
      );
    clone = cloneSequential(model, options, layerCloner(options, cache));
  } else if (model instanceof Functional) {
    clone = cloneFunctional(model, options, layerCloner(options, cache));
  } else {
    for (const key of ['inputTensors', 'cloneFunction', 'callFunction'] as const) {
      if (options[key] !== undefined)
        throw new Error(
          `${OP}: ${key} is supported for Sequential and functional models only; ${model.name} is a ${model.constructor.name} (a subclassed model)`,
        );
    }
    clone = deserializeLayer(serializeLayer(model)) as Model<any>;
  }
  compileLike(model, clone);
  return clone;
}

function cloneSequential(model: Sequential, options: Resolved, cloneLayer: (layer: Layer<any>) => Layer<any>): Sequential {
  const layers = model.layers.map(cloneLayer);
  let first: SymbolicTensor | undefined;
  if (options.inputTensors !== undefined) {
    const given = Array.isArray(options.inputTensors) && options.inputTensors.length === 1 ? options.inputTensors[0] : options.inputTensors;
    if (!(given instanceof SymbolicTensor) || !given.node.isInput)
      throw new Error(`${OP}: a Sequential model's inputTensors must be one input() tensor, got ${describe(options.inputTensors)}`);
    first = given;
  } else if (model.built && model.inputs.length === 1) {
    const [t] = model.inputs;
    first = input({ batchShape: [...t.shape], dtype: t.dtype, name: t.sourceLayer.name });
  }
  return new Sequential({ layers: first === undefined ? layers : [first, ...layers], name: model.name, trainable: model.trainable });
}

function cloneFunctional(model: Functional, options: Resolved, cloneLayer: (layer: Layer<any>) => Layer<any>): Functional {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const inputNames = model.inputs.map((t) => t.sourceLayer.name);
  let given: Map<string, SymbolicTensor> | undefined;
  if (options.inputTensors !== undefined) {
    const { flat } = flattenNested(OP, options.inputTensors, (v): v is SymbolicTensor => v instanceof SymbolicTensor, 'a symbolic tensor (input())');
    if (flat.length !== inputNames.length)
      throw new Error(`${OP}: inputTensors must match the model's inputs (${inputNames.join(', ')}), got ${flat.length} tensor${flat.length === 1 ? '' : 's'}`);
    given = new Map(inputNames.map((n, i) => [n, flat[i]]));
  }
  const args = graphFromConfig(model.getConfig(), {
    layerFor: (name) => {
      const layer = byName.get(name);
      return layer === undefined || layer instanceof InputLayer ? undefined : cloneLayer(layer);
    },
    inputFor: (name) => given?.get(name),
    call: options.callFunction,
  });
  return new Functional({ ...args, name: model.name, trainable: model.trainable });
}

// Keras 3 compiles the clone from the model's compile config: new optimizer and metrics.
function compileLike(model: Model<any>, clone: Model<any>): void {
  if ((model as { compiled?: unknown }).compiled == null) return;
  const jitCompile = compiledOf(model as never, OP).compileArgs.jitCompile;
  const compile = compileFromConfig(`${OP}(${model.name})`, compileConfigOf(model), clone, undefined, jitCompile === undefined ? {} : { jitCompile });
  compile?.();
}
