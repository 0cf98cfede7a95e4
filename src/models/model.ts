// Model: a Layer that groups layers, with the model-level API (layers, getLayer,
// summary). Subclass it and write call() for models whose forward pass is code;
// functional and sequential models are its graph-based subclasses.
import { Layer, buildByRunning, checkSymbolicShape, type LayerArgs, type OutputKind } from '../layers/layer';
import { functionalModel, type FunctionalArgs } from './functional_factory';
import { formatShape, type SymbolicShape } from '../layers/symbolic_tensor';
import { classNameOf } from '../serialization/registry';
import { describe } from '../tensor/shape';
import { printSummary, type SummaryRow, type SummaryTable } from './summary';
import { tooManyArguments } from '../options/arity';
import { floatx } from '../config/settings';
import { everyEntry } from '../options/every_entry';

/**
 * A model. Subclass it to write the forward pass as code; layers stored in properties
 * are tracked (their weights are the model's weights).
 * @example
 * class Mlp extends Model {
 *   hidden = layers.dense({units: 64, activation: 'relu'});
 *   out = layers.dense({units: 10});
 *   override call(x: Tensor, {training}: CallOptions) { return this.out.apply(this.hidden.apply(x, {training})); }
 * }
 */
export class Model<K extends OutputKind = 'single'> extends Layer<K> {
  static override className = 'Model';

  /**
   * Options of the model; `new Model({ inputs, outputs })` (Keras's
   * `keras.Model(inputs=..., outputs=...)`, TensorFlow.js's `new LayersModel({inputs,
   * outputs})`) gives the functional model that model() builds.
   */
  constructor(args: LayerArgs | FunctionalArgs = {}) {
    // As Keras's Model.__new__: inputs and outputs given to Model itself make a Functional.
    if (new.target === Model && args !== null && typeof args === 'object' && ('inputs' in args || 'outputs' in args)) {
      if (arguments.length > 1) throw tooManyArguments('Model', 1, arguments.length);
      return functionalModel(args as FunctionalArgs) as unknown as Model<K>;
    }
    super(args as LayerArgs);
  }

  /** The model's layers (for a subclassed model: the layers held in its properties). */
  get layers(): Layer<any>[] {
    return this.trackedLayers();
  }

  /**
   * A layer by name or by index in `layers`; TensorFlow.js's `getLayer(undefined, index)`
   * works too.
   * @example model.getLayer('dense_1')
   */
  getLayer(nameOrIndex?: string | number, index?: number): Layer<any> {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.getLayer`, 2, arguments.length);
    if (index !== undefined) {
      if (nameOrIndex !== undefined && nameOrIndex !== null)
        throw new Error(`${this.name}.getLayer: expected a name or an index, got both (${describe(nameOrIndex)} and ${describe(index)})`);
      if (typeof index !== 'number') throw new Error(`${this.name}.getLayer: expected index to be a number, got ${describe(index)}`);
      nameOrIndex = index;
    }
    const layers = this.layers;
    if (typeof nameOrIndex === 'number') {
      const layer = layers[nameOrIndex];
      if (!Number.isInteger(nameOrIndex) || layer === undefined) {
        throw new Error(`${this.name}.getLayer: no layer at index ${nameOrIndex}; the model has ${layers.length} layers`);
      }
      return layer;
    }
    if (typeof nameOrIndex !== 'string') throw new Error(`${this.name}.getLayer: expected a layer name or index, got ${describe(nameOrIndex)}`);
    const layer = layers.find((l) => l.name === nameOrIndex);
    if (layer === undefined) {
      throw new Error(`${this.name}.getLayer: no layer named '${nameOrIndex}'; the layers are: ${layers.map((l) => l.name).join(', ')}`);
    }
    return layer;
  }

  /**
   * Builds the sublayers for inputs of `inputShape` (a shape with the batch dimension, or a
   * list of them) by running call once on zeros of it, unknown dimensions 1, as Keras runs a
   * subclassed model on a placeholder. A model that is already built is left as it is.
   * @example model.build([null, 784])
   */
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    // The first call is about to run call itself, which builds the sublayers.
    if (this.built || this.buildingForFirstCall) return;
    const several = Array.isArray(inputShape) && inputShape.length > 0 && everyEntry(inputShape, Array.isArray);
    const shapes = several ? inputShape : [inputShape];
    shapes.forEach((s) => checkSymbolicShape(`${this.name}.build`, s, 'inputShape'));
    // The run's call must not build again (a subclass's build would make its weights twice).
    this.built = true;
    try {
      buildByRunning(this, inputShape, this.inputDType ?? floatx());
    } catch (e) {
      this.built = false;
      const described = (shapes as SymbolicShape[]).map(formatShape).join(', ');
      throw new Error(`${this.name}.build: running the model's call on zeros of shape ${described} failed: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Resets the states of every stateful layer (stateful RNNs) to zeros, as TensorFlow.js's
   * resetStates; call it between independent sequences.
   */
  resetStates(): void {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.resetStates`, 0, arguments.length);
    for (const layer of this.allLayers()) {
      const l = layer as Layer<any> & { stateful?: unknown; resetStates?: () => void };
      if (l !== this && l.stateful === true && typeof l.resetStates === 'function') l.resetStates();
    }
  }

  /** Keras 3's name for resetStates. */
  resetState(): void {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.resetState`, 0, arguments.length);
    this.resetStates();
  }

  /**
   * Prints the layers, their output shapes and parameter counts, and the totals.
   * @param lineLength characters per line (default 65, or 98 with a "Connected to" column)
   * @param positions right edge of each column, as fractions of lineLength or in characters
   * @param printFn receives each line (default console.log)
   */
  summary(lineLength?: number, positions?: number[], printFn?: (line: string) => void): void {
    if (arguments.length > 3) throw tooManyArguments(`${this.name}.summary`, 3, arguments.length);
    printSummary(this.summaryTable(), lineLength, positions, printFn);
  }

  /** What summary prints; graph models add connections. */
  protected summaryTable(): SummaryTable {
    if (!this.built) {
      // Its weights appear only when call first runs: a count now would say 0, silently wrong.
      throw new Error(
        `${this.name}.summary: this model has not yet been built, so its weights do not exist; build it first by calling build(inputShape) or by calling the model on a batch of data`,
      );
    }
    const rows: SummaryRow[] = this.layers.map((layer) => ({
      name: layer.name,
      type: classNameOf(layer.constructor),
      // Sublayers of a subclassed model have no nodes when they only ran eagerly.
      outputShape: layer.inboundNodes.length === 1 ? formatShape(layer.inboundNodes[0].outputs[0].shape) : layer.inboundNodes.length === 0 ? '?' : 'multiple',
      params: layer.countParams(),
    }));
    return this.table(rows, false);
  }

  /** @internal A summary table with this model's totals. */
  protected table(rows: SummaryRow[], connections: boolean): SummaryTable {
    const count = (vs: { size: number }[]) => vs.reduce((n, v) => n + v.size, 0);
    return { title: this.name, rows, connections, trainableParams: count(this.trainableWeights), nonTrainableParams: count(this.nonTrainableWeights) };
  }
}
