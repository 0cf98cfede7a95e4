// 3-D convolutions over NDHWC volumes with Keras's filter layouts, composed from the 2-D
// kernels (autograd differentiates the composition): conv3d gathers each output depth's
// window of input slices into the channels and runs one conv2d over them; conv3dTranspose
// runs one conv2dTranspose for every depth tap at once and scatter-adds each tap's slices
// to the output depth it lands on.
import { tensor, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { conv2d, conv2dTranspose } from './conv';
import { checkRank, transposeOutputShape } from './conv_checks';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { gather, unsortedSegmentSum } from './gather';
import { asOp } from './op_name';
import { opOptions } from './op_options';
import { pad } from './pad';
import { checkPaddingName, triple, windowGeometry, type WindowGeometry } from './padding';
import { reshape } from './reshape';
import { slice } from './slice';
import { transpose } from './transpose';

/** Options of conv3d. */
export interface Conv3dOptions {
  /** Step of the window, one number or [depth, height, width] (default 1). */
  strides?: number | [number, number, number];
  /** 'valid' (default: no padding) or 'same' (output size ceil(input / stride)). */
  padding?: 'valid' | 'same';
  /** Spacing between kernel taps, one number or [depth, height, width] (default 1). */
  dilations?: number | [number, number, number];
  /** Input channels and filters split into this many independent groups. */
  groups?: number;
}

/** Options of conv3dTranspose. */
export interface Conv3dTransposeOptions {
  /** Step of the window, one number or [depth, height, width] (default 1). */
  strides?: number | [number, number, number];
  /** 'valid' (default) or 'same' (output size input * stride). */
  padding?: 'valid' | 'same';
  /** Spacing between kernel taps, one number or [depth, height, width] (default 1). */
  dilations?: number | [number, number, number];
  /** The output's [depth, height, width], when the strides leave it ambiguous. */
  outputShape?: [number, number, number];
}

/** The checked x and filter (float, of one dtype, rank 5) and window options of conv3d and conv3dTranspose. */
function operands(op: string, x: TensorLike, filter: TensorLike, filterLayout: string, options: Conv3dOptions | Conv3dTransposeOptions) {
  const input = toTensor(op, 'x', x);
  const w = toTensor(op, 'filter', filter);
  checkInputDType(op, 'x', input, FLOAT_DTYPES);
  if (w.dtype !== input.dtype) throw new Error(`${op}: expected filter of dtype ${input.dtype} like x, got ${w.dtype}`);
  checkRank(op, 'x', input, 5, 'NDHWC');
  checkRank(op, 'filter', w, 5, filterLayout);
  const strides = triple(op, 'strides', options.strides ?? 1);
  const dilations = triple(op, 'dilations', options.dilations ?? 1);
  const padding = checkPaddingName(op, options.padding ?? 'valid');
  return { input, w, strides, dilations, padding };
}

/**
 * 3-D convolution: x [batch, depth, height, width, inChannels] with filter
 * [filterDepth, filterHeight, filterWidth, inChannels / groups, outChannels].
 * @example conv3d(volumes, kernel, { strides: 2, padding: 'same' })
 */
export function conv3d(x: TensorLike, filter: TensorLike, options?: Conv3dOptions | null): Tensor;
/** TensorFlow.js's positional form: `conv3d(x, filter, strides, pad, dataFormat?, dilations?)`. */
export function conv3d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | [number, number, number],
  pad: 'valid' | 'same',
  dataFormat?: 'NDHWC',
  dilations?: number | [number, number, number],
): Tensor;
export function conv3d(x: TensorLike, filter: TensorLike, stridesOrOptions?: Conv3dOptions | number | number[] | null, ...positional: unknown[]): Tensor {
  const op = 'conv3d';
  const options = opOptions<Conv3dOptions>(op, stridesOrOptions, positional, ['strides', 'padding', 'dataFormat', 'dilations']);
  const { input, w, strides, dilations, padding } = operands(op, x, filter, '[depth, height, width, in, out]', options);
  const groups = options.groups ?? 1;
  const [n, d, h, wd, c] = input.shape;
  const [kd, kh, kw, ci, co] = w.shape;
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0 || co % groups !== 0) {
    throw new Error(`${op}: groups (${describe(groups)}) must divide the input channels (${c}) and the filters (${co})`);
  }
  if (ci * groups !== c) {
    throw new Error(
      `${op}: the filter expects ${ci * groups} input channels (${ci} per group x ${groups} groups), but x has ${c} (shape [${input.shape.join(', ')}])`,
    );
  }
  const gd = windowGeometry(op, d, kd, strides[0], dilations[0], padding);
  return asOp(op, () =>
    tidy(() => {
      // [n, dOut * kd, h, w, c] -> [n * dOut, h, w, groups * kd * c / groups]: each group's
      // channels stay together (conv2d's groups are contiguous blocks), taps before channels.
      // An empty x ([0, 2^31, ...]) folds without listing its depth windows.
      const windows = input.size === 0 ? slice(input, [0, 0, 0, 0, 0], [n, 0, h, wd, c]) : depthWindows(input, gd, kd, strides[0], dilations[0]);
      const taps = reshape(windows, [n, gd.out, kd, h, wd, groups, ci]);
      const folded = reshape(transpose(taps, [0, 1, 3, 4, 5, 2, 6]), [n * gd.out, h, wd, kd * c]);
      // [kd, kh, kw, ci, co] -> [kh, kw, kd * ci, co], in the same tap-then-channel order.
      const f = reshape(transpose(w, [1, 2, 0, 3, 4]), [kh, kw, kd * ci, co]);
      const y = conv2d(folded, f, { strides: [strides[1], strides[2]], dilations: [dilations[1], dilations[2]], padding, groups });
      return reshape(y, [n, gd.out, y.shape[1], y.shape[2], co]);
    }),
  );
}

// The input slices under each output depth's window, [n, dOut * kd, h, w, c] (output depth
// major): padded depth position o * stride + k * dilation for output o and tap k.
function depthWindows(x: Tensor, g: WindowGeometry, taps: number, stride: number, dilation: number): Tensor {
  const padded =
    g.before + g.after === 0
      ? x
      : pad(x, [
          [0, 0],
          [g.before, g.after],
          [0, 0],
          [0, 0],
          [0, 0],
        ]);
  const positions = depthPositions(g.out, taps, stride, dilation);
  if (positions.length === padded.shape[1] && positions.every((p, i) => p === i)) return padded;
  return gather(padded, tensor(positions, [positions.length], 'int32'), 1);
}

function depthPositions(outputs: number, taps: number, stride: number, dilation: number): number[] {
  const positions: number[] = [];
  for (let o = 0; o < outputs; o++) for (let k = 0; k < taps; k++) positions.push(o * stride + k * dilation);
  return positions;
}

/**
 * Transposed 3-D convolution (the gradient of conv3d): x [batch, d, h, w, inChannels],
 * filter [filterDepth, filterHeight, filterWidth, outChannels, inChannels] (Keras's
 * Conv3DTranspose kernel), output [batch, d', h', w', outChannels] with d' = d * stride for 'same'.
 */
export function conv3dTranspose(x: TensorLike, filter: TensorLike, options?: Conv3dTransposeOptions | null): Tensor;
/**
 * TensorFlow.js's positional form: `conv3dTranspose(x, filter, outputShape, strides, pad)`,
 * outputShape [batch, depth, height, width, channels] or [depth, height, width, channels].
 */
export function conv3dTranspose(
  x: TensorLike,
  filter: TensorLike,
  outputShape: number[],
  strides: number | [number, number, number],
  pad: 'valid' | 'same',
): Tensor;
export function conv3dTranspose(
  x: TensorLike,
  filter: TensorLike,
  outputShapeOrOptions?: Conv3dTransposeOptions | number[] | null,
  ...positional: unknown[]
): Tensor {
  const op = 'conv3dTranspose';
  const options = opOptions<Conv3dTransposeOptions>(op, outputShapeOrOptions, positional, ['outputShape', 'strides', 'padding']);
  options.outputShape = transposeOutputShape(op, outputShapeOrOptions, options.outputShape, ['depth', 'height', 'width']) as
    [number, number, number] | undefined;
  const { input, w, strides, dilations, padding } = operands(op, x, filter, '[depth, height, width, out, in]', options);
  const [n, d, h, wd, c] = input.shape;
  const [kd, kh, kw, co, ci] = w.shape;
  if (ci !== c) throw new Error(`${op}: the filter expects ${ci} input channels, but x has ${c}`);
  const kernel = [kd, kh, kw];
  const size = (len: number, i: number) => (padding === 'same' ? len * strides[i] : (len - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1);
  const out = options.outputShape ?? [size(d, 0), size(h, 1), size(wd, 2)];
  // The pads of the forward convolution that maps the output back to x.
  const geometry = out.map((len, i) => windowGeometry(op, len, kernel[i], strides[i], dilations[i], padding));
  if (geometry.some((g, i) => g.out !== [d, h, wd][i])) {
    throw new Error(`${op}: output size [${out.join(', ')}] is inconsistent with input [${d}, ${h}, ${wd}], strides and padding '${padding}'`);
  }
  const [od, oh, ow] = out;
  const gd = geometry[0];
  return asOp(op, () =>
    tidy(() => {
      // Every depth tap's filter side by side in the output channels: [kh, kw, kd * co, ci].
      const f = reshape(transpose(w, [1, 2, 0, 3, 4]), [kh, kw, kd * co, ci]);
      const planes = conv2dTranspose(reshape(input, [n * d, h, wd, c]), f, {
        strides: [strides[1], strides[2]],
        dilations: [dilations[1], dilations[2]],
        padding,
        outputShape: [oh, ow],
      });
      // An empty output ([0, 2^31, ...]) comes from empty planes, without placing them.
      if (n * od * oh * ow * co === 0) return reshape(planes, [n, od, oh, ow, co]);
      // [n, d, oh, ow, kd, co] -> [d * kd, n, oh, ow, co]: row i * kd + k lands at padded
      // depth i * stride + k * dilation.
      const taps = reshape(transpose(reshape(planes, [n, d, oh, ow, kd, co]), [1, 4, 0, 2, 3, 5]), [d * kd, n, oh, ow, co]);
      const positions = depthPositions(d, kd, strides[0], dilations[0]);
      const placed = unsortedSegmentSum(taps, tensor(positions, [positions.length], 'int32'), gd.before + od + gd.after);
      return transpose(slice(placed, [gd.before, 0, 0, 0, 0], [od, n, oh, ow, co]), [1, 0, 2, 3, 4]);
    }),
  );
}
