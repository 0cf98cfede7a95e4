// Model: a Layer that groups layers, with the model-level API (layers, getLayer,
// summary). Subclass it and write call() for models whose forward pass is code;
// functional and sequential models are its graph-based subclasses.
import { Layer, type OutputKind } from '../layers/layer';
import { formatShape } from '../layers/symbolic_tensor';
import { classNameOf } from '../serialization/registry';
import { describe } from '../tensor/shape';
import { printSummary, type SummaryRow, type SummaryTable } from './summary';
import { tooManyArguments } from '../options/arity';

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
