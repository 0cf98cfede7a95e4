// Elementwise math of one operand, each with its gradient rule beside it.
import { tooManyArguments } from '../options/arity';
import { packAttrs } from '../native/op_attrs';
import { type TensorLike } from '../tensor/creation';
import { type GradRule } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { add, div, mul, sub } from './binary';
import { cast } from './cast';
import { greater, less, logicalAnd, where } from './compare';
import { FLOAT_DTYPES, NUMERIC_DTYPES } from './convert';
import { asOp } from './op_name';
import { maskGrad } from './mask_grad';
import { geluGrad } from './gelu_grad';
import { reluGrad } from './relu_grad';
import { runUnary } from './run_unary';
import { zerosLike } from '../tensor/creation';
import { FINITE, checkInRange } from '../tensor/ranges';
import { checkBoolean } from '../options/check_args';

// Rules that need only x, or only the output y.
const fromX =
  (grad: (dy: Tensor, x: Tensor) => Tensor) =>
  (t: Tensor): GradRule => ({
    save: [t],
    grad: ([dy], [x]) => [grad(dy, x)],
  });
const fromY = (grad: (dy: Tensor, y: Tensor) => Tensor): GradRule => ({
  saveOutputs: true,
  grad: ([dy], [y]) => [grad(dy, y)],
});
const zeroGrad = (): GradRule => ({ grad: ([dy]) => [zerosLike(dy)] });
// A 0/1 mask of x's dtype where `pred` holds.
const mask = (pred: Tensor, like: Tensor): Tensor => cast(pred, like.dtype);
// dy where `keep` (bool) holds, else 0, in one pass: dropout's backward kernel at rate 0.
// A cast of `keep` and a multiply would be two more passes over a gradient as large as
// the activation.
const passWhere = (op: string, dy: Tensor, keep: Tensor): Tensor => maskGrad(op, dy, keep, 0);

/** -x. */
export function neg(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('neg', 1, arguments.length);
  return runUnary('neg', 'neg', x, NUMERIC_DTYPES, () => ({ grad: ([dy]) => [neg(dy)] }));
}
/** |x|. */
export function abs(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('abs', 1, arguments.length);
  return runUnary(
    'abs',
    'abs',
    x,
    NUMERIC_DTYPES,
    fromX((dy, v) => mul(dy, sign(v))),
  );
}
/** e^x. */
export function exp(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('exp', 1, arguments.length);
  return runUnary('exp', 'exp', x, FLOAT_DTYPES, () => fromY((dy, y) => mul(dy, y)));
}
/** Natural logarithm. */
export function log(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('log', 1, arguments.length);
  return runUnary(
    'log',
    'log',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => div(dy, v)),
  );
}
/** Square root. */
export function sqrt(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('sqrt', 1, arguments.length);
  return runUnary('sqrt', 'sqrt', x, FLOAT_DTYPES, () => fromY((dy, y) => div(dy, mul(y, 2))));
}
/** 1 / sqrt(x). */
export function rsqrt(x: TensorLike): Tensor {
  // d/dx x^-1/2 = -1/2 x^-3/2 = -1/2 y^3
  if (arguments.length > 1) throw tooManyArguments('rsqrt', 1, arguments.length);
  return runUnary('rsqrt', 'rsqrt', x, FLOAT_DTYPES, () => fromY((dy, y) => mul(dy, mul(pow3(y), -0.5))));
}
const pow3 = (y: Tensor): Tensor => mul(mul(y, y), y);
/** x^2. */
export function square(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('square', 1, arguments.length);
  return runUnary(
    'square',
    'square',
    x,
    NUMERIC_DTYPES,
    fromX((dy, v) => mul(dy, mul(v, 2))),
  );
}
/** 1 / x. */
export function reciprocal(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('reciprocal', 1, arguments.length);
  return runUnary('reciprocal', 'reciprocal', x, FLOAT_DTYPES, () => fromY((dy, y) => neg(mul(dy, mul(y, y)))));
}
/** -1, 0 or 1 by the sign of x. */
export function sign(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('sign', 1, arguments.length);
  return runUnary('sign', 'sign', x, NUMERIC_DTYPES, zeroGrad);
}
/** Largest integer not above x. */
export function floor(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('floor', 1, arguments.length);
  return runUnary('floor', 'floor', x, FLOAT_DTYPES, zeroGrad);
}
/** Smallest integer not below x. */
export function ceil(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('ceil', 1, arguments.length);
  return runUnary('ceil', 'ceil', x, FLOAT_DTYPES, zeroGrad);
}
/** Nearest integer, halves to even. */
export function round(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('round', 1, arguments.length);
  return runUnary('round', 'round', x, FLOAT_DTYPES, zeroGrad);
}
/** max(x, 0). */
export function relu(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('relu', 1, arguments.length);
  return runUnary(
    'relu',
    'relu',
    x,
    NUMERIC_DTYPES,
    fromX((dy, v) => reluGrad('relu', dy, v)),
  );
}
/** 1 / (1 + e^-x). */
export function sigmoid(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('sigmoid', 1, arguments.length);
  return runUnary('sigmoid', 'sigmoid', x, FLOAT_DTYPES, () => fromY((dy, y) => mul(dy, mul(y, sub(1, y)))));
}
/** Hyperbolic tangent. */
export function tanh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('tanh', 1, arguments.length);
  return runUnary('tanh', 'tanh', x, FLOAT_DTYPES, () => fromY((dy, y) => mul(dy, sub(1, mul(y, y)))));
}
/** log(1 + x), accurate near 0. */
export function log1p(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('log1p', 1, arguments.length);
  return runUnary(
    'log1p',
    'log1p',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => div(dy, add(v, 1))),
  );
}
/** e^x - 1, accurate near 0. */
export function expm1(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('expm1', 1, arguments.length);
  return runUnary('expm1', 'expm1', x, FLOAT_DTYPES, () => fromY((dy, y) => mul(dy, add(y, 1))));
}
/** Sine. */
export function sin(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('sin', 1, arguments.length);
  return runUnary(
    'sin',
    'sin',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => mul(dy, cos(v))),
  );
}
/** Cosine. */
export function cos(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('cos', 1, arguments.length);
  return runUnary(
    'cos',
    'cos',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => neg(mul(dy, sin(v)))),
  );
}
/** Tangent. */
export function tan(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('tan', 1, arguments.length);
  return runUnary('tan', 'tan', x, FLOAT_DTYPES, () => fromY((dy, y) => mul(dy, add(square(y), 1))));
}
/** Arcsine, in [-pi/2, pi/2] (NaN outside [-1, 1]). */
export function asin(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('asin', 1, arguments.length);
  return runUnary(
    'asin',
    'asin',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => mul(dy, rsqrt(sub(1, square(v))))),
  );
}
/** Arccosine, in [0, pi] (NaN outside [-1, 1]). */
export function acos(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('acos', 1, arguments.length);
  return runUnary(
    'acos',
    'acos',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => neg(mul(dy, rsqrt(sub(1, square(v)))))),
  );
}
/** Arctangent, in (-pi/2, pi/2). */
export function atan(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('atan', 1, arguments.length);
  return runUnary(
    'atan',
    'atan',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => div(dy, add(square(v), 1))),
  );
}
/** Hyperbolic sine. */
export function sinh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('sinh', 1, arguments.length);
  return runUnary(
    'sinh',
    'sinh',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => mul(dy, cosh(v))),
  );
}
/** Hyperbolic cosine. */
export function cosh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('cosh', 1, arguments.length);
  return runUnary(
    'cosh',
    'cosh',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => mul(dy, sinh(v))),
  );
}
/** Inverse hyperbolic sine. */
export function asinh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('asinh', 1, arguments.length);
  return runUnary(
    'asinh',
    'asinh',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => mul(dy, rsqrt(add(square(v), 1)))),
  );
}
/** Inverse hyperbolic cosine (NaN below 1). */
export function acosh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('acosh', 1, arguments.length);
  return runUnary(
    'acosh',
    'acosh',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => mul(dy, rsqrt(sub(square(v), 1)))),
  );
}
/** Inverse hyperbolic tangent (NaN outside [-1, 1]). */
export function atanh(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('atanh', 1, arguments.length);
  return runUnary(
    'atanh',
    'atanh',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => div(dy, sub(1, square(v)))),
  );
}
/** The Gauss error function. */
export function erf(x: TensorLike): Tensor {
  // d/dx erf = 2/sqrt(pi) e^(-x^2)
  if (arguments.length > 1) throw tooManyArguments('erf', 1, arguments.length);
  return runUnary(
    'erf',
    'erf',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => mul(dy, mul(exp(neg(mul(v, v))), 2 / Math.sqrt(Math.PI)))),
  );
}
/** log(1 + e^x), computed without overflow. */
export function softplus(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('softplus', 1, arguments.length);
  return runUnary(
    'softplus',
    'softplus',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => mul(dy, sigmoid(v))),
  );
}
/** True where x is NaN. */
export function isNaN(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('isNaN', 1, arguments.length);
  return runUnary('isNaN', 'is_nan', x, FLOAT_DTYPES, null, [], 'bool');
}
/** True where x is finite. */
export function isFinite(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('isFinite', 1, arguments.length);
  return runUnary('isFinite', 'is_finite', x, FLOAT_DTYPES, null, [], 'bool');
}

// ---- activations --------------------------------------------------------------------
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** x for x > 0, alpha (e^x - 1) otherwise. */
export function elu(x: TensorLike, alpha = 1): Tensor {
  if (arguments.length > 2) throw tooManyArguments('elu', 2, arguments.length);
  checkInRange('elu', 'alpha', alpha, FINITE);
  return runUnary(
    'elu',
    'elu',
    x,
    FLOAT_DTYPES,
    (t) => ({
      save: [t],
      saveOutputs: true,
      grad: ([dy], [v, y]) => [mul(dy, where(greater(v, 0), 1, add(y, alpha)))],
    }),
    packAttrs.elu({ alpha }),
  );
}
/** Scaled ELU (Klambauer et al.), self-normalizing. */
export function selu(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('selu', 1, arguments.length);
  return runUnary('selu', 'selu', x, FLOAT_DTYPES, (t) => ({
    save: [t],
    saveOutputs: true,
    grad: ([dy], [v, y]) => [mul(dy, where(greater(v, 0), SELU_SCALE, add(y, SELU_SCALE * SELU_ALPHA)))],
  }));
}
/** x for x > 0, alpha x otherwise. */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  if (arguments.length > 2) throw tooManyArguments('leakyRelu', 2, arguments.length);
  checkInRange('leakyRelu', 'alpha', alpha, FINITE);
  return runUnary(
    'leakyRelu',
    'leaky_relu',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => mul(dy, where(greater(v, 0), 1, alpha))),
    packAttrs.leaky_relu({ alpha }),
  );
}
/** min(max(x, 0), 6). */
export function relu6(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('relu6', 1, arguments.length);
  return runUnary(
    'relu6',
    'relu6',
    x,
    NUMERIC_DTYPES,
    fromX((dy, v) => passWhere('relu6', dy, logicalAnd(greater(v, 0), less(v, 6)))),
  );
}
/**
 * Gaussian error linear unit: x Φ(x), or its tanh approximation when `approximate`.
 */
export function gelu(x: TensorLike, approximate = false): Tensor {
  if (arguments.length > 2) throw tooManyArguments('gelu', 2, arguments.length);
  if (checkBoolean('gelu', 'approximate', approximate)) {
    return runUnary(
      'gelu',
      'gelu_tanh',
      x,
      FLOAT_DTYPES,
      fromX((dy, v) => mul(dy, geluTanhDerivative(v))),
    );
  }
  // d/dx x Φ(x) = Φ(x) + x φ(x), times dy in one kernel (the composite took seven).
  return runUnary(
    'gelu',
    'gelu',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => geluGrad('gelu', dy, v)),
  );
}
function geluTanhDerivative(v: Tensor): Tensor {
  const c = Math.sqrt(2 / Math.PI);
  const v2 = mul(v, v);
  const t = tanh(mul(add(v, mul(mul(v2, v), 0.044715)), c));
  const du = mul(add(mul(v2, 3 * 0.044715), 1), c);
  // 0.5 (1 + t) + 0.5 x (1 - t^2) du
  return add(mul(add(t, 1), 0.5), mul(mul(v, mul(sub(1, mul(t, t)), du)), 0.5));
}
/** x sigmoid(x) (swish). */
export function silu(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('silu', 1, arguments.length);
  return runUnary(
    'silu',
    'silu',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => {
      const s = sigmoid(v);
      return mul(dy, mul(s, add(mul(v, sub(1, s)), 1)));
    }),
  );
}
/** x sigmoid(x): silu's other name. */
export function swish(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('swish', 1, arguments.length);
  return asOp('swish', () => silu(x));
}
/** x tanh(softplus(x)). */
export function mish(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('mish', 1, arguments.length);
  return runUnary(
    'mish',
    'mish',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => {
      const t = tanh(softplus(v));
      return mul(dy, add(t, mul(mul(v, sub(1, mul(t, t))), sigmoid(v))));
    }),
  );
}
/** Keras 3's hard sigmoid: relu6(x + 3) / 6. */
export function hardSigmoid(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('hardSigmoid', 1, arguments.length);
  return runUnary(
    'hardSigmoid',
    'hard_sigmoid',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => mul(dy, mul(mask(logicalAnd(greater(v, -3), less(v, 3)), dy), 1 / 6))),
  );
}
/** x / (1 + |x|). */
export function softsign(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('softsign', 1, arguments.length);
  return runUnary(
    'softsign',
    'softsign',
    x,
    FLOAT_DTYPES,
    fromX((dy, v) => {
      const d = add(abs(v), 1);
      return div(dy, mul(d, d));
    }),
  );
}
