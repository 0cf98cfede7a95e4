// TensorFlow.js's image.rotateWithOffset, composed: image.transform with nearest sampling
// by the rotation about the center, and, for a per-channel fill, a transformed mask of the
// pixels that land inside the image.
import { tooManyArguments } from '../options/arity';
import { tensor, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { greater, where } from './compare';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { transform } from './image_transform';
import { full } from './numpy_create';
import { asOp } from './op_name';

/**
 * Rotates NHWC images by `radians` about `center` (a fraction of the width and height, or
 * [x, y] fractions; default the middle), as TensorFlow.js's image.rotateWithOffset: each
 * output pixel takes the nearest input pixel, pixels from outside the image take fillValue,
 * one number or [r, g, b] (then a 4th channel, alpha, takes 255, as TensorFlow.js).
 * @example rotateWithOffset(images, Math.PI / 6, 0, [0.25, 0.5])
 */
export function rotateWithOffset(
  image: TensorLike,
  radians: number,
  fillValue: number | [number, number, number] = 0,
  center: number | [number, number] = 0.5,
): Tensor {
  if (arguments.length > 4) throw tooManyArguments('image.rotateWithOffset', 4, arguments.length);
  const op = 'image.rotateWithOffset';
  if (typeof radians !== 'number' || !Number.isFinite(radians)) throw new Error(`${op}: expected radians a finite number, got ${describe(radians)}`);
  const c = typeof center === 'number' ? [center, center] : center;
  if (!Array.isArray(c) || c.length !== 2 || !c.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`${op}: expected center a number or [x, y] (fractions of the width and height), got ${describe(center)}`);
  }
  const fill = fillValue ?? 0;
  if (typeof fill !== 'number' && !(Array.isArray(fill) && fill.length === 3 && fill.every((v) => typeof v === 'number'))) {
    throw new Error(`${op}: expected fillValue a number or [r, g, b], got ${describe(fillValue)}`);
  }
  return asOp(op, () =>
    tidy(() => {
      const x = toTensor(op, 'image', image);
      checkInputDType(op, 'image', x, FLOAT_DTYPES);
      if (x.rank !== 4) throw new Error(`${op}: expected image of rank 4 (NHWC), got shape [${x.shape.join(', ')}]`);
      const [, h, w, channels] = x.shape;
      const [cx, cy] = [w * c[0], h * c[1]];
      const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
      // Output (x, y) reads the input at the point rotated about (cx, cy).
      const m = tensor([[cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy, 0, 0]], [1, 8], 'float64');
      if (typeof fill === 'number') return transform(x, m, { interpolation: 'nearest', fillMode: 'constant', fillValue: fill });
      if (channels !== 3 && channels !== 4) throw new Error(`${op}: an [r, g, b] fillValue takes images of 3 or 4 channels, got shape [${x.shape.join(', ')}]`);
      const inside = greater(transform(full([1, h, w, 1], 1, x.dtype), m, { outputShape: [h, w], fillValue: 0 }), 0.5);
      const perChannel = tensor(channels === 4 ? [...fill, 255] : fill, [channels], x.dtype);
      return where(inside, transform(x, m), perChannel);
    }),
  );
}
