// Convolutions, channels-last (NHWC) with Keras's filter layout (HWIO): conv2d, conv1d,
// conv2dTranspose, depthwiseConv2d and separableConv2d, all on the three conv2d kernels.
import { packAttrs, type Conv2dAttrs } from '../native/op_attrs';
import { type TensorLike } from '../tensor/creation';
import { runKernel1 } from '../tensor/run';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkRank, transposeOutputShape } from './conv_checks';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { pad } from './pad';
import { explicitGeometry, explicitPads, pair, windowGeometry, type ExplicitPadding, type PaddingMode } from './padding';
import { reshape } from './reshape';
import { opOptions, type DimRoundingMode } from './op_options';
import { roundedPads } from './dim_rounding';

/** Options shared by the convolutions. */
export interface ConvOptions {
  /** Step of the window, one number or [height, width] (default 1). */
  strides?: number | [number, number];
  /**
   * 'valid' (default: no padding), 'same' (output size ceil(input / stride)), or TensorFlow.js's
   * zeros per side: a number, or [[0, 0], [top, bottom], [left, right], [0, 0]].
   */
  padding?: PaddingMode | number | ExplicitPadding;
  /** Spacing between kernel taps, one number or [height, width] (default 1). */
  dilations?: number | [number, number];
  /** Input channels and filters split into this many independent groups. */
  groups?: number;
  /** How a numeric or explicit padding's output size is rounded: 'floor', 'round' or 'ceil' (default: truncated). */
  dimRoundingMode?: DimRoundingMode;
}

/** Options of conv1d. */
export interface Conv1dOptions {
  /** Step of the window (default 1). */
  stride?: number;
  /** 'valid' (default), 'same' or 'causal' (all the padding on the left). */
  padding?: PaddingMode;
  /** Spacing between kernel taps (default 1). */
  dilation?: number;
  /** Input channels and filters split into this many independent groups. */
  groups?: number;
}

/** Options of conv2dTranspose. */
export interface Conv2dTransposeOptions {
  /** Step of the window, one number or [height, width] (default 1). */
  strides?: number | [number, number];
  /**
   * 'valid' (default), 'same' (output size input * stride), or TensorFlow.js's pixels per side
   * of the convolution this one transposes: a number, or [[0, 0], [top, bottom], [left, right], [0, 0]].
   */
  padding?: 'valid' | 'same' | number | ExplicitPadding;
  /** Spacing between kernel taps, one number or [height, width] (default 1). */
  dilations?: number | [number, number];
  /** The output's [height, width], when the strides leave it ambiguous. */
  outputShape?: [number, number];
  /** How a numeric or explicit padding's output size is rounded: 'floor', 'round' or 'ceil' (default: truncated). */
  dimRoundingMode?: DimRoundingMode;
}

/** Options of depthwiseConv2d and separableConv2d. */
export type DepthwiseConvOptions = Omit<ConvOptions, 'groups'>;

// The kernels' attributes: [sh, sw, dh, dw, top, left, bottom, right, groups].
/**
 * 2-D convolution: x [batch, height, width, inChannels] with filter
 * [filterHeight, filterWidth, inChannels / groups, outChannels].
 * @example conv2d(images, kernel, { strides: 1, padding: 'same' })
 */
export function conv2d(x: TensorLike, filter: TensorLike, options?: ConvOptions | null): Tensor;
/** TensorFlow.js's positional form: `conv2d(x, filter, strides, pad, dataFormat?, dilations?)`. */
export function conv2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | [number, number],
  pad: PaddingMode | number | ExplicitPadding,
  dataFormat?: 'NHWC',
  dilations?: number | [number, number],
  dimRoundingMode?: DimRoundingMode,
): Tensor;
export function conv2d(x: TensorLike, filter: TensorLike, stridesOrOptions?: ConvOptions | number | [number, number] | null, ...positional: unknown[]): Tensor {
  const op = 'conv2d';
  const options = opOptions<ConvOptions>(op, stridesOrOptions, positional, ['strides', 'padding', 'dataFormat', 'dilations', 'dimRoundingMode'], true);
  const input = toTensor(op, 'x', x);
  const w = toTensor(op, 'filter', filter);
  checkInputDType(op, 'x', input, FLOAT_DTYPES);
  if (w.dtype !== input.dtype) throw new Error(`${op}: expected filter of dtype ${input.dtype} like x, got ${w.dtype}`);
  checkRank(op, 'x', input, 4, 'NHWC');
  checkRank(op, 'filter', w, 4, '[height, width, in, out]');
  const strides = pair(op, 'strides', options.strides ?? 1);
  const dilations = pair(op, 'dilations', options.dilations ?? 1);
  const groups = options.groups ?? 1;
  const padding = options.padding ?? 'valid';
  // As Keras's Conv2D: 'causal' is a 1-D convolution's padding.
  if (padding === 'causal' || (typeof padding === 'string' && padding !== 'valid' && padding !== 'same'))
    throw new Error(`${op}: expected padding 'valid' or 'same' ('causal' is for conv1d), got ${describe(padding)}`);
  const [n, h, wd, c] = input.shape;
  const [kh, kw, ci, co] = w.shape;
  const windows = [dilations[0] * (kh - 1) + 1, dilations[1] * (kw - 1) + 1];
  const pads = roundedPads(op, padding, options.dimRoundingMode, [h, wd], windows, strides);
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0 || co % groups !== 0) {
    throw new Error(`${op}: groups (${groups}) must divide the input channels (${c}) and the filters (${co})`);
  }
  if (ci * groups !== c) {
    throw new Error(
      `${op}: the filter expects ${ci * groups} input channels (${ci} per group x ${groups} groups), but x has ${c} (shape [${input.shape.join(', ')}])`,
    );
  }
  const named = padding as 'valid' | 'same';
  const gh = pads ? explicitGeometry(op, h, kh, strides[0], dilations[0], pads[0], 'height') : windowGeometry(op, h, kh, strides[0], dilations[0], named);
  const gw = pads ? explicitGeometry(op, wd, kw, strides[1], dilations[1], pads[1], 'width') : windowGeometry(op, wd, kw, strides[1], dilations[1], named);
  const a: Conv2dAttrs = { strides, dilations, padding: [gh.before, gw.before, gh.after, gw.after], groups };
  return runKernel1(
    op,
    'conv2d',
    [input, w],
    packAttrs.conv2d(a),
    { shape: [n, gh.out, gw.out, co], dtype: input.dtype },
    {
      save: [input, w],
      grad: ([dy], [xs, ws], needs) => [
        needs[0] ? runKernel1(op, 'conv2d_backward_input', [dy, ws], packAttrs.conv2d_backward_input(a), { shape: xs.shape, dtype: xs.dtype }) : null,
        needs[1] ? runKernel1(op, 'conv2d_backward_filter', [xs, dy], packAttrs.conv2d_backward_filter(a), { shape: ws.shape, dtype: ws.dtype }) : null,
      ],
    },
  );
}

/** 1-D convolution: x [batch, width, inChannels], filter [width, inChannels / groups, outChannels]. */
export function conv1d(x: TensorLike, filter: TensorLike, options?: Conv1dOptions | null): Tensor;
/** TensorFlow.js's positional form: `conv1d(x, filter, stride, pad, dataFormat?, dilation?)`. */
export function conv1d(
  x: TensorLike,
  filter: TensorLike,
  stride: number,
  pad: PaddingMode,
  dataFormat?: 'NWC',
  dilation?: number,
  dimRoundingMode?: DimRoundingMode,
): Tensor;
export function conv1d(x: TensorLike, filter: TensorLike, strideOrOptions?: Conv1dOptions | number | null, ...positional: unknown[]): Tensor {
  const op = 'conv1d';
  const options = opOptions<Conv1dOptions>(op, strideOrOptions, positional, ['stride', 'padding', 'dataFormat', 'dilation', 'dimRoundingMode']);
  const input = toTensor(op, 'x', x);
  const w = toTensor(op, 'filter', filter);
  checkRank(op, 'x', input, 3, '[batch, width, channels]');
  checkRank(op, 'filter', w, 3, '[width, in, out]');
  const padding = options.padding ?? 'valid';
  // Checked here, in conv1d's terms: conv2d would report [1, stride] pairs.
  const stride = positiveInt(op, 'stride', options.stride ?? 1);
  const dilation = positiveInt(op, 'dilation', options.dilation ?? 1);
  if (padding !== 'valid' && padding !== 'same' && padding !== 'causal') {
    throw new Error(`${op}: expected padding 'valid', 'same' or 'causal', got ${describe(padding)}`);
  }
  return asOp(op, () => conv1dAs2d(input, w, stride, dilation, padding, options.groups));
}

function conv1dAs2d(input: Tensor, w: Tensor, stride: number, dilation: number, padding: PaddingMode, groups: number | undefined): Tensor {
  let x4 = reshape(input, [input.shape[0], 1, input.shape[1], input.shape[2]]);
  if (padding === 'causal') {
    // Causal: all the padding on the left, then a 'valid' convolution.
    const left = dilation * (w.shape[0] - 1);
    x4 = padWidth(x4, left);
  }
  const y = conv2d(x4, reshape(w, [1, ...w.shape]), {
    strides: [1, stride],
    dilations: [1, dilation],
    padding: padding === 'causal' ? 'valid' : padding,
    groups,
  });
  return reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
}

function positiveInt(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${op}: expected ${name} to be a positive integer, got ${describe(v)}`);
  return v;
}

function padWidth(x4: Tensor, left: number): Tensor {
  return left === 0
    ? x4
    : pad(x4, [
        [0, 0],
        [0, 0],
        [left, 0],
        [0, 0],
      ]);
}

/**
 * Transposed 2-D convolution (the gradient of conv2d): x [batch, h, w, inChannels],
 * filter [filterHeight, filterWidth, outChannels, inChannels] (Keras's Conv2DTranspose
 * kernel), output [batch, h', w', outChannels] with h' = h * stride for 'same'.
 */
export function conv2dTranspose(x: TensorLike, filter: TensorLike, options?: Conv2dTransposeOptions | null): Tensor;
/**
 * TensorFlow.js's positional form: `conv2dTranspose(x, filter, outputShape, strides, pad)`,
 * outputShape [batch, height, width, channels] or [height, width, channels].
 */
export function conv2dTranspose(
  x: TensorLike,
  filter: TensorLike,
  outputShape: number[],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | ExplicitPadding,
  dimRoundingMode?: DimRoundingMode,
): Tensor;
export function conv2dTranspose(
  x: TensorLike,
  filter: TensorLike,
  outputShapeOrOptions?: Conv2dTransposeOptions | number[] | null,
  ...positional: unknown[]
): Tensor {
  const op = 'conv2dTranspose';
  const options = opOptions<Conv2dTransposeOptions>(op, outputShapeOrOptions, positional, ['outputShape', 'strides', 'padding', 'dimRoundingMode'], true);
  options.outputShape = transposeOutputShape(op, outputShapeOrOptions, options.outputShape, ['height', 'width']) as [number, number] | undefined;
  const input = toTensor(op, 'x', x);
  const w = toTensor(op, 'filter', filter);
  checkInputDType(op, 'x', input, FLOAT_DTYPES);
  checkRank(op, 'x', input, 4, 'NHWC');
  checkRank(op, 'filter', w, 4, '[height, width, out, in]');
  const strides = pair(op, 'strides', options.strides ?? 1);
  const dilations = pair(op, 'dilations', options.dilations ?? 1);
  const padding = options.padding ?? 'valid';
  const [n, h, wd, c] = input.shape;
  const [kh, kw, co, ci] = w.shape;
  if (ci !== c) throw new Error(`${op}: the filter expects ${ci} input channels, but x has ${c}`);
  if (typeof padding === 'string' && padding !== 'valid' && padding !== 'same')
    throw new Error(`${op}: expected padding 'valid' or 'same', got ${describe(padding)}`);
  // Numeric or explicit pads are the forward convolution's: its input (this output) had them.
  const given = explicitPads(op, padding);
  const size = (len: number, k: number, s: number, d: number, i: number) =>
    padding === 'same' ? len * s : (len - 1) * s + d * (k - 1) + 1 - (given ? given[i][0] + given[i][1] : 0);
  const [oh, ow] = options.outputShape ?? [size(h, kh, strides[0], dilations[0], 0), size(wd, kw, strides[1], dilations[1], 1)];
  const windows = [dilations[0] * (kh - 1) + 1, dilations[1] * (kw - 1) + 1];
  const pads = roundedPads(op, padding, options.dimRoundingMode, [oh, ow], windows, strides);
  // The pads of the forward convolution that maps the output back to x.
  const named = padding as 'valid' | 'same';
  const gh = pads ? explicitGeometry(op, oh, kh, strides[0], dilations[0], pads[0], 'height') : windowGeometry(op, oh, kh, strides[0], dilations[0], named);
  const gw = pads ? explicitGeometry(op, ow, kw, strides[1], dilations[1], pads[1], 'width') : windowGeometry(op, ow, kw, strides[1], dilations[1], named);
  if (gh.out !== h || gw.out !== wd) {
    throw new Error(`${op}: output size [${oh}, ${ow}] is inconsistent with input [${h}, ${wd}], strides and padding ${describe(padding)}`);
  }
  const a: Conv2dAttrs = { strides, dilations, padding: [gh.before, gw.before, gh.after, gw.after], groups: 1 };
  return runKernel1(
    op,
    'conv2d_backward_input',
    [input, w],
    packAttrs.conv2d_backward_input(a),
    { shape: [n, oh, ow, co], dtype: input.dtype },
    {
      save: [input, w],
      grad: ([dy], [xs, ws], needs) => [
        needs[0] ? runKernel1(op, 'conv2d', [dy, ws], packAttrs.conv2d(a), { shape: xs.shape, dtype: xs.dtype }) : null,
        needs[1] ? runKernel1(op, 'conv2d_backward_filter', [dy, xs], packAttrs.conv2d_backward_filter(a), { shape: ws.shape, dtype: ws.dtype }) : null,
      ],
    },
  );
}

/**
 * Depthwise 2-D convolution: each input channel convolved with its own
 * `channelMultiplier` filters; filter [filterHeight, filterWidth, inChannels, channelMultiplier].
 */
export function depthwiseConv2d(x: TensorLike, filter: TensorLike, options?: DepthwiseConvOptions | null): Tensor;
/** TensorFlow.js's positional form: `depthwiseConv2d(x, filter, strides, pad, dataFormat?, dilations?)`. */
export function depthwiseConv2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | [number, number],
  pad: PaddingMode | number | ExplicitPadding,
  dataFormat?: 'NHWC',
  dilations?: number | [number, number],
  dimRoundingMode?: DimRoundingMode,
): Tensor;
export function depthwiseConv2d(
  x: TensorLike,
  filter: TensorLike,
  stridesOrOptions?: DepthwiseConvOptions | number | [number, number] | null,
  ...positional: unknown[]
): Tensor {
  const op = 'depthwiseConv2d';
  const options = opOptions<DepthwiseConvOptions>(op, stridesOrOptions, positional, ['strides', 'padding', 'dataFormat', 'dilations', 'dimRoundingMode'], true);
  const input = toTensor(op, 'x', x);
  const w = toTensor(op, 'filter', filter);
  checkRank(op, 'x', input, 4, 'NHWC');
  checkRank(op, 'filter', w, 4, '[height, width, in, multiplier]');
  const [kh, kw, c, m] = w.shape;
  if (c !== input.shape[3]) throw new Error(`${op}: the filter expects ${c} input channels, but x has ${input.shape[3]}`);
  // [kh, kw, C, m] read row-major is [kh, kw, 1, C*m]: channel c feeds outputs c*m..c*m+m-1.
  return asOp(op, () => conv2d(input, reshape(w, [kh, kw, 1, c * m]), { ...options, groups: c }));
}

/** Depthwise convolution followed by a 1x1 pointwise convolution. */
export function separableConv2d(x: TensorLike, depthwiseFilter: TensorLike, pointwiseFilter: TensorLike, options?: DepthwiseConvOptions | null): Tensor;
/** TensorFlow.js's positional form: `separableConv2d(x, depthwiseFilter, pointwiseFilter, strides, pad, dilation?, dataFormat?)`. */
export function separableConv2d(
  x: TensorLike,
  depthwiseFilter: TensorLike,
  pointwiseFilter: TensorLike,
  strides: number | [number, number],
  pad: PaddingMode,
  dilation?: number | [number, number],
  dataFormat?: 'NHWC',
): Tensor;
export function separableConv2d(
  x: TensorLike,
  depthwiseFilter: TensorLike,
  pointwiseFilter: TensorLike,
  stridesOrOptions?: DepthwiseConvOptions | number | [number, number] | null,
  ...positional: unknown[]
): Tensor {
  const op = 'separableConv2d';
  const options = opOptions<DepthwiseConvOptions>(op, stridesOrOptions, positional, ['strides', 'padding', 'dilations', 'dataFormat']);
  const pw = toTensor(op, 'pointwiseFilter', pointwiseFilter);
  if (pw.rank !== 4 || pw.shape[0] !== 1 || pw.shape[1] !== 1) {
    throw new Error(`${op}: expected pointwiseFilter of shape [1, 1, inChannels * channelMultiplier, outChannels], got [${pw.shape.join(', ')}]`);
  }
  const depthwise = asOp(op, () => depthwiseConv2d(x, depthwiseFilter, options));
  const y = asOp(op, () => conv2d(depthwise, pw));
  depthwise.dispose();
  return y;
}
