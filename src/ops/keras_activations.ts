// Keras 3's activation ops that TensorFlow.js lacks (keras.ops.celu, glu, hard_shrink, ...),
// composed from differentiable ops so their gradients come from autograd. Formulas and
// default parameters follow keras/src/backend/*/nn.py.
import { tooManyArguments } from '../options/arity';
import { stopGradient } from '../autograd/functional';
import { range, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe, normalizeAxis } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { add, div, maximum, minimum, mul, sub } from './binary';
import { cast } from './cast';
import { clipByValue } from './clip';
import { abs, expm1, relu6, sigmoid, sqrt, square, tanh } from './unary';
import { greater, less, lessEqual, where } from './compare';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { cumsum, max, sum } from './reduce';
import { split } from './slice';
import { topk } from './topk';
import { transpose } from './transpose';

// A float tensor from x, or an error naming the op.
function floatInput(op: string, x: TensorLike): Tensor {
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, FLOAT_DTYPES);
  return t;
}

// A finite number parameter (and, where `positive`, > 0), or an error naming it.
function checkNumber(op: string, name: string, v: unknown, positive = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (positive && !(v > 0))) {
    throw new Error(`${op}: expected ${name} to be a ${positive ? 'positive' : 'finite'} number, got ${describe(v)}`);
  }
  return v;
}

/** Continuously differentiable ELU: max(x, 0) + alpha expm1(min(x, 0) / alpha) (Keras's default alpha 1). */
export function celu(x: TensorLike, alpha = 1): Tensor {
  if (arguments.length > 2) throw tooManyArguments('celu', 2, arguments.length);
  const op = 'celu';
  const t = floatInput(op, x);
  checkNumber(op, 'alpha', alpha, true);
  return asOp(op, () => tidy(() => add(maximum(t, 0), mul(expm1(div(minimum(t, 0), alpha)), alpha))));
}

/** Gated linear unit: x split in halves a, b along `axis` (of even size), a sigmoid(b). */
export function glu(x: TensorLike, axis = -1): Tensor {
  if (arguments.length > 2) throw tooManyArguments('glu', 2, arguments.length);
  const op = 'glu';
  const t = floatInput(op, x);
  const ax = normalizeAxis(op, axis, t.rank);
  if (t.shape[ax] % 2 !== 0) throw new Error(`${op}: expected the size of axis ${axis} to be even, got shape [${t.shape.join(', ')}]`);
  return asOp(op, () =>
    tidy(() => {
      const [a, b] = split(t, 2, ax);
      return mul(a, sigmoid(b));
    }),
  );
}

/** x where |x| > threshold, 0 elsewhere (Keras's default threshold 0.5). */
export function hardShrink(x: TensorLike, threshold = 0.5): Tensor {
  if (arguments.length > 2) throw tooManyArguments('hardShrink', 2, arguments.length);
  const op = 'hardShrink';
  const t = floatInput(op, x);
  checkNumber(op, 'threshold', threshold);
  return asOp(op, () => tidy(() => where(greater(abs(t), threshold), t, 0)));
}

/** Hard SiLU (hard swish): x relu6(x + 3) / 6. */
export function hardSilu(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('hardSilu', 1, arguments.length);
  const op = 'hardSilu';
  const t = floatInput(op, x);
  return asOp(op, () => tidy(() => mul(t, div(relu6(add(t, 3)), 6))));
}

/** Alias of hardSilu: x relu6(x + 3) / 6. */
export function hardSwish(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('hardSwish', 1, arguments.length);
  return asOp('hardSwish', () => hardSilu(x));
}

/** x clipped to [-1, 1]. */
export function hardTanh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('hardTanh', 1, arguments.length);
  const op = 'hardTanh';
  const t = floatInput(op, x);
  return asOp(op, () => clipByValue(t, -1, 1));
}

/** x - threshold above threshold, x + threshold below -threshold, 0 between (Keras's default 0.5). */
export function softShrink(x: TensorLike, threshold = 0.5): Tensor {
  if (arguments.length > 2) throw tooManyArguments('softShrink', 2, arguments.length);
  const op = 'softShrink';
  const t = floatInput(op, x);
  checkNumber(op, 'threshold', threshold);
  return asOp(op, () => tidy(() => where(greater(t, threshold), sub(t, threshold), where(less(t, -threshold), add(t, threshold), 0))));
}

/** 0 for x <= -1, (x + 1)^2 / 4 for -1 < x < 1, x for x >= 1. */
export function sparsePlus(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('sparsePlus', 1, arguments.length);
  const op = 'sparsePlus';
  const t = floatInput(op, x);
  return asOp(op, () => tidy(() => where(lessEqual(t, -1), 0, where(less(t, 1), mul(square(add(t, 1)), 0.25), t))));
}

/** 0 for x <= -1, (x + 1) / 2 for -1 < x < 1, 1 for x >= 1. */
export function sparseSigmoid(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('sparseSigmoid', 1, arguments.length);
  const op = 'sparseSigmoid';
  const t = floatInput(op, x);
  return asOp(op, () => tidy(() => where(lessEqual(t, -1), 0, where(less(t, 1), mul(add(t, 1), 0.5), 1))));
}

/** (x + sqrt(x^2 + b)) / 2, a smooth relu (Keras's default b 4). */
export function squareplus(x: TensorLike, b = 4): Tensor {
  if (arguments.length > 2) throw tooManyArguments('squareplus', 2, arguments.length);
  const op = 'squareplus';
  const t = floatInput(op, x);
  if (checkNumber(op, 'b', b) < 0) throw new Error(`${op}: expected b >= 0, got ${b}`);
  return asOp(op, () => tidy(() => mul(add(t, sqrt(add(square(t), b))), 0.5)));
}

/** x - tanh(x). */
export function tanhShrink(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('tanhShrink', 1, arguments.length);
  const op = 'tanhShrink';
  const t = floatInput(op, x);
  return asOp(op, () => tidy(() => sub(t, tanh(t))));
}

/** x where x > threshold, defaultValue elsewhere (both required, as in keras.ops.threshold). */
export function threshold(x: TensorLike, threshold: number, defaultValue: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('threshold', 3, arguments.length);
  const op = 'threshold';
  const t = floatInput(op, x);
  checkNumber(op, 'threshold', threshold);
  checkNumber(op, 'defaultValue', defaultValue);
  return asOp(op, () => tidy(() => where(greater(t, threshold), t, defaultValue)));
}

/**
 * Sparsemax along `axis`: the Euclidean projection of x onto the probability simplex,
 * relu(x - tau) with tau chosen so that each slice sums to 1.
 */
export function sparsemax(x: TensorLike, axis = -1): Tensor {
  if (arguments.length > 2) throw tooManyArguments('sparsemax', 2, arguments.length);
  const op = 'sparsemax';
  const t = floatInput(op, x);
  const ax = normalizeAxis(op, axis, t.rank);
  return asOp(op, () =>
    tidy(() => {
      // The support (entries above tau) from the sorted slice: tau = max_k (top-k sum - 1) / k.
      const n = t.shape[ax];
      const perm = [...Array(t.rank).keys()].filter((d) => d !== ax).concat(ax);
      const inverse = perm.map((_, i) => perm.indexOf(i));
      const last = transpose(stopGradient(t), perm);
      const sorted = topk(last, n).values;
      const ks = range(1, n + 1, 1, t.dtype);
      const tau0 = max(div(sub(cumsum(sorted, -1), 1), ks), -1, true);
      const support = cast(greater(last, tau0), t.dtype);
      // Over a fixed support tau is linear in x, so the gradient is sparsemax's own.
      const xl = transpose(t, perm);
      const tau = div(sub(sum(mul(xl, support), -1, true), 1), sum(support, -1, true));
      return transpose(mul(sub(xl, tau), support), inverse);
    }),
  );
}
