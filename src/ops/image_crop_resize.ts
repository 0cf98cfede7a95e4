// TensorFlow.js's image.cropAndResize, composed: each box's image (gathered by boxInd) is
// sampled by image.transform on an axis-aligned grid, with clamped edges so that points
// inside the image interpolate as TensorFlow does, and the grid rows / columns outside
// the image then take extrapolationValue. Differentiable w.r.t. the image (as transform).
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray, type TypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe, quoted } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { logicalAnd, where } from './compare';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { gather } from './gather';
import { full } from './numpy_create';
import { asOp } from './op_name';
import { pair } from './padding';
import { reshape } from './reshape';
import { transform } from './image_transform';

// The grid of a crop of `crop` points from a to b (normalized) over `size` pixels: point i
// reads pixel start + i * step; `inside` (from `at` on) gets 1 where that lies in the image.
function gridAxis(a: number, b: number, size: number, crop: number, inside: TypedArray, at: number): { start: number; step: number } {
  const step = crop > 1 ? ((b - a) * (size - 1)) / (crop - 1) : 0;
  const start = crop > 1 ? a * (size - 1) : 0.5 * (a + b) * (size - 1);
  for (let i = 0; i < crop; i++) {
    const p = start + i * step;
    inside[at + i] = p >= 0 && p <= size - 1 ? 1 : 0;
  }
  return { start, step };
}

/**
 * Crops boxes out of images and resizes them to `cropSize`, as TensorFlow.js's
 * image.cropAndResize: image [batch, height, width, depth], boxes [numBoxes, 4] of
 * normalized [y1, x1, y2, x2] (y1 > y2 flips), boxInd [numBoxes] int32 (each box's image);
 * points outside the image take extrapolationValue. Returns [numBoxes, cropHeight, cropWidth, depth].
 * @example cropAndResize(images, [[0, 0, 0.5, 0.5]], [0], [32, 32])
 */
export function cropAndResize(
  image: TensorLike,
  boxes: TensorLike,
  boxInd: TensorLike,
  cropSize: [number, number],
  method: 'bilinear' | 'nearest' = 'bilinear',
  extrapolationValue = 0,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('image.cropAndResize', 6, arguments.length);
  const op = 'image.cropAndResize';
  if (method !== 'bilinear' && method !== 'nearest') throw new Error(`${op}: expected method 'bilinear' or 'nearest', got ${quoted(method)}`);
  if (typeof extrapolationValue !== 'number') throw new Error(`${op}: expected extrapolationValue a number, got ${describe(extrapolationValue)}`);
  if (!Array.isArray(cropSize)) throw new Error(`${op}: expected cropSize [height, width] of positive integers, got ${describe(cropSize)}`);
  const [ch, cw] = pair(op, 'cropSize', cropSize);
  return asOp(op, () =>
    tidy(() => {
      const x = toTensor(op, 'image', image);
      const b = toTensor(op, 'boxes', boxes);
      const ind = toTensor(op, 'boxInd', boxInd, 'int32');
      checkInputDType(op, 'image', x, FLOAT_DTYPES);
      checkInputDType(op, 'boxes', b, FLOAT_DTYPES);
      checkInputDType(op, 'boxInd', ind, ['int32']);
      if (x.rank !== 4) throw new Error(`${op}: expected image of rank 4 ([batch, height, width, depth]), got shape [${x.shape.join(', ')}]`);
      if (b.rank !== 2 || b.shape[1] !== 4) throw new Error(`${op}: expected boxes of shape [numBoxes, 4], got [${b.shape.join(', ')}]`);
      const count = b.shape[0];
      if (ind.rank !== 1 || ind.shape[0] !== count) throw new Error(`${op}: expected boxInd of shape [${count}] (one per box), got [${ind.shape.join(', ')}]`);
      const [batch, h, w, depth] = x.shape;
      const which = ind.dataSync();
      which.forEach((v, i) => {
        if (v < 0 || v >= batch) throw new Error(`${op}: expected boxInd values in [0, ${batch}) (the batch), got ${v} at ${i}`);
      });
      if (count === 0) return full([0, ch, cw, depth], 0, x.dtype);
      const corners = b.dataSync();
      // Checked sizes: a hostile cropSize is a clear error before any work.
      const rows = allocTypedArray('bool', count * ch, op);
      const cols = allocTypedArray('bool', count * cw, op);
      const m = allocTypedArray('float64', count * 8, op);
      for (let k = 0; k < count; k++) {
        const [y1, x1, y2, x2] = corners.subarray(4 * k, 4 * k + 4);
        const gy = gridAxis(y1, y2, h, ch, rows, k * ch);
        const gx = gridAxis(x1, x2, w, cw, cols, k * cw);
        // Output (x, y) reads the input at (step_x * x + start_x, step_y * y + start_y).
        m.set([gx.step, 0, gx.start, 0, gy.step, gy.start, 0, 0], 8 * k);
      }
      const sampled = transform(gather(x, ind, 0), fromTypedArray(m, [count, 8], 'float64'), {
        interpolation: method,
        fillMode: 'nearest',
        outputShape: [ch, cw],
      });
      const rowMask = reshape(fromTypedArray(rows, [count, ch], 'bool'), [count, ch, 1, 1]);
      const colMask = reshape(fromTypedArray(cols, [count, cw], 'bool'), [count, 1, cw, 1]);
      return where(logicalAnd(rowMask, colMask), sampled, full([1], extrapolationValue, x.dtype));
    }),
  );
}
