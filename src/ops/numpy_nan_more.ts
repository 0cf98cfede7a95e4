// keras.ops (NumPy) NaN-ignoring ops beyond numpy_stats.ts: nancumsum, nancumprod,
// nanargmax, nanargmin, nanmedian, nanquantile and nanpercentile. NaN is replaced by the
// operation's identity (or sorted aside), so gradients reach the other elements.
import { tooManyArguments } from '../options/arity';
import { checkBoolean } from '../options/check_args';
import { type TensorLike } from '../tensor/creation';
import { isFloatDType, type DType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, maximum, minimum, mul, sub } from './binary';
import { cast } from './cast';
import { equal, logicalNot, where } from './compare';
import { stack } from './concat';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { all } from './logical_reduce';
import { takeAlongAxis } from './numpy_index';
import { asOp } from './op_name';
import { argMax, argMin, cumsum, sum } from './reduce';
import { expandDims, reshape, squeeze } from './reshape';
import { cumprod } from './tfjs_grid';
import { ceil, floor, isNaN, round } from './unary';
import type { QuantileMethod } from './numpy_quantile';
import { quantileRows } from './quantile_rows';

type Axis = number | number[] | null;

// x (flattened when axis is null) with NaN replaced by `identity`, in `dtype` when given.
function filledAlong(op: string, x: TensorLike, axis: number | null, dtype: DType | null, identity: number): [Tensor, number] {
  if (dtype !== null && !['float32', 'float64', 'int32'].includes(dtype))
    throw new Error(`${op}: expected dtype float32, float64, int32 or null, got ${describe(dtype)}`);
  let t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, [...NUMERIC_DTYPES, 'bool']);
  if (t.dtype === 'bool') t = cast(t, 'int32');
  if (axis === null || axis === undefined) t = reshape(t, [-1]);
  const a = normalizeAxis(op, axis ?? 0, t.rank);
  const filled = isFloatDType(t.dtype) ? where(isNaN(t), identity, t) : t;
  return [dtype === null ? filled : cast(filled, dtype), a];
}

/** The cumulative sum along `axis` (of the flattened x when null), NaN counted as 0. */
export function nancumsum(x: TensorLike, axis: number | null = null, dtype: DType | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nancumsum', 3, arguments.length);
  return asOp('nancumsum', () =>
    tidy(() => {
      const [t, a] = filledAlong('nancumsum', x, axis, dtype, 0);
      return cumsum(t, a);
    }),
  );
}

/** The cumulative product along `axis` (of the flattened x when null), NaN counted as 1. */
export function nancumprod(x: TensorLike, axis: number | null = null, dtype: DType | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nancumprod', 3, arguments.length);
  return asOp('nancumprod', () =>
    tidy(() => {
      const [t, a] = filledAlong('nancumprod', x, axis, dtype, 1);
      return cumprod(t, a);
    }),
  );
}

function nanArg(op: string, x: TensorLike, axis: number | null, keepdims: boolean, largest: boolean): Tensor {
  checkBoolean(op, 'keepdims', keepdims);
  return asOp(op, () =>
    tidy(() => {
      let t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, [...NUMERIC_DTYPES, 'bool']);
      if (t.dtype === 'bool') t = cast(t, 'int32');
      const flat = axis === null || axis === undefined;
      const src = flat ? reshape(t, [-1]) : t;
      const a = normalizeAxis(op, flat ? 0 : axis, src.rank);
      if (src.shape[a] === 0) throw new Error(`${op}: cannot reduce an axis of size 0 (shape [${t.shape.join(', ')}])`);
      let i: Tensor;
      if (isFloatDType(src.dtype)) {
        const nan = isNaN(src);
        i = (largest ? argMax : argMin)(where(nan, largest ? -Infinity : Infinity, src), a);
        // An all-NaN slice has no answer: -1, as JAX's (NumPy raises).
        i = where(all(nan, a), -1, i);
      } else i = (largest ? argMax : argMin)(src, a);
      if (!keepdims) return i;
      return flat
        ? reshape(
            i,
            t.shape.map(() => 1),
          )
        : expandDims(i, a);
    }),
  );
}

/** The index of the largest non-NaN value along `axis` (of the flattened x when null); -1 for an all-NaN slice (JAX's). */
export function nanargmax(x: TensorLike, axis: number | null = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nanargmax', 3, arguments.length);
  return nanArg('nanargmax', x, axis, keepdims, true);
}

/** The index of the smallest non-NaN value along `axis` (of the flattened x when null); -1 for an all-NaN slice (JAX's). */
export function nanargmin(x: TensorLike, axis: number | null = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nanargmin', 3, arguments.length);
  return nanArg('nanargmin', x, axis, keepdims, false);
}

// Quantiles of the non-NaN values of each reduced slice: sorted descending by topk (NaN
// first), the m values of a slice hold the last m places, so its k-th smallest is at n - 1 - k.
function nanQuantiles(op: string, x: TensorLike, q: TensorLike, axis: Axis, method: QuantileMethod, keepdims: boolean, scale: number): Tensor {
  const { qt, qs, n, rows, desc, outShape } = quantileRows(op, x, q, axis, method, keepdims, scale);
  const m = sum(cast(logicalNot(isNaN(rows)), 'float64'), -1, true);
  const at = (k: Tensor) => takeAlongAxis(desc, cast(minimum(maximum(sub(n - 1, k), 0), n - 1), 'int32'), -1);
  const none = equal(m, 0);
  const one = (p: number) => {
    const pos = mul(sub(m, 1), p);
    const [lo, hi] = [floor(pos), ceil(pos)];
    let v: Tensor;
    if (method === 'lower') v = at(lo);
    else if (method === 'higher') v = at(hi);
    // round is half to even, as NumPy's 'nearest'.
    else if (method === 'nearest') v = at(round(pos));
    else if (method === 'midpoint') v = mul(add(at(lo), at(hi)), 0.5);
    else v = add(at(lo), mul(sub(at(hi), at(lo)), cast(sub(pos, lo), desc.dtype)));
    return reshape(squeeze(where(none, NaN, v), [-1]), outShape);
  };
  return qt.rank === 0 ? one(qs[0]) : stack(qs.map(one), 0);
}

/**
 * The q-th quantiles (q in [0, 1], a number or a vector) of the non-NaN values of x over
 * `axis` (all axes when null), as quantile's `method`; NaN where a slice is all NaN.
 * Gradients reach the selected elements.
 */
export function nanquantile(x: TensorLike, q: TensorLike, axis: Axis = null, method: QuantileMethod = 'linear', keepdims = false): Tensor {
  if (arguments.length > 5) throw tooManyArguments('nanquantile', 5, arguments.length);
  return asOp('nanquantile', () => tidy(() => nanQuantiles('nanquantile', x, q, axis, method, keepdims, 1)));
}

/** The q-th percentiles (q in [0, 100]) of the non-NaN values: nanquantile at q / 100. */
export function nanpercentile(x: TensorLike, q: TensorLike, axis: Axis = null, method: QuantileMethod = 'linear', keepdims = false): Tensor {
  if (arguments.length > 5) throw tooManyArguments('nanpercentile', 5, arguments.length);
  return asOp('nanpercentile', () => tidy(() => nanQuantiles('nanpercentile', x, q, axis, method, keepdims, 100)));
}

/** The median of the non-NaN values over `axis` (all axes when null); NaN where a slice is all NaN. */
export function nanmedian(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nanmedian', 3, arguments.length);
  return asOp('nanmedian', () => tidy(() => nanQuantiles('nanmedian', x, 0.5, axis, 'linear', keepdims, 1)));
}
