// keras.ops (NumPy) elementwise math that TensorFlow.js lacks, composed from our ops so that
// gradients are the composition's: cbrt, log2, log10, exp2, logaddexp(2), hypot, deg2rad,
// rad2deg, trunc, signbit, sinc, heaviside, fmod, isclose, allclose and nanToNum.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, binaryOperands, div, maximum, mul, pow, sub } from './binary';
import { cast } from './cast';
import { equal, greater, less, lessEqual, logicalAnd, logicalNot, logicalOr, notEqual, where } from './compare';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { mod } from './floor_mod';
import { all } from './logical_reduce';
import { asOp } from './op_name';
import { abs, exp, floor, isFinite, isNaN, log, sign, sin, softplus } from './unary';

// x as a float tensor: int32 and bool become float32, as NumPy's float functions do.
export function floatOperand(op: string, arg: string, x: TensorLike): Tensor {
  const t = toTensor(op, arg, x);
  checkInputDType(op, arg, t, [...NUMERIC_DTYPES, 'bool']);
  return isFloatDType(t.dtype) ? t : cast(t, 'float32');
}

// Both operands, broadcastable, as floats of one dtype.
function floatOperands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const [x, y] = binaryOperands(op, a, b, []);
  checkInputDType(op, 'x1', x, [...NUMERIC_DTYPES, 'bool']);
  checkInputDType(op, 'x2', y, [...NUMERIC_DTYPES, 'bool']);
  return isFloatDType(x.dtype) ? [x, y] : [cast(x, 'float32'), cast(y, 'float32')];
}

const unaryFloat = (op: string, x: TensorLike, f: (t: Tensor) => Tensor): Tensor => asOp(op, () => tidy(() => f(floatOperand(op, 'x', x))));

/** The real cube root, elementwise (negative for negative x); int input gives float32. */
export function cbrt(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('cbrt', 1, arguments.length);
  return unaryFloat('cbrt', x, (t) => mul(sign(t), pow(abs(t), 1 / 3)));
}

/** The base-2 logarithm, elementwise. */
export function log2(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('log2', 1, arguments.length);
  return unaryFloat('log2', x, (t) => div(log(t), Math.LN2));
}

/** The base-10 logarithm, elementwise. */
export function log10(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('log10', 1, arguments.length);
  return unaryFloat('log10', x, (t) => div(log(t), Math.LN10));
}

/** 2 ** x, elementwise. */
export function exp2(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('exp2', 1, arguments.length);
  return unaryFloat('exp2', x, (t) => exp(mul(t, Math.LN2)));
}

/** Radians from degrees, elementwise. */
export function deg2rad(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('deg2rad', 1, arguments.length);
  return unaryFloat('deg2rad', x, (t) => mul(t, Math.PI / 180));
}

/** Degrees from radians, elementwise. */
export function rad2deg(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('rad2deg', 1, arguments.length);
  return unaryFloat('rad2deg', x, (t) => mul(t, 180 / Math.PI));
}

// log(exp(a) + exp(b)) as max + softplus(-|a - b|), with the max written (a + b + |a - b|) / 2
// so that ties share the gradient equally; an infinity takes the max.
function logAddExpE(x: Tensor, y: Tensor): Tensor {
  const finite = logicalAnd(isFinite(x), isFinite(y));
  const sameInfinity = logicalAnd(equal(x, y), logicalNot(finite));
  const d = abs(sub(where(finite, x, 0), where(finite, y, 0)));
  const m = add(add(mul(where(finite, x, 0), 0.5), mul(where(finite, y, 0), 0.5)), mul(d, 0.5));
  const smooth = add(m, softplus(mul(d, -1)));
  return where(finite, smooth, where(sameInfinity, x, maximum(x, y)));
}

/** log(exp(x1) + exp(x2)), elementwise with broadcasting, without overflow for large inputs. */
export function logaddexp(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('logaddexp', 2, arguments.length);
  return asOp('logaddexp', () => tidy(() => logAddExpE(...floatOperands('logaddexp', x1, x2))));
}

/** log2(2 ** x1 + 2 ** x2), elementwise with broadcasting, without overflow for large inputs. */
export function logaddexp2(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('logaddexp2', 2, arguments.length);
  return asOp('logaddexp2', () =>
    tidy(() => {
      const [x, y] = floatOperands('logaddexp2', x1, x2);
      return div(logAddExpE(mul(x, Math.LN2), mul(y, Math.LN2)), Math.LN2);
    }),
  );
}

/**
 * sqrt(x1^2 + x2^2), elementwise with broadcasting, scaled by the larger magnitude so that
 * it does not overflow; its gradient at (0, 0) is NaN (as sqrt's at 0).
 */
export function hypot(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('hypot', 2, arguments.length);
  return asOp('hypot', () =>
    tidy(() => {
      const [x, y] = floatOperands('hypot', x1, x2);
      const [ax, ay] = [abs(x), abs(y)];
      const m = maximum(ax, ay);
      const scale = where(logicalOr(equal(m, 0), logicalNot(isFinite(m))), 1, m);
      const [u, v] = [div(ax, scale), div(ay, scale)];
      const scaled = mul(scale, pow(add(mul(u, u), mul(v, v)), 0.5));
      // An infinite side makes it infinite even when the other is NaN (as C's hypot).
      const infinite = logicalOr(equal(ax, Infinity), equal(ay, Infinity));
      return where(infinite, Infinity, scaled);
    }),
  );
}

/** x rounded toward zero, elementwise; its gradient is 0. Integers are returned unchanged. */
export function trunc(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('trunc', 1, arguments.length);
  const op = 'trunc';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, NUMERIC_DTYPES);
      return isFloatDType(t.dtype) ? mul(sign(t), floor(abs(t))) : t.clone();
    }),
  );
}

/** True where x's sign bit is set: x < 0, and -0 (bool). NaN gives false. */
export function signbit(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('signbit', 1, arguments.length);
  const op = 'signbit';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, [...NUMERIC_DTYPES, 'bool']);
      if (!isFloatDType(t.dtype)) return less(cast(t, 'int32'), 0);
      // -0 is told from +0 by the sign of its reciprocal.
      return logicalOr(less(t, 0), logicalAnd(equal(t, 0), less(div(1, t), 0)));
    }),
  );
}

/** The normalized sinc: sin(pi x) / (pi x), and 1 at x = 0 (NumPy's sinc). */
export function sinc(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('sinc', 1, arguments.length);
  return unaryFloat('sinc', x, (t) => {
    const zero = equal(t, 0);
    // The divisor is replaced at 0 so that no NaN reaches the gradient (which is 0 there).
    const px = mul(where(zero, 1, t), Math.PI);
    return where(zero, 1, div(sin(px), px));
  });
}

/** The Heaviside step: 0 where x1 < 0, x2 where x1 == 0, 1 where x1 > 0 (NaN stays NaN). */
export function heaviside(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('heaviside', 2, arguments.length);
  const op = 'heaviside';
  return asOp(op, () =>
    tidy(() => {
      const [x, h] = floatOperands(op, x1, x2);
      return where(isNaN(x), NaN, where(less(x, 0), 0, where(greater(x, 0), 1, h)));
    }),
  );
}

/**
 * The C remainder x1 - trunc(x1 / x2) * x2, with the dividend's sign (fmod(-7, 3) = -1),
 * elementwise with broadcasting. As mod, an integer fmod 0 is 0; a float one is NaN; a
 * finite x1 fmod an infinite x2 is x1.
 */
export function fmod(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('fmod', 2, arguments.length);
  const op = 'fmod';
  return asOp(op, () =>
    tidy(() => {
      const [x, y] = binaryOperands(op, x1, x2, []);
      checkInputDType(op, 'x1', x, NUMERIC_DTYPES);
      checkInputDType(op, 'x2', y, NUMERIC_DTYPES);
      // The floor remainder has the divisor's sign; where it differs from the dividend's,
      // one divisor moves it back.
      const r = mod(x, y);
      const fix = logicalAnd(notEqual(r, 0), notEqual(less(r, 0), less(x, 0)));
      const out = where(fix, sub(r, y), r);
      if (!isFloatDType(x.dtype)) return out;
      // A finite dividend is its own remainder by an infinite divisor (mod's is NaN when the signs differ).
      const byInfinity = logicalAnd(isFinite(x), logicalAnd(logicalNot(isFinite(y)), logicalNot(isNaN(y))));
      return where(equal(y, 0), NaN, where(byInfinity, x, out));
    }),
  );
}

function checkTolerance(op: string, name: string, v: unknown): void {
  if (typeof v !== 'number' || !(v >= 0)) throw new Error(`${op}: expected ${name} to be a non-negative number, got ${describe(v)}`);
}

function closeness(op: string, x1: TensorLike, x2: TensorLike, rtol: number, atol: number, equalNan: boolean): Tensor {
  checkTolerance(op, 'rtol', rtol);
  checkTolerance(op, 'atol', atol);
  if (typeof equalNan !== 'boolean') throw new Error(`${op}: expected equalNan to be true or false, got ${describe(equalNan)}`);
  const [a, b] = floatOperands(op, x1, x2);
  const finite = logicalAnd(isFinite(a), isFinite(b));
  const near = lessEqual(abs(sub(where(finite, a, 0), where(finite, b, 0))), add(atol, mul(rtol, abs(where(finite, b, 0)))));
  // Infinities are close only to themselves; NaN only to NaN, when equalNan.
  const close = where(finite, near, equal(a, b));
  return equalNan ? logicalOr(close, logicalAnd(isNaN(a), isNaN(b))) : close;
}

/**
 * True where |x1 - x2| <= atol + rtol * |x2| (NumPy's isclose), elementwise with
 * broadcasting; infinities are close to themselves, NaN to NaN only when equalNan.
 */
export function isclose(x1: TensorLike, x2: TensorLike, rtol = 1e-5, atol = 1e-8, equalNan = false): Tensor {
  if (arguments.length > 5) throw tooManyArguments('isclose', 5, arguments.length);
  return asOp('isclose', () => tidy(() => closeness('isclose', x1, x2, rtol, atol, equalNan)));
}

/** Whether isclose holds everywhere: a bool scalar tensor. */
export function allclose(x1: TensorLike, x2: TensorLike, rtol = 1e-5, atol = 1e-8, equalNan = false): Tensor {
  if (arguments.length > 5) throw tooManyArguments('allclose', 5, arguments.length);
  return asOp('allclose', () => tidy(() => all(closeness('allclose', x1, x2, rtol, atol, equalNan))));
}

/**
 * x with NaN replaced by `nan`, +Infinity by `posinf` and -Infinity by `neginf` (default:
 * the largest and smallest finite values of x's dtype), as NumPy's nan_to_num.
 */
export function nanToNum(x: TensorLike, nan = 0, posinf: number | null = null, neginf: number | null = null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('nanToNum', 4, arguments.length);
  const op = 'nanToNum';
  for (const [name, v] of [
    ['nan', nan],
    ['posinf', posinf ?? 0],
    ['neginf', neginf ?? 0],
  ] as const) {
    if (typeof v !== 'number') throw new Error(`${op}: expected ${name} to be a number${name === 'nan' ? '' : ' or null'}, got ${describe(v)}`);
  }
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, [...NUMERIC_DTYPES, 'bool']);
      if (!isFloatDType(t.dtype)) return t.clone();
      const big = t.dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
      return where(isNaN(t), nan, where(equal(t, Infinity), posinf ?? big, where(equal(t, -Infinity), neginf ?? -big, t)));
    }),
  );
}
