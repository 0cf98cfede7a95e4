// keras.ops (NumPy / PyTorch) matrix statistics composed from differentiable ops: corrcoef,
// cdist (torch.cdist's pairwise p-norm distances), slogdet and logdet (from linalg.det).
import { det } from '../linalg/solve';
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { div, mul, pow, sub } from './binary';
import { cast } from './cast';
import { equal, notEqual, where } from './compare';
import { clipByValue } from './clip';
import { matMul } from './matmul';
import { floatOperand } from './numpy_elementwise';
import { asOp } from './op_name';
import { max, mean, sum } from './reduce';
import { reshape } from './reshape';
import { abs, log, sign, sqrt } from './unary';

/**
 * Pearson correlation coefficients of the rows of x (each row a variable, each column an
 * observation), as NumPy's corrcoef: [rows, rows]; a vector gives the scalar 1. NaN where a
 * row is constant.
 */
export function corrcoef(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('corrcoef', 1, arguments.length);
  const op = 'corrcoef';
  return asOp(op, () =>
    tidy(() => {
      const t = floatOperand(op, 'x', x);
      if (t.rank !== 1 && t.rank !== 2) throw new Error(`${op}: expected x of rank 1 or 2 (variables by observations), got shape [${t.shape.join(', ')}]`);
      const m = t.rank === 1 ? reshape(t, [1, -1]) : t;
      if (m.shape[1] === 0) throw new Error(`${op}: expected at least one observation (column), got shape [${t.shape.join(', ')}]`);
      const centred = sub(m, mean(m, 1, true));
      const cov = matMul(centred, centred, false, true);
      const d = sqrt(sum(mul(centred, centred), 1, true));
      // Rounding can put |r| a hair above 1; NumPy clips it back too.
      const r = clipByValue(div(div(cov, d), reshape(d, [1, -1])), -1, 1);
      return t.rank === 1 ? reshape(r, []) : r;
    }),
  );
}

/**
 * The p-norm distance between each row of x1 ([..., P, M]) and each row of x2 ([..., R, M]),
 * as torch.cdist: [..., P, R]. p >= 0, Infinity for the largest difference; the gradient of
 * a zero distance is 0.
 */
export function cdist(x1: TensorLike, x2: TensorLike, p = 2): Tensor {
  if (arguments.length > 3) throw tooManyArguments('cdist', 3, arguments.length);
  const op = 'cdist';
  if (typeof p !== 'number' || !(p >= 0)) throw new Error(`${op}: expected p to be a non-negative number or Infinity, got ${describe(p)}`);
  return asOp(op, () =>
    tidy(() => {
      const a = floatOperand(op, 'x1', x1);
      const b = floatOperand(op, 'x2', x2);
      if (a.rank < 2 || b.rank < 2 || a.rank !== b.rank || a.shape[a.rank - 1] !== b.shape[b.rank - 1] || a.shape.slice(0, -2).some((v, i) => v !== b.shape[i]))
        throw new Error(
          `${op}: expected x1 [..., P, M] and x2 [..., R, M] of one rank (at least 2), one batch and one M, got shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`,
        );
      const [A, B] = a.dtype === b.dtype ? [a, b] : [cast(a, 'float64'), cast(b, 'float64')];
      const diff = abs(sub(reshape(A, [...A.shape.slice(0, -1), 1, A.shape[A.rank - 1]]), reshape(B, [...B.shape.slice(0, -2), 1, ...B.shape.slice(-2)])));
      const last = diff.rank - 1;
      if (p === 0) return sum(cast(notEqual(diff, 0), diff.dtype), last);
      if (p === 1) return sum(diff, last);
      if (p === Infinity) return max(diff, last);
      // The root of a zero sum is taken at 1 and masked, so that no infinite slope reaches the gradient.
      const s = sum(p === 2 ? mul(diff, diff) : pow(diff, p), last);
      const zero = equal(s, 0);
      return where(zero, 0, pow(where(zero, 1, s), 1 / p));
    }),
  );
}

/**
 * The sign and the log of the absolute value of the determinant of each square matrix of
 * x: [sign, logabsdet], from linalg.det (so a determinant beyond the dtype's range
 * overflows). A singular matrix gives sign 0 and -Infinity.
 */
export function slogdet(x: TensorLike): [Tensor, Tensor] {
  if (arguments.length > 1) throw tooManyArguments('slogdet', 1, arguments.length);
  const op = 'slogdet';
  return asOp(op, () =>
    tidy(() => {
      const d = det(floatOperand(op, 'x', x));
      return [sign(d), log(abs(d))] as [Tensor, Tensor];
    }),
  );
}

/** The log of the determinant of each square matrix of x (NaN where it is negative), as torch.logdet. */
export function logdet(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('logdet', 1, arguments.length);
  const op = 'logdet';
  return asOp(op, () => tidy(() => log(det(floatOperand(op, 'x', x)))));
}
