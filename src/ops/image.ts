// Image resize ops, TensorFlow.js's tf.image.resizeBilinear / resizeNearestNeighbor:
// NHWC images of rank 4 (or one image of rank 3), float32 or float64, differentiable.
import { type TensorLike } from '../tensor/creation';
import { runKernel1 } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { packAttrs } from '../native/op_attrs';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { reshape } from './reshape';
import { opOptions } from './op_options';
import { unsupportedSecondOrder } from './second_order';
import { everyEntry } from '../options/every_entry';

/** Options of the resize ops (TensorFlow.js's positional alignCorners, halfPixelCenters). */
export interface ResizeOptions {
  /** Corner pixels of input and output line up (scale (in - 1) / (out - 1)); default false. */
  alignCorners?: boolean;
  /** Pixel centres at +0.5, as Keras's Resizing layer, PIL and PyTorch's align_corners=False; default false (TF.js). */
  halfPixelCenters?: boolean;
}

const POSITIONAL = ['alignCorners', 'halfPixelCenters'];

function resize(op: string, kernel: 'resize_bilinear' | 'resize_nearest', images: TensorLike, size: [number, number], options: ResizeOptions): Tensor {
  const x = toTensor(op, 'images', images);
  checkInputDType(op, 'images', x, FLOAT_DTYPES);
  if (x.rank !== 3 && x.rank !== 4) throw new Error(`${op}: expected images of rank 3 ([h, w, c]) or 4 ([n, h, w, c]), got shape [${x.shape.join(', ')}]`);
  if (!Array.isArray(size) || size.length !== 2 || !everyEntry(size, (s) => Number.isInteger(s) && s >= 0)) {
    throw new Error(`${op}: expected size to be [newHeight, newWidth], two integers >= 0, got ${describe(size)}`);
  }
  const alignCorners = flag(op, 'alignCorners', options.alignCorners);
  const halfPixelCenters = flag(op, 'halfPixelCenters', options.halfPixelCenters);
  if (alignCorners && halfPixelCenters) throw new Error(`${op}: alignCorners and halfPixelCenters cannot both be true`);
  const batched = x.rank === 4 ? x : reshape(x, [1, ...x.shape]);
  const [n, h, w, c] = batched.shape;
  if ((h === 0 || w === 0) && size[0] * size[1] > 0)
    throw new Error(`${op}: cannot resize an empty image of shape [${x.shape.join(', ')}] to [${size.join(', ')}]`);
  const attrs = { alignCorners, halfPixelCenters };
  const bilinear = kernel === 'resize_bilinear';
  const forwardAttrs = bilinear ? packAttrs.resize_bilinear(attrs) : packAttrs.resize_nearest(attrs);
  const y = runKernel1(
    op,
    kernel,
    [batched],
    forwardAttrs,
    { shape: [n, size[0], size[1], c], dtype: x.dtype },
    {
      save: [],
      grad: ([dy]) => [
        bilinear
          ? runKernel1(
              op,
              'resize_bilinear_backward',
              [dy],
              packAttrs.resize_bilinear_backward(attrs),
              { shape: batched.shape, dtype: x.dtype },
              unsupportedSecondOrder(op, 'resize_bilinear_backward'),
            )
          : runKernel1(
              op,
              'resize_nearest_backward',
              [dy],
              packAttrs.resize_nearest_backward(attrs),
              { shape: batched.shape, dtype: x.dtype },
              unsupportedSecondOrder(op, 'resize_nearest_backward'),
            ),
      ],
    },
  );
  if (x.rank === 4) return y;
  batched.dispose();
  const out = reshape(y, y.shape.slice(1));
  y.dispose();
  return out;
}

function flag(op: string, name: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new Error(`${op}: expected ${name} to be a boolean, got ${describe(v)}`);
  return v;
}

/**
 * Resizes NHWC images by bilinear interpolation to `size` = [newHeight, newWidth]. Options
 * as an object or TensorFlow.js's positional `(images, size, alignCorners, halfPixelCenters)`.
 */
export function resizeBilinear(images: TensorLike, size: [number, number], options?: ResizeOptions | null): Tensor;
export function resizeBilinear(images: TensorLike, size: [number, number], alignCorners?: boolean, halfPixelCenters?: boolean): Tensor;
export function resizeBilinear(images: TensorLike, size: [number, number], first?: ResizeOptions | boolean | null, ...rest: unknown[]): Tensor {
  return resize('image.resizeBilinear', 'resize_bilinear', images, size, opOptions('image.resizeBilinear', first, rest, POSITIONAL));
}

/** Resizes NHWC images to the nearest source pixel; options as resizeBilinear's. */
export function resizeNearestNeighbor(images: TensorLike, size: [number, number], options?: ResizeOptions | null): Tensor;
export function resizeNearestNeighbor(images: TensorLike, size: [number, number], alignCorners?: boolean, halfPixelCenters?: boolean): Tensor;
export function resizeNearestNeighbor(images: TensorLike, size: [number, number], first?: ResizeOptions | boolean | null, ...rest: unknown[]): Tensor {
  return resize('image.resizeNearestNeighbor', 'resize_nearest', images, size, opOptions('image.resizeNearestNeighbor', first, rest, POSITIONAL));
}
