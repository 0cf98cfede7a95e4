// TensorFlow.js's tf.image.rotateWithOffset: each output pixel reads the input pixel its
// position rotated about the centre rounds to (Math.round, as TF.js's kernels), or fillValue.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { mul } from './binary';
import { where } from './compare';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { gather } from './gather';
import { reshape } from './reshape';
import { everyEntry } from '../options/every_entry';

/**
 * Rotates NHWC images by `radians` about `center` (a fraction of the width and height, or
 * [x, y] fractions; default 0.5, the middle) as TF.js: output (x, y) reads the input pixel at
 * round(R (x - cx, y - cy) + (cx, cy)), cx = width * center[0]. Pixels from outside take
 * `fillValue`: a number, or [r, g, b] for channels 0-2 (channel 3 then takes 255, as TF.js).
 * Differentiable w.r.t. the image.
 * @example ts.image.rotateWithOffset(images, Math.PI / 2)
 */
export function rotateWithOffset(
  image: TensorLike,
  radians: number,
  fillValue: number | [number, number, number] = 0,
  center: number | [number, number] = 0.5,
): Tensor {
  if (arguments.length > 4) throw tooManyArguments('image.rotateWithOffset', 4, arguments.length);
  const op = 'image.rotateWithOffset';
  const x = toTensor(op, 'image', image);
  if (x.rank !== 4) throw new Error(`${op}: expected image of rank 4 (NHWC), got shape [${x.shape.join(', ')}]`);
  checkInputDType(op, 'image', x, FLOAT_DTYPES);
  if (typeof radians !== 'number' || !Number.isFinite(radians)) throw new Error(`${op}: expected radians a finite number, got ${describe(radians)}`);
  const [n, h, w, c] = x.shape;
  const isNumber = (v: unknown) => typeof v === 'number' && !Number.isNaN(v);
  let fills: number[];
  if (isNumber(fillValue)) fills = new Array<number>(c).fill(fillValue as number);
  else if (Array.isArray(fillValue) && fillValue.length === 3 && everyEntry(fillValue, isNumber)) {
    if (c > 4) throw new Error(`${op}: a per-channel fillValue [r, g, b] needs at most 4 channels, got ${c}`);
    fills = Array.from({ length: c }, (_, ch) => (ch === 3 ? 255 : fillValue[ch]));
  } else throw new Error(`${op}: expected fillValue a number or [r, g, b], got ${describe(fillValue)}`);
  let fraction: [number, number];
  if (typeof center === 'number' && Number.isFinite(center)) fraction = [center, center];
  else if (Array.isArray(center) && center.length === 2 && everyEntry(center, (v) => typeof v === 'number' && Number.isFinite(v)))
    fraction = [center[0], center[1]];
  else throw new Error(`${op}: expected center a finite number or [x, y] fractions, got ${describe(center)}`);
  // No pixels: nothing to rotate (nor a source map to build, however long the other sides).
  if (x.size === 0) return mul(x, 1);
  const [cx, cy] = [w * fraction[0], h * fraction[1]];
  const sin = Math.sin(radians),
    cos = Math.cos(radians);
  // The source pixel of each output pixel (same for every image and channel); -1: outside.
  const source = allocTypedArray('int32', h * w, op);
  const inside = allocTypedArray('bool', h * w, op);
  for (let y = 0; y < h; y++) {
    for (let col = 0; col < w; col++) {
      const sx = Math.round((col - cx) * cos - (y - cy) * sin + cx);
      const sy = Math.round((col - cx) * sin + (y - cy) * cos + cy);
      const ok = sx >= 0 && sx < w && sy >= 0 && sy < h;
      source[y * w + col] = ok ? sy * w + sx : 0;
      inside[y * w + col] = ok ? 1 : 0;
    }
  }
  return tidy(() => {
    const flat = reshape(x, [n, h * w, c]);
    const read = gather(flat, fromTypedArray(source, [h * w], 'int32', x.device), 1);
    const mask = fromTypedArray(inside, [1, h * w, 1], 'bool', x.device);
    const fill = fromTypedArray(
      allocTypedArray(x.dtype, c, op).map((_, ch) => fills[ch]),
      [1, 1, c],
      x.dtype,
      x.device,
    );
    return reshape(where(mask, read, fill), x.shape);
  });
}
