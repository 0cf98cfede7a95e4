// keras.ops spellings of ops Tessera has under TensorFlow.js names (absolute for abs, arccos
// for acos, divide for div...), with Keras's semantics where they differ: integer division is
// true division, arc functions of integers are float32, argmax without an axis flattens.
// Each checks its own arguments so that errors name the Keras spelling.
import { tooManyArguments } from '../options/arity';
import { fill, type TensorLike } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, atan2, binaryOperands, div, maximum, minimum, mul, pow, sub } from './binary';
import { cast } from './cast';
import { less, where } from './compare';
import { concat } from './concat';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { floorDiv } from './floor_mod';
import { floatOperand } from './numpy_elementwise';
import { asOp } from './op_name';
import { argMax, argMin, max, min } from './reduce';
import { expandDims, reshape, squeeze } from './reshape';
import { logSumExp } from './softmax';
import { matMul } from './matmul';
import { divNoNan, isInf } from './tfjs_math';
import { abs, acos, acosh, asin, asinh, atan, atanh, erf, exp, isFinite, isNaN, neg } from './unary';

const run = (op: string, f: () => Tensor): Tensor => asOp(op, () => tidy(f));

// Both operands, broadcastable, as floats: int32 and bool become float32 (Keras's divide).
function floatPair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const [x, y] = binaryOperands(op, a, b, []);
  checkInputDType(op, 'x1', x, [...NUMERIC_DTYPES, 'bool']);
  checkInputDType(op, 'x2', y, [...NUMERIC_DTYPES, 'bool']);
  return isFloatDType(x.dtype) ? [x, y] : [cast(x, 'float32'), cast(y, 'float32')];
}

// A numeric operand: bool becomes int32, as Keras's clip, amax and amin do.
function numeric(op: string, x: TensorLike): Tensor {
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, [...NUMERIC_DTYPES, 'bool']);
  return t.dtype === 'bool' ? cast(t, 'int32') : t;
}

function checkKeepdims(op: string, keepdims: unknown): void {
  if (typeof keepdims !== 'boolean') throw new Error(`${op}: expected keepdims to be true or false, got ${describe(keepdims)}`);
}

/** Keras's absolute: |x|, elementwise (abs; integers stay integers). */
export function absolute(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('absolute', 1, arguments.length);
  return run('absolute', () => abs(toTensor('absolute', 'x', x)));
}

/** Keras's fabs: |x| as a float (int32 and bool give float32). */
export function fabs(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('fabs', 1, arguments.length);
  return run('fabs', () => abs(floatOperand('fabs', 'x', x)));
}

/** Keras's arccos: acos, with int32 and bool input computed in float32. */
export function arccos(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('arccos', 1, arguments.length);
  return run('arccos', () => acos(floatOperand('arccos', 'x', x)));
}

/** Keras's arccosh: acosh, with int32 and bool input computed in float32. */
export function arccosh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('arccosh', 1, arguments.length);
  return run('arccosh', () => acosh(floatOperand('arccosh', 'x', x)));
}

/** Keras's arcsin: asin, with int32 and bool input computed in float32. */
export function arcsin(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('arcsin', 1, arguments.length);
  return run('arcsin', () => asin(floatOperand('arcsin', 'x', x)));
}

/** Keras's arcsinh: asinh, with int32 and bool input computed in float32. */
export function arcsinh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('arcsinh', 1, arguments.length);
  return run('arcsinh', () => asinh(floatOperand('arcsinh', 'x', x)));
}

/** Keras's arctan: atan, with int32 and bool input computed in float32. */
export function arctan(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('arctan', 1, arguments.length);
  return run('arctan', () => atan(floatOperand('arctan', 'x', x)));
}

/** Keras's arctanh: atanh, with int32 and bool input computed in float32. */
export function arctanh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('arctanh', 1, arguments.length);
  return run('arctanh', () => atanh(floatOperand('arctanh', 'x', x)));
}

/** Keras's arctan2: the angle of (x2, x1), atan2 with broadcasting, integers computed in float32. */
export function arctan2(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('arctan2', 2, arguments.length);
  return run('arctan2', () => atan2(...floatPair('arctan2', x1, x2)));
}

/**
 * Keras's clip: minimum(maximum(x, xMin), xMax), elementwise with broadcasting (the bounds may
 * be tensors); where xMin > xMax the result is xMax, as NumPy's. bool input becomes int32.
 * The gradient passes where x is inside the range.
 */
export function clip(x: TensorLike, xMin: TensorLike, xMax: TensorLike): Tensor {
  if (arguments.length > 3) throw tooManyArguments('clip', 3, arguments.length);
  const op = 'clip';
  for (const [name, v] of [
    ['xMin', xMin],
    ['xMax', xMax],
  ] as const) {
    if (v === undefined || v === null) throw new Error(`${op}: expected ${name} to be a number or a tensor, got ${describe(v)}`);
  }
  return run(op, () => minimum(maximum(numeric(op, x), xMin), xMax));
}

/** Keras's divide: true division x1 / x2 with broadcasting; int32 and bool operands give float32. */
export function divide(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('divide', 2, arguments.length);
  return run('divide', () => div(...floatPair('divide', x1, x2)));
}

/** Keras's true_divide: the same as divide, true division (int32 operands give float32). */
export function trueDivide(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('trueDivide', 2, arguments.length);
  return run('trueDivide', () => div(...floatPair('trueDivide', x1, x2)));
}

/** Keras's divide_no_nan: true division, and 0 where x2 is 0; int32 operands give float32. */
export function divideNoNan(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('divideNoNan', 2, arguments.length);
  return run('divideNoNan', () => divNoNan(...floatPair('divideNoNan', x1, x2)));
}

/** Keras's floor_divide: floor(x1 / x2) (floorDiv; an integer divided by 0 is 0). */
export function floorDivide(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('floorDivide', 2, arguments.length);
  return run('floorDivide', () => floorDiv(x1, x2));
}

/** Keras's subtract: x1 - x2 with broadcasting (sub). */
export function subtract(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('subtract', 2, arguments.length);
  return run('subtract', () => sub(x1, x2));
}

/** Keras's multiply: x1 * x2 with broadcasting (mul). */
export function multiply(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('multiply', 2, arguments.length);
  return run('multiply', () => mul(x1, x2));
}

/** Keras's negative: -x (neg). */
export function negative(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('negative', 1, arguments.length);
  return run('negative', () => neg(toTensor('negative', 'x', x)));
}

/** Keras's power: x1 ** x2 with broadcasting (pow; integers stay integers). */
export function power(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('power', 2, arguments.length);
  return run('power', () => pow(x1, x2));
}

/** Keras's amax: the maximum over `axis` (all axes when omitted or null); NaN propagates; bool stays bool. */
export function amax(x: TensorLike, axis: number | number[] | null = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('amax', 3, arguments.length);
  return extreme('amax', max, x, axis, keepdims);
}

/** Keras's amin: the minimum over `axis` (all axes when omitted or null); NaN propagates; bool stays bool. */
export function amin(x: TensorLike, axis: number | number[] | null = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('amin', 3, arguments.length);
  return extreme('amin', min, x, axis, keepdims);
}

function extreme(op: string, f: typeof max, x: TensorLike, axis: number | number[] | null, keepdims: boolean): Tensor {
  checkKeepdims(op, keepdims);
  return run(op, () => {
    const t = toTensor(op, 'x', x);
    const r = f(numeric(op, t), axis ?? undefined, keepdims);
    return t.dtype === 'bool' ? cast(r, 'bool') : r;
  });
}

/** Keras's argmax: the index of the largest value along `axis`, or in the flattened x when axis is omitted or null (int32). */
export function argmax(x: TensorLike, axis: number | null = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('argmax', 3, arguments.length);
  return argExtreme('argmax', argMax, x, axis, keepdims);
}

/** Keras's argmin: the index of the smallest value along `axis`, or in the flattened x when axis is omitted or null (int32). */
export function argmin(x: TensorLike, axis: number | null = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('argmin', 3, arguments.length);
  return argExtreme('argmin', argMin, x, axis, keepdims);
}

function argExtreme(op: string, f: typeof argMax, x: TensorLike, axis: number | null, keepdims: boolean): Tensor {
  checkKeepdims(op, keepdims);
  return run(op, () => {
    const t = numeric(op, x);
    if (axis === null || axis === undefined) {
      const i = f(reshape(t, [-1]), 0);
      return keepdims
        ? reshape(
            i,
            t.shape.map(() => 1),
          )
        : i;
    }
    const a = normalizeAxis(op, axis, t.rank);
    const i = f(t, a);
    return keepdims ? expandDims(i, a) : i;
  });
}

/** Keras's ndim: the rank of x, a number. */
export function ndim(x: TensorLike): number {
  if (arguments.length > 1) throw tooManyArguments('ndim', 1, arguments.length);
  if (x instanceof Tensor) return x.rank;
  return tidy(() => toTensor('ndim', 'x', x).rank);
}

/** Keras's size: the number of elements of x, a number. */
export function size(x: TensorLike): number {
  if (arguments.length > 1) throw tooManyArguments('size', 1, arguments.length);
  if (x instanceof Tensor) return x.size;
  return tidy(() => toTensor('size', 'x', x).size);
}

/** Keras's ravel: x flattened to rank 1. */
export function ravel(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('ravel', 1, arguments.length);
  return run('ravel', () => reshape(toTensor('ravel', 'x', x), [-1]));
}

/** Keras's copy: a new tensor with x's values (clone). */
export function copy(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('copy', 1, arguments.length);
  return run('copy', () => toTensor('copy', 'x', x).clone());
}

// erfc's tail, from Numerical Recipes' erfcc (fractional error under 1.2e-7 for x >= 0),
// which keeps erfc(5) = 1.5e-12 where 1 - erf(x) in float32 is 0.
function erfcTail(z: Tensor): Tensor {
  const t = div(1, add(mul(z, 0.5), 1));
  const c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
  let poly: Tensor | number = c[c.length - 1];
  for (let k = c.length - 2; k >= 0; k--) poly = add(mul(t, poly), c[k]);
  return mul(t, exp(sub(poly as Tensor, mul(z, z))));
}

/**
 * Keras's erfc: 1 - erf(x), elementwise; int32 gives float32. Below 0.5 it is 1 - erf(x);
 * from 0.5 a rational fit with relative error under 1.2e-7 that does not underflow to 0.
 */
export function erfc(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('erfc', 1, arguments.length);
  return run('erfc', () => {
    const t = floatOperand('erfc', 'x', x);
    const small = less(t, 0.5);
    // The tail sees only x >= 0.5 (and the series only x < 0.5), so neither gives NaN to the gradient.
    return where(small, sub(1, erf(where(small, t, 0))), erfcTail(where(small, 1, t)));
  });
}

/** Keras's ldexp: x1 * 2 ** x2, elementwise with broadcasting; x2 must be int32; the result is float. */
export function ldexp(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('ldexp', 2, arguments.length);
  const op = 'ldexp';
  return run(op, () => {
    const e = toTensor(op, 'x2', x2, 'int32');
    checkInputDType(op, 'x2', e, ['int32']);
    const m = floatOperand(op, 'x1', x1);
    return mul(m, pow(2, cast(e, m.dtype)));
  });
}

function nanIgnoring(op: string, f: typeof maximum, x1: TensorLike, x2: TensorLike): Tensor {
  return run(op, () => {
    const [a, b] = binaryOperands(op, x1, x2, []);
    checkInputDType(op, 'x1', a, NUMERIC_DTYPES);
    checkInputDType(op, 'x2', b, NUMERIC_DTYPES);
    if (!isFloatDType(a.dtype)) return f(a, b);
    return where(isNaN(a), b, where(isNaN(b), a, f(a, b)));
  });
}

/** Keras's fmax: the larger of x1 and x2, elementwise with broadcasting, ignoring a NaN (NaN only where both are). */
export function fmax(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('fmax', 2, arguments.length);
  return nanIgnoring('fmax', maximum, x1, x2);
}

/** Keras's fmin: the smaller of x1 and x2, elementwise with broadcasting, ignoring a NaN (NaN only where both are). */
export function fmin(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('fmin', 2, arguments.length);
  return nanIgnoring('fmin', minimum, x1, x2);
}

// isnan / isinf / isfinite of an integer or bool tensor: no element is NaN or infinite.
function floatTest(op: string, x: TensorLike, f: (t: Tensor) => Tensor, ofInt: boolean): Tensor {
  return run(op, () => {
    const t = toTensor(op, 'x', x);
    checkInputDType(op, 'x', t, [...NUMERIC_DTYPES, 'bool']);
    return isFloatDType(t.dtype) ? f(t) : cast(fill(t.shape, ofInt ? 1 : 0, 'int32'), 'bool');
  });
}

/** Keras's isnan: true where x is NaN (false everywhere for integers and bools). */
export function isnan(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('isnan', 1, arguments.length);
  return floatTest('isnan', x, isNaN, false);
}

/** Keras's isinf: true where x is +Infinity or -Infinity (false everywhere for integers and bools). */
export function isinf(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('isinf', 1, arguments.length);
  return floatTest('isinf', x, isInf, false);
}

/** Keras's isfinite: true where x is neither NaN nor infinite (true everywhere for integers and bools). */
export function isfinite(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('isfinite', 1, arguments.length);
  return floatTest('isfinite', x, isFinite, true);
}

/** Keras's logsumexp: log(sum(exp(x))) over `axis` (all axes when omitted or null), without overflow. */
export function logsumexp(x: TensorLike, axis: number | number[] | null = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('logsumexp', 3, arguments.length);
  checkKeepdims('logsumexp', keepdims);
  return run('logsumexp', () => logSumExp(x, axis ?? undefined, keepdims));
}

/**
 * Keras's matmul: the matrix product with NumPy's rules: batch dimensions broadcast, and a
 * rank-1 operand is a row (x1) or column (x2) vector whose dimension is dropped from the result.
 */
export function matmul(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('matmul', 2, arguments.length);
  const op = 'matmul';
  return run(op, () => {
    const [a, b] = binaryOperands(op, x1, x2, []);
    if (a.rank === 0 || b.rank === 0)
      throw new Error(`${op}: expected x1 and x2 of rank 1 or more, got shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
    const y = matMul(a.rank === 1 ? expandDims(a, 0) : a, b.rank === 1 ? expandDims(b, 1) : b);
    const drop = [...(a.rank === 1 ? [y.rank - 2] : []), ...(b.rank === 1 ? [y.rank - 1] : [])];
    return drop.length ? squeeze(y, drop) : y;
  });
}

/** Keras's concatenate: the tensors joined along `axis` (concat). */
export function concatenate(xs: TensorLike[], axis = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('concatenate', 2, arguments.length);
  const op = 'concatenate';
  if (!Array.isArray(xs) || xs.length === 0) throw new Error(`${op}: expected a non-empty array of tensors, got ${describe(xs)}`);
  return run(op, () =>
    concat(
      xs.map((t, i) => toTensor(op, `xs[${i}]`, t)),
      axis,
    ),
  );
}

/** Keras's append: x2 after x1 along `axis`; with axis omitted or null both are flattened first. */
export function append(x1: TensorLike, x2: TensorLike, axis: number | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('append', 3, arguments.length);
  const op = 'append';
  return run(op, () => {
    const [a, b] = binaryOperands(op, x1, x2, []);
    if (axis === null || axis === undefined) return concat([reshape(a, [-1]), reshape(b, [-1])], 0);
    return concat([a, b], axis);
  });
}
