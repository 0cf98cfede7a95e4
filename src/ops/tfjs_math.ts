// TensorFlow.js ops that are compositions of ours (so their gradients are the
// composition's): logSigmoid, isInf, divNoNan, euclideanNorm, dot and step.
import { tooManyArguments } from '../options/arity';
import { customGrad } from '../autograd/functional';
import { scalar, zerosLike, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { binaryOperands, div } from './binary';
import { equal, greater, logicalNot, logicalOr, where } from './compare';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { norm } from './clip';
import { matMul } from './matmul';
import { asOp } from './op_name';
import { reshape } from './reshape';
import { isFinite, isNaN, neg, softplus } from './unary';

/** log(sigmoid(x)) = -softplus(-x), without sigmoid's underflow for large negative x. */
export function logSigmoid(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('logSigmoid', 1, arguments.length);
  return asOp('logSigmoid', () => tidy(() => neg(softplus(neg(x as Tensor)))));
}

/** True where x is +Infinity or -Infinity (bool). */
export function isInf(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('isInf', 1, arguments.length);
  return asOp('isInf', () => tidy(() => logicalNot(logicalOr(isFinite(x), isNaN(x)))));
}

/** a / b, and 0 where b is 0 (whatever a is), elementwise with broadcasting; the gradient there is 0 too. */
export function divNoNan(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('divNoNan', 2, arguments.length);
  return asOp('divNoNan', () =>
    tidy(() => {
      const [x, y] = binaryOperands('divNoNan', a, b, []);
      const zero = equal(y, 0);
      // The divisor is replaced where it is 0, so that no NaN reaches the gradient.
      return where(zero, 0, div(x, where(zero, 1, y)));
    }),
  );
}

/** sqrt(sum(x^2)) over `axis` (all axes when omitted). */
export function euclideanNorm(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('euclideanNorm', 3, arguments.length);
  return asOp('euclideanNorm', () => norm(x, 'euclidean', axis ?? undefined, keepDims));
}

/**
 * The dot product of vectors and matrices (rank 1 or 2 each): vector . vector is a scalar,
 * vector . matrix and matrix . vector are vectors, matrix . matrix is matMul.
 */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('dot', 2, arguments.length);
  const op = 'dot';
  return asOp(op, () =>
    tidy(() => {
      const x = toTensor(op, 't1', a);
      const y = toTensor(op, 't2', b);
      for (const [name, t] of [
        ['t1', x],
        ['t2', y],
      ] as const) {
        if (t.rank !== 1 && t.rank !== 2) throw new Error(`${op}: expected ${name} of rank 1 or 2, got shape [${t.shape.join(', ')}]`);
      }
      const [k1, k2] = [x.shape[x.rank - 1], y.shape[0]];
      if (k1 !== k2) throw new Error(`${op}: the inner dimensions differ: t1 [${x.shape.join(', ')}] and t2 [${y.shape.join(', ')}] (${k1} and ${k2})`);
      const product = matMul(x.rank === 1 ? reshape(x, [1, k1]) : x, y.rank === 1 ? reshape(y, [k2, 1]) : y);
      return reshape(product, [...(x.rank === 2 ? [x.shape[0]] : []), ...(y.rank === 2 ? [y.shape[1]] : [])]);
    }),
  );
}

/** 1 where x > 0, `alpha` elsewhere, NaN where x is NaN (a float x); its gradient is 0. */
export function step(x: TensorLike, alpha = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('step', 2, arguments.length);
  const op = 'step';
  if (typeof alpha !== 'number') throw new Error(`${op}: expected alpha to be a number, got ${describe(alpha)}`);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, FLOAT_DTYPES);
      // TensorFlow.js's gradient of step is 0 everywhere (a function of x, not a constant).
      const stepOf = customGrad((v: Tensor) => ({
        value: where(isNaN(v), scalar(NaN, v.dtype), where(greater(v, 0), scalar(1, v.dtype), scalar(alpha, v.dtype))),
        gradFunc: (dy: Tensor) => zerosLike(dy),
      }));
      return stepOf(t);
    }),
  );
}
