// keras.ops's N-D convolutions: conv, convTranspose, depthwiseConv and separableConv pick
// the 1-D, 2-D or 3-D kernel from the input's rank and take Keras's positional arguments
// (inputs, kernel, strides, padding, dataFormat, dilationRate). 1-D runs as a height-1 image,
// channels-first between two transposes, as the conv layers do.
import {
  deconvOutputLength,
  checkDataFormat,
  inChannelsLast,
  normalizeTuple,
  sequenceToImage,
  imageToSequence,
  widthOnly,
  asTriple,
} from '../layers/conv_utils';
import { tooManyArguments } from '../options/arity';
import { conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d } from '../ops/conv';
import { conv3d, conv3dTranspose } from '../ops/conv3d';
import { toTensor } from '../ops/convert';
import { asOp } from '../ops/op_name';
import { reshape } from '../ops/reshape';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/** Keras's padding of the convolution ops. */
export type ConvPadding = 'valid' | 'same';
/** Keras's data_format: channels last ([batch, ...spatial, channels]) unless said otherwise. */
export type ConvDataFormat = 'channels_last' | 'channels_first' | 'channelsLast' | 'channelsFirst';

interface Window {
  x: Tensor;
  rank: number;
  strides: number[];
  dilations: number[];
  padding: ConvPadding;
}

// The input, its spatial rank (1 to `maxRank`) and the window parameters, checked.
function window(op: string, inputs: TensorLike, strides: unknown, padding: unknown, dilationRate: unknown, maxRank: number): Window {
  const x = toTensor(op, 'inputs', inputs);
  const rank = x.rank - 2;
  if (rank < 1 || rank > maxRank)
    throw new Error(`${op}: expected inputs of rank 3 to ${maxRank + 2} ([batch, ...spatial, channels]), got shape [${x.shape.join(', ')}]`);
  if (padding !== 'valid' && padding !== 'same') throw new Error(`${op}: expected padding 'valid' or 'same', got ${describe(padding)}`);
  return {
    x,
    rank,
    strides: normalizeTuple(op, 'strides', strides, rank),
    dilations: normalizeTuple(op, 'dilationRate', dilationRate ?? 1, rank),
    padding,
  };
}

// A 2-D image op run on a 1-D or 2-D channels-last input (a sequence as a height-1 image).
const asImage = (rank: number, x: Tensor, f: (image: Tensor) => Tensor): Tensor => (rank === 1 ? imageToSequence(f(sequenceToImage(x))) : f(x));
const lift = (rank: number, k: Tensor): Tensor => (rank === 1 ? reshape(k, [1, ...k.shape]) : k);

/**
 * Keras's conv: an N-D convolution (N = 1, 2 or 3 from the rank of `inputs`) with kernel
 * [...kernelSize, inChannels, outChannels].
 * @example ops.conv(x, kernel, 1, 'same')
 */
export function conv(
  inputs: TensorLike,
  kernel: TensorLike,
  strides: number | number[] = 1,
  padding: ConvPadding = 'valid',
  dataFormat: ConvDataFormat | null = null,
  dilationRate: number | number[] = 1,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('conv', 6, arguments.length);
  const op = 'conv';
  return asOp(op, () =>
    tidy(() => {
      const w = window(op, inputs, strides, padding, dilationRate, 3);
      const k = toTensor(op, 'kernel', kernel);
      return inChannelsLast(checkDataFormat(op, dataFormat, true), w.x, (x) =>
        w.rank === 3
          ? conv3d(x, k, { strides: asTriple(w.strides), padding: w.padding, dilations: asTriple(w.dilations) })
          : asImage(w.rank, x, (image) =>
              conv2d(image, lift(w.rank, k), { strides: widthOnly(w.strides), padding: w.padding, dilations: widthOnly(w.dilations) }),
            ),
      );
    }),
  );
}

/**
 * Keras's conv_transpose: the transposed N-D convolution, kernel [...kernelSize, outChannels,
 * inChannels]; outputPadding (null: Keras's rule) adds rows at the end of each spatial axis.
 */
export function convTranspose(
  inputs: TensorLike,
  kernel: TensorLike,
  strides: number | number[] = 1,
  padding: ConvPadding = 'valid',
  outputPadding: number | number[] | null = null,
  dataFormat: ConvDataFormat | null = null,
  dilationRate: number | number[] = 1,
): Tensor {
  if (arguments.length > 7) throw tooManyArguments('convTranspose', 7, arguments.length);
  const op = 'convTranspose';
  return asOp(op, () =>
    tidy(() => {
      const w = window(op, inputs, strides, padding, dilationRate, 3);
      const k = toTensor(op, 'kernel', kernel);
      const extra = outputPadding === null ? null : normalizeTuple(op, 'outputPadding', outputPadding, w.rank, true);
      if (k.rank !== w.rank + 2) throw new Error(`${op}: expected a kernel of rank ${w.rank + 2}, got shape [${k.shape.join(', ')}]`);
      return inChannelsLast(checkDataFormat(op, dataFormat, true), w.x, (x) => {
        const spatial = x.shape
          .slice(1, -1)
          .map((n, i) => deconvOutputLength(n, k.shape[i], w.strides[i], w.dilations[i], w.padding, extra?.[i] ?? null) as number);
        if (w.rank === 3)
          return conv3dTranspose(x, k, { strides: asTriple(w.strides), padding: w.padding, dilations: asTriple(w.dilations), outputShape: asTriple(spatial) });
        return asImage(w.rank, x, (image) =>
          conv2dTranspose(image, lift(w.rank, k), {
            strides: widthOnly(w.strides),
            padding: w.padding,
            dilations: widthOnly(w.dilations),
            outputShape: widthOnly(spatial),
          }),
        );
      });
    }),
  );
}

/** Keras's depthwise_conv: 1-D or 2-D, kernel [...kernelSize, inChannels, multiplier]. */
export function depthwiseConv(
  inputs: TensorLike,
  kernel: TensorLike,
  strides: number | number[] = 1,
  padding: ConvPadding = 'valid',
  dataFormat: ConvDataFormat | null = null,
  dilationRate: number | number[] = 1,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('depthwiseConv', 6, arguments.length);
  const op = 'depthwiseConv';
  return asOp(op, () =>
    tidy(() => {
      const w = window(op, inputs, strides, padding, dilationRate, 2);
      const k = toTensor(op, 'kernel', kernel);
      const options = { strides: widthOnly(w.strides), padding: w.padding, dilations: widthOnly(w.dilations) };
      return inChannelsLast(checkDataFormat(op, dataFormat, true), w.x, (x) => asImage(w.rank, x, (image) => depthwiseConv2d(image, lift(w.rank, k), options)));
    }),
  );
}

/**
 * Keras's separable_conv: a depthwise convolution, then a pointwise (1 x 1) one with kernel
 * [...ones, inChannels * multiplier, outChannels]; 1-D or 2-D.
 */
export function separableConv(
  inputs: TensorLike,
  depthwiseKernel: TensorLike,
  pointwiseKernel: TensorLike,
  strides: number | number[] = 1,
  padding: ConvPadding = 'valid',
  dataFormat: ConvDataFormat | null = null,
  dilationRate: number | number[] = 1,
): Tensor {
  if (arguments.length > 7) throw tooManyArguments('separableConv', 7, arguments.length);
  const op = 'separableConv';
  return asOp(op, () =>
    tidy(() => {
      const w = window(op, inputs, strides, padding, dilationRate, 2);
      const dk = toTensor(op, 'depthwiseKernel', depthwiseKernel);
      const pk = toTensor(op, 'pointwiseKernel', pointwiseKernel);
      const options = { strides: widthOnly(w.strides), padding: w.padding, dilations: widthOnly(w.dilations) };
      return inChannelsLast(checkDataFormat(op, dataFormat, true), w.x, (x) =>
        asImage(w.rank, x, (image) => separableConv2d(image, lift(w.rank, dk), lift(w.rank, pk), options)),
      );
    }),
  );
}
