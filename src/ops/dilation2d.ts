// TensorFlow.js's dilation2d (grayscale morphological dilation), composed from existing
// ops so that its gradients are theirs: one strided view of the (-Infinity padded) input
// per filter tap plus that tap's filter value, stacked, and the first maximum taken through
// a one-hot mask, which routes the gradient to the first maximal tap as TensorFlow does.
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { add } from './binary';
import { stack } from './concat';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { oneHot } from './gather';
import { full } from './numpy_create';
import { asOp } from './op_name';
import { pad as padOp } from './pad';
import { checkPaddingName, pair, windowGeometry } from './padding';
import { argMax, sum } from './reduce';
import { reshape } from './reshape';
import { slice } from './slice';
import { stridedSlice } from './strided_slice';
import { where } from './compare';
import { cast } from './cast';

interface AxisTaps {
  out: number;
  /** The taps that reach the input from some output position, with their offsets. */
  taps: { index: number; offset: number }[];
  before: number;
  after: number;
}

// Taps that land in the padding from every output position never win the maximum and
// are skipped; so the padding stays within the input's reach even when a huge dilation
// makes 'same' padding huge.
function axisTaps(op: string, size: number, kernel: number, stride: number, rate: number, padding: 'valid' | 'same'): AxisTaps {
  const g = windowGeometry(op, size, kernel, stride, rate, padding);
  const last = (g.out - 1) * stride;
  const taps: AxisTaps['taps'] = [];
  let before = 0;
  let after = 0;
  for (let k = 0; k < kernel; k++) {
    const offset = k * rate - g.before;
    if (offset + last < 0 || offset >= size) continue;
    taps.push({ index: k, offset });
    before = Math.max(before, -offset);
    after = Math.max(after, offset + last - (size - 1));
  }
  return { out: g.out, taps, before, after };
}

/**
 * Grayscale dilation of NHWC images (rank 4, or rank 3 without the batch) by a
 * [filterHeight, filterWidth, depth] structuring function, as TensorFlow.js's dilation2d:
 * `out[b, y, x, c] = max over (i, j) of x[b, y*sh + i*dh - padTop, x*sw + j*dw - padLeft, c] + filter[i, j, c]`.
 * A window that holds no input pixel gives -Infinity (TensorFlow.js: -2^53).
 * @example dilation2d(x, filter, 1, 'same', [2, 2])
 */
export function dilation2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | [number, number],
  pad: 'valid' | 'same',
  dilations: number | [number, number] = 1,
  dataFormat: 'NHWC' = 'NHWC',
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('dilation2d', 6, arguments.length);
  const op = 'dilation2d';
  if (dataFormat !== 'NHWC') throw new Error(`${op}: expected dataFormat 'NHWC' (the only one TensorFlow.js supports), got ${describe(dataFormat)}`);
  const padding = checkPaddingName(op, pad);
  const step = pair(op, 'strides', strides);
  const rate = pair(op, 'dilations', dilations ?? 1);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const f = toTensor(op, 'filter', filter);
      checkInputDType(op, 'x', t, FLOAT_DTYPES);
      if (t.rank !== 3 && t.rank !== 4) throw new Error(`${op}: expected x of rank 3 or 4 (NHWC), got shape [${t.shape.join(', ')}]`);
      if (f.rank !== 3) throw new Error(`${op}: expected filter of rank 3 ([filterHeight, filterWidth, depth]), got shape [${f.shape.join(', ')}]`);
      if (f.dtype !== t.dtype) throw new Error(`${op}: expected filter of x's dtype ${t.dtype}, got ${f.dtype}`);
      const x4 = t.rank === 3 ? reshape(t, [1, ...t.shape]) : t;
      const [n, h, w, c] = x4.shape;
      const [fh, fw, fc] = f.shape;
      if (fc !== c) throw new Error(`${op}: expected filter depth ${c} (x's channels), got filter shape [${f.shape.join(', ')}]`);
      if (fh === 0 || fw === 0) throw new Error(`${op}: expected a filter of at least one tap in height and width, got filter shape [${f.shape.join(', ')}]`);
      const outShape = [n, windowGeometry(op, h, fh, step[0], rate[0], padding).out, windowGeometry(op, w, fw, step[1], rate[1], padding).out, c];
      // Nothing to pool (and no tap loop over a huge empty filter's dimension).
      if (outShape.includes(0)) return full(t.rank === 3 ? outShape.slice(1) : outShape, 0, t.dtype);
      const rows = axisTaps(op, h, fh, step[0], rate[0], padding);
      const cols = axisTaps(op, w, fw, step[1], rate[1], padding);
      let y: Tensor;
      if (rows.taps.length === 0 || cols.taps.length === 0) y = full(outShape, -Infinity, t.dtype);
      else {
        const xp = padOp(
          x4,
          [
            [0, 0],
            [rows.before, rows.after],
            [cols.before, cols.after],
            [0, 0],
          ],
          -Infinity,
        );
        const taps: Tensor[] = [];
        for (const r of rows.taps) {
          for (const q of cols.taps) {
            const r0 = r.offset + rows.before;
            const c0 = q.offset + cols.before;
            const view = stridedSlice(
              xp,
              [0, r0, c0, 0],
              [n, r0 + (rows.out - 1) * step[0] + 1, c0 + (cols.out - 1) * step[1] + 1, c],
              [1, step[0], step[1], 1],
            );
            taps.push(add(view, reshape(slice(f, [r.index, q.index, 0], [1, 1, c]), [c])));
          }
        }
        // Row-major tap order and argMax's first index: the first maximum in TensorFlow's scan order.
        const all = taps.length === 1 ? reshape(taps[0], [...outShape, 1]) : stack(taps, 4);
        const first = cast(oneHot(argMax(all, 4), taps.length), 'bool');
        y = sum(where(first, all, full(all.shape, 0, all.dtype)), 4);
      }
      return t.rank === 3 ? reshape(y, y.shape.slice(1)) : y;
    }),
  );
}
