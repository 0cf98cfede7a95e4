// The cell of convLstm1d/2d/3d: an LSTM whose products are convolutions (Shi et al. 2015),
// Keras's weights kernel [...k, in, 4f], recurrent_kernel [...k, f, 4f], bias [4f] and gate
// order i, f, c, o. The input convolution takes the strides, padding and dilation; the
// recurrent one is stride 1, 'same', no dilation (Keras and TensorFlow.js), so the states
// keep the output's spatial size.
import * as activations from '../activations';
import { add, mul } from '../ops/binary';
import { concat } from '../ops/concat';
import { conv1d, conv2d } from '../ops/conv';
import { conv3d } from '../ops/conv3d';
import { dropout } from '../ops/dropout';
import { split } from '../ops/slice';
import { ones, zeros } from '../tensor/creation';
import type { Tensor, Variable } from '../tensor/tensor';
import type { ConstraintIdentifier } from '../constraints';
import type { InitializerIdentifier } from '../initializers';
import type { RegularizerIdentifier } from '../regularizers';
import { asTriple, checkDataFormat, checkPadding, checkSpatialRank, convOutputLength, normalizeTuple, widthOnly, type DataFormat } from './conv_utils';
import { Layer, type LayerArgs } from './layer';
import { layerOptions } from './layer_options';
import { checkRate } from './rnn_cells';
import { SeedSequence } from './seeds';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { WeightSettings, checkPositiveInt } from './weight_settings';

/** Options of convLstm2dCell (and of the convLstm1d/2d/3d layers). */
export interface ConvLSTMCellArgs extends LayerArgs {
  /** Output channels (of the output and of both states). */
  filters: number;
  /** The window: one size for every spatial axis, or one per axis. */
  kernelSize: number | number[];
  /** Step of the input convolution's window. Default 1. */
  strides?: number | number[];
  /** Of the input convolution: 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
  /** Only 'channelsLast' (the default). */
  dataFormat?: DataFormat;
  /** Spacing of the input convolution's taps. Default 1. */
  dilationRate?: number | number[];
  /** Of the cell input and output. Default tanh. */
  activation?: activations.ActivationIdentifier | null;
  /** The gates' activation. Default sigmoid. */
  recurrentActivation?: activations.ActivationIdentifier | null;
  /** Default true. */
  useBias?: boolean;
  /** Default glorotUniform. */
  kernelInitializer?: InitializerIdentifier;
  /** Default orthogonal. */
  recurrentInitializer?: InitializerIdentifier;
  /** Default zeros. */
  biasInitializer?: InitializerIdentifier;
  /** Initialize the forget gate's bias to 1. Default true. */
  unitForgetBias?: boolean;
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
  /** Fraction of the hidden state dropped in training (one mask per sequence). Default 0. */
  recurrentDropout?: number;
  /** Makes the dropout masks repeatable. */
  seed?: number | null;
}

/** The base of the convolutional LSTM cells; subclasses fix the spatial rank. */
export abstract class ConvLSTMCell extends Layer<'list'> {
  /** Number of spatial axes (1, 2 or 3). */
  readonly rank: number;
  /** Output channels. */
  readonly filters: number;
  /** The window size per spatial axis. */
  readonly kernelSize: number[];
  /** The input convolution's step per spatial axis. */
  readonly strides: number[];
  /** The input convolution's padding. */
  readonly padding: 'valid' | 'same';
  /** Always 'channelsLast'. */
  readonly dataFormat: DataFormat;
  /** The input convolution's dilation per spatial axis. */
  readonly dilationRate: number[];
  /** The activation as given (a name), for getConfig. */
  readonly activation: activations.ActivationIdentifier;
  /** The gates' activation as given (a name), for getConfig. */
  readonly recurrentActivation: activations.ActivationIdentifier;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** Whether the forget gate's bias starts at 1. */
  readonly unitForgetBias: boolean;
  /** Fraction of the inputs dropped in training. */
  readonly dropout: number;
  /** Fraction of the hidden state dropped in training. */
  readonly recurrentDropout: number;
  /** Seed of the dropout masks (null: the global stream). */
  readonly seed: number | null;
  /** [...kernelSize, inputChannels, 4 * filters]; created by build. */
  kernel: Variable | null = null;
  /** [...kernelSize, filters, 4 * filters]; created by build. */
  recurrentKernel: Variable | null = null;
  /** [4 * filters] when useBias; created by build. */
  bias: Variable | null = null;
  private readonly activationFn: activations.ActivationFn;
  private readonly gateFn: activations.ActivationFn;
  private readonly kernelSettings: WeightSettings;
  private readonly recurrentSettings: WeightSettings;
  private readonly biasSettings: WeightSettings;
  private readonly seeds: SeedSequence;

  constructor(args: ConvLSTMCellArgs, rank: number) {
    checkSpatialRank(new.target.name, rank, 'convLstm2dCell (ConvLSTM2DCell)');
    args = layerOptions(ConvLSTMCell, new.target, args);
    super(args);
    this.rank = rank;
    this.filters = checkPositiveInt(this.name, 'filters', args?.filters);
    this.kernelSize = normalizeTuple(this.name, 'kernelSize', args.kernelSize, rank);
    this.strides = normalizeTuple(this.name, 'strides', args.strides ?? 1, rank);
    this.padding = checkPadding(this.name, args.padding ?? 'valid', ['valid', 'same']) as 'valid' | 'same';
    this.dataFormat = checkDataFormat(this.name, args.dataFormat);
    this.dilationRate = normalizeTuple(this.name, 'dilationRate', args.dilationRate ?? 1, rank);
    // TensorFlow.js's convolutions (and Keras's on most backends) take one or the other.
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1))
      throw new Error(
        `${this.name}: strides > 1 and dilationRate > 1 cannot be combined, got strides [${this.strides}] and dilationRate [${this.dilationRate}]`,
      );
    this.activation = args.activation ?? 'tanh';
    this.activationFn = activations.get(this.activation, this.name);
    this.recurrentActivation = args.recurrentActivation ?? 'sigmoid';
    this.gateFn = activations.get(this.recurrentActivation, this.name);
    this.useBias = args.useBias ?? true;
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.dropout = checkRate(this.name, 'dropout', args.dropout ?? 0);
    this.recurrentDropout = checkRate(this.name, 'recurrentDropout', args.recurrentDropout ?? 0);
    this.seed = args.seed ?? null;
    this.seeds = new SeedSequence(this.name, this.seed);
    this.kernelSettings = new WeightSettings(this.name, 'kernel', args, 'glorotUniform');
    this.recurrentSettings = new WeightSettings(this.name, 'recurrent', args, 'orthogonal');
    this.biasSettings = new WeightSettings(this.name, 'bias', args, 'zeros');
  }

  // A cell called on its own gets [input, h, c]; the input's channels size the kernel.
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const channels = shape[shape.length - 1];
    if (shape.length !== this.rank + 2 || channels === null)
      throw new Error(
        `${this.name}: expected an input of rank ${this.rank + 2} ([batch, ...spatial, channels]) with known channels, got shape ${formatShape(shape)}`,
      );
    const width = 4 * this.filters;
    this.kernel = this.kernelSettings.create(this, 'kernel', [...this.kernelSize, channels, width]);
    this.recurrentKernel = this.recurrentSettings.create(this, 'recurrent_kernel', [...this.kernelSize, this.filters, width]);
    if (this.useBias) {
      this.bias = this.biasSettings.create(this, 'bias', [width]);
      if (this.unitForgetBias) {
        const f = this.filters;
        const init = this.biasSettings.initializer;
        const parts = [init.apply([f], this.dtype), ones([f], this.dtype), init.apply([2 * f], this.dtype)];
        const value = concat(parts, 0);
        this.bias.assign(value);
        for (const t of [...parts, value]) t.dispose();
      }
    }
  }

  /** The spatial shape of the output (and states) for an input's spatial shape. */
  outputSpatial(spatial: (number | null)[]): (number | null)[] {
    return spatial.map((n, i) => convOutputLength(this.name, n, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding));
  }

  private convolve(x: Tensor, w: Tensor, strides: number[], padding: 'valid' | 'same', dilation: number[]): Tensor {
    if (this.rank === 1) return conv1d(x, w, { stride: strides[0], padding, dilation: dilation[0] });
    if (this.rank === 2) return conv2d(x, w, { strides: widthOnly(strides), padding, dilations: widthOnly(dilation) });
    return conv3d(x, w, { strides: asTriple(strides), padding, dilations: asTriple(dilation) });
  }

  /** The input convolution plus bias, for any number of inputs stacked on the batch axis. */
  project(x: Tensor): Tensor {
    const y = this.convolve(x, this.kernel!, this.strides, this.padding, this.dilationRate);
    return this.bias === null ? y : add(y, this.bias);
  }

  /** A dropout mask (0 or 1 / (1 - rate)) for `shape`, or null outside training. */
  dropoutMask(shape: number[], rate: number, training: boolean): Tensor | null {
    return training && rate > 0 ? dropout(ones(shape, this.dtype), rate, undefined, this.seeds.next()) : null;
  }

  /** One step from the projected input [batch, ...outSpatial, 4f] and [h, c]: the new [h, c]. */
  step(xw: Tensor, [h, c]: Tensor[], recurrentMask: Tensor | null): Tensor[] {
    const hm = recurrentMask === null ? h : mul(h, recurrentMask);
    const ones_ = this.strides.map(() => 1);
    const z = add(xw, this.convolve(hm, this.recurrentKernel!, ones_, 'same', ones_));
    const [i, f, cc, o] = split(z, 4, this.rank + 1);
    const cNew = add(mul(this.gateFn(f), c), mul(this.gateFn(i), this.activationFn(cc)));
    return [mul(this.gateFn(o), this.activationFn(cNew)), cNew];
  }

  /** A single call runs one step: [input, h, c] -> [h, c]. */
  override call(inputs: Tensor[]): Tensor[] {
    const [x, ...states] = inputs;
    if (states.length !== 2) throw new Error(`${this.name}: expected [input, h, c] (3 tensors), got ${inputs.length}`);
    return this.step(this.project(x), states, null);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
    const x = Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[])[0] : (inputShape as SymbolicShape);
    const state = [x[0], ...this.outputSpatial(x.slice(1, -1)), this.filters];
    return [state, state];
  }

  /** Zero states [batch, ...spatial, filters] for an output of that spatial shape. */
  zeroStates(batch: number, spatial: number[]): Tensor[] {
    return [0, 1].map(() => zeros([batch, ...spatial, this.filters], this.dtype));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      activation: activations.serialize(this.activation, this.name),
      recurrentActivation: activations.serialize(this.recurrentActivation, this.name),
      useBias: this.useBias,
      ...this.kernelSettings.config(),
      ...this.recurrentSettings.config(),
      ...this.biasSettings.config(),
      unitForgetBias: this.unitForgetBias,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}

/** The cell of convLstm1d: inputs [batch, steps, channels]. */
export class ConvLSTM1DCell extends ConvLSTMCell {
  static override className = 'ConvLSTM1DCell';
  constructor(args: ConvLSTMCellArgs) {
    args = layerOptions(ConvLSTM1DCell, new.target, args);
    super(args, 1);
  }
}

/** The cell of convLstm2d (TensorFlow.js's ConvLSTM2DCell): inputs [batch, height, width, channels]. */
export class ConvLSTM2DCell extends ConvLSTMCell {
  static override className = 'ConvLSTM2DCell';
  constructor(args: ConvLSTMCellArgs) {
    args = layerOptions(ConvLSTM2DCell, new.target, args);
    super(args, 2);
  }
}

/** The cell of convLstm3d: inputs [batch, depth, height, width, channels]. */
export class ConvLSTM3DCell extends ConvLSTMCell {
  static override className = 'ConvLSTM3DCell';
  constructor(args: ConvLSTMCellArgs) {
    args = layerOptions(ConvLSTM3DCell, new.target, args);
    super(args, 3);
  }
}
