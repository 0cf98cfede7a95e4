// Comparisons and logical ops (bool results, no gradient) and where (gradient to the
// chosen branch).
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { runKernel1 } from '../tensor/run';
import { broadcastShapes } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { binaryOperands, runBinary } from './binary';
import { checkInputDType, toTensor } from './convert';
import { sumTo } from './reduce';
import { zerosLike } from '../tensor/creation';

const ALL = ['float32', 'float64', 'int32', 'bool'] as const;
const toBool = () => 'bool' as const;

/** a == b, elementwise with broadcasting. */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('equal', 2, arguments.length);
  return runBinary('equal', 'equal', a, b, toBool, null, ALL);
}
/** a != b, elementwise with broadcasting. */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('notEqual', 2, arguments.length);
  return runBinary('notEqual', 'not_equal', a, b, toBool, null, ALL);
}
/** a < b, elementwise with broadcasting. */
export function less(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('less', 2, arguments.length);
  return runBinary('less', 'less', a, b, toBool, null, ALL);
}
/** a <= b, elementwise with broadcasting. */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('lessEqual', 2, arguments.length);
  return runBinary('lessEqual', 'less_equal', a, b, toBool, null, ALL);
}
/** a > b, elementwise with broadcasting. */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('greater', 2, arguments.length);
  return runBinary('greater', 'greater', a, b, toBool, null, ALL);
}
/** a >= b, elementwise with broadcasting. */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('greaterEqual', 2, arguments.length);
  return runBinary('greaterEqual', 'greater_equal', a, b, toBool, null, ALL);
}
/** a AND b for bool tensors. */
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('logicalAnd', 2, arguments.length);
  return runBinary('logicalAnd', 'logical_and', a, b, toBool, null, ['bool']);
}
/** a OR b for bool tensors. */
export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('logicalOr', 2, arguments.length);
  return runBinary('logicalOr', 'logical_or', a, b, toBool, null, ['bool']);
}
/** a XOR b for bool tensors. */
export function logicalXor(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('logicalXor', 2, arguments.length);
  return runBinary('logicalXor', 'not_equal', a, b, toBool, null, ['bool']);
}
/** NOT x for a bool tensor. */
export function logicalNot(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('logicalNot', 1, arguments.length);
  const t = toTensor('logicalNot', 'x', x, 'bool');
  checkInputDType('logicalNot', 'x', t, ['bool']);
  return runKernel1('logicalNot', 'logical_not', [t], [], { shape: [...t.shape], dtype: 'bool' });
}

/**
 * a where condition is true, else b; all three broadcast together.
 * @example where(greater(x, 0), x, 0) // relu
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 3) throw tooManyArguments('where', 3, arguments.length);
  const op = 'where';
  const created: Tensor[] = [];
  try {
    const c = toTensor(op, 'condition', condition, 'bool', created);
    checkInputDType(op, 'condition', c, ['bool']);
    const [x, y] = binaryOperands(op, a, b, created);
    const shape = broadcastShapes(op, broadcastShapes(op, c.shape, x.shape), y.shape);
    return runKernel1(
      op,
      'where',
      [c, x, y],
      [],
      { shape, dtype: x.dtype },
      {
        save: [c],
        grad: ([dy], [cs]) => {
          const zero = zerosLike(dy);
          return [null, sumTo(where(cs, dy, zero), x.shape), sumTo(where(cs, zero, dy), y.shape)];
        },
      },
    );
  } finally {
    for (const t of created) t.dispose();
  }
}
