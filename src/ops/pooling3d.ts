// Max and average pooling over NDHWC volumes, as two 2-D poolings (whose kernels give the
// gradients): over height and width with the depth folded into the batch, then over the
// depth with height and width folded into one axis. Both are separable: a max of maxes,
// and a mean of means, whose divisors ('same' counts only the taps inside, as TensorFlow)
// multiply to the window's count of taps inside the volume.
import { type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { opOptions, type DimRoundingMode } from './op_options';
import { checkPaddingName, triple, windowGeometry } from './padding';
import { avgPool2d, maxPool2d } from './pooling';
import { reshape } from './reshape';

/** Options of the 3-D pooling ops; strides default to the pool size, as in Keras. */
export interface Pool3dOptions {
  /** Step of the window, one number or [depth, height, width] (default: the pool size). */
  strides?: number | [number, number, number];
  /** 'valid' (default: no padding) or 'same' (output size ceil(input / stride)). */
  padding?: 'valid' | 'same';
}

// TensorFlow.js's order: dimRoundingMode comes before dataFormat in maxPool3d / avgPool3d.
const POOL3D_POSITIONAL = ['strides', 'padding', 'dimRoundingMode', 'dataFormat'];

function pool3d(op: string, kind: 'max' | 'avg', x: TensorLike, poolSize: unknown, stridesOrOptions: unknown, positional: unknown[]): Tensor {
  const options = opOptions<Pool3dOptions>(op, stridesOrOptions, positional, POOL3D_POSITIONAL);
  const input = toTensor(op, 'x', x);
  checkInputDType(op, 'x', input, FLOAT_DTYPES);
  if (input.rank !== 5) throw new Error(`${op}: expected x of rank 5 (NDHWC), got shape [${input.shape.join(', ')}]`);
  const size = triple(op, 'poolSize', poolSize as number);
  const strides = triple(op, 'strides', options.strides ?? size);
  const padding = checkPaddingName(op, options.padding ?? 'valid');
  const [n, d, h, w, c] = input.shape;
  // Checked here so that a window too large names the depth, not a folded axis.
  windowGeometry(op, d, size[0], strides[0], 1, padding);
  const pool2d = kind === 'max' ? maxPool2d : avgPool2d;
  return asOp(op, () =>
    tidy(() => {
      const planes = pool2d(reshape(input, [n * d, h, w, c]), [size[1], size[2]], { strides: [strides[1], strides[2]], padding });
      const [, oh, ow] = planes.shape;
      const depth = pool2d(reshape(planes, [n, d, oh * ow, c]), [size[0], 1], { strides: [strides[0], 1], padding });
      return reshape(depth, [n, depth.shape[1], oh, ow, c]);
    }),
  );
}

/**
 * Max over windows of NDHWC volumes. Options as an object, or TensorFlow.js's positional
 * `maxPool3d(x, filterSize, strides, pad, dimRoundingMode?, dataFormat?)`.
 */
export function maxPool3d(x: TensorLike, filterSize: number | [number, number, number], options?: Pool3dOptions | null): Tensor;
export function maxPool3d(
  x: TensorLike,
  filterSize: number | [number, number, number],
  strides: number | [number, number, number],
  pad: 'valid' | 'same',
  dimRoundingMode?: DimRoundingMode,
  dataFormat?: 'NDHWC',
): Tensor;
export function maxPool3d(
  x: TensorLike,
  filterSize: number | [number, number, number],
  stridesOrOptions?: Pool3dOptions | number | number[] | null,
  ...positional: unknown[]
): Tensor {
  return pool3d('maxPool3d', 'max', x, filterSize, stridesOrOptions, positional);
}

/** Mean over windows of NDHWC volumes ('same' divides by the taps inside the volume); arguments as maxPool3d's. */
export function avgPool3d(x: TensorLike, filterSize: number | [number, number, number], options?: Pool3dOptions | null): Tensor;
export function avgPool3d(
  x: TensorLike,
  filterSize: number | [number, number, number],
  strides: number | [number, number, number],
  pad: 'valid' | 'same',
  dimRoundingMode?: DimRoundingMode,
  dataFormat?: 'NDHWC',
): Tensor;
export function avgPool3d(
  x: TensorLike,
  filterSize: number | [number, number, number],
  stridesOrOptions?: Pool3dOptions | number | number[] | null,
  ...positional: unknown[]
): Tensor {
  return pool3d('avgPool3d', 'avg', x, filterSize, stridesOrOptions, positional);
}
