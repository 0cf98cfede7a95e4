// Max and average pooling over NHWC images (and 1-D through 2-D).
import { type TensorLike } from '../tensor/creation';
import { runKernel1 } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import type { OpName } from '../native/op_ids';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { pair, windowGeometry } from './padding';
import { reshape } from './reshape';

/** Options of the pooling ops; strides default to the pool size, as in Keras. */
export interface PoolOptions {
  /** Step of the window, one number or [height, width] (default: the pool size). */
  strides?: number | [number, number];
  /** 'valid' (default: no padding) or 'same' (output size ceil(input / stride)). */
  padding?: 'valid' | 'same';
}

function pool2d(op: string, kind: 'max' | 'avg', x: TensorLike, poolSize: number | [number, number], options: PoolOptions): Tensor {
  const input = toTensor(op, 'x', x);
  checkInputDType(op, 'x', input, FLOAT_DTYPES);
  if (input.rank !== 4) throw new Error(`${op}: expected x of rank 4 (NHWC), got shape [${input.shape.join(', ')}]`);
  const size = pair(op, 'poolSize', poolSize);
  const strides = pair(op, 'strides', options.strides ?? size);
  const padding = options.padding ?? 'valid';
  const [n, h, w, c] = input.shape;
  const gh = windowGeometry(op, h, size[0], strides[0], 1, padding);
  const gw = windowGeometry(op, w, size[1], strides[1], 1, padding);
  const attrs = [...size, ...strides, gh.before, gw.before, gh.after, gw.after];
  const out = { shape: [n, gh.out, gw.out, c], dtype: input.dtype };
  const forward: OpName = kind === 'max' ? 'max_pool2d' : 'avg_pool2d';
  return runKernel1(op, forward, [input], attrs, out, {
    save: kind === 'max' ? [input] : [],
    grad: ([dy], saved) =>
      kind === 'max'
        ? [runKernel1(op, 'max_pool2d_backward', [saved[0], dy], attrs, { shape: input.shape, dtype: input.dtype })]
        : [runKernel1(op, 'avg_pool2d_backward', [dy], attrs, { shape: input.shape, dtype: input.dtype })],
  });
}

/** Max over windows of NHWC images. */
export function maxPool2d(x: TensorLike, poolSize: number | [number, number], options: PoolOptions = {}): Tensor {
  return pool2d('maxPool2d', 'max', x, poolSize, options);
}

/** Mean over windows of NHWC images ('same' divides by the taps inside the image). */
export function avgPool2d(x: TensorLike, poolSize: number | [number, number], options: PoolOptions = {}): Tensor {
  return pool2d('avgPool2d', 'avg', x, poolSize, options);
}

function pool1d(op: string, kind: 'max' | 'avg', x: TensorLike, poolSize: number, options: { strides?: number; padding?: 'valid' | 'same' }): Tensor {
  const input = toTensor(op, 'x', x);
  if (input.rank !== 3) throw new Error(`${op}: expected x of rank 3 ([batch, steps, channels]), got shape [${input.shape.join(', ')}]`);
  const x4 = reshape(input, [input.shape[0], 1, input.shape[1], input.shape[2]]);
  const y = pool2d(op, kind, x4, [1, poolSize], { strides: [1, options.strides ?? poolSize], padding: options.padding });
  return reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
}

/** Max over windows of [batch, steps, channels] sequences. */
export function maxPool1d(x: TensorLike, poolSize: number, options: { strides?: number; padding?: 'valid' | 'same' } = {}): Tensor {
  return pool1d('maxPool1d', 'max', x, poolSize, options);
}

/** Mean over windows of [batch, steps, channels] sequences. */
export function avgPool1d(x: TensorLike, poolSize: number, options: { strides?: number; padding?: 'valid' | 'same' } = {}): Tensor {
  return pool1d('avgPool1d', 'avg', x, poolSize, options);
}
