// Projective transforms of NHWC images: TensorFlow.js's tf.image.transform, with the
// sampling of tf.raw_ops.ImageProjectiveTransformV3 (native/src/cpu/contracts/image_transform.h).
import { type TensorLike } from '../tensor/creation';
import { runKernel1 } from '../tensor/run';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { cast } from './cast';
import { FLOAT_DTYPES, NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { opOptions } from './op_options';
import { packAttrs } from '../native/op_attrs';
import { unsupportedSecondOrder } from './second_order';
import { everyEntry } from '../options/every_entry';

/** How image.transform samples between pixels. */
export type TransformInterpolation = 'nearest' | 'bilinear';
/** How image.transform reads points outside the image. */
export type TransformFillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';

/** Options of image.transform. */
export interface TransformOptions {
  /** 'nearest' (default, as TF.js) or 'bilinear'. */
  interpolation?: TransformInterpolation;
  /** How points outside the image read: 'constant' (default: fillValue), 'reflect', 'wrap' or 'nearest'. */
  fillMode?: TransformFillMode;
  /** The value of points outside the image under fillMode 'constant' (default 0). */
  fillValue?: number;
  /** [height, width] of the output (default: the input's). */
  outputShape?: [number, number];
}

const INTERPOLATIONS: readonly TransformInterpolation[] = ['nearest', 'bilinear'];
const FILL_MODES: readonly TransformFillMode[] = ['constant', 'reflect', 'wrap', 'nearest'];
const POSITIONAL = ['interpolation', 'fillMode', 'fillValue', 'outputShape'];

/** The attribute code of `value` among `allowed`; an error naming the op and choices otherwise. */
export function choiceCode<T extends string>(op: string, arg: string, value: unknown, allowed: readonly T[]): number {
  const code = allowed.indexOf(value as T);
  if (code < 0) throw new Error(`${op}: expected ${arg} one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`);
  return code;
}

/**
 * Applies a projective transform per image: `transforms` [N or 1, 8] rows
 * [a0, a1, a2, b0, b1, b2, c0, c1] map each output pixel (x, y) to the input point
 * ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1 (output to
 * input, as TensorFlow). Differentiable w.r.t. the image (not the transforms). Options as an object or
 * TF.js's positional `transform(image, transforms, interpolation, fillMode, fillValue, outputShape)`.
 */
export function transform(image: TensorLike, transforms: TensorLike, options?: TransformOptions | null): Tensor;
export function transform(
  image: TensorLike,
  transforms: TensorLike,
  interpolation?: TransformInterpolation,
  fillMode?: TransformFillMode,
  fillValue?: number,
  outputShape?: [number, number],
): Tensor;
export function transform(
  image: TensorLike,
  transforms: TensorLike,
  first?: TransformOptions | TransformInterpolation | null,
  ...positional: unknown[]
): Tensor {
  const op = 'image.transform';
  const options = opOptions<TransformOptions>(op, first, positional, POSITIONAL);
  const x = toTensor(op, 'image', image);
  checkInputDType(op, 'image', x, FLOAT_DTYPES);
  if (x.rank !== 4) throw new Error(`${op}: expected image of rank 4 (NHWC), got shape [${x.shape.join(', ')}]`);
  const given = toTensor(op, 'transforms', transforms);
  // Numbers of any numeric dtype are cast to the image's (TensorFlow.js takes float32 alone); a bool matrix is no transform.
  checkInputDType(op, 'transforms', given, NUMERIC_DTYPES);
  if (given.rank !== 2 || given.shape[1] !== 8 || (given.shape[0] !== x.shape[0] && given.shape[0] !== 1)) {
    throw new Error(`${op}: expected transforms of shape [${x.shape[0]} or 1, 8], got [${given.shape.join(', ')}]`);
  }
  const interpolation = choiceCode(op, 'interpolation', options.interpolation ?? 'nearest', INTERPOLATIONS);
  const fillMode = choiceCode(op, 'fillMode', options.fillMode ?? 'constant', FILL_MODES);
  const fillValue = options.fillValue ?? 0;
  if (typeof fillValue !== 'number') throw new Error(`${op}: expected fillValue a number, got ${describe(fillValue)}`);
  const [n, h, w, c] = x.shape;
  const size = options.outputShape ?? [h, w];
  if (!Array.isArray(size) || size.length !== 2 || !everyEntry(size, (d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${op}: expected outputShape [height, width] of non-negative integers, got ${describe(size)}`);
  }
  const m = given.dtype === x.dtype ? given : cast(given, x.dtype);
  const attrs = { interpolation: INTERPOLATIONS[interpolation], fillMode: FILL_MODES[fillMode], fillValue };
  const out = runKernel1(
    op,
    'image_transform',
    [x, m],
    packAttrs.image_transform(attrs),
    { shape: [n, size[0], size[1], c], dtype: x.dtype },
    {
      save: [m],
      grad: ([dy], [saved], needs) => {
        if (needs[1]) throw new Error(`${op}: no gradient w.r.t. transforms (only w.r.t. the image); stop the gradient to the transforms`);
        return [
          runKernel1(
            op,
            'image_transform_backward',
            [dy, saved],
            packAttrs.image_transform_backward(attrs),
            { shape: x.shape, dtype: x.dtype },
            unsupportedSecondOrder(op, 'image_transform_backward'),
          ),
          null,
        ];
      },
    },
  );
  if (m !== given) m.dispose();
  return out;
}
