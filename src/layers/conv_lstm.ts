// convLstm1d/2d/3d: a convolutional LSTM cell run over the time axis of
// [batch, time, ...spatial, channels]. The input convolution of every timestep is one call
// (time folded into the batch); the loop then adds the recurrent convolution per step.
// Options and config are flat, as Keras's ConvLSTM2D; initial states come as apply(x,
// {initialState}) or [x, h0, c0]. A stateful layer keeps its states flattened to
// [batch, size] in the recurrent layers' store (stateful_states.ts).
import { mul } from '../ops/binary';
import { stack } from '../ops/concat';
import { reshape, expandDims } from '../ops/reshape';
import { split } from '../ops/slice';
import { zeros } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import { Tensor, type Variable } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';
import { ConvLSTM1DCell, ConvLSTM2DCell, ConvLSTM3DCell, type ConvLSTMCell, type ConvLSTMCellArgs } from './conv_lstm_cell';
import { InputSpec, assertInputCompatibility } from './input_spec';
import { Layer, isProbing, type CallOptions, type LayerOutput, type OutputKind, type Outputs } from './layer';
import { layerOptions } from './layer_options';
import { cellArgs, withInitialState, type RNNCallOptions } from './recurrent';
import { HeldStates } from './stateful_states';
import type { Nested } from './structure';
import { formatShape, type SymbolicShape, type SymbolicTensor } from './symbolic_tensor';

/** Options of convLstm1d, convLstm2d and convLstm3d. */
export interface ConvLSTMArgs extends ConvLSTMCellArgs {
  /** Return every step's output ([batch, time, ...spatial, filters]) instead of the last. Default false. */
  returnSequences?: boolean;
  /** Also return the final states: [output, h, c]. Default false. */
  returnState?: boolean;
  /** Process the sequence from the last step to the first. Default false. */
  goBackwards?: boolean;
  /** Start each batch from the states the previous batch ended with; needs a fixed batch size. Default false. */
  stateful?: boolean;
  /** Accepted for Keras compatibility (the loop is always per step). */
  unroll?: boolean;
}

const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** The base of convLstm1d/2d/3d; subclasses fix the spatial rank. K is 'list' with returnState. */
export abstract class ConvLSTM<K extends OutputKind = 'single'> extends Layer<K> {
  /** The cell run at every step. */
  readonly cell: ConvLSTMCell;
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
  // A stateful layer's states between calls, flattened (created by build).
  private held: HeldStates | null = null;
  private stateShape: number[] | null = null;

  constructor(args: ConvLSTMArgs, makeCell: (name: string) => ConvLSTMCell) {
    if (typeof makeCell !== 'function')
      throw new Error('layers.ConvLSTM: the base class of the convolutional LSTMs; make one with layers.convLstm1d, convLstm2d or convLstm3d');
    args = layerOptions(ConvLSTM, new.target, args);
    super(args);
    // Named as Keras names it (weight paths conv_lstm2d/conv_lstm_cell/kernel); errors in the
    // cell's options still name the layer the user made.
    try {
      this.cell = makeCell('conv_lstm_cell');
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('conv_lstm_cell: ')) e.message = `${this.name}: ${e.message.slice('conv_lstm_cell: '.length)}`;
      throw e;
    }
    for (const key of ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll'] as const) {
      const v = args[key] ?? false;
      if (typeof v !== 'boolean') throw new Error(`${this.name}: expected ${key} to be a boolean, got ${describe(v)}`);
    }
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = args.stateful ?? false;
    this.unroll = args.unroll ?? false;
  }

  /** Applies the layer; `options.initialState` gives [h, c]. */
  override apply(inputs: Nested<SymbolicTensor>, options?: RNNCallOptions): Outputs<SymbolicTensor, K>;
  override apply(inputs: Nested<Tensor>, options?: RNNCallOptions): Outputs<Tensor, K>;
  override apply(inputs: Nested<Tensor> | Nested<SymbolicTensor>, options: RNNCallOptions = {}): unknown {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    const r = withInitialState(inputs, options);
    return super.apply(r.inputs, r.options);
  }

  /** The cell's kernel. */
  get kernel(): Variable | null {
    return this.cell.kernel;
  }
  /** The cell's recurrent kernel. */
  get recurrentKernel(): Variable | null {
    return this.cell.recurrentKernel;
  }
  /** The cell's bias. */
  get bias(): Variable | null {
    return this.cell.bias;
  }

  // The sequence [batch, time, ...spatial, channels] and, if given, two states of the output's shape.
  private stateShapeOf(shapes: SymbolicShape[]): SymbolicShape {
    const [x, ...states] = shapes;
    const channels = this.cell.kernel?.shape[this.cell.rank];
    assertInputCompatibility(this.name, new InputSpec({ ndim: this.cell.rank + 3, ...(channels === undefined ? {} : { axes: { [-1]: channels } }) }), [
      { shape: x, dtype: this.dtype },
    ]);
    const state = [x[0], ...this.cell.outputSpatial(x.slice(2, -1)), this.cell.filters];
    const fits = (s: SymbolicShape) => s.length === state.length && s.every((d, i) => d === null || state[i] === null || d === state[i]);
    if (states.length > 0 && (states.length !== 2 || !states.every(fits)))
      throw new Error(`${this.name}: expected 2 initial states (h, c) of shape ${formatShape(state)}, got ${states.map(formatShape).join(', ')}`);
    return state;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shapes = asShapeList(inputShape);
    const state = this.stateShapeOf(shapes);
    const x = shapes[0];
    if (!this.cell.built) {
      this.cell.build([x[0], ...x.slice(2)]);
      this.cell.built = true;
    }
    if (this.stateful && this.held === null) {
      if (state.slice(1).some((d) => d === null))
        throw new Error(`${this.name}: a stateful convolutional LSTM needs the input's spatial sizes known, got shape ${formatShape(x)}`);
      this.stateShape = state.slice(1) as number[];
      const size = product(this.stateShape);
      this.held = new HeldStates(this.name, x[0], [size, size], this.dtype);
    }
  }

  /** A stateful layer's states back to zeros, or to `states` ([h, c], each [batch, ...spatial, filters]). */
  resetStates(states?: Tensor | Tensor[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.resetStates`, 1, arguments.length);
    if (!this.stateful) throw new Error(`${this.name}.resetStates: the layer is not stateful (stateful: false); it keeps no states between calls`);
    if (this.held === null) {
      if (states !== undefined) throw new Error(`${this.name}.resetStates: the layer is not built yet, so its state shape is unknown; call it first`);
      return;
    }
    if (states === undefined) return this.held.reset();
    const list = Array.isArray(states) ? states : [states];
    const want = [null, ...this.stateShape!];
    const bad =
      list.length !== 2 || list.some((t) => !(t instanceof Tensor) || t.shape.length !== want.length || t.shape.slice(1).some((d, i) => d !== want[i + 1]));
    if (bad)
      throw new Error(
        `${this.name}.resetStates: expected 2 states (h, c) of shape ${formatShape(want)}, got ${list.map((t) => (t instanceof Tensor ? formatShape(t.shape) : describe(t))).join(', ')}`,
      );
    this.held.reset(list.map((t) => reshape(t, [t.shape[0], -1])));
  }

  /** Keras 3's name for resetStates. */
  resetState(states?: Tensor | Tensor[]): void {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.resetState`, 1, arguments.length);
    this.resetStates(states);
  }

  protected override releaseState(): void {
    this.held?.dispose();
    this.held = null;
  }

  override call(inputs: Tensor | Tensor[], { training }: CallOptions): LayerOutput {
    const [x, ...initial] = Array.isArray(inputs) ? inputs : [inputs];
    const stateShape = this.stateShapeOf([x.shape, ...initial.map((s) => s.shape)]) as number[];
    const held = this.held !== null && !isProbing() ? this.held : null;
    held?.checkBatch(x.shape[0]);
    const [batch, time] = x.shape;
    if (time === 0) throw new Error(`${this.name}: expected a sequence of at least one step, got input shape ${formatShape(x.shape)}`);
    // An empty batch has nothing to step through: its outputs are empty tensors of the
    // right shapes (its time axis may be any length, and is not split into steps).
    if (batch === 0) {
      const empty = zeros(stateShape, this.dtype);
      const output = this.returnSequences ? zeros([0, time, ...stateShape.slice(1)], this.dtype) : empty;
      return this.returnState ? [output, empty, zeros(stateShape, this.dtype)] : output;
    }
    const spatial = stateShape.slice(1, -1);
    const start = initial.length > 0 ? initial : held !== null ? held.start().map((s) => reshape(s, stateShape)) : this.cell.zeroStates(batch, spatial);
    const cell = this.cell;
    const inputMask = cell.dropoutMask([batch, ...x.shape.slice(2)], cell.dropout, training ?? false);
    const dropped = inputMask === null ? x : mul(x, expandDims(inputMask, 1));
    // Every step's input convolution at once: time folded into the batch.
    const xw = cell.project(reshape(dropped, [batch * time, ...x.shape.slice(2)]));
    const xwSteps = time > 0 ? split(reshape(xw, [batch, time, ...xw.shape.slice(1)]), time, 1) : [];
    const recurrentMask = cell.dropoutMask(stateShape, cell.recurrentDropout, training ?? false);
    let states = start;
    const outputs: Tensor[] = [];
    for (let k = 0; k < time; k++) {
      const t = this.goBackwards ? time - 1 - k : k;
      const step = reshape(xwSteps[t], [batch, ...xw.shape.slice(1)]);
      states = cell.step(step, states, recurrentMask);
      outputs.push(states[0]);
    }
    held?.update(states.map((s) => reshape(s, [batch, -1])));
    const output = this.returnSequences ? stack(outputs, 1) : states[0];
    return this.returnState ? [output, ...states] : output;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const shapes = asShapeList(inputShape);
    const state = this.stateShapeOf(shapes);
    const output = this.returnSequences ? [state[0], shapes[0][1], ...state.slice(1)] : state;
    return this.returnState ? [output, state, state] : output;
  }

  protected override outputDType(): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    const { name, trainable, dtype, ...cellOptions } = this.cell.getConfig();
    return {
      ...super.getConfig(),
      ...cellOptions,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
    };
  }
}

function asShapeList(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
  return inputShape.length > 0 && Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[]) : [inputShape as SymbolicShape];
}

/** Convolutional LSTM over [batch, time, steps, channels]. */
export class ConvLSTM1D<K extends OutputKind = 'single'> extends ConvLSTM<K> {
  static override className = 'ConvLSTM1D';
  constructor(args: ConvLSTMArgs) {
    args = layerOptions(ConvLSTM1D, new.target, args);
    super(args, (name) => new ConvLSTM1DCell({ ...cellArgs(args, ConvLSTM1DCell), name }));
  }
}

/** Convolutional LSTM over [batch, time, height, width, channels] (Keras's and TensorFlow.js's ConvLSTM2D). */
export class ConvLSTM2D<K extends OutputKind = 'single'> extends ConvLSTM<K> {
  static override className = 'ConvLSTM2D';
  constructor(args: ConvLSTMArgs) {
    args = layerOptions(ConvLSTM2D, new.target, args);
    super(args, (name) => new ConvLSTM2DCell({ ...cellArgs(args, ConvLSTM2DCell), name }));
  }
}

/** Convolutional LSTM over [batch, time, depth, height, width, channels]. */
export class ConvLSTM3D<K extends OutputKind = 'single'> extends ConvLSTM<K> {
  static override className = 'ConvLSTM3D';
  constructor(args: ConvLSTMArgs) {
    args = layerOptions(ConvLSTM3D, new.target, args);
    super(args, (name) => new ConvLSTM3DCell({ ...cellArgs(args, ConvLSTM3DCell), name }));
  }
}
