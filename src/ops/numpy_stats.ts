// keras.ops (NumPy) statistics over axes: std, variance (Keras's `var`, a JavaScript keyword),
// ptp, average, countNonzero and the NaN-ignoring reductions, composed from our reductions
// so that gradients are the composition's.
import { tooManyArguments } from '../options/arity';
import { checkBoolean } from '../options/check_args';
import { type TensorLike } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { normalizeAxes, reducedShape, shapesEqual } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { binaryOperands, div, mul, sub } from './binary';
import { cast } from './cast';
import { equal, notEqual, where } from './compare';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { max, mean, min, prod, sum } from './reduce';
import { reshape } from './reshape';
import { isNaN, sqrt, square } from './unary';
import { floatOperand } from './numpy_elementwise';

type Axis = number | number[] | null;

// The axes a reduction runs over (null: all), checked, and the float input.
function reduction(op: string, x: TensorLike, axis: Axis, keepdims: boolean): { t: Tensor; axes: number[] } {
  checkBoolean(op, 'keepdims', keepdims);
  const t = floatOperand(op, 'x', x);
  return { t, axes: normalizeAxes(op, axis ?? undefined, t.rank) };
}

/** The (biased, as NumPy's default) variance over `axis` (all axes when null): Keras's ops.var. */
export function variance(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('variance', 3, arguments.length);
  const op = 'variance';
  return asOp(op, () =>
    tidy(() => {
      const { t, axes } = reduction(op, x, axis, keepdims);
      return mean(square(sub(t, mean(t, axes, true))), axes, keepdims);
    }),
  );
}

/** The (biased) standard deviation over `axis` (all axes when null); its gradient is NaN where it is 0. */
export function std(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('std', 3, arguments.length);
  const op = 'std';
  return asOp(op, () =>
    tidy(() => {
      const { t, axes } = reduction(op, x, axis, keepdims);
      return sqrt(mean(square(sub(t, mean(t, axes, true))), axes, keepdims));
    }),
  );
}

/** max - min ("peak to peak") over `axis` (all axes when null), in x's dtype. */
export function ptp(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('ptp', 3, arguments.length);
  const op = 'ptp';
  return asOp(op, () =>
    tidy(() => {
      checkBoolean(op, 'keepdims', keepdims);
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, NUMERIC_DTYPES);
      const axes = normalizeAxes(op, axis ?? undefined, t.rank);
      if (axes.some((a) => t.shape[a] === 0)) throw new Error(`${op}: expected no empty axis to reduce, got shape [${t.shape.join(', ')}]`);
      return sub(max(t, axes, keepdims), min(t, axes, keepdims));
    }),
  );
}

/**
 * The weighted mean sum(x * w) / sum(w) over `axis` (all axes when null); `weights` has x's
 * shape, or (NumPy's) is a vector along the one `axis`. Without weights it is mean.
 */
export function average(x: TensorLike, axis: number | null = null, weights: TensorLike | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('average', 3, arguments.length);
  const op = 'average';
  return asOp(op, () =>
    tidy(() => {
      const t = floatOperand(op, 'x', x);
      const axes = normalizeAxes(op, axis ?? undefined, t.rank);
      if (weights === null || weights === undefined) return mean(t, axes);
      const [xs, w0] = binaryOperands(op, t, floatOperand(op, 'weights', weights), []);
      let w = w0;
      if (!shapesEqual(w.shape, xs.shape)) {
        if (axis === null || w.rank !== 1 || w.shape[0] !== xs.shape[axes[0]])
          throw new Error(
            `${op}: expected weights of x's shape [${xs.shape.join(', ')}], or a vector as long as x's axis ${describe1(axis)}, got shape [${w.shape.join(', ')}]`,
          );
        w = reshape(
          w,
          xs.shape.map((d, i) => (i === axes[0] ? d : 1)),
        );
      }
      return div(sum(mul(xs, w), axes), sum(w, axes));
    }),
  );
}

const describe1 = (axis: number | null) => (axis === null ? '(none given)' : String(axis));

/** The number of non-zero values over `axis` (all axes when null), int32. */
export function countNonzero(x: TensorLike, axis: Axis = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('countNonzero', 2, arguments.length);
  const op = 'countNonzero';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, [...NUMERIC_DTYPES, 'bool']);
      const axes = normalizeAxes(op, axis ?? undefined, t.rank);
      return sum(cast(notEqual(t.dtype === 'bool' ? cast(t, 'int32') : t, 0), 'int32'), axes);
    }),
  );
}

// The NaN-ignoring reductions: x with NaN replaced by `fill`, and the count of the others.
function withoutNaN(op: string, x: TensorLike, axis: Axis, keepdims: boolean, fill: number) {
  checkBoolean(op, 'keepdims', keepdims);
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, NUMERIC_DTYPES);
  const axes = normalizeAxes(op, axis ?? undefined, t.rank);
  if (!isFloatDType(t.dtype)) return { t, filled: t, axes, count: () => sum(cast(equal(t, t), 'int32'), axes, keepdims), nan: null };
  const nan = isNaN(t);
  return { t, filled: where(nan, fill, t), axes, count: () => sum(cast(notEqual(nan, true), t.dtype), axes, keepdims), nan };
}

/** The sum over `axis` (all axes when null), NaN counted as 0. */
export function nansum(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nansum', 3, arguments.length);
  return asOp('nansum', () =>
    tidy(() => {
      const r = withoutNaN('nansum', x, axis, keepdims, 0);
      return sum(r.filled, r.axes, keepdims);
    }),
  );
}

/** The product over `axis` (all axes when null), NaN counted as 1. */
export function nanprod(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nanprod', 3, arguments.length);
  return asOp('nanprod', () =>
    tidy(() => {
      const r = withoutNaN('nanprod', x, axis, keepdims, 1);
      return prod(r.filled, r.axes, keepdims);
    }),
  );
}

// The mean of the non-NaN values (NaN where there are none), and the count.
function nanMeanOf(op: string, x: TensorLike, axis: Axis, keepdims: boolean) {
  const r = withoutNaN(op, x, axis, keepdims, 0);
  const t = isFloatDType(r.t.dtype) ? r.filled : cast(r.t, 'float32');
  const n = cast(r.count(), t.dtype);
  return { ...r, t, n, mean: div(sum(t, r.axes, keepdims), n) };
}

/** The mean over `axis` (all axes when null) of the values that are not NaN; NaN where all are. */
export function nanmean(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nanmean', 3, arguments.length);
  return asOp('nanmean', () => tidy(() => nanMeanOf('nanmean', x, axis, keepdims).mean));
}

/** The (biased) variance over `axis` (all axes when null) of the values that are not NaN; NaN where all are. */
export function nanvar(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nanvar', 3, arguments.length);
  return asOp('nanvar', () => tidy(() => nanVarOf('nanvar', x, axis, keepdims)));
}

/** The (biased) standard deviation over `axis` (all axes when null) of the values that are not NaN. */
export function nanstd(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nanstd', 3, arguments.length);
  return asOp('nanstd', () => tidy(() => sqrt(nanVarOf('nanstd', x, axis, keepdims))));
}

function nanVarOf(op: string, x: TensorLike, axis: Axis, keepdims: boolean): Tensor {
  const r = nanMeanOf(op, x, axis, true);
  const d = sub(r.t, r.mean);
  const sq = r.nan ? where(r.nan, 0, square(d)) : square(d);
  const v = div(sum(sq, r.axes, true), r.n);
  return keepdims ? v : reshape(v, reducedShape(r.t.shape, r.axes, false));
}

// max / min of the non-NaN values: NaN where all are NaN (or the axis is empty), as NumPy.
function nanExtreme(op: string, x: TensorLike, axis: Axis, keepdims: boolean, largest: boolean): Tensor {
  const r = withoutNaN(op, x, axis, keepdims, largest ? -Infinity : Infinity);
  if (r.axes.some((a) => r.t.shape[a] === 0)) throw new Error(`${op}: expected no empty axis to reduce, got shape [${r.t.shape.join(', ')}]`);
  const e = (largest ? max : min)(r.filled, r.axes, keepdims);
  return r.nan ? where(equal(r.count(), 0), NaN, e) : e;
}

/** The largest value over `axis` (all axes when null), ignoring NaN; NaN where all are NaN. */
export function nanmax(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nanmax', 3, arguments.length);
  return asOp('nanmax', () => tidy(() => nanExtreme('nanmax', x, axis, keepdims, true)));
}

/** The smallest value over `axis` (all axes when null), ignoring NaN; NaN where all are NaN. */
export function nanmin(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('nanmin', 3, arguments.length);
  return asOp('nanmin', () => tidy(() => nanExtreme('nanmin', x, axis, keepdims, false)));
}
