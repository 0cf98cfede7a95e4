// floorDiv and mod (TensorFlow.js's): division rounded toward -infinity, and the remainder
// that goes with it (its sign is the divisor's, as in Python's %). Operands are promoted as
// by the other binary ops (int32 with 2.5 computes in float32); float32 is computed in
// float64, so that a - floor(a / b) * b keeps the digits float32 would lose (1e10 mod 3).
import { type TensorLike } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { binaryOperands, div, intFloorDiv, mul, sub } from './binary';
import { cast } from './cast';
import { equal, logicalAnd, logicalNot, logicalOr, where } from './compare';
import { NUMERIC_DTYPES, checkInputDType } from './convert';
import { asOp } from './op_name';
import { floor, isFinite, isNaN, sign } from './unary';
import { tooManyArguments } from '../options/arity';

function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const [x, y] = binaryOperands(op, a, b, []);
  checkInputDType(op, 'a', x, NUMERIC_DTYPES);
  checkInputDType(op, 'b', y, NUMERIC_DTYPES);
  return [x, y];
}

// Integer division already rounds toward -infinity (and gives 0 for a zero divisor, as TensorFlow.js).
const wide = (t: Tensor) => (t.dtype === 'float32' ? cast(t, 'float64') : t);
const narrow = (t: Tensor, like: Tensor) => (t.dtype === like.dtype ? t : cast(t, like.dtype));

/** a / b rounded toward -infinity, elementwise with broadcasting (-7 floorDiv 2 = -4). */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('floorDiv', 2, arguments.length);
  return asOp('floorDiv', () =>
    tidy(() => {
      const [x, y] = operands('floorDiv', a, b);
      return isFloatDType(x.dtype) ? narrow(floor(div(wide(x), wide(y))), x) : intFloorDiv(x, y);
    }),
  );
}

/**
 * a - floorDiv(a, b) * b: the remainder with the divisor's sign (-7 mod 3 = 2), elementwise
 * with broadcasting. As TensorFlow.js: an integer mod 0 is 0; a finite a mod an infinite b
 * is a when their signs agree (or a is 0), else NaN.
 */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('mod', 2, arguments.length);
  return asOp('mod', () =>
    tidy(() => {
      const [x, y] = operands('mod', a, b);
      if (!isFloatDType(x.dtype)) return where(equal(y, 0), 0, sub(x, mul(intFloorDiv(x, y), y)));
      const [xw, yw] = [wide(x), wide(y)];
      const r = sub(xw, mul(floor(div(xw, yw)), yw));
      const infiniteDivisor = logicalAnd(logicalAnd(logicalNot(isFinite(yw)), logicalNot(isNaN(yw))), isFinite(xw));
      const agrees = logicalOr(equal(xw, 0), equal(sign(xw), sign(yw)));
      return narrow(where(infiniteDivisor, where(agrees, xw, NaN), r), x);
    }),
  );
}
