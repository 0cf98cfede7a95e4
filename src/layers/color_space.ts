// Colour helpers of the colour augmentation layers: RGB <-> HSV as Keras 3 computes them
// (dm_pix's formulas, hue in [0, 1)), and the affine map between value ranges. Channels-last
// images [batch, height, width, 3]; compositions of ops, on the images' device.
import { add, div, maximum, minimum, mul, sub } from '../ops/binary';
import { cast } from '../ops/cast';
import { clipByValue } from '../ops/clip';
import { equal, greater, less, where } from '../ops/compare';
import { concat } from '../ops/concat';
import { mod } from '../ops/floor_mod';
import { slice } from '../ops/slice';
import { abs } from '../ops/unary';
import type { Tensor } from '../tensor/tensor';

/** The three planes [batch, height, width, 1] of channels-last images. */
export function planes(images: Tensor): [Tensor, Tensor, Tensor] {
  const plane = (c: number) => slice(images, [0, 0, 0, c], [-1, -1, -1, 1]);
  return [plane(0), plane(1), plane(2)];
}

/** RGB images as HSV, each in [0, 1] for RGB in [0, 1] (hue, saturation, value = max channel). */
export function rgbToHsv(images: Tensor): Tensor {
  // Keras zeroes values within float epsilon of 0 first.
  const eps = images.dtype === 'float64' ? 2 ** -52 : 2 ** -23;
  const [r, g, b] = planes(where(less(abs(images), eps), 0, images));
  const value = maximum(maximum(r, g), b);
  const range = sub(value, minimum(minimum(r, g), b));
  const positiveValue = greater(value, 0),
    positiveRange = greater(range, 0);
  const saturation = where(positiveValue, div(range, where(positiveValue, value, 1)), 0);
  const norm = div(1, mul(6, where(positiveRange, range, 1)));
  let hue = where(equal(value, g), add(mul(norm, sub(b, r)), 2 / 6), add(mul(norm, sub(r, g)), 4 / 6));
  hue = where(equal(value, r), mul(norm, sub(g, b)), hue);
  hue = add(where(positiveRange, hue, 0), cast(less(hue, 0), hue.dtype));
  return concat([hue, saturation, value], 3);
}

/** HSV images (hue taken modulo 1) as RGB. */
export function hsvToRgb(images: Tensor): Tensor {
  const [hue, saturation, value] = planes(images);
  const dh = mul(mod(hue, 1), 6);
  const rising = (centre: number) => clipByValue(sub(2, abs(sub(dh, centre))), 0, 1);
  const dr = clipByValue(sub(abs(sub(dh, 3)), 1), 0, 1);
  const oneMinusS = sub(1, saturation);
  const channel = (d: Tensor) => mul(value, add(oneMinusS, mul(saturation, d)));
  return concat([channel(dr), channel(rising(2)), channel(rising(4))], 3);
}

/** Images mapped affinely from the range `from` to the range `to` (unchanged when they agree). */
export function mapValueRange(images: Tensor, from: readonly [number, number], to: readonly [number, number]): Tensor {
  if (from[0] === to[0] && from[1] === to[1]) return images;
  const unit = div(sub(images, from[0]), from[1] - from[0]);
  return add(mul(unit, to[1] - to[0]), to[0]);
}
