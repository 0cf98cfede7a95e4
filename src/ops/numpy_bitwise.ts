// keras.ops (NumPy) bitwise ops on int32 (and bool, where they are logical), computed on the
// host (no gradient): bitwiseOr, bitwiseXor, bitwiseNot / bitwiseInvert, leftShift /
// bitwiseLeftShift and rightShift / bitwiseRightShift. bitwiseAnd is TensorFlow.js's (its own file).
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray, type DType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { broadcastShapes } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { binaryOperands } from './binary';
import { checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { broadcastTo } from './tile';

// Both operands broadcast and combined elementwise on the host; two bools give a bool.
function bitwise(op: string, x1: TensorLike, x2: TensorLike, dtypes: DType[], f: (a: number, b: number) => number): Tensor {
  return asOp(op, () =>
    tidy(() => {
      const [a, b] = binaryOperands(op, x1, x2, []);
      checkInputDType(op, 'x1', a, dtypes);
      checkInputDType(op, 'x2', b, dtypes);
      const shape = broadcastShapes(op, a.shape, b.shape);
      const [av, bv] = [broadcastTo(a, shape).dataSync(), broadcastTo(b, shape).dataSync()];
      const out = allocTypedArray(a.dtype, av.length, op);
      for (let i = 0; i < av.length; i++) out[i] = f(Number(av[i]), Number(bv[i]));
      return fromTypedArray(out, shape, a.dtype, a.device);
    }),
  );
}

/** x1 | x2, elementwise with broadcasting, on int32 (or bool: logical or). */
export function bitwiseOr(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('bitwiseOr', 2, arguments.length);
  return bitwise('bitwiseOr', x1, x2, ['int32', 'bool'], (a, b) => a | b);
}

/** x1 ^ x2, elementwise with broadcasting, on int32 (or bool: logical xor). */
export function bitwiseXor(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('bitwiseXor', 2, arguments.length);
  return bitwise('bitwiseXor', x1, x2, ['int32', 'bool'], (a, b) => a ^ b);
}

function invert(op: string, x: TensorLike): Tensor {
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, ['int32', 'bool']);
      const v = t.dataSync();
      const out = allocTypedArray(t.dtype, v.length, op);
      for (let i = 0; i < v.length; i++) out[i] = t.dtype === 'bool' ? 1 - Number(v[i]) : ~Number(v[i]);
      return fromTypedArray(out, t.shape, t.dtype, t.device);
    }),
  );
}

/** ~x, elementwise, on int32 (-x - 1; or bool: logical not). */
export function bitwiseNot(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('bitwiseNot', 1, arguments.length);
  return invert('bitwiseNot', x);
}

/** Keras's bitwise_invert: the same as bitwiseNot, ~x on int32 (logical not on bool). */
export function bitwiseInvert(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('bitwiseInvert', 1, arguments.length);
  return invert('bitwiseInvert', x);
}

// As NumPy and XLA: a count outside [0, 32) shifts every bit out (left: 0; right: the sign).
const shiftLeft = (a: number, b: number): number => (b >= 0 && b < 32 ? a << b : 0);
const shiftRight = (a: number, b: number): number => (b >= 0 && b < 32 ? a >> b : a < 0 ? -1 : 0);

/** x1 << x2 on int32, elementwise with broadcasting; a count outside [0, 32) gives 0 (NumPy's). */
export function leftShift(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('leftShift', 2, arguments.length);
  return bitwise('leftShift', x1, x2, ['int32'], shiftLeft);
}

/** x1 >> x2 (arithmetic) on int32, with broadcasting; a count outside [0, 32) gives 0 or -1 by sign (NumPy's). */
export function rightShift(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('rightShift', 2, arguments.length);
  return bitwise('rightShift', x1, x2, ['int32'], shiftRight);
}

/** Keras's bitwise_left_shift: the same as leftShift. */
export function bitwiseLeftShift(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('bitwiseLeftShift', 2, arguments.length);
  return bitwise('bitwiseLeftShift', x1, x2, ['int32'], shiftLeft);
}

/** Keras's bitwise_right_shift: the same as rightShift. */
export function bitwiseRightShift(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('bitwiseRightShift', 2, arguments.length);
  return bitwise('bitwiseRightShift', x1, x2, ['int32'], shiftRight);
}
