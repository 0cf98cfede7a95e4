// keras.ops (NumPy) quantile, percentile and median: the reduced axes are moved last and
// sorted by topk, whose values are gathered from x, so gradients reach the selected elements.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { add, mul, sub } from './binary';
import { where } from './compare';
import { stack } from './concat';
import { any } from './logical_reduce';
import { asOp } from './op_name';
import { quantileRows, type Axis } from './quantile_rows';
import { reshape } from './reshape';
import { slice } from './slice';
import { isNaN } from './unary';

/** How a quantile between two sorted values is taken, as NumPy's (and Keras's) `method`. */
export type QuantileMethod = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest';

// Round half to even, as NumPy's 'nearest'.
const roundHalfEven = (v: number) => (v - Math.floor(v) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));

function quantiles(op: string, x: TensorLike, q: TensorLike, axis: Axis, method: QuantileMethod, keepdims: boolean, scale: number): Tensor {
  const { qt, qs, n, keptShape, rows, desc, outShape } = quantileRows(op, x, q, axis, method, keepdims, scale);
  const at = (k: number) => reshape(slice(desc, [...keptShape.map(() => 0), n - 1 - k], [...keptShape, 1]), keptShape);
  const hasNaN = any(isNaN(rows), -1);
  const one = (p: number) => {
    const pos = p * (n - 1);
    const [lo, hi] = [Math.floor(pos), Math.ceil(pos)];
    let v: Tensor;
    if (method === 'lower' || lo === hi) v = at(lo);
    else if (method === 'higher') v = at(hi);
    else if (method === 'nearest') v = at(roundHalfEven(pos));
    else if (method === 'midpoint') v = mul(add(at(lo), at(hi)), 0.5);
    else v = add(at(lo), mul(sub(at(hi), at(lo)), pos - lo));
    return reshape(where(hasNaN, NaN, v), outShape);
  };
  return qt.rank === 0 ? one(qs[0]) : stack(qs.map(one), 0);
}

/**
 * The q-th quantiles (q in [0, 1], a number or a vector) of x over `axis` (all axes when
 * null), between sorted values as `method` says (NumPy's); NaN where a reduced slice holds
 * NaN. A vector q puts its axis first. Gradients reach the selected elements.
 */
export function quantile(x: TensorLike, q: TensorLike, axis: Axis = null, method: QuantileMethod = 'linear', keepdims = false): Tensor {
  if (arguments.length > 5) throw tooManyArguments('quantile', 5, arguments.length);
  return asOp('quantile', () => tidy(() => quantiles('quantile', x, q, axis, method, keepdims, 1)));
}

/** The q-th percentiles (q in [0, 100]): quantile at q / 100. */
export function percentile(x: TensorLike, q: TensorLike, axis: Axis = null, method: QuantileMethod = 'linear', keepdims = false): Tensor {
  if (arguments.length > 5) throw tooManyArguments('percentile', 5, arguments.length);
  return asOp('percentile', () => tidy(() => quantiles('percentile', x, q, axis, method, keepdims, 100)));
}

/** The median over `axis` (all axes when null): the mean of the middle two for an even count. */
export function median(x: TensorLike, axis: Axis = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('median', 3, arguments.length);
  return asOp('median', () => tidy(() => quantiles('median', x, 0.5, axis, 'linear', keepdims, 1)));
}
