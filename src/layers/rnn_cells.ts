// Recurrent cells with Keras's weights (kernel [in, G*u], recurrent_kernel [u, G*u],
// bias) and gate orders. A cell splits one step in two: `project` is the input
// projection x W + b, which the RNN layer runs as one matMul over every timestep, and
// `step` adds the recurrent part. With the default activations (tanh, sigmoid) a step is
// one fused op; other activations compose the same math from ops.
import * as activations from '../activations';
import { add, mul, sub } from '../ops/binary';
import { concat } from '../ops/concat';
import { dropout } from '../ops/dropout';
import { matMul } from '../ops/matmul';
import { gruCell, lstmCell, simpleRnnCell } from '../ops/recurrent';
import { gruSequence, lstmSequence, simpleRnnSequence, type SequenceResult } from '../ops/recurrent_sequence';
import { reshape } from '../ops/reshape';
import { slice, split } from '../ops/slice';
import { ones, zeros } from '../tensor/creation';
import type { Tensor, Variable } from '../tensor/tensor';
import type { ConstraintIdentifier } from '../constraints';
import * as initializers from '../initializers';
import type { RegularizerIdentifier } from '../regularizers';
import { Layer, type LayerArgs } from './layer';
import { SeedSequence } from './seeds';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { WeightSettings, checkPositiveInt } from './weight_settings';
import { describe } from '../tensor/shape';
import { layerOptions } from './layer_options';

/** Options of every recurrent cell (and of the simpleRNN, lstm and gru layers). */
export interface RNNCellArgs extends LayerArgs {
  /** Size of the state (and output). */
  units: number;
  /** Default tanh. */
  activation?: activations.ActivationIdentifier | null;
  /** Default true. */
  useBias?: boolean;
  /** Default glorotUniform. */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** Default orthogonal. */
  recurrentInitializer?: initializers.InitializerIdentifier;
  /** Default zeros. */
  biasInitializer?: initializers.InitializerIdentifier;
  /** Penalty on the kernel. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the recurrent kernel. */
  recurrentRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the bias. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** Applied to the kernel after each update. */
  kernelConstraint?: ConstraintIdentifier | null;
  /** Applied to the recurrent kernel after each update. */
  recurrentConstraint?: ConstraintIdentifier | null;
  /** Applied to the bias after each update. */
  biasConstraint?: ConstraintIdentifier | null;
  /** Fraction of the inputs dropped in training (one mask per sequence). Default 0. */
  dropout?: number;
  /** Fraction of the recurrent state dropped in training (one mask per sequence). Default 0. */
  recurrentDropout?: number;
  /** Makes the dropout masks repeatable. */
  seed?: number | null;
}

/** Options of cells with gates (lstm, gru). */
export interface GatedCellArgs extends RNNCellArgs {
  /** The gates' activation. Default sigmoid. */
  recurrentActivation?: activations.ActivationIdentifier | null;
}

/** Options of lstmCell and lstm. */
export interface LSTMCellArgs extends GatedCellArgs {
  /** Initialize the forget gate's bias to 1 (Jozefowicz et al.). Default true. */
  unitForgetBias?: boolean;
}

/** Options of gruCell and gru. */
export interface GRUCellArgs extends GatedCellArgs {
  /** Apply the reset gate after the recurrent product (Keras's default true: bias [2, 3u]). */
  resetAfter?: boolean;
}

/** The dropout rate `v`, checked to lie in [0, 1). */
export function checkRate(op: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new Error(`${op}: expected ${what} in [0, 1), got ${describe(v)}`);
  return v;
}

/** The base of recurrent cells: weights, the input projection, dropout masks. */
export abstract class RNNCell extends Layer<'list'> {
  /** Size of the state and output. */
  readonly units: number;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** The activation as given (a name), for getConfig. */
  readonly activation: activations.ActivationIdentifier;
  /** Fraction of the inputs dropped in training. */
  readonly dropout: number;
  /** Fraction of the recurrent state dropped in training. */
  readonly recurrentDropout: number;
  /** Seed of the random masks (null: the global stream). */
  readonly seed: number | null;
  /** [inputDim, G * units]; created by build. */
  kernel: Variable | null = null;
  /** [units, G * units]; created by build. */
  recurrentKernel: Variable | null = null;
  /** Created by build when useBias. */
  bias: Variable | null = null;
  protected readonly activationFn: activations.ActivationFn;
  private readonly kernelSettings: WeightSettings;
  private readonly recurrentSettings: WeightSettings;
  protected readonly biasSettings: WeightSettings;
  private readonly seeds: SeedSequence;

  /** G: the number of unit-sized blocks in the kernels (LSTM 4, GRU 3, SimpleRNN 1). */
  readonly gates: number;

  constructor(args: RNNCellArgs, gates: number) {
    args = layerOptions(RNNCell, new.target, args);
    super(args);
    this.gates = gates;
    this.units = checkPositiveInt(this.name, 'units', args?.units);
    this.useBias = args.useBias ?? true;
    this.activation = args.activation ?? 'tanh';
    this.activationFn = activations.get(this.activation, this.name);
    this.dropout = checkRate(this.name, 'dropout', args.dropout ?? 0);
    this.recurrentDropout = checkRate(this.name, 'recurrentDropout', args.recurrentDropout ?? 0);
    this.seed = args.seed ?? null;
    this.seeds = new SeedSequence(this.name, this.seed);
    this.kernelSettings = new WeightSettings(this.name, 'kernel', args, 'glorotUniform');
    this.recurrentSettings = new WeightSettings(this.name, 'recurrent', args, 'orthogonal');
    this.biasSettings = new WeightSettings(this.name, 'bias', args, 'zeros');
  }

  /** The sizes of the states (LSTM: [h, c]). */
  get stateSize(): number[] {
    return [this.units];
  }

  // A cell called on its own gets [input, ...states]; the input's shape sizes the kernel.
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const inputDim = shape[shape.length - 1];
    if (inputDim === null) throw new Error(`${this.name}: the last dimension of the input must be known, got shape ${formatShape(shape)}`);
    const width = this.gates * this.units;
    this.kernel = this.kernelSettings.create(this, 'kernel', [inputDim, width]);
    this.recurrentKernel = this.recurrentSettings.create(this, 'recurrent_kernel', [this.units, width]);
    if (this.useBias) this.bias = this.createBias();
  }

  /** The bias variable (its shape and initial value are the cell's). */
  protected createBias(): Variable {
    return this.biasSettings.create(this, 'bias', [this.gates * this.units]);
  }

  /** The bias added to x W (null: none). */
  protected inputBias(): Tensor | null {
    return this.bias;
  }

  /** x W + b for rows of inputs: [rows, inputDim] -> [rows, G * units]. */
  project(x: Tensor): Tensor {
    const xw = matMul(x, this.kernel!);
    const b = this.inputBias();
    return b === null ? xw : add(xw, b);
  }

  /** A dropout mask (0 or 1 / (1 - rate)) for `shape`, or null outside training. */
  dropoutMask(shape: number[], rate: number, training: boolean): Tensor | null {
    return training && rate > 0 ? dropout(ones(shape, this.dtype), rate, undefined, this.seeds.next()) : null;
  }

  /**
   * One step: the projected input of this step [batch, G * units] and the states give the
   * new states; the output is the first. `recurrentMask` scales h before the recurrent
   * product (recurrent dropout, as Keras 3).
   */
  abstract step(xw: Tensor, states: Tensor[], recurrentMask: Tensor | null): Tensor[];

  /**
   * @internal The whole sequence [batch, time, inputDim] in one kernel call each way
   * (every step's output and the final states), or null where this cell's activations need
   * the per-step path. The layer decides whether masks and dropout allow it.
   */
  sequence(x: Tensor, states: Tensor[], goBackwards: boolean): SequenceResult | null {
    void [x, states, goBackwards];
    return null;
  }

  /** The bias, or zeros of its size when useBias is false (the sequence kernels always take one). */
  protected biasOrZeros(): Tensor {
    return this.bias ?? zeros([this.gates * this.units], this.dtype);
  }

  /** A single call runs one step on [batch, inputDim] inputs: [input, ...states] -> new states. */
  override call(inputs: Tensor[]): Tensor[] {
    const [x, ...states] = inputs;
    return this.step(this.project(x), states, null);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
    const batch = (Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[])[0] : (inputShape as SymbolicShape))[0];
    return this.stateSize.map((u) => [batch, u]);
  }

  /** The states at the start of a sequence. */
  zeroStates(batch: number): Tensor[] {
    return this.stateSize.map((u) => zeros([batch, u], this.dtype));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation, this.name),
      useBias: this.useBias,
      ...this.kernelSettings.config(),
      ...this.recurrentSettings.config(),
      ...this.biasSettings.config(),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}

const isNamed = (identifier: activations.ActivationIdentifier, name: string) => activations.get(identifier) === activations.get(name);
const masked = (h: Tensor, mask: Tensor | null) => (mask === null ? h : mul(h, mask));

/** The cell of simpleRNN: h' = activation(x W + b + h U). */
export class SimpleRNNCell extends RNNCell {
  static override className = 'SimpleRNNCell';
  private readonly fused: boolean;
  constructor(args: RNNCellArgs) {
    args = layerOptions(SimpleRNNCell, new.target, args);
    super(args, 1);
    this.fused = isNamed(this.activation, 'tanh');
  }
  /** @internal tanh and relu run as one kernel call (RNNCell.sequence). */
  override sequence(x: Tensor, [h]: Tensor[], goBackwards: boolean): SequenceResult | null {
    const activation = isNamed(this.activation, 'tanh') ? 'tanh' : isNamed(this.activation, 'relu') ? 'relu' : null;
    if (activation === null) return null;
    return simpleRnnSequence(x, this.kernel!, this.recurrentKernel!, this.biasOrZeros(), h, activation, goBackwards);
  }
  step(xw: Tensor, [h]: Tensor[], recurrentMask: Tensor | null): Tensor[] {
    const hm = masked(h, recurrentMask);
    if (this.fused) return [simpleRnnCell(xw, hm, this.recurrentKernel!)];
    return [this.activationFn(add(xw, matMul(hm, this.recurrentKernel!)))];
  }
}

/** The base of the gated cells: the recurrent activation. */
export abstract class GatedCell extends RNNCell {
  /** The gates' activation as given (a name), for getConfig. */
  readonly recurrentActivation: activations.ActivationIdentifier;
  protected readonly recurrentActivationFn: activations.ActivationFn;
  /** True when the step can be the fused op (Keras's default activations). */
  protected readonly fused: boolean;

  constructor(args: GatedCellArgs, gates: number) {
    args = layerOptions(GatedCell, new.target, args);
    super(args, gates);
    this.recurrentActivation = args.recurrentActivation ?? 'sigmoid';
    this.recurrentActivationFn = activations.get(this.recurrentActivation, this.name);
    this.fused = isNamed(this.activation, 'tanh') && isNamed(this.recurrentActivation, 'sigmoid');
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: activations.serialize(this.recurrentActivation, this.name) };
  }
}

/** The cell of lstm: gates i, f, c, o; states [h, c]. */
export class LSTMCell extends GatedCell {
  static override className = 'LSTMCell';
  /** Whether the forget gate's bias starts at 1. */
  readonly unitForgetBias: boolean;
  constructor(args: LSTMCellArgs) {
    args = layerOptions(LSTMCell, new.target, args);
    super(args, 4);
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  override get stateSize(): number[] {
    return [this.units, this.units];
  }

  // With unitForgetBias the forget block starts at 1, the others from the initializer.
  protected override createBias(): Variable {
    const bias = super.createBias();
    if (this.unitForgetBias) {
      const u = this.units;
      const init = this.biasSettings.initializer;
      const parts = [init.apply([u], this.dtype), ones([u], this.dtype), init.apply([2 * u], this.dtype)];
      const value = concat(parts, 0);
      bias.assign(value);
      for (const t of [...parts, value]) t.dispose();
    }
    return bias;
  }

  /** @internal The default activations run as one kernel call (RNNCell.sequence). */
  override sequence(x: Tensor, [h, c]: Tensor[], goBackwards: boolean): SequenceResult | null {
    return this.fused ? lstmSequence(x, this.kernel!, this.recurrentKernel!, this.biasOrZeros(), h, c, goBackwards) : null;
  }

  step(xw: Tensor, [h, c]: Tensor[], recurrentMask: Tensor | null): Tensor[] {
    const hm = masked(h, recurrentMask);
    if (this.fused) return lstmCell(xw, hm, c, this.recurrentKernel!);
    const [i, f, cc, o] = split(add(xw, matMul(hm, this.recurrentKernel!)), 4, 1);
    const act = this.activationFn;
    const gate = this.recurrentActivationFn;
    const cNew = add(mul(gate(f), c), mul(gate(i), act(cc)));
    return [mul(gate(o), act(cNew)), cNew];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), unitForgetBias: this.unitForgetBias };
  }
}

/** The cell of gru: gates z, r, h; h' = z h + (1 - z) candidate. */
export class GRUCell extends GatedCell {
  static override className = 'GRUCell';
  /** Whether the reset gate applies after the recurrent product (bias [2, 3u]). */
  readonly resetAfter: boolean;
  constructor(args: GRUCellArgs) {
    args = layerOptions(GRUCell, new.target, args);
    super(args, 3);
    this.resetAfter = args.resetAfter ?? true;
  }

  // resetAfter: [2, 3u], row 0 added to x W, row 1 to h U; else [3u] added to x W.
  protected override createBias(): Variable {
    return this.resetAfter ? this.biasSettings.create(this, 'bias', [2, 3 * this.units]) : super.createBias();
  }

  protected override inputBias(): Tensor | null {
    return this.bias !== null && this.resetAfter ? this.biasRow(0) : this.bias;
  }

  private biasRow(row: number): Tensor {
    return slice(this.bias!, [row, 0], [1, -1]);
  }

  /**
   * @internal The default activations run as one kernel call (RNNCell.sequence). resetAfter:
   * bias row 0 goes into x W, row 1 beside h U; else the bias goes into x W.
   */
  override sequence(x: Tensor, [h]: Tensor[], goBackwards: boolean): SequenceResult | null {
    if (!this.fused) return null;
    const twoRows = this.resetAfter && this.bias !== null;
    const bias = twoRows ? reshapeRow(this.biasRow(0)) : this.biasOrZeros();
    const recurrentBias = twoRows ? reshapeRow(this.biasRow(1)) : zeros([3 * this.units], this.dtype);
    return gruSequence(x, this.kernel!, this.recurrentKernel!, bias, recurrentBias, h, this.resetAfter, goBackwards);
  }

  step(xw: Tensor, [h]: Tensor[], recurrentMask: Tensor | null): Tensor[] {
    // Keras 3 applies the recurrent dropout mask to h everywhere in the step.
    const hm = masked(h, recurrentMask);
    const u = this.units;
    const kernel = this.recurrentKernel!;
    const recurrentBias = this.resetAfter && this.bias !== null ? this.biasRow(1) : zeros([1, 3 * u], this.dtype);
    if (this.fused) return [gruCell(xw, hm, kernel, reshapeRow(recurrentBias), this.resetAfter)];
    const [xz, xr, xh] = split(xw, 3, 1);
    const gate = this.recurrentActivationFn;
    let z: Tensor;
    let candidate: Tensor;
    if (this.resetAfter) {
      const [rz, rr, rh] = split(add(matMul(hm, kernel), recurrentBias), 3, 1);
      z = gate(add(xz, rz));
      candidate = add(xh, mul(gate(add(xr, rr)), rh));
    } else {
      const [rz, rr] = split(matMul(hm, slice(kernel, [0, 0], [u, 2 * u])), 2, 1);
      z = gate(add(xz, rz));
      candidate = add(xh, matMul(mul(gate(add(xr, rr)), hm), slice(kernel, [0, 2 * u], [u, u])));
    }
    const hh = this.activationFn(candidate);
    return [add(mul(z, hm), mul(sub(1, z), hh))];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}

const reshapeRow = (row: Tensor): Tensor => reshape(row, [row.shape[1]]);
