// keras.ops's neural-network ops where the top level differs: maxPool over 1 to 3 spatial
// axes (the top level's is TensorFlow.js's 2-D one), dotProductAttention on Keras's
// [batch, T, heads, depth] layout returning the output alone, ctcDecode and gelu with Keras's
// positional arguments and defaults (gelu approximate by default), softmax and logSoftmax
// over several axes, depthToSpace / spaceToDepth with Keras's dataFormat spelling.
import { tooManyArguments } from '../options/arity';
import { dotProductAttention as attention } from '../ops/attention';
import { logicalAnd } from '../ops/compare';
import { toTensor } from '../ops/convert';
import { ctcDecode as tfCtcDecode } from '../ops/ctc_decode';
import { exp, gelu as tfGelu } from '../ops/unary';
import { sub } from '../ops/binary';
import { logsumexp } from '../ops/keras_aliases';
import { logSoftmax as tfLogSoftmax, softmax as tfSoftmax } from '../ops/softmax';
import { depthToSpace as tfDepthToSpace, spaceToDepth as tfSpaceToDepth } from '../ops/space_depth';
import { asOp } from '../ops/op_name';
import { maxPool1d, maxPool2d } from '../ops/pooling';
import { maxPool3d } from '../ops/pooling3d';
import { tri } from '../ops/numpy_triangle';
import { transpose } from '../ops/transpose';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { flag } from './common';
import type { ConvDataFormat } from './conv';
import { checkDataFormat, inChannelsLast, normalizeTuple } from '../layers/conv_utils';

/** Keras's max_pool: the maximum over windows of 1 to 3 spatial axes (strides null: the pool size). */
export function maxPool(
  inputs: TensorLike,
  poolSize: number | number[],
  strides: number | number[] | null = null,
  padding: 'valid' | 'same' = 'valid',
  dataFormat: ConvDataFormat | null = null,
): Tensor {
  if (arguments.length > 5) throw tooManyArguments('maxPool', 5, arguments.length);
  const op = 'maxPool';
  if (padding !== 'valid' && padding !== 'same') throw new Error(`${op}: expected padding 'valid' or 'same', got ${describe(padding)}`);
  return asOp(op, () =>
    tidy(() => {
      const x = toTensor(op, 'inputs', inputs);
      const dims = x.rank - 2;
      if (dims < 1 || dims > 3) throw new Error(`${op}: expected inputs of rank 3, 4 or 5 ([batch, ...spatial, channels]), got shape [${x.shape.join(', ')}]`);
      const size = normalizeTuple(op, 'poolSize', poolSize, dims);
      const steps = strides === null ? size : normalizeTuple(op, 'strides', strides, dims);
      return inChannelsLast(checkDataFormat(op, dataFormat, true), x, (t) =>
        dims === 1
          ? maxPool1d(t, size[0], { strides: steps[0], padding })
          : dims === 2
            ? maxPool2d(t, size as [number, number], { strides: steps as [number, number], padding })
            : maxPool3d(t, size as [number, number, number], { strides: steps as [number, number, number], padding }),
      );
    }),
  );
}

/**
 * Keras's dot_product_attention: softmax(scale q kᵀ) v for query [batch, Tq, heads, depth]
 * (or [batch, Tq, depth]), key and value [batch, Tk, heads, depth]; mask (true: attend) and
 * isCausal limit what each query sees; scale null: 1 / sqrt(depth). bias, flashAttention and
 * attnLogitsSoftCap are not supported (an error says so when given).
 */
export function dotProductAttention(
  query: TensorLike,
  key: TensorLike,
  value: TensorLike,
  bias: TensorLike | null = null,
  mask: TensorLike | null = null,
  scale: number | null = null,
  isCausal = false,
  flashAttention: boolean | null = null,
  attnLogitsSoftCap: number | null = null,
): Tensor {
  if (arguments.length > 9) throw tooManyArguments('dotProductAttention', 9, arguments.length);
  const op = 'dotProductAttention';
  flag(op, 'isCausal', isCausal);
  if (bias !== null) throw new Error(`${op}: bias is not supported; add it to the logits with layers.multiHeadAttention or pass a mask`);
  if (flashAttention === true) throw new Error(`${op}: flashAttention is not supported; pass null or false`);
  if (attnLogitsSoftCap !== null) throw new Error(`${op}: attnLogitsSoftCap is not supported; pass null`);
  return asOp(op, () =>
    tidy(() => {
      const [q, k, v] = [toTensor(op, 'query', query), toTensor(op, 'key', key), toTensor(op, 'value', value)];
      if (q.rank !== 3 && q.rank !== 4) throw new Error(`${op}: expected query of rank 3 or 4 ([batch, T, heads, depth]), got shape [${q.shape.join(', ')}]`);
      // Keras's [batch, T, heads, depth] as [batch, heads, T, depth], and back.
      const heads = (t: Tensor) => (t.rank === 4 ? transpose(t, [0, 2, 1, 3]) : t);
      let m = mask === null ? null : toTensor(op, 'mask', mask);
      if (isCausal) {
        const causal = tri(q.shape[1], k.shape[1], 0, 'bool');
        m = m === null ? causal : logicalAnd(m, causal);
      }
      const { output } = attention(heads(q), heads(k), heads(v), { mask: m, ...(scale === null ? {} : { scale }) });
      return heads(output);
    }),
  );
}

/** Keras's ctc_decode: [decoded, scores] of CTC logits [batch, time, classes]; see the top-level ctcDecode for the layout. */
export function ctcDecode(
  inputs: TensorLike,
  sequenceLengths: TensorLike,
  strategy: 'greedy' | 'beam_search' = 'greedy',
  beamWidth = 100,
  topPaths = 1,
  mergeRepeated = true,
  maskIndex: number | null = 0,
): [Tensor, Tensor] {
  if (arguments.length > 7) throw tooManyArguments('ctcDecode', 7, arguments.length);
  return asOp('ctcDecode', () => tfCtcDecode(inputs, sequenceLengths, { strategy, beamWidth, topPaths, mergeRepeated, maskIndex }));
}

/** Keras's gelu: x * Φ(x), by default the tanh approximation (approximate false: with erf). */
export function gelu(x: TensorLike, approximate = true): Tensor {
  if (arguments.length > 2) throw tooManyArguments('gelu', 2, arguments.length);
  return asOp('gelu', () => tfGelu(x, flag('gelu', 'approximate', approximate)));
}

// Over several axes: x - logsumexp(x) over them (the one-axis case keeps the fused kernel).
function logSoftmaxOver(op: string, x: TensorLike, axes: number[]): Tensor {
  const t = toTensor(op, 'x', x);
  return sub(t, logsumexp(t, axes, true));
}

/** Keras's softmax: exp(x) normalized to sum 1 over `axis` (one axis or several). */
export function softmax(x: TensorLike, axis: number | number[] = -1): Tensor {
  if (arguments.length > 2) throw tooManyArguments('softmax', 2, arguments.length);
  if (!Array.isArray(axis)) return asOp('softmax', () => tfSoftmax(x, axis));
  return asOp('softmax', () => tidy(() => exp(logSoftmaxOver('softmax', x, axis))));
}

/** Keras's log_softmax: log(softmax(x)) over `axis` (one axis or several). */
export function logSoftmax(x: TensorLike, axis: number | number[] = -1): Tensor {
  if (arguments.length > 2) throw tooManyArguments('logSoftmax', 2, arguments.length);
  if (!Array.isArray(axis)) return asOp('logSoftmax', () => tfLogSoftmax(x, axis));
  return asOp('logSoftmax', () => tidy(() => logSoftmaxOver('logSoftmax', x, axis)));
}

// Keras's data_format as the NHWC / NCHW of the top-level space-depth ops.
const layout = (op: string, dataFormat: unknown): 'NHWC' | 'NCHW' => (checkDataFormat(op, dataFormat, true) === 'channelsFirst' ? 'NCHW' : 'NHWC');

/** Keras's depth_to_space: blocks of blockSize x blockSize channels moved into the height and width. */
export function depthToSpace(x: TensorLike, blockSize: number, dataFormat: ConvDataFormat | null = 'channels_last'): Tensor {
  if (arguments.length > 3) throw tooManyArguments('depthToSpace', 3, arguments.length);
  return tfDepthToSpace(x, blockSize, layout('depthToSpace', dataFormat));
}

/** Keras's space_to_depth: blockSize x blockSize spatial blocks moved into the channels. */
export function spaceToDepth(x: TensorLike, blockSize: number, dataFormat: ConvDataFormat | null = 'channels_last'): Tensor {
  if (arguments.length > 3) throw tooManyArguments('spaceToDepth', 3, arguments.length);
  return tfSpaceToDepth(x, blockSize, layout('spaceToDepth', dataFormat));
}
