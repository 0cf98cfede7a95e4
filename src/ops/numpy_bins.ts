// keras.ops (NumPy) binning, computed on the host (counts and indices have no gradient):
// digitize and histogram.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { everyEntry } from '../options/every_entry';

/**
 * The index of the bin each x falls in (int32, x's shape), as NumPy's digitize with
 * right=false: i with bins[i-1] <= x < bins[i] for increasing bins (bins[i-1] > x >= bins[i]
 * for decreasing ones); 0 below the first edge, bins.length past the last; NaN goes past
 * the largest edge.
 */
export function digitize(x: TensorLike, bins: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('digitize', 2, arguments.length);
  const op = 'digitize';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, NUMERIC_DTYPES);
      const b = toTensor(op, 'bins', bins, 'float64');
      checkInputDType(op, 'bins', b, NUMERIC_DTYPES);
      if (b.rank !== 1) throw new Error(`${op}: expected bins to be a vector, got shape [${b.shape.join(', ')}]`);
      const edges = Array.from(b.dataSync() as ArrayLike<number>);
      const up = edges.every((v, i) => i === 0 || v >= edges[i - 1]);
      const down = edges.every((v, i) => i === 0 || v <= edges[i - 1]);
      if (edges.some(Number.isNaN) || (!up && !down))
        throw new Error(`${op}: expected bins to be monotonic (increasing or decreasing), got [${edges.join(', ')}]`);
      const values = t.dataSync() as ArrayLike<number>;
      const out = allocTypedArray('int32', values.length, op);
      for (let i = 0; i < values.length; i++) out[i] = binOf(values[i], edges, up);
      return fromTypedArray(out, [...t.shape], 'int32', t.device);
    }),
  );
}

// How many edges lie at or below v (increasing), or above v (decreasing), by bisection.
function binOf(v: number, edges: number[], up: boolean): number {
  if (Number.isNaN(v)) return up ? edges.length : 0;
  let [lo, hi] = [0, edges.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (up ? edges[mid] <= v : edges[mid] > v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Counts of the values of x (all of it) in `bins` equal-width bins over `range` (default:
 * x's min and max; a value-less range widens by 0.5 each way), as NumPy's histogram:
 * [counts (int32), edges (bins + 1, float of x's dtype or float32)]. Each bin holds its left
 * edge, the last its right edge too; values outside the range (and NaN, given a range) are
 * not counted.
 */
export function histogram(x: TensorLike, bins = 10, range: [number, number] | null = null): [Tensor, Tensor] {
  if (arguments.length > 3) throw tooManyArguments('histogram', 3, arguments.length);
  const op = 'histogram';
  if (!Number.isInteger(bins) || bins < 1 || bins > 2 ** 31 - 2) throw new Error(`${op}: expected bins to be a positive integer, got ${describe(bins)}`);
  if (
    range !== null &&
    !(Array.isArray(range) && range.length === 2 && everyEntry(range, (v) => typeof v === 'number' && Number.isFinite(v)) && range[0] <= range[1])
  )
    throw new Error(`${op}: expected range to be null or [lower, upper] finite numbers with lower <= upper, got ${describe(range)}`);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, NUMERIC_DTYPES);
      const values = t.dataSync() as ArrayLike<number>;
      let [lo, hi] = range ?? extent(op, values);
      if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
      const edges = allocTypedArray('float64', bins + 1, op);
      for (let i = 0; i <= bins; i++) edges[i] = lo + ((hi - lo) * i) / bins;
      edges[bins] = hi;
      const counts = allocTypedArray('int32', bins, op);
      for (let k = 0; k < values.length; k++) {
        const v = values[k];
        if (!(v >= lo && v <= hi)) continue;
        let i = Math.min(Math.floor(((v - lo) / (hi - lo)) * bins), bins - 1);
        // The division can land one bin off the edges' own rounding, as NumPy corrects.
        if (v < edges[i]) i--;
        else if (i < bins - 1 && v >= edges[i + 1]) i++;
        counts[i]++;
      }
      const dtype = t.dtype === 'float64' ? 'float64' : 'float32';
      return [
        fromTypedArray(counts, [bins], 'int32', t.device),
        fromTypedArray(dtype === 'float64' ? edges : Float32Array.from(edges), [bins + 1], dtype, t.device),
      ] as [Tensor, Tensor];
    }),
  );
}

function extent(op: string, values: ArrayLike<number>): [number, number] {
  if (values.length === 0) return [0, 1];
  let [lo, hi] = [Infinity, -Infinity];
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`${op}: x holds ${values[i]}, so the range cannot be found from it; give range`);
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  return [lo, hi];
}
