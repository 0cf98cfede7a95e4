// TensorFlow.js's tf.image.cropAndResize (TensorFlow's CropAndResize): boxes of normalized
// [y1, x1, y2, x2] corners sampled at cropSize points with aligned corners, bilinear or
// nearest, extrapolationValue outside the image. The taps are gathered from the image and
// weighted, so the result is differentiable w.r.t. the image (the boxes are read as data).
import { tooManyArguments } from '../options/arity';
import { tensor, zeros, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { checkElementCount, describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { add, mul } from './binary';
import { cast } from './cast';
import { concat } from './concat';
import { checkInputDType, toTensor } from './convert';
import { gather } from './gather';
import { reshape } from './reshape';
import { sum } from './reduce';
import { everyEntry } from '../options/every_entry';

const OP = 'image.cropAndResize';
/** The most sampled points (boxes x height x width), so the tap index arrays stay under 4 GiB. */
const MAX_POINTS = 2 ** 28;

/**
 * Crops `boxes` ([numBoxes, 4] of normalized [y1, x1, y2, x2]; y1 > y2 flips) out of the
 * images `boxInd` names and resizes each to `cropSize` = [height, width], as TensorFlow.js:
 * [numBoxes, height, width, channels], float32 (float64 for float64 images).
 * @example ts.image.cropAndResize(images, [[0.1, 0.1, 0.6, 0.9]], [0], [32, 32])
 */
export function cropAndResize(
  image: TensorLike,
  boxes: TensorLike,
  boxInd: TensorLike,
  cropSize: [number, number],
  method: 'bilinear' | 'nearest' = 'bilinear',
  extrapolationValue = 0,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments(OP, 6, arguments.length);
  const x = toTensor(OP, 'image', image);
  checkInputDType(OP, 'image', x, ['float32', 'float64', 'int32']);
  if (x.rank !== 4) throw new Error(`${OP}: expected image of rank 4 ([batch, height, width, channels]), got shape [${x.shape.join(', ')}]`);
  const b = toTensor(OP, 'boxes', boxes, 'float32');
  checkInputDType(OP, 'boxes', b, ['float32', 'float64']);
  if (b.rank !== 2 || b.shape[1] !== 4) throw new Error(`${OP}: expected boxes of shape [numBoxes, 4], got [${b.shape.join(', ')}]`);
  const numBoxes = b.shape[0];
  const ind = toTensor(OP, 'boxInd', boxInd, 'int32');
  checkInputDType(OP, 'boxInd', ind, ['int32']);
  if (ind.rank !== 1 || ind.shape[0] !== numBoxes) throw new Error(`${OP}: expected boxInd of shape [${numBoxes}], got [${ind.shape.join(', ')}]`);
  if (!Array.isArray(cropSize) || cropSize.length !== 2 || !everyEntry(cropSize, (s) => Number.isInteger(s) && s >= 1))
    throw new Error(`${OP}: expected cropSize to be [height, width], two integers >= 1, got ${describe(cropSize)}`);
  if (method !== 'bilinear' && method !== 'nearest') throw new Error(`${OP}: expected method 'bilinear' or 'nearest', got ${describe(method)}`);
  if (typeof extrapolationValue !== 'number') throw new Error(`${OP}: expected extrapolationValue to be a number, got ${describe(extrapolationValue)}`);
  const [batch, h, w, c] = x.shape;
  const [ch, cw] = cropSize;
  checkElementCount(OP, [numBoxes, ch, cw, c], 'output shape');
  const points = numBoxes * ch * cw;
  if (points > MAX_POINTS) throw new Error(`${OP}: ${numBoxes} boxes of ${ch} x ${cw} points are ${points} points, more than 2^28`);
  const coords = b.dataSync();
  const owners = ind.dataSync();
  for (let i = 0; i < numBoxes; i++) {
    // TensorFlow.js leaves such a box's crop at 0 (or NaN); here it is an error.
    if (owners[i] < 0 || owners[i] >= batch) throw new Error(`${OP}: boxInd[${i}] = ${owners[i]} is not an image index in [0, ${batch})`);
    for (let k = 0; k < 4; k++) if (!Number.isFinite(coords[i * 4 + k])) throw new Error(`${OP}: box ${i} has a non-finite coordinate ${coords[i * 4 + k]}`);
  }
  const taps = method === 'bilinear' ? 4 : 1;
  const zero = batch * h * w; // the index of an all-zero pixel, read where the point is outside
  const index = new Int32Array(taps * points).fill(zero);
  const weight = new Float64Array(taps * points);
  const outside = new Float64Array(points);
  for (let n = 0; n < numBoxes; n++) {
    const [y1, x1, y2, x2] = [coords[n * 4], coords[n * 4 + 1], coords[n * 4 + 2], coords[n * 4 + 3]];
    const base = owners[n] * h * w;
    const yScale = ch > 1 ? ((y2 - y1) * (h - 1)) / (ch - 1) : 0;
    const xScale = cw > 1 ? ((x2 - x1) * (w - 1)) / (cw - 1) : 0;
    for (let i = 0; i < ch; i++) {
      const yIn = ch > 1 ? y1 * (h - 1) + i * yScale : 0.5 * (y1 + y2) * (h - 1);
      for (let j = 0; j < cw; j++) {
        const p = (n * ch + i) * cw + j;
        const xIn = cw > 1 ? x1 * (w - 1) + j * xScale : 0.5 * (x1 + x2) * (w - 1);
        if (yIn < 0 || yIn > h - 1 || xIn < 0 || xIn > w - 1) {
          outside[p] = 1;
          continue;
        }
        if (taps === 1) {
          index[p] = base + Math.round(yIn) * w + Math.round(xIn);
          weight[p] = 1;
          continue;
        }
        const [top, left] = [Math.floor(yIn), Math.floor(xIn)];
        const [bottom, right] = [Math.ceil(yIn), Math.ceil(xIn)];
        const [dy, dx] = [yIn - top, xIn - left];
        const corners = [
          [top, left, (1 - dy) * (1 - dx)],
          [top, right, (1 - dy) * dx],
          [bottom, left, dy * (1 - dx)],
          [bottom, right, dy * dx],
        ];
        corners.forEach(([r, col, wt], k) => {
          index[k * points + p] = base + r * w + col;
          weight[k * points + p] = wt;
        });
      }
    }
  }
  const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
  return tidy(() => {
    const pixels = reshape(x.dtype === dtype ? x : cast(x, dtype), [batch * h * w, c]);
    const flat = concat([pixels, zeros([1, c], dtype)], 0);
    const picked = reshape(gather(flat, tensor(index, [taps * points], 'int32'), 0), [taps, points, c]);
    const mixed = sum(mul(picked, tensor(weight, [taps, points, 1], dtype)), 0);
    const filled =
      extrapolationValue === 0
        ? mixed
        : add(
            mixed,
            tensor(
              outside.map((v) => v * extrapolationValue),
              [points, 1],
              dtype,
            ),
          );
    return reshape(filled, [numBoxes, ch, cw, c]);
  });
}
