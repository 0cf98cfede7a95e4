// TensorFlow.js's bitwiseAnd on int32 tensors, computed on the host (integers: no gradient).
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { elementwise } from './numpy_integer';

/**
 * The bitwise AND of two int32 tensors, elementwise (TensorFlow.js's bitwiseAnd; the shapes
 * broadcast, as Keras's bitwise_and, where TensorFlow.js asks for equal shapes).
 * @example bitwiseAnd(tensor([12, -1], [2], 'int32'), tensor([10, 7], [2], 'int32')) // [8, 7]
 */
export function bitwiseAnd(x: TensorLike, y: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('bitwiseAnd', 2, arguments.length);
  const op = 'bitwiseAnd';
  return asOp(op, () =>
    tidy(() => {
      // Checked before the operands' dtypes are reconciled, which would take a bool for int32.
      const [a, b] = [toTensor(op, 'x', x), toTensor(op, 'y', y)];
      checkInputDType(op, 'x', a, ['int32']);
      checkInputDType(op, 'y', b, ['int32']);
      return elementwise(op, a, b, (p, q) => p & q, ['x', 'y']);
    }),
  );
}
