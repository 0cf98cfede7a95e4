// floorDiv and mod (TensorFlow.js's): division rounded toward -infinity, and the remainder
// that goes with it (its sign is the divisor's, as in Python's %).
import { type TensorLike } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { div, mul, sub } from './binary';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { floor } from './unary';

function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const x = toTensor(op, 'a', a);
  const y = toTensor(op, 'b', b, x.dtype);
  checkInputDType(op, 'a', x, NUMERIC_DTYPES);
  checkInputDType(op, 'b', y, NUMERIC_DTYPES);
  return [x, y];
}

// floor(a / b); integer division already rounds toward -infinity.
function floorQuotient(x: Tensor, y: Tensor): Tensor {
  const q = div(x, y);
  return isFloatDType(q.dtype) ? floor(q) : q;
}

/** a / b rounded toward -infinity, elementwise with broadcasting (7 // -2 = -4). */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  return asOp('floorDiv', () =>
    tidy(() => {
      const [x, y] = operands('floorDiv', a, b);
      return floorQuotient(x, y);
    }),
  );
}

/** a - floorDiv(a, b) * b: the remainder with the divisor's sign (-7 mod 3 = 2), elementwise with broadcasting. */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  return asOp('mod', () =>
    tidy(() => {
      const [x, y] = operands('mod', a, b);
      return sub(x, mul(floorQuotient(x, y), y));
    }),
  );
}
