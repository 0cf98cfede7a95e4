// Functional models: a graph of layers from input() tensors to outputs, with branches,
// shared layers, several inputs and outputs, and nested models.
import type { Layer, OutputKind, Outputs } from '../layers/layer';
import { packNested, type Nested } from '../layers/structure';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import { graphConfig, graphFromConfig } from './functional_config';
import { GraphModel } from './graph_model';
import { setFunctionalFactory } from './functional_factory';
import { describe } from '../tensor/shape';
import { layerOptions } from '../layers/layer_options';
import { tooManyArguments } from '../options/arity';

/** Options of model(). */
export interface FunctionalArgs {
  /**
   * input() tensors: one, an array, or an object keyed by name. A tensor a layer computed
   * may stand in for an input (Keras's intermediate inputs): the model gets a new input()
   * in its place and shares the layers after it (and their weights) with the first graph.
   */
  inputs: Nested<SymbolicTensor>;
  /** Tensors computed from the inputs: one, an array, or an object keyed by name. */
  outputs: Nested<SymbolicTensor>;
  /** Default functional, functional_1, ... */
  name?: string;
  /** Default true; false freezes every layer. */
  trainable?: boolean;
}

/** The output kind of a model whose outputs are given as O. */
export type OutputKindOf<O> = O extends SymbolicTensor[] ? 'list' : O extends SymbolicTensor ? 'single' : 'dict';

/** A model defined by a graph of layers (Keras's Functional). Build it with model(). */
export class Functional<K extends OutputKind = OutputKind> extends GraphModel<K> {
  static override className = 'Functional';

  constructor(args: FunctionalArgs) {
    args = layerOptions(Functional, new.target, args);
    if (typeof args !== 'object' || args === null) throw new Error(`model: expected {inputs, outputs}, got ${describe(args)}`);
    super({ name: args.name });
    this.setGraph(args.inputs, args.outputs);
    if (args.trainable === false) this.trainable = false;
  }

  /** The model's own symbolic input(s), in the structure it was built with (Keras's Functional.input; a Sequential's is its first call's, as Keras's). */
  override get input(): Nested<SymbolicTensor> {
    return this.graph ? packNested([...this.graph.inputs], this.inputStructure) : super.input;
  }

  /** The model's own symbolic output(s), in the structure it was built with (Keras's Functional.output). */
  override get output(): Outputs<SymbolicTensor, K> {
    return this.graph ? (packNested([...this.graph.outputs], this.outputStructure) as Outputs<SymbolicTensor, K>) : super.output;
  }

  /**
   * The graph as Keras describes it: name, layers (each with its class, config and
   * inbound nodes), inputLayers and outputLayers. fromConfig rebuilds the model.
   */
  override getConfig(): Record<string, unknown> {
    return { ...graphConfig(this.name, this.trainable, this.requireGraph(), this.inputStructure, this.outputStructure) };
  }

  /** A new model (fresh weights) from what getConfig returned. */
  static override fromConfig<T extends Layer<any>>(this: new (args: any) => T, config: Record<string, unknown>): T {
    return new this(graphFromConfig(config));
  }
}

// new Model({inputs, outputs}) is a Functional, as in Keras.
setFunctionalFactory((args) => new Functional(args));

/**
 * A model from input() tensors to the tensors layers computed from them. Intermediate
 * tensors may serve as inputs: `model({inputs: hidden, outputs})` runs the shared layers from there.
 * @example
 * const x = input({shape: [784]});
 * const y = layers.dense({units: 10}).apply(layers.dense({units: 64, activation: 'relu'}).apply(x));
 * const m = model({inputs: x, outputs: y});
 */
export function model<O extends Nested<SymbolicTensor>>(args: FunctionalArgs & { outputs: O }): Functional<OutputKindOf<O>> {
  if (arguments.length > 1) throw tooManyArguments('model', 1, arguments.length);
  return new Functional<OutputKindOf<O>>(args);
}
