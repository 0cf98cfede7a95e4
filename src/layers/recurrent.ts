// Recurrent layers: rnn (any cell), simpleRNN, lstm and gru. Where nothing needs a step of
// its own (no mask, no recurrent dropout in training, the cell's default activations) the
// whole sequence is one kernel call each way (ops/recurrent_sequence.ts). Otherwise the
// input projection of every timestep is one matMul ([time * batch, in] x [in, G*u]) and
// the loop runs the cell's fused step per timestep. Masked steps keep the previous states
// and output, as Keras does; goBackwards runs from the last step; initial states come as
// apply(x, {initialState}) or as extra inputs ([x, h0, c0], Keras's functional form).
// Stacked cells run cell by cell over the whole sequence (the same math as step by step:
// a masked step keeps every cell's states). A stateful layer starts each call from the
// states the previous call ended with (stateful_states.ts).
import { mul } from '../ops/binary';
import { cast } from '../ops/cast';
import { stack } from '../ops/concat';
import { reshape, expandDims } from '../ops/reshape';
import { slice, split } from '../ops/slice';
import { transpose } from '../ops/transpose';
import { reverse } from '../ops/reverse';
import { where } from '../ops/compare';
import { zeros } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import type { Tensor, Variable } from '../tensor/tensor';
import { isSerialized, type Serialized } from '../serialization/registry';
import { InputSpec, assertInputCompatibility } from './input_spec';
import { Layer, isProbing, type CallOptions, type LayerArgs, type LayerOutput, type Mask, type OutputKind, type Outputs } from './layer';
import { GRUCell, LSTMCell, RNNCell, SimpleRNNCell, type GRUCellArgs, type LSTMCellArgs, type RNNCellArgs } from './rnn_cells';
import { deserializeLayer, serializeLayer } from './serialization';
import { StackedRNNCells } from './stacked_rnn_cells';
import { HeldStates } from './stateful_states';
import type { Nested } from './structure';
import { formatShape, type SymbolicShape, type SymbolicTensor } from './symbolic_tensor';
import { describe } from '../tensor/shape';
import { layerOptions } from './layer_options';
import { checkOptions, optionKeys } from '../options/check';
import { tooManyArguments } from '../options/arity';

/** Options of every recurrent layer. */
export interface RNNOptions {
  /** Return the output of every step ([batch, time, units]) instead of the last ([batch, units]). Default false. */
  returnSequences?: boolean;
  /** Also return the final states: [output, ...states]. Default false. */
  returnState?: boolean;
  /** Process the sequence from the last step to the first (outputs come in that order). Default false. */
  goBackwards?: boolean;
  /**
   * Start each batch from the states the previous batch ended with (sample i from sample
   * i's). Needs a fixed batch size (batchInputShape, batchSize, or input({batchShape})).
   * Default false.
   */
  stateful?: boolean;
  /** Accepted for Keras compatibility; true keeps the per-step loop instead of the whole-sequence kernels. */
  unroll?: boolean;
  /** Keras's and TensorFlow.js's choice of computation order (1 or 2): the same math, so it has no effect here. */
  implementation?: number;
  /** Masked steps output zeros instead of the previous output. Default false. */
  zeroOutputForMask?: boolean;
}

/** Options of rnn: a cell and the recurrent options. */
export interface RNNArgs extends LayerArgs, RNNOptions {
  /**
   * The cell run at every step (an RNNCell, or its {className, config}); an array of cells,
   * or a stackedRNNCells, stacks them (each cell's output feeds the next).
   */
  cell: RNNCell | StackedRNNCells | Serialized | (RNNCell | Serialized)[];
}

/** Options of apply for recurrent layers: the initial states. */
export interface RNNCallOptions extends CallOptions {
  /** One tensor per state (lstm: [h, c]), each [batch, units]; default zeros. */
  initialState?: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
}

// Tests turn the sequence kernels off to compare the layers with the per-step path.
let sequenceKernels = true;

/** @internal Whether the layers may run whole sequences in one kernel call; returns the previous setting. */
export function useSequenceKernels(on: boolean): boolean {
  const was = sequenceKernels;
  sequenceKernels = on;
  return was;
}

// A mask that keeps every step changes nothing (one small read of [batch, time] values).
function allValid(mask: Tensor | null): boolean {
  return (
    mask === null ||
    cast(mask, 'bool')
      .dataSync()
      .every((v) => v !== 0)
  );
}

const LAYER_KEYS = ['name', 'trainable', 'dtype', 'inputShape', 'batchInputShape', 'batchSize', 'inputDType', 'activityRegularizer'];

/** @internal The options of `cell` (a cell class) out of a layer's args (the layer keeps name, shapes, ...). */
export function cellArgs<T extends LayerArgs>(args: T, cell: Function): T {
  const cellKeys = optionKeys(`layers.${cell.name}`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (cellKeys.includes(key) && (!LAYER_KEYS.includes(key) || key === 'dtype' || key === 'trainable')) out[key] = value;
  }
  return out as T;
}

/** @internal [x, ...initialState] as apply's inputs, with the mask on x alone. */
export function withInitialState(inputs: unknown, options: RNNCallOptions | null): { inputs: any; options: CallOptions } {
  const { initialState, ...rest } = checkOptions('apply', options, 'RNN.apply');
  if (initialState === undefined) return { inputs, options: rest };
  const states = Array.isArray(initialState) ? initialState : [initialState];
  const mask = rest.mask === undefined ? undefined : [Array.isArray(rest.mask) ? rest.mask[0] : rest.mask, ...states.map(() => null)];
  return { inputs: [inputs, ...states], options: { ...rest, mask } };
}

/**
 * A recurrent layer: runs a cell over the time axis of [batch, time, features].
 * K is 'list' when returnState is set (apply returns [output, ...states]).
 * @example layers.rnn({cell: new layers.LSTMCell({units: 8}), returnSequences: true})
 */
export class RNN<K extends OutputKind = 'single'> extends Layer<K> {
  static override className = 'RNN';
  /** The cell run at every step. */
  readonly cell: RNNCell | StackedRNNCells;
  /** Whether every step's output is returned. */
  readonly returnSequences: boolean;
  /** Whether the final states are returned too. */
  readonly returnState: boolean;
  /** Whether the sequence is processed from the end. */
  readonly goBackwards: boolean;
  /** Whether each call starts from the states the previous call ended with. */
  readonly stateful: boolean;
  /** Accepted for Keras compatibility. */
  readonly unroll: boolean;
  /** Whether masked steps output zeros (else the previous output). */
  zeroOutputForMask: boolean;
  // A stateful layer's states between calls (created by build).
  private held: HeldStates | null = null;

  constructor(args: RNNArgs) {
    args = layerOptions(RNN, new.target, args);
    const { cell, ...layerArgs } = args;
    super(layerArgs);
    const made = Array.isArray(cell) ? new StackedRNNCells({ cells: cell }) : isSerialized(cell) ? deserializeLayer(cell) : cell;
    if (!(made instanceof RNNCell) && !(made instanceof StackedRNNCells))
      throw new Error(
        `${this.name}: expected cell to be an RNN cell (simpleRNNCell, lstmCell, gruCell), an array of them or a stackedRNNCells, got ${describe(made)}`,
      );
    this.cell = made;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = args.stateful ?? false;
    if (typeof this.stateful !== 'boolean') throw new Error(`${this.name}: expected stateful to be a boolean, got ${describe(this.stateful)}`);
    this.unroll = args.unroll ?? false;
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
    this.supportsMasking = true;
  }

  /** Applies the layer; `options.initialState` gives the starting states. */
  override apply(inputs: Nested<SymbolicTensor>, options?: RNNCallOptions): Outputs<SymbolicTensor, K>;
  override apply(inputs: Nested<Tensor>, options?: RNNCallOptions): Outputs<Tensor, K>;
  override apply(inputs: Nested<Tensor> | Nested<SymbolicTensor>, options: RNNCallOptions = {}): unknown {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    const r = withInitialState(inputs, options);
    return super.apply(r.inputs, r.options);
  }

  // The sequence [batch, time, features] and one [batch, units] per state, Keras's messages.
  private checkInputs(shapes: SymbolicShape[]): void {
    const [x, ...states] = shapes;
    const inputDim = this.cells[0].kernel?.shape[0];
    assertInputCompatibility(this.name, new InputSpec({ ndim: 3, ...(inputDim === undefined ? {} : { axes: { [-1]: inputDim } }) }), [
      { shape: x, dtype: this.dtype },
    ]);
    const sizes = this.cell.stateSize;
    if (states.length === 0) return;
    if (
      states.length !== sizes.length ||
      states.some((s, i) => s.length !== 2 || (s[1] !== null && s[1] !== sizes[i]) || (s[0] !== null && x[0] !== null && s[0] !== x[0]))
    ) {
      const want = sizes.map((u) => formatShape([x[0], u])).join(', ');
      throw new Error(
        `${this.name}: an initial state was passed that does not fit the cell: expected ${sizes.length} state(s) of shape ${want}, got ${states.map(formatShape).join(', ')}`,
      );
    }
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shapes = asShapeList(inputShape);
    this.checkInputs(shapes);
    const inputDim = shapes[0][2];
    if (inputDim === null) throw new Error(`${this.name}: the feature dimension (the last) of the input must be known, got shape ${formatShape(shapes[0])}`);
    if (!this.cell.built) {
      this.cell.build([shapes[0][0], inputDim]);
      this.cell.built = true;
    }
    if (this.stateful && this.held === null) this.held = new HeldStates(this.name, shapes[0][0], this.cell.stateSize, this.dtype);
  }

  /** The cells run in order: a stacked cell's, or the one cell. */
  get cells(): RNNCell[] {
    return this.cell instanceof StackedRNNCells ? this.cell.cells : [this.cell];
  }

  /**
   * A stateful layer's states back to zeros, or to `states` (one [batch, size] tensor per
   * state, copied), as TensorFlow.js's resetStates and Keras's reset_state.
   */
  resetStates(states?: Tensor | Tensor[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.resetStates`, 1, arguments.length);
    if (!this.stateful) throw new Error(`${this.name}.resetStates: the layer is not stateful (stateful: false); it keeps no states between calls`);
    // Keras: a layer not built yet has no states to reset.
    if (this.held === null) {
      if (states !== undefined)
        throw new Error(`${this.name}.resetStates: the layer is not built yet, so its batch size is unknown; call it (or build the model) first`);
      return;
    }
    this.held.reset(states);
  }

  /** Keras 3's name for resetStates. */
  resetState(states?: Tensor | Tensor[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.resetState`, 1, arguments.length);
    this.resetStates(states);
  }

  /** The states a stateful layer will start its next call from (copies), or null before build; TensorFlow.js's `states`. */
  get states(): Tensor[] | null {
    return this.held?.copies() ?? null;
  }

  protected override releaseState(): void {
    this.held?.dispose();
    this.held = null;
  }

  override call(inputs: Tensor | Tensor[], { training, mask }: CallOptions): LayerOutput {
    const [x, ...initial] = Array.isArray(inputs) ? inputs : [inputs];
    this.checkInputs([x.shape, ...initial.map((s) => s.shape)]);
    const stepMask = Array.isArray(mask) ? mask[0] : (mask ?? null);
    // Probing output shapes runs on placeholder batches: it neither reads nor moves the states.
    const held = this.held !== null && !isProbing() ? this.held : null;
    held?.checkBatch(x.shape[0]);
    const start = initial.length > 0 ? initial : (held?.start() ?? this.cell.zeroStates(x.shape[0]));
    const { output, states } = this.run(x, start, stepMask, training ?? false);
    held?.update(states);
    return this.returnState ? [output, ...states] : output;
  }

  // Cell after cell over the whole sequence: each one's output sequence is the next one's
  // input. After a first cell that ran backwards, the sequence is in processing order, so
  // the later cells run forwards over it (with the mask reversed to match).
  private run(x: Tensor, initial: Tensor[], mask: Tensor | null, training: boolean): { output: Tensor; states: Tensor[] } {
    const cells = this.cells;
    const perCell = this.cell instanceof StackedRNNCells ? this.cell.statesPerCell(initial) : [initial];
    const states: Tensor[] = [];
    let input = x;
    let backwards = this.goBackwards;
    let output = x;
    cells.forEach((cell, i) => {
      const last = i === cells.length - 1;
      const r = this.runCell(cell, input, perCell[i], mask, training, backwards, last ? this.returnSequences : true, last && this.zeroOutputForMask);
      states.push(...r.states);
      output = input = r.output;
      if (backwards && !last) {
        backwards = false;
        mask = mask === null ? null : reverse(mask, 1);
      }
    });
    return { output, states };
  }

  // The whole sequence in one kernel call when the cell allows it and no step needs its own
  // treatment (a masked step, recurrent dropout); else one matMul for the input projection,
  // then the cell's step per timestep.
  private runCell(
    cell: RNNCell,
    x: Tensor,
    initial: Tensor[],
    mask: Tensor | null,
    training: boolean,
    goBackwards: boolean,
    returnSequences: boolean,
    zeroOutputForMask: boolean,
  ): { output: Tensor; states: Tensor[] } {
    const [batch, time, features] = x.shape;
    const inputMask = cell.dropoutMask([batch, features], cell.dropout, training);
    const dropped = inputMask === null ? x : mul(x, expandDims(inputMask, 1));
    const recurrentDropout = training && cell.recurrentDropout > 0;
    if (sequenceKernels && !this.unroll && !recurrentDropout && time > 0 && allValid(mask)) {
      const whole = cell.sequence(dropped, initial, goBackwards);
      if (whole !== null) return { output: returnSequences ? whole.outputs : whole.states[0], states: whole.states };
    }
    // Time-major rows, so each step's projection is a contiguous block of `batch` rows.
    const xw = cell.project(reshape(transpose(dropped, [1, 0, 2]), [time * batch, features]));
    const recurrentMask = cell.dropoutMask([batch, cell.units], cell.recurrentDropout, training);
    const keep = mask === null ? null : cast(mask, 'bool');
    let states = initial;
    let previous = zeros([batch, cell.units], x.dtype);
    const outputs: Tensor[] = [];
    // One split, not a slice per step: its gradient is one concat of the steps' gradients.
    const xwSteps = time > 0 ? split(xw, time, 0) : [];
    for (let k = 0; k < time; k++) {
      const t = goBackwards ? time - 1 - k : k;
      const next = cell.step(xwSteps[t], states, recurrentMask);
      let out = next[0];
      if (keep !== null) {
        const valid = slice(keep, [0, t], [batch, 1]);
        states = next.map((s, i) => where(valid, s, states[i]));
        out = where(valid, next[0], zeroOutputForMask ? 0 : previous);
      } else states = next;
      outputs.push(out);
      previous = out;
    }
    return { output: returnSequences ? stack(outputs, 1) : previous, states };
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const shapes = asShapeList(inputShape);
    this.checkInputs(shapes);
    const [batch, time] = shapes[0];
    const output = this.returnSequences ? [batch, time, this.cell.units] : [batch, this.cell.units];
    return this.returnState ? [output, ...this.cell.stateSize.map((u) => [batch, u])] : output;
  }

  // The sequence mask carries on when sequences are returned; states have none.
  override computeMask(inputs: Tensor | Tensor[], mask?: Mask | Mask[]): Mask | Mask[] {
    void inputs;
    const stepMask = Array.isArray(mask) ? mask[0] : (mask ?? null);
    const output = this.returnSequences ? stepMask : null;
    return this.returnState ? [output, ...this.cell.stateSize.map(() => null)] : output;
  }

  protected override outputDType(): DType {
    return this.dtype;
  }

  /** The recurrent options, for getConfig. */
  protected rnnConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zeroOutputForMask: this.zeroOutputForMask,
    };
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.rnnConfig(), cell: serializeLayer(this.cell) };
  }
}

function asShapeList(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
  return inputShape.length > 0 && Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[]) : [inputShape as SymbolicShape];
}

/** The base of simpleRNN, lstm and gru: an RNN whose config is its cell's options, flat (as Keras's). */
export abstract class CellRNN<K extends OutputKind = 'single'> extends RNN<K> {
  declare readonly cell: RNNCell;
  /** The cell's kernel [inputDim, G * units]. */
  get kernel(): Variable | null {
    return this.cell.kernel;
  }
  /** The cell's recurrent kernel [units, G * units]. */
  get recurrentKernel(): Variable | null {
    return this.cell.recurrentKernel;
  }
  /** The cell's bias. */
  get bias(): Variable | null {
    return this.cell.bias;
  }
  override getConfig(): Record<string, unknown> {
    const { name, trainable, dtype, ...cellOptions } = this.cell.getConfig();
    return { ...this.rnnConfig(), ...cellOptions };
  }
}

/** Options of simpleRNN. */
export interface SimpleRNNArgs extends RNNCellArgs, RNNOptions {}

/** A fully connected recurrent layer: h' = activation(x W + b + h U). */
export class SimpleRNN<K extends OutputKind = 'single'> extends CellRNN<K> {
  static override className = 'SimpleRNN';
  constructor(args: SimpleRNNArgs) {
    args = layerOptions(SimpleRNN, new.target, args);
    super({ ...args, cell: new SimpleRNNCell({ ...cellArgs(args, SimpleRNNCell), name: 'simple_rnn_cell' }) });
  }
}

/** Options of lstm. */
export interface LSTMArgs extends LSTMCellArgs, RNNOptions {}

/** Long short-term memory (Hochreiter 1997), Keras's gates i, f, c, o; states [h, c]. */
export class LSTM<K extends OutputKind = 'single'> extends CellRNN<K> {
  static override className = 'LSTM';
  constructor(args: LSTMArgs) {
    args = layerOptions(LSTM, new.target, args);
    super({ ...args, cell: new LSTMCell({ ...cellArgs(args, LSTMCell), name: 'lstm_cell' }) });
  }
}

/** Options of gru. */
export interface GRUArgs extends GRUCellArgs, RNNOptions {}

/** Gated recurrent unit (Cho 2014), Keras's gates z, r, h; resetAfter true by default (bias [2, 3u]). */
export class GRU<K extends OutputKind = 'single'> extends CellRNN<K> {
  static override className = 'GRU';
  constructor(args: GRUArgs) {
    args = layerOptions(GRU, new.target, args);
    super({ ...args, cell: new GRUCell({ ...cellArgs(args, GRUCell), name: 'gru_cell' }) });
  }
}
