// Convolution layers, channels-last with Keras's kernel layouts (so weights load from
// Keras files): conv1d/2d/3d [k..., in / groups, filters], conv1d/2d/3dTranspose
// [k..., filters, in], depthwiseConv1d/2d [k..., in, depthMultiplier], and
// separableConv1d/2d (a depthwise kernel then a pointwise [1..., in * multiplier, filters]).
// The 1-D forms other than conv1d run as height-1 images.
import * as activations from '../activations';
import { biasRelu } from '../ops/bias_relu';
import { add } from '../ops/binary';
import { conv1d, conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d } from '../ops/conv';
import { conv3d, conv3dTranspose } from '../ops/conv3d';
import type { PaddingMode } from '../ops/padding';
import { reshape } from '../ops/reshape';
import type { DType } from '../tensor/dtype';
import type { Tensor, Variable } from '../tensor/tensor';
import type { ConstraintIdentifier } from '../constraints';
import type { InitializerIdentifier } from '../initializers';
import type { RegularizerIdentifier } from '../regularizers';
import {
  asTriple,
  checkDataFormat,
  checkPadding,
  checkSpatialRank,
  convOutputLength,
  deconvOutputLength,
  imageToSequence,
  normalizeTuple,
  sequenceToImage,
  inChannelsLast,
  shapeInChannelsLast,
  widthOnly,
  type DataFormat,
} from './conv_utils';
import { InputSpec } from './input_spec';
import { Layer, type LayerArgs } from './layer';
import { formatShape, type SymbolicShape } from './symbolic_tensor';
import { WeightSettings, checkPositiveInt } from './weight_settings';
import { layerOptions } from './layer_options';

/** Options every convolution layer takes. */
export interface BaseConvArgs extends LayerArgs {
  /** The window: one size for every spatial axis, or one per axis. */
  kernelSize: number | number[];
  /** Default 1. */
  strides?: number | number[];
  /** 'valid' (default), 'same', or 'causal' (conv1d only). */
  padding?: PaddingMode;
  /**
   * 'channelsLast' ([batch, ..., channels]) or 'channelsFirst' ([batch, channels, ...]); default
   * config.imageDataFormat(), resolved when the layer is made.
   */
  dataFormat?: DataFormat;
  /** Default 1. */
  dilationRate?: number | number[];
  /** Applied to the output; default linear. */
  activation?: activations.ActivationIdentifier | null;
  /** Default true. */
  useBias?: boolean;
  /** Default zeros. */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the bias. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** Applied to the bias after each update. */
  biasConstraint?: ConstraintIdentifier | null;
}

/** Options of conv1d, conv2d and their transposes. */
export interface ConvArgs extends BaseConvArgs {
  /** Output channels. */
  filters: number;
  /** Default glorotUniform. */
  kernelInitializer?: InitializerIdentifier;
  /** Penalty on the kernel. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Applied to the kernel after each update. */
  kernelConstraint?: ConstraintIdentifier | null;
}

/** Options of conv1d, conv2d and conv3d. */
export interface ConvolutionArgs extends ConvArgs {
  /** Input channels and filters split into independent groups. Default 1. */
  groups?: number;
}

/** Options of conv1dTranspose, conv2dTranspose and conv3dTranspose. */
export interface ConvTransposeArgs extends ConvArgs {
  /** Extra rows/columns at the end of the output, each less than the stride; default none (Keras's rule). */
  outputPadding?: number | number[] | null;
}

/** Options of depthwiseConv1d and depthwiseConv2d. */
export interface DepthwiseConvArgs extends BaseConvArgs {
  /** Output channels per input channel. Default 1. */
  depthMultiplier?: number;
  /** Default glorotUniform. */
  depthwiseInitializer?: InitializerIdentifier;
  /** Penalty on the depthwise kernel. */
  depthwiseRegularizer?: RegularizerIdentifier | null;
  /** Applied to the depthwise kernel after each update. */
  depthwiseConstraint?: ConstraintIdentifier | null;
}

/** Options of separableConv1d and separableConv2d. */
export interface SeparableConvArgs extends DepthwiseConvArgs {
  /** Output channels. */
  filters: number;
  /** Default glorotUniform. */
  pointwiseInitializer?: InitializerIdentifier;
  /** Penalty on the pointwise kernel. */
  pointwiseRegularizer?: RegularizerIdentifier | null;
  /** Applied to the pointwise kernel after each update. */
  pointwiseConstraint?: ConstraintIdentifier | null;
}

/**
 * The base of the convolution layers: window options, the bias and activation, the
 * input spec, and the output shape of a strided window.
 */
export abstract class BaseConv extends Layer {
  /** Number of spatial axes (1, 2 or 3). */
  readonly rank: number;
  /** The window size per spatial axis. */
  readonly kernelSize: number[];
  /** The step of the window per spatial axis. */
  readonly strides: number[];
  /** 'valid', 'same' (or 'causal' for conv1d). */
  readonly padding: PaddingMode;
  /** Where the channels are: 'channelsLast' or 'channelsFirst'. */
  readonly dataFormat: DataFormat;
  /** The dilation per spatial axis. */
  readonly dilationRate: number[];
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** The activation as given (a name), for getConfig. */
  readonly activation: activations.ActivationIdentifier;
  /** [outputChannels], when useBias; created by build. */
  bias: Variable | null = null;
  private readonly activationFn: activations.ActivationFn;
  private readonly biasSettings: WeightSettings;

  constructor(args: BaseConvArgs, rank: number, paddings: PaddingMode[] = ['valid', 'same']) {
    checkSpatialRank(new.target.name, rank, 'conv1d / conv2d / conv3d (Conv1D, Conv2D, Conv3D) and their transposed, depthwise and separable forms');
    args = layerOptions(BaseConv, new.target, args);
    super(args);
    this.rank = rank;
    this.kernelSize = normalizeTuple(this.name, 'kernelSize', args?.kernelSize, rank);
    this.strides = normalizeTuple(this.name, 'strides', args.strides ?? 1, rank);
    this.padding = checkPadding(this.name, args.padding ?? 'valid', paddings);
    this.dataFormat = checkDataFormat(this.name, args.dataFormat, true);
    this.dilationRate = normalizeTuple(this.name, 'dilationRate', args.dilationRate ?? 1, rank);
    this.useBias = args.useBias ?? true;
    this.activation = args.activation ?? 'linear';
    this.activationFn = activations.get(this.activation, this.name);
    this.biasSettings = new WeightSettings(this.name, 'bias', args, 'zeros');
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  /** The output channels for `inputChannels`. */
  protected abstract outputChannels(inputChannels: number): number;
  /** Creates the kernels for `inputChannels`. */
  protected abstract buildKernels(inputChannels: number): void;
  /** The convolution without bias and activation. */
  protected abstract convolve(x: Tensor): Tensor;

  override build(inputShape: SymbolicShape): void {
    const axis = this.dataFormat === 'channelsFirst' ? 1 : inputShape.length - 1;
    const channels = inputShape[axis];
    if (channels === null)
      throw new Error(
        `${this.name}: the channel dimension (axis ${axis}, ${this.dataFormat}) of the input must be known, got shape ${formatShape(inputShape)}`,
      );
    this.buildKernels(channels);
    if (this.useBias) this.bias = this.biasSettings.create(this, 'bias', [this.outputChannels(channels)]);
    this.inputSpec = new InputSpec({ ndim: this.rank + 2, axes: { [this.dataFormat === 'channelsFirst' ? 1 : -1]: channels } });
  }

  override call(x: Tensor): Tensor {
    return inChannelsLast(this.dataFormat, x, (xl) => this.channelsLastCall(xl));
  }

  private channelsLastCall(x: Tensor): Tensor {
    let y = this.convolve(x);
    // Bias and relu in one kernel each way, instead of an add, a relu and their gradients.
    if (this.bias !== null && this.activation === 'relu') return biasRelu(y, this.bias);
    if (this.bias !== null) y = add(y, this.bias);
    return this.activationFn(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return shapeInChannelsLast(this.dataFormat, inputShape, (s) => this.channelsLastOutputShape(s));
  }

  /** The output shape of a channels-last input shape. */
  protected channelsLastOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const spatial = inputShape
      .slice(1, -1)
      .map((n, i) => convOutputLength(this.name, n, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding));
    const channels = inputShape[inputShape.length - 1];
    return [inputShape[0], ...spatial, channels === null ? null : this.outputChannels(channels)];
  }

  protected override outputDType(): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      activation: activations.serialize(this.activation, this.name),
      useBias: this.useBias,
      ...this.biasSettings.config(),
    };
  }

  /** A 1-D kernel [k, ...] as the kernel of a height-1 image [1, k, ...]. */
  protected liftKernel(kernel: Tensor): Tensor {
    return this.rank === 1 ? reshape(kernel, [1, ...kernel.shape]) : kernel;
  }

  /** Runs a 2-D image op on x, lifting sequences to height-1 images and back. */
  protected asImage(x: Tensor, op: (image: Tensor) => Tensor): Tensor {
    return this.rank === 1 ? imageToSequence(op(sequenceToImage(x))) : op(x);
  }
}

/** Convolution with `filters` kernels; the base of conv1d, conv2d and conv3d. */
export abstract class Conv extends BaseConv {
  /** Output channels. */
  readonly filters: number;
  /** Independent groups of input channels and filters. */
  readonly groups: number;
  /** [...kernelSize, inputChannels / groups, filters]; created by build. */
  kernel: Variable | null = null;
  private readonly kernelSettings: WeightSettings;

  constructor(args: ConvolutionArgs, rank: number, paddings?: PaddingMode[]) {
    args = layerOptions(Conv, new.target, args);
    super(args, rank, paddings);
    this.filters = checkPositiveInt(this.name, 'filters', args.filters);
    this.groups = checkPositiveInt(this.name, 'groups', args.groups ?? 1);
    if (this.filters % this.groups !== 0) throw new Error(`${this.name}: groups (${this.groups}) must divide filters (${this.filters})`);
    this.kernelSettings = new WeightSettings(this.name, 'kernel', args, 'glorotUniform');
  }

  protected outputChannels(): number {
    return this.filters;
  }

  protected buildKernels(channels: number): void {
    if (channels % this.groups !== 0) throw new Error(`${this.name}: groups (${this.groups}) must divide the input channels (${channels})`);
    this.kernel = this.kernelSettings.create(this, 'kernel', [...this.kernelSize, channels / this.groups, this.filters]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), filters: this.filters, groups: this.groups, ...this.kernelSettings.config() };
  }
}

/** 1-D convolution over [batch, steps, channels]; padding may be 'causal'. */
export class Conv1D extends Conv {
  static override className = 'Conv1D';
  constructor(args: ConvolutionArgs) {
    args = layerOptions(Conv1D, new.target, args);
    super(args, 1, ['valid', 'same', 'causal']);
  }
  protected convolve(x: Tensor): Tensor {
    return conv1d(x, this.kernel!, { stride: this.strides[0], padding: this.padding, dilation: this.dilationRate[0], groups: this.groups });
  }
}

/** 2-D convolution over [batch, height, width, channels]. */
export class Conv2D extends Conv {
  static override className = 'Conv2D';
  constructor(args: ConvolutionArgs) {
    args = layerOptions(Conv2D, new.target, args);
    super(args, 2);
  }
  protected convolve(x: Tensor): Tensor {
    return conv2d(x, this.kernel!, { strides: widthOnly(this.strides), padding: this.padding, dilations: widthOnly(this.dilationRate), groups: this.groups });
  }
}

/** 3-D convolution over [batch, depth, height, width, channels]. */
export class Conv3D extends Conv {
  static override className = 'Conv3D';
  constructor(args: ConvolutionArgs) {
    args = layerOptions(Conv3D, new.target, args);
    super(args, 3);
  }
  protected convolve(x: Tensor): Tensor {
    const padding = this.padding as 'valid' | 'same';
    return conv3d(x, this.kernel!, { strides: asTriple(this.strides), padding, dilations: asTriple(this.dilationRate), groups: this.groups });
  }
}

/** Transposed convolution (the gradient of a convolution): upsamples by the strides. */
export abstract class ConvTranspose extends BaseConv {
  /** Output channels. */
  readonly filters: number;
  /** Extra rows/columns at the end of the output per axis (null: Keras's rule). */
  readonly outputPadding: number[] | null;
  /** [...kernelSize, filters, inputChannels]; created by build. */
  kernel: Variable | null = null;
  private readonly kernelSettings: WeightSettings;

  constructor(args: ConvTransposeArgs, rank: number) {
    args = layerOptions(ConvTranspose, new.target, args);
    super(args, rank);
    this.filters = checkPositiveInt(this.name, 'filters', args.filters);
    this.kernelSettings = new WeightSettings(this.name, 'kernel', args, 'glorotUniform');
    const op = args.outputPadding ?? null;
    this.outputPadding = op === null ? null : normalizeTuple(this.name, 'outputPadding', op, rank, true);
    this.outputPadding?.forEach((p, i) => {
      if (p >= this.strides[i]) throw new Error(`${this.name}: outputPadding (${p}) must be less than the stride (${this.strides[i]}) on axis ${i + 1}`);
    });
  }

  protected outputChannels(): number {
    return this.filters;
  }

  protected buildKernels(channels: number): void {
    this.kernel = this.kernelSettings.create(this, 'kernel', [...this.kernelSize, this.filters, channels]);
  }

  protected convolve(x: Tensor): Tensor {
    const spatial = this.channelsLastOutputShape(x.shape).slice(1, -1) as number[];
    if (this.rank === 3) {
      const padding = this.padding as 'valid' | 'same';
      return conv3dTranspose(x, this.kernel!, {
        strides: asTriple(this.strides),
        padding,
        dilations: asTriple(this.dilationRate),
        outputShape: asTriple(spatial),
      });
    }
    return this.asImage(x, (image) =>
      conv2dTranspose(image, this.liftKernel(this.kernel!), {
        strides: widthOnly(this.strides),
        padding: this.padding as 'valid' | 'same',
        dilations: widthOnly(this.dilationRate),
        outputShape: widthOnly(spatial),
      }),
    );
  }

  protected override channelsLastOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const spatial = inputShape
      .slice(1, -1)
      .map((n, i) => deconvOutputLength(n, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding, this.outputPadding?.[i] ?? null));
    return [inputShape[0], ...spatial, this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), filters: this.filters, outputPadding: this.outputPadding && [...this.outputPadding], ...this.kernelSettings.config() };
  }
}

/** Transposed 1-D convolution: [batch, steps, channels] -> [batch, steps * stride (about), filters]. */
export class Conv1DTranspose extends ConvTranspose {
  static override className = 'Conv1DTranspose';
  constructor(args: ConvTransposeArgs) {
    args = layerOptions(Conv1DTranspose, new.target, args);
    super(args, 1);
  }
}

/** Transposed 2-D convolution ("deconvolution"), Keras's Conv2DTranspose. */
export class Conv2DTranspose extends ConvTranspose {
  static override className = 'Conv2DTranspose';
  constructor(args: ConvTransposeArgs) {
    args = layerOptions(Conv2DTranspose, new.target, args);
    super(args, 2);
  }
}

/** Transposed 3-D convolution over [batch, depth, height, width, channels], Keras's Conv3DTranspose. */
export class Conv3DTranspose extends ConvTranspose {
  static override className = 'Conv3DTranspose';
  constructor(args: ConvTransposeArgs) {
    args = layerOptions(Conv3DTranspose, new.target, args);
    super(args, 3);
  }
}

/** Each input channel convolved with its own depthMultiplier kernels. */
export abstract class DepthwiseConv extends BaseConv {
  /** Output channels per input channel of the depthwise step. */
  readonly depthMultiplier: number;
  /** [...kernelSize, inputChannels, depthMultiplier]; created by build. */
  depthwiseKernel: Variable | null = null;
  private readonly depthwiseSettings: WeightSettings;

  constructor(args: DepthwiseConvArgs, rank: number) {
    // Keras has no 3-D depthwise or separable convolution.
    checkSpatialRank(new.target.name, rank, 'depthwiseConv1d / depthwiseConv2d or separableConv1d / separableConv2d', [1, 2]);
    args = layerOptions(DepthwiseConv, new.target, args);
    super(args, rank);
    this.depthMultiplier = checkPositiveInt(this.name, 'depthMultiplier', args.depthMultiplier ?? 1);
    this.depthwiseSettings = new WeightSettings(this.name, 'depthwise', args, 'glorotUniform');
  }

  protected outputChannels(channels: number): number {
    return channels * this.depthMultiplier;
  }

  // 'depthwise_kernel', as TensorFlow.js and Keras 2 name it: TensorFlow.js loads weights by
  // these names (Keras 3 calls a DepthwiseConv2D's 'kernel' but reads its files by position).
  protected buildKernels(channels: number): void {
    this.depthwiseKernel = this.depthwiseSettings.create(this, 'depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier]);
  }

  protected windowOptions(): { strides: [number, number]; padding: PaddingMode; dilations: [number, number] } {
    return { strides: widthOnly(this.strides), padding: this.padding, dilations: widthOnly(this.dilationRate) };
  }

  protected convolve(x: Tensor): Tensor {
    return this.asImage(x, (image) => depthwiseConv2d(image, this.liftKernel(this.depthwiseKernel!), this.windowOptions()));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), depthMultiplier: this.depthMultiplier, ...this.depthwiseSettings.config() };
  }
}

/** Depthwise 1-D convolution over [batch, steps, channels]. */
export class DepthwiseConv1D extends DepthwiseConv {
  static override className = 'DepthwiseConv1D';
  constructor(args: DepthwiseConvArgs) {
    args = layerOptions(DepthwiseConv1D, new.target, args);
    super(args, 1);
  }
}

/** Depthwise 2-D convolution over [batch, height, width, channels]. */
export class DepthwiseConv2D extends DepthwiseConv {
  static override className = 'DepthwiseConv2D';
  constructor(args: DepthwiseConvArgs) {
    args = layerOptions(DepthwiseConv2D, new.target, args);
    super(args, 2);
  }
}

/** A depthwise convolution followed by a 1x1 (pointwise) convolution to `filters` channels. */
export abstract class SeparableConv extends DepthwiseConv {
  /** Output channels. */
  readonly filters: number;
  /** [...ones, inputChannels * depthMultiplier, filters]; created by build. */
  pointwiseKernel: Variable | null = null;
  private readonly pointwiseSettings: WeightSettings;

  constructor(args: SeparableConvArgs, rank: number) {
    args = layerOptions(SeparableConv, new.target, args);
    super(args, rank);
    this.filters = checkPositiveInt(this.name, 'filters', args.filters);
    this.pointwiseSettings = new WeightSettings(this.name, 'pointwise', args, 'glorotUniform');
  }

  protected override outputChannels(): number {
    return this.filters;
  }

  protected override buildKernels(channels: number): void {
    super.buildKernels(channels);
    const ones = new Array(this.rank).fill(1);
    this.pointwiseKernel = this.pointwiseSettings.create(this, 'pointwise_kernel', [...ones, channels * this.depthMultiplier, this.filters]);
  }

  protected override convolve(x: Tensor): Tensor {
    return this.asImage(x, (image) =>
      separableConv2d(image, this.liftKernel(this.depthwiseKernel!), this.liftKernel(this.pointwiseKernel!), this.windowOptions()),
    );
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), filters: this.filters, ...this.pointwiseSettings.config() };
  }
}

/** Separable 1-D convolution over [batch, steps, channels]. */
export class SeparableConv1D extends SeparableConv {
  static override className = 'SeparableConv1D';
  constructor(args: SeparableConvArgs) {
    args = layerOptions(SeparableConv1D, new.target, args);
    super(args, 1);
  }
}

/** Separable 2-D convolution over [batch, height, width, channels]. */
export class SeparableConv2D extends SeparableConv {
  static override className = 'SeparableConv2D';
  constructor(args: SeparableConvArgs) {
    args = layerOptions(SeparableConv2D, new.target, args);
    super(args, 2);
  }
}
