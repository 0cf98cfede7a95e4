// Sequential: a stack of single-input, single-output layers. Once its input shape is
// known (inputShape on the first layer, an input() added first, or the first call), it
// is a functional graph that grows with each add().
import { inScope } from '../layers/naming';
import { tooManyArguments } from '../options/arity';
import { refuseWhileRunning } from '../training/running_loops';
import { checkObject } from '../options/check_args';
import { isBoundaryLayer } from '../layers/preprocessing/string_input';
import { InputLayer, input } from '../layers/input_layer';
import { Layer, type LayerArgs } from '../layers/layer';
import { deserializeLayer, serializeLayer } from '../layers/serialization';
import { SymbolicTensor, type SymbolicShape } from '../layers/symbolic_tensor';
import type { Serialized } from '../serialization/registry';
import { GraphModel } from './graph_model';
import { describe } from '../tensor/shape';
import { layerOptions } from '../layers/layer_options';
import { floatx } from '../config/settings';

/** Options of sequential(). */
export interface SequentialArgs {
  /** The layers, first to last (an input() may come first). */
  layers?: (Layer<any> | SymbolicTensor)[];
  /** Default sequential, sequential_1, ... */
  name?: string;
  /** Default true. */
  trainable?: boolean;
}

/** A linear stack of layers. */
export class Sequential extends GraphModel<'single'> {
  static override className = 'Sequential';
  private readonly stack: Layer<any>[] = [];
  private inputTensor: SymbolicTensor | null = null;
  // outputsSoFar[i]: the symbolic output after stack[i], so add and pop do not rebuild.
  private outputsSoFar: SymbolicTensor[] = [];

  /** @param args the options, or the list of layers alone (Keras's `Sequential([...])`) */
  constructor(args: SequentialArgs | (Layer<any> | SymbolicTensor)[] = {}) {
    args = layerOptions(Sequential, new.target, Array.isArray(args) ? { layers: args } : args);
    if (args.layers !== undefined && !Array.isArray(args.layers))
      throw new Error(`sequential: expected layers to be a list of layers, got ${describe(args.layers)}`);
    super({ name: args.name, trainable: args.trainable } as LayerArgs);
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /**
   * Appends a layer (or, first, an input()). With a known input shape the layer is
   * applied at once, so an incompatible layer fails here.
   */
  add(layer: Layer<any> | SymbolicTensor, rebuild?: boolean): void {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.add`, 2, arguments.length);
    const op = `${this.name}.add`;
    refuseWhileRunning(op, this, 'add a layer');
    // Keras's second argument, rebuild, only says when the model is built (here: at once).
    if (rebuild !== undefined && typeof rebuild !== 'boolean') {
      throw new Error(`${op}: adds one layer (call add for each); the second argument is Keras's rebuild flag, true or false, got ${describe(rebuild)}`);
    }
    if (layer instanceof SymbolicTensor || layer instanceof InputLayer) {
      const t = layer instanceof InputLayer ? layer.tensor : layer;
      if (!t.node.isInput) throw new Error(`${op}: expected a Layer or an input(), got the symbolic output of layer ${t.sourceLayer.name}`);
      if (this.stack.length > 0 || this.inputTensor !== null) throw new Error(`${op}: an input can only be added first`);
      this.inputTensor = t;
      return;
    }
    if (!(layer instanceof Layer)) throw new Error(`${op}: expected a Layer, got ${layer === null ? 'null' : typeof layer}`);
    if (this.stack.length === 0 && this.inputTensor === null && layer.batchInputShape !== undefined) {
      this.inputTensor = input({ batchShape: layer.batchInputShape, dtype: layer.inputDType ?? floatx() });
    }
    this.stack.push(layer);
    if (this.inputTensor === null) return;
    try {
      this.appendToGraph(layer);
    } catch (e) {
      this.stack.pop();
      throw e;
    }
  }

  /** Removes the last layer. */
  pop(): void {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.pop`, 0, arguments.length);
    refuseWhileRunning(`${this.name}.pop`, this, 'remove a layer');
    if (this.stack.length === 0) throw new Error(`${this.name}.pop: the model has no layers`);
    this.stack.pop();
    if (this.inputTensor === null) return;
    this.outputsSoFar.pop();
    if (this.stack.length === 0) this.clearGraph();
    else this.setGraph(this.inputTensor, this.outputsSoFar[this.outputsSoFar.length - 1]);
  }

  private appendToGraph(layer: Layer<any>): void {
    const previous = this.outputsSoFar[this.outputsSoFar.length - 1] ?? this.inputTensor!;
    // Keras builds a Sequential's layers in its build, within its name scope ('sequential/dense').
    const out = inScope(this.scopePath(), () => layer.apply(previous));
    if (!(out instanceof SymbolicTensor)) {
      throw new Error(`${this.name}.add: layer ${layer.name} has several outputs; Sequential layers must have one (use the functional API)`);
    }
    this.outputsSoFar.push(out);
    this.setGraph(this.inputTensor!, out);
  }

  /** Builds the graph for inputs of `inputShape` (done by the first call when no input shape was given). */
  override build(inputShape: SymbolicShape): void {
    if (this.stack.length === 0) throw new Error(`${this.name}: the model has no layers to run`);
    if (this.inputTensor === null) {
      // A string-taking first layer says what its encoded input looks like (lengths may vary).
      const first = this.stack[0];
      this.inputTensor = isBoundaryLayer(first)
        ? input({ batchShape: first.encodedShape([null, ...inputShape.slice(1)]), dtype: first.encodedDType() })
        : input({ batchShape: [null, ...inputShape.slice(1)], dtype: first.inputDType ?? floatx() });
    }
    this.outputsSoFar = [];
    for (const layer of this.stack) this.appendToGraph(layer);
  }

  /** The stacked layers (without the input). */
  override get layers(): Layer<any>[] {
    return [...this.stack];
  }

  protected override trackedLayers(): Layer<any>[] {
    return [...this.stack];
  }

  override getConfig(): Record<string, unknown> {
    const layers: Serialized[] = this.stack.map((layer) => serializeLayer(layer));
    // An input() added first is part of the model's definition.
    if (this.inputTensor !== null && this.stack[0]?.batchInputShape === undefined) layers.unshift(serializeLayer(this.inputTensor.sourceLayer));
    return { name: this.name, trainable: this.trainable, layers };
  }

  static override fromConfig<T extends Layer<any>>(this: new (args: any) => T, config: Record<string, unknown>): T {
    checkObject(`${this.name}.fromConfig`, 'config (what getConfig returned)', config);
    const layers = ((config.layers ?? []) as Serialized[]).map((s) => {
      const layer = deserializeLayer(s);
      return layer instanceof InputLayer ? layer.tensor : layer;
    });
    return new this({ name: config.name, trainable: config.trainable, layers });
  }
}

/**
 * A Sequential model.
 * @example sequential({layers: [layers.dense({units: 64, inputShape: [784], activation: 'relu'}), layers.dense({units: 10})]})
 */
export function sequential(args?: SequentialArgs | (Layer<any> | SymbolicTensor)[]): Sequential {
  if (arguments.length > 1) throw tooManyArguments('sequential', 1, arguments.length);
  return new Sequential(args);
}
