// TensorFlow.js's maxPoolWithArgmax: maxPool's result (and its gradient), with where each
// maximum came from as flat NHWC indices (an int32 tensor, no gradient).
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';
import { asOp } from './op_name';
import { pair, windowGeometry } from './padding';
import { maxPool } from './pooling';

/** What maxPoolWithArgmax returns. */
export interface MaxPoolWithArgmax {
  /** maxPool's result, [batch, outHeight, outWidth, channels]. */
  result: Tensor;
  /** Where each maximum is in x, ((b * height + y) * width + x) * channels + c (b only with includeBatchInIndex), int32. */
  indexes: Tensor;
}

/**
 * maxPool of NHWC x and the flat index of each maximum (the first, in window order, of
 * equal ones), as TensorFlow.js's maxPoolWithArgmax.
 * @example const { result, indexes } = maxPoolWithArgmax(x, 2, 2, 'valid');
 */
export function maxPoolWithArgmax(
  x: TensorLike,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same',
  includeBatchInIndex = false,
): MaxPoolWithArgmax {
  if (arguments.length > 5) throw tooManyArguments('maxPoolWithArgmax', 5, arguments.length);
  const op = 'maxPoolWithArgmax';
  if (typeof includeBatchInIndex !== 'boolean') throw new Error(`${op}: expected includeBatchInIndex to be a boolean, got ${describe(includeBatchInIndex)}`);
  return asOp(op, () => {
    const both = tidy(() => {
      const t = toTensor(op, 'x', x);
      const result = maxPool(t, filterSize, strides, pad);
      const [kh, kw] = pair(op, 'filterSize', filterSize);
      const [sh, sw] = pair(op, 'strides', strides);
      const [n, h, w, c] = t.shape;
      const gh = windowGeometry(op, h, kh, sh, 1, pad);
      const gw = windowGeometry(op, w, kw, sw, 1, pad);
      const data = t.dataSync();
      const out = allocTypedArray('int32', result.size, op);
      let k = 0;
      for (let b = 0; b < n; b++) {
        for (let oy = 0; oy < gh.out; oy++) {
          const y0 = oy * sh - gh.before;
          for (let ox = 0; ox < gw.out; ox++) {
            const x0 = ox * sw - gw.before;
            for (let d = 0; d < c; d++) {
              // Strictly greater: the first of equal maxima, and -1 where the window holds only NaN (TF.js's rule).
              let best = -Infinity;
              let at = -1;
              for (let y = Math.max(0, y0); y < Math.min(h, y0 + kh); y++) {
                for (let xx = Math.max(0, x0); xx < Math.min(w, x0 + kw); xx++) {
                  const v = data[((b * h + y) * w + xx) * c + d] as number;
                  if (v > best) {
                    best = v;
                    at = includeBatchInIndex ? ((b * h + y) * w + xx) * c + d : (y * w + xx) * c + d;
                  }
                }
              }
              out[k++] = at;
            }
          }
        }
      }
      return [result, fromTypedArray(out, [...result.shape], 'int32')];
    });
    return { result: both[0], indexes: both[1] };
  });
}
