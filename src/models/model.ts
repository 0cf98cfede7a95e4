// Model: a Layer that groups layers, with the model-level API (layers, getLayer,
// summary). Subclass it and write call() for models whose forward pass is code;
// functional and sequential models are its graph-based subclasses.
import { Layer, type OutputKind } from '../layers/layer';
import { formatShape } from '../layers/symbolic_tensor';
import { classNameOf } from '../serialization/registry';
import { checkOptions } from '../options/check';
import type { SaveOptions } from '../saving/tfjs_format';
import { printSummary, type SummaryRow, type SummaryTable } from './summary';

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

  /** The model's layers (for a subclassed model: the layers held in its properties). */
  get layers(): Layer<any>[] {
    return this.trackedLayers();
  }

  /**
   * A layer by name or by index in `layers`.
   * @example model.getLayer('dense_1')
   */
  getLayer(nameOrIndex: string | number): Layer<any> {
    const layers = this.layers;
    if (typeof nameOrIndex === 'number') {
      const layer = layers[nameOrIndex];
      if (!Number.isInteger(nameOrIndex) || layer === undefined) {
        throw new Error(`${this.name}.getLayer: no layer at index ${nameOrIndex}; the model has ${layers.length} layers`);
      }
      return layer;
    }
    const layer = layers.find((l) => l.name === nameOrIndex);
    if (layer === undefined) {
      throw new Error(`${this.name}.getLayer: no layer named '${nameOrIndex}'; the layers are: ${layers.map((l) => l.name).join(', ')}`);
    }
    return layer;
  }

  /**
   * Saves the model (config and weights): a path ending in '.keras' writes a Keras 3
   * file, any other path a TensorFlow.js folder (model.json + weights-<version>.bin)
   * that tf.loadLayersModel reads. The path holds a complete save at every moment: a
   * failure, a kill or a reader at any time finds the previous save or the new one.
   * @example await model.save('my-model'); const m = await loadModel('my-model');
   */
  async save(path: string, options: SaveOptions | null = {}): Promise<void> {
    options = checkOptions(`${this.name}.save`, options, 'Model.save');
    const { saveModel } = await import('../saving/save_model');
    await saveModel(this, path, options);
  }

  /**
   * Saves the weights only: 'name.weights.h5' (Keras 3's HDF5 layout), or any other
   * path a folder of weights.json + weights-<version>.bin (TensorFlow.js's binary layout).
   */
  async saveWeights(path: string): Promise<void> {
    const { saveWeights } = await import('../saving/save_model');
    await saveWeights(this, path);
  }

  /**
   * Loads weights saved by saveWeights, a Keras .weights.h5 / .h5 file, or a TensorFlow.js
   * model folder. Every weight is checked (present, right shape) before any changes.
   */
  async loadWeights(path: string): Promise<void> {
    const { loadWeights } = await import('../saving/save_model');
    await loadWeights(this, path);
  }

  /**
   * Prints the layers, their output shapes and parameter counts, and the totals.
   * @param lineLength characters per line (default 65, or 98 with a "Connected to" column)
   * @param positions right edge of each column, as fractions of lineLength or in characters
   * @param printFn receives each line (default console.log)
   */
  summary(lineLength?: number, positions?: number[], printFn?: (line: string) => void): void {
    printSummary(this.summaryTable(), lineLength, positions, printFn);
  }

  /** What summary prints; graph models add connections. */
  protected summaryTable(): SummaryTable {
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
