// StackedRNNCells (Keras, TensorFlow.js): several cells run as one, each cell's output the
// next one's input at every step. Its states are every cell's states in cell order, its
// output the last cell's. rnn({cell: [a, b]}) makes one; the RNN layer runs it cell by cell
// over the whole sequence (recurrent.ts), which is the same math as step by step.
import type { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { isSerialized, type Serialized } from '../serialization/registry';
import { Layer, type LayerArgs } from './layer';
import { layerOptions } from './layer_options';
import { RNNCell } from './rnn_cells';
import { deserializeLayer, serializeLayer } from './serialization';
import { formatShape, type SymbolicShape } from './symbolic_tensor';

/** Options of stackedRNNCells. */
export interface StackedRNNCellsArgs extends LayerArgs {
  /** The cells, first to last (RNNCells, or their {className, config}). */
  cells: (RNNCell | Serialized)[];
}

/**
 * Cells stacked into one cell for rnn(): states [...cell 0's, ...cell 1's, ...], output the
 * last cell's.
 * @example layers.rnn({cell: layers.stackedRNNCells({cells: [layers.lstmCell({units: 8}), layers.lstmCell({units: 4})]})})
 */
export class StackedRNNCells extends Layer<'list'> {
  static override className = 'StackedRNNCells';
  /** The cells, first to last. */
  readonly cells: RNNCell[];

  constructor(args: StackedRNNCellsArgs) {
    args = layerOptions(StackedRNNCells, new.target, args);
    const { cells, ...layerArgs } = args;
    super(layerArgs);
    if (!Array.isArray(cells) || cells.length === 0)
      throw new Error(`${this.name}: expected cells to be a non-empty array of RNN cells, got ${describe(cells)}`);
    this.cells = cells.map((c, i) => {
      const made = isSerialized(c) ? deserializeLayer(c) : c;
      if (!(made instanceof RNNCell))
        throw new Error(`${this.name}: expected cells[${i}] to be an RNN cell (simpleRNNCell, lstmCell, gruCell), got ${describe(made)}`);
      return made;
    });
    if (new Set(this.cells).size !== this.cells.length)
      throw new Error(`${this.name}: a cell appears twice in cells; each cell has its own weights, pass distinct cells`);
  }

  /** The sizes of every cell's states, in cell order. */
  get stateSize(): number[] {
    return this.cells.flatMap((c) => c.stateSize);
  }

  /** The size of the output: the last cell's units. */
  get units(): number {
    return this.cells[this.cells.length - 1].units;
  }

  /** @internal The states split into each cell's. */
  statesPerCell<T>(states: T[]): T[][] {
    let at = 0;
    return this.cells.map((c) => states.slice(at, (at += c.stateSize.length)));
  }

  // Each cell's input is the previous cell's output: [batch, inputDim], then [batch, units].
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const inputDim = shape[shape.length - 1];
    if (inputDim === null) throw new Error(`${this.name}: the last dimension of the input must be known, got shape ${formatShape(shape)}`);
    let step: SymbolicShape = [shape[0], inputDim];
    for (const cell of this.cells) {
      if (!cell.built) {
        cell.build(step);
        cell.built = true;
      }
      step = [shape[0], cell.units];
    }
  }

  /** One step, as TensorFlow.js's: [input, ...states] -> [output, ...new states]. */
  override call(inputs: Tensor[]): Tensor[] {
    const [x, ...states] = inputs;
    let input = x;
    const next: Tensor[] = [];
    this.statesPerCell(states).forEach((own, i) => {
      const out = this.cells[i].step(this.cells[i].project(input), own, null);
      next.push(...out);
      input = out[0];
    });
    return [input, ...next];
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
    const batch = (Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[])[0] : (inputShape as SymbolicShape))[0];
    return [[batch, this.units], ...this.stateSize.map((u) => [batch, u])];
  }

  /** The states at the start of a sequence. */
  zeroStates(batch: number): Tensor[] {
    return this.cells.flatMap((c) => c.zeroStates(batch));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cells: this.cells.map((c) => serializeLayer(c)) };
  }
}
