// Max and average pooling over NHWC images (and 1-D through 2-D).
import { type TensorLike } from '../tensor/creation';
import { isRecording, runKernel1, type GradRule } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { packAttrs, type MaxPool2dAttrs } from '../native/op_attrs';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { explicitGeometry, pair, windowGeometry, type ExplicitPadding } from './padding';
import { roundedPads } from './dim_rounding';
import { reshape } from './reshape';
import { describe } from '../tensor/shape';
import { maxPoolGrad } from './max_pool_grad';
import { opOptions, type DimRoundingMode } from './op_options';

/** Options of the pooling ops; strides default to the pool size, as in Keras. */
export interface PoolOptions {
  /** Step of the window, one number or [height, width] (default: the pool size). */
  strides?: number | [number, number];
  /**
   * 'valid' (default: no padding), 'same' (output size ceil(input / stride)), or TensorFlow.js's
   * pixels per side: a number, or [[0, 0], [top, bottom], [left, right], [0, 0]].
   */
  padding?: 'valid' | 'same' | number | ExplicitPadding;
  /** How a numeric or explicit padding's output size is rounded: 'floor', 'round' or 'ceil' (default: truncated). */
  dimRoundingMode?: DimRoundingMode;
}

function pool2d(op: string, kind: 'max' | 'avg', x: TensorLike, poolSize: number | [number, number], options: PoolOptions): Tensor {
  const input = toTensor(op, 'x', x);
  checkInputDType(op, 'x', input, FLOAT_DTYPES);
  if (input.rank !== 4) throw new Error(`${op}: expected x of rank 4 (NHWC), got shape [${input.shape.join(', ')}]`);
  const given = pair(op, 'poolSize', poolSize);
  const strides = pair(op, 'strides', options.strides ?? given);
  const [n, h, w, c] = input.shape;
  const pads = roundedPads(op, options.padding, options.dimRoundingMode, [h, w], given, strides);
  const padding = pads ? 'valid' : ((options.padding as 'valid' | 'same' | undefined) ?? 'valid');
  const size: [number, number] = [sameWindow(given[0], h, strides[0], padding), sameWindow(given[1], w, strides[1], padding)];
  const gh = pads ? explicitGeometry(op, h, size[0], strides[0], 1, pads[0], 'height') : windowGeometry(op, h, size[0], strides[0], 1, padding);
  const gw = pads ? explicitGeometry(op, w, size[1], strides[1], 1, pads[1], 'width') : windowGeometry(op, w, size[1], strides[1], 1, padding);
  const a: MaxPool2dAttrs = { poolSize: size, strides, padding: [gh.before, gw.before, gh.after, gw.after] };
  const out = { shape: [n, gh.out, gw.out, c], dtype: input.dtype };
  if (kind === 'avg') return avgPoolKernel(op, a, input, out.shape);
  return runKernel1(op, 'max_pool2d', [input], packAttrs.max_pool2d(a), out, {
    save: [input],
    grad: ([dy], [xs]) => [maxPoolGrad(op, a, xs, dy)],
  });
}

// With 'same' padding a window of (out - 1) * stride + size + 1 taps or more covers the
// whole axis from every output position (the pads are half the excess on each side), and
// taps in the padding count for nothing: any larger window pools the same values. The
// kernels visit every tap, so a window of 2^31 would run for minutes; this one does not.
function sameWindow(window: number, size: number, stride: number, padding: string): number {
  if (padding !== 'same') return window;
  return Math.min(window, Math.max(1, (Math.ceil(size / stride) - 1) * stride + size + 1));
}

// Average pooling and its gradient are each other's transpose: each one's gradient rule
// runs the other, so gradients of any order go through the two kernels.
function avgPoolKernel(op: string, a: MaxPool2dAttrs, x: Tensor, outShape: number[]): Tensor {
  return runKernel1(
    op,
    'avg_pool2d',
    [x],
    packAttrs.avg_pool2d(a),
    { shape: outShape, dtype: x.dtype },
    {
      grad: ([dy]) => [avgPoolGrad(op, a, dy, x.shape)],
    },
  );
}

function avgPoolGrad(op: string, a: MaxPool2dAttrs, dy: Tensor, inShape: number[]): Tensor {
  const rule: GradRule | undefined = isRecording() ? { grad: ([g]) => [avgPoolKernel(op, a, g, dy.shape)] } : undefined;
  return runKernel1(op, 'avg_pool2d_backward', [dy], packAttrs.avg_pool2d_backward(a), { shape: inShape, dtype: dy.dtype }, rule);
}

const POOL_POSITIONAL = ['strides', 'padding', 'dimRoundingMode'];

/**
 * Max over windows of NHWC images. Options as an object, or TensorFlow.js's positional
 * `maxPool2d(x, poolSize, strides, pad)`.
 */
export function maxPool2d(x: TensorLike, poolSize: number | [number, number], options?: PoolOptions | null): Tensor;
export function maxPool2d(
  x: TensorLike,
  poolSize: number | [number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | ExplicitPadding,
): Tensor;
export function maxPool2d(
  x: TensorLike,
  poolSize: number | [number, number],
  stridesOrOptions?: PoolOptions | number | [number, number] | null,
  ...positional: unknown[]
): Tensor {
  return namedPool2d('maxPool2d', 'max', x, poolSize, stridesOrOptions, positional);
}

/** Mean over windows of NHWC images ('same' divides by the taps inside the image); options as maxPool2d's. */
export function avgPool2d(x: TensorLike, poolSize: number | [number, number], options?: PoolOptions | null): Tensor;
export function avgPool2d(
  x: TensorLike,
  poolSize: number | [number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | ExplicitPadding,
): Tensor;
export function avgPool2d(
  x: TensorLike,
  poolSize: number | [number, number],
  stridesOrOptions?: PoolOptions | number | [number, number] | null,
  ...positional: unknown[]
): Tensor {
  return namedPool2d('avgPool2d', 'avg', x, poolSize, stridesOrOptions, positional);
}

/** TensorFlow.js's name of maxPool2d: `maxPool(x, filterSize, strides, pad)`; errors say maxPool. */
export function maxPool(x: TensorLike, filterSize: number | [number, number], options?: PoolOptions | null): Tensor;
export function maxPool(
  x: TensorLike,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | ExplicitPadding,
  dimRoundingMode?: DimRoundingMode,
): Tensor;
export function maxPool(
  x: TensorLike,
  filterSize: number | [number, number],
  stridesOrOptions?: PoolOptions | number | [number, number] | null,
  ...positional: unknown[]
): Tensor {
  return namedPool2d('maxPool', 'max', x, filterSize, stridesOrOptions, positional);
}

/** TensorFlow.js's name of avgPool2d: `avgPool(x, filterSize, strides, pad)`; errors say avgPool. */
export function avgPool(x: TensorLike, filterSize: number | [number, number], options?: PoolOptions | null): Tensor;
export function avgPool(
  x: TensorLike,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | ExplicitPadding,
  dimRoundingMode?: DimRoundingMode,
): Tensor;
export function avgPool(
  x: TensorLike,
  filterSize: number | [number, number],
  stridesOrOptions?: PoolOptions | number | [number, number] | null,
  ...positional: unknown[]
): Tensor {
  return namedPool2d('avgPool', 'avg', x, filterSize, stridesOrOptions, positional);
}

function namedPool2d(
  op: string,
  kind: 'max' | 'avg',
  x: TensorLike,
  poolSize: number | [number, number],
  stridesOrOptions: unknown,
  positional: unknown[],
): Tensor {
  return pool2d(op, kind, x, poolSize, opOptions(op, stridesOrOptions as PoolOptions | null | undefined, positional, POOL_POSITIONAL, true));
}

/** Options of the 1-D pooling ops. */
export interface Pool1dOptions {
  /** Step of the window (default: the pool size). */
  strides?: number;
  /** 'valid' (default: no padding) or 'same'. */
  padding?: 'valid' | 'same';
}

function pool1d(op: string, kind: 'max' | 'avg', x: TensorLike, poolSize: number, options: Pool1dOptions): Tensor {
  // The 2-D pool under it takes pixels per side, which here would pad its dummy height axis.
  if (options.padding !== undefined && typeof options.padding !== 'string')
    throw new Error(`${op}: expected padding 'valid' or 'same', got ${describe(options.padding)}`);
  const input = toTensor(op, 'x', x);
  if (input.rank !== 3) throw new Error(`${op}: expected x of rank 3 ([batch, steps, channels]), got shape [${input.shape.join(', ')}]`);
  const x4 = reshape(input, [input.shape[0], 1, input.shape[1], input.shape[2]]);
  const y = pool2d(op, kind, x4, [1, poolSize], { strides: [1, options.strides ?? poolSize], padding: options.padding });
  return reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
}

/** Max over windows of [batch, steps, channels] sequences; options as an object or positional (strides, pad). */
export function maxPool1d(x: TensorLike, poolSize: number, options?: Pool1dOptions | null): Tensor;
export function maxPool1d(x: TensorLike, poolSize: number, strides: number, pad: 'valid' | 'same'): Tensor;
export function maxPool1d(x: TensorLike, poolSize: number, stridesOrOptions?: Pool1dOptions | number | null, ...positional: unknown[]): Tensor {
  return pool1d('maxPool1d', 'max', x, poolSize, opOptions('maxPool1d', stridesOrOptions, positional, POOL_POSITIONAL));
}

/** Mean over windows of [batch, steps, channels] sequences; options as maxPool1d's. */
export function avgPool1d(x: TensorLike, poolSize: number, options?: Pool1dOptions | null): Tensor;
export function avgPool1d(x: TensorLike, poolSize: number, strides: number, pad: 'valid' | 'same'): Tensor;
export function avgPool1d(x: TensorLike, poolSize: number, stridesOrOptions?: Pool1dOptions | number | null, ...positional: unknown[]): Tensor {
  return pool1d('avgPool1d', 'avg', x, poolSize, opOptions('avgPool1d', stridesOrOptions, positional, POOL_POSITIONAL));
}
