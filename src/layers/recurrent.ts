// Recurrent layers: rnn (any cell), simpleRNN, lstm and gru. Where nothing needs a step of
// its own (no mask, no recurrent dropout in training, the cell's default activations) the
// whole sequence is one kernel call each way (ops/recurrent_sequence.ts). Otherwise the
// input projection of every timestep is one matMul ([time * batch, in] x [in, G*u]) and
// the loop runs the cell's fused step per timestep. Masked steps keep the previous states
// and output, as Keras does; goBackwards runs from the last step; initial states come as
// apply(x, {initialState}) or as extra inputs ([x, h0, c0], Keras's functional form).
import { mul } from '../ops/binary';
import { cast } from '../ops/cast';
import { stack } from '../ops/concat';
import { reshape, expandDims } from '../ops/reshape';
import { slice, split } from '../ops/slice';
import { transpose } from '../ops/transpose';
import { where } from '../ops/compare';
import { zeros } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import type { Tensor, Variable } from '../tensor/tensor';
import { isSerialized, type Serialized } from '../serialization/registry';
import { InputSpec, assertInputCompatibility } from './input_spec';
import { Layer, type CallOptions, type LayerArgs, type LayerOutput, type Mask, type OutputKind, type Outputs } from './layer';
import { GRUCell, LSTMCell, RNNCell, SimpleRNNCell, type GRUCellArgs, type LSTMCellArgs, type RNNCellArgs } from './rnn_cells';
import { deserializeLayer, serializeLayer } from './serialization';
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
  /** Not supported (only false): carry states across batches. */
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
  /** The cell run at every step (an RNNCell, or its {className, config}). */
  cell: RNNCell | Serialized;
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
  readonly cell: RNNCell;
  /** Whether every step's output is returned. */
  readonly returnSequences: boolean;
  /** Whether the final states are returned too. */
  readonly returnState: boolean;
  /** Whether the sequence is processed from the end. */
  readonly goBackwards: boolean;
  /** Always false (stateful layers are not supported). */
  readonly stateful: boolean;
  /** Accepted for Keras compatibility. */
  readonly unroll: boolean;
  /** Whether masked steps output zeros (else the previous output). */
  zeroOutputForMask: boolean;

  constructor(args: RNNArgs) {
    args = layerOptions(RNN, new.target, args);
    const { cell, ...layerArgs } = args;
    super(layerArgs);
    const made = isSerialized(cell) ? deserializeLayer(cell) : cell;
    if (!(made instanceof RNNCell)) throw new Error(`${this.name}: expected cell to be an RNN cell (simpleRNNCell, lstmCell, gruCell), got ${describe(made)}`);
    this.cell = made;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = args.stateful ?? false;
    if (this.stateful)
      throw new Error(
        `${this.name}: stateful recurrent layers are not supported (stateful must be false); pass the states explicitly with returnState and initialState`,
      );
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
    const inputDim = this.cell.kernel?.shape[0];
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
  }

  override call(inputs: Tensor | Tensor[], { training, mask }: CallOptions): LayerOutput {
    const [x, ...initial] = Array.isArray(inputs) ? inputs : [inputs];
    this.checkInputs([x.shape, ...initial.map((s) => s.shape)]);
    const stepMask = Array.isArray(mask) ? mask[0] : (mask ?? null);
    const { output, states } = this.run(x, initial.length > 0 ? initial : this.cell.zeroStates(x.shape[0]), stepMask, training ?? false);
    return this.returnState ? [output, ...states] : output;
  }

  // The whole sequence in one kernel call when the cell allows it and no step needs its own
  // treatment (a masked step, recurrent dropout); else one matMul for the input projection,
  // then the cell's step per timestep.
  private run(x: Tensor, initial: Tensor[], mask: Tensor | null, training: boolean): { output: Tensor; states: Tensor[] } {
    const cell = this.cell;
    const [batch, time, features] = x.shape;
    const inputMask = cell.dropoutMask([batch, features], cell.dropout, training);
    const dropped = inputMask === null ? x : mul(x, expandDims(inputMask, 1));
    const recurrentDropout = training && cell.recurrentDropout > 0;
    if (sequenceKernels && !this.unroll && !recurrentDropout && time > 0 && allValid(mask)) {
      const whole = cell.sequence(dropped, initial, this.goBackwards);
      if (whole !== null) return { output: this.returnSequences ? whole.outputs : whole.states[0], states: whole.states };
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
      const t = this.goBackwards ? time - 1 - k : k;
      const next = cell.step(xwSteps[t], states, recurrentMask);
      let out = next[0];
      if (keep !== null) {
        const valid = slice(keep, [0, t], [batch, 1]);
        states = next.map((s, i) => where(valid, s, states[i]));
        out = where(valid, next[0], this.zeroOutputForMask ? 0 : previous);
      } else states = next;
      outputs.push(out);
      previous = out;
    }
    return { output: this.returnSequences ? stack(outputs, 1) : previous, states };
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
    super({ ...args, cell: new SimpleRNNCell(cellArgs(args, SimpleRNNCell)) });
  }
}

/** Options of lstm. */
export interface LSTMArgs extends LSTMCellArgs, RNNOptions {}

/** Long short-term memory (Hochreiter 1997), Keras's gates i, f, c, o; states [h, c]. */
export class LSTM<K extends OutputKind = 'single'> extends CellRNN<K> {
  static override className = 'LSTM';
  constructor(args: LSTMArgs) {
    args = layerOptions(LSTM, new.target, args);
    super({ ...args, cell: new LSTMCell(cellArgs(args, LSTMCell)) });
  }
}

/** Options of gru. */
export interface GRUArgs extends GRUCellArgs, RNNOptions {}

/** Gated recurrent unit (Cho 2014), Keras's gates z, r, h; resetAfter true by default (bias [2, 3u]). */
export class GRU<K extends OutputKind = 'single'> extends CellRNN<K> {
  static override className = 'GRU';
  constructor(args: GRUArgs) {
    args = layerOptions(GRU, new.target, args);
    super({ ...args, cell: new GRUCell(cellArgs(args, GRUCell)) });
  }
}
