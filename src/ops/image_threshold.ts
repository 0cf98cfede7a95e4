// TensorFlow.js's tf.image.threshold: binarises an image [height, width, 1 or 3] (0-255
// range) to int32 0 / 255 against a fixed threshold or Otsu's. Computed on the host in
// float32 steps as TF.js's ops compute it, so the pixels at the threshold agree.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { checkInputDType, toTensor } from './convert';

const f = Math.fround;

/** Round half to even, as TF.js's round. */
function roundEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Otsu's threshold of a 256-bin histogram: the bin index maximising the between-class variance (-1 when none). */
function otsu(histogram: Float64Array, total: number): number {
  let best = -1,
    bestVariance = 0;
  for (let index = 0; index < histogram.length - 1; index++) {
    let n1 = 0,
      s1 = 0,
      n2 = 0,
      s2 = 0;
    for (let i = 0; i <= index; i++) {
      n1 += histogram[i];
      s1 = f(s1 + f(histogram[i] * i));
    }
    for (let i = index + 1; i < histogram.length; i++) {
      n2 += histogram[i];
      s2 = f(s2 + f(histogram[i] * i));
    }
    const wF = f(n1 / total),
      wB = f(n2 / total);
    const d = f(f(s1 / n1) - f(s2 / n2));
    const variance = f(f(f(wF * wB) * d) * d);
    if (variance > bestVariance) {
      bestVariance = variance;
      best = index;
    }
  }
  return best;
}

/**
 * Binarises `image` [height, width, 1 or 3] (int32 or float32, 0-255) to int32 255 where its
 * grayscale (0.2989 R + 0.587 G + 0.114 B) exceeds threshValue * 255 ('binary') or Otsu's
 * threshold ('otsu'), 0 elsewhere; `inverted` swaps them. Result [height, width, 1].
 */
export function threshold(image: TensorLike, method: 'binary' | 'otsu' = 'binary', inverted = false, threshValue = 0.5): Tensor {
  if (arguments.length > 4) throw tooManyArguments('image.threshold', 4, arguments.length);
  const op = 'image.threshold';
  const t = toTensor(op, 'image', image);
  checkInputDType(op, 'image', t, ['int32', 'float32']);
  if (t.rank !== 3 || (t.shape[2] !== 1 && t.shape[2] !== 3))
    throw new Error(`${op}: expected image of shape [height, width, 1 or 3], got shape [${t.shape.join(', ')}]`);
  if (method !== 'binary' && method !== 'otsu') throw new Error(`${op}: expected method 'binary' or 'otsu', got ${describe(method)}`);
  if (typeof inverted !== 'boolean') throw new Error(`${op}: expected inverted to be true or false, got ${describe(inverted)}`);
  if (typeof threshValue !== 'number' || Number.isNaN(threshValue)) throw new Error(`${op}: expected threshValue to be a number, got ${describe(threshValue)}`);
  const [height, width, channels] = t.shape;
  const pixels = height * width;
  const data = t.dataSync();
  const gray = allocTypedArray('float32', pixels, op);
  for (let p = 0; p < pixels; p++) {
    const c = p * channels;
    gray[p] = channels === 1 ? data[c] : f(f(f(data[c] * f(0.2989)) + f(data[c + 1] * f(0.587))) + f(data[c + 2] * f(0.114)));
  }
  let limit = f(threshValue * 255);
  if (method === 'otsu') {
    const histogram = new Float64Array(256);
    for (const g of gray) {
      const bin = roundEven(g);
      if (bin >= 0 && bin < 256) histogram[bin]++;
    }
    limit = otsu(histogram, pixels);
  }
  const out = allocTypedArray('int32', pixels, op);
  for (let p = 0; p < pixels; p++) out[p] = (inverted ? gray[p] <= limit : gray[p] > limit) ? 255 : 0;
  return fromTypedArray(out, [height, width, 1], 'int32', t.device);
}
