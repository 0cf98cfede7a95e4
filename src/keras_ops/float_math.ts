// keras.ops's float-valued elementwise ops, which take int32 and bool and return float32
// where the top-level ones (TensorFlow.js's) take floats only; round with decimals; real and
// imag of a real tensor (the tensor itself, zeros), as Keras's on real input.
import { tooManyArguments } from '../options/arity';
import { div, mul } from '../ops/binary';
import { real as pairRefusal, imag as pairRefusal2 } from '../ops/complex_refusals';
import { toTensor } from '../ops/convert';
import { asOp } from '../ops/op_name';
import * as u from '../ops/unary';
import { zerosLike, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { floatInput } from './common';

const floatOp = (op: string, f: (x: Tensor) => Tensor, x: TensorLike): Tensor => asOp(op, () => tidy(() => f(floatInput(op, x))));

/** Keras's ceil: elementwise ceiling (integers give float32). */
export function ceil(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('ceil', 1, arguments.length);
  return floatOp('ceil', u.ceil, x);
}
/** Keras's floor: elementwise floor (integers give float32). */
export function floor(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('floor', 1, arguments.length);
  return floatOp('floor', u.floor, x);
}
/** Keras's cos (integers give float32). */
export function cos(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('cos', 1, arguments.length);
  return floatOp('cos', u.cos, x);
}
/** Keras's cosh (integers give float32). */
export function cosh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('cosh', 1, arguments.length);
  return floatOp('cosh', u.cosh, x);
}
/** Keras's sin (integers give float32). */
export function sin(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('sin', 1, arguments.length);
  return floatOp('sin', u.sin, x);
}
/** Keras's sinh (integers give float32). */
export function sinh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('sinh', 1, arguments.length);
  return floatOp('sinh', u.sinh, x);
}
/** Keras's tan (integers give float32). */
export function tan(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('tan', 1, arguments.length);
  return floatOp('tan', u.tan, x);
}
/** Keras's tanh (integers give float32). */
export function tanh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('tanh', 1, arguments.length);
  return floatOp('tanh', u.tanh, x);
}
/** Keras's exp (integers give float32). */
export function exp(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('exp', 1, arguments.length);
  return floatOp('exp', u.exp, x);
}
/** Keras's expm1: exp(x) - 1 (integers give float32). */
export function expm1(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('expm1', 1, arguments.length);
  return floatOp('expm1', u.expm1, x);
}
/** Keras's sqrt (integers give float32). */
export function sqrt(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('sqrt', 1, arguments.length);
  return floatOp('sqrt', u.sqrt, x);
}
/** Keras's log: the natural logarithm (integers give float32). */
export function log(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('log', 1, arguments.length);
  return floatOp('log', u.log, x);
}
/** Keras's log1p: log(1 + x) (integers give float32). */
export function log1p(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('log1p', 1, arguments.length);
  return floatOp('log1p', u.log1p, x);
}
/** Keras's reciprocal: 1 / x (integers give float32). */
export function reciprocal(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('reciprocal', 1, arguments.length);
  return floatOp('reciprocal', u.reciprocal, x);
}

/** Keras's round: to `decimals` decimal places, halves to even (integers stay integers). */
export function round(x: TensorLike, decimals = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('round', 2, arguments.length);
  const op = 'round';
  if (!Number.isInteger(decimals)) throw new Error(`${op}: expected decimals to be an integer, got ${describe(decimals)}`);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      if (t.dtype === 'int32' && decimals >= 0) return t;
      const f = floatInput(op, t);
      if (decimals === 0) return u.round(f);
      const scale = 10 ** decimals;
      return div(u.round(mul(f, scale)), scale);
    }),
  );
}

/** Keras's real: the real part; a real tensor is its own (a [re, im] pair: take re). */
export function real(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('real', 1, arguments.length);
  if (Array.isArray(x) && x[0] instanceof Tensor) return pairRefusal(x);
  return toTensor('real', 'x', x);
}

/** Keras's imag: the imaginary part; of a real tensor, zeros of its shape and dtype. */
export function imag(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('imag', 1, arguments.length);
  if (Array.isArray(x) && x[0] instanceof Tensor) return pairRefusal2(x);
  return tidy(() => zerosLike(toTensor('imag', 'x', x)));
}
