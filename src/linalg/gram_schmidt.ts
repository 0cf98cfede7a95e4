// TensorFlow.js's tf.linalg.gramSchmidt: modified Gram-Schmidt, composed of differentiable ops.
import { tooManyArguments } from '../options/arity';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { div, mul, sub } from '../ops/binary';
import { FLOAT_DTYPES, checkInputDType, toTensor } from '../ops/convert';
import { stack } from '../ops/concat';
import { asOp } from '../ops/op_name';
import { sum } from '../ops/reduce';
import { unstack } from '../ops/slice';
import { sqrt, square } from '../ops/unary';

/**
 * Orthonormalizes the vectors xs (an array of rank-1 tensors of one length, or the rows of a
 * matrix), in order: each minus its projections on the ones before, divided by its norm.
 * Returns the same form. More vectors than dimensions is an error (they cannot be orthonormal).
 */
export function gramSchmidt(xs: Tensor[]): Tensor[];
export function gramSchmidt(xs: Tensor): Tensor;
export function gramSchmidt(xs: Tensor[] | Tensor): Tensor[] | Tensor;
export function gramSchmidt(xs: Tensor[] | Tensor): Tensor[] | Tensor {
  if (arguments.length > 1) throw tooManyArguments('linalg.gramSchmidt', 1, arguments.length);
  const op = 'linalg.gramSchmidt';
  const matrix = !Array.isArray(xs);
  return asOp(op, () =>
    tidy(() => {
      let rows: Tensor[];
      if (matrix) {
        const t = toTensor(op, 'xs', xs);
        if (t.rank !== 2) throw new Error(`${op}: expected xs to be a matrix (rank 2) or an array of vectors, got shape [${t.shape.join(', ')}]`);
        rows = t.shape[0] === 0 ? [] : unstack(t, 0);
      } else {
        rows = xs.map((x, i) => toTensor(op, `xs[${i}]`, x));
      }
      if (rows.length === 0) throw new Error(`${op}: expected at least one vector, got ${matrix ? 'a matrix of 0 rows' : 'an empty array'}`);
      rows.forEach((r, i) => {
        checkInputDType(op, `xs[${i}]`, r, FLOAT_DTYPES);
        if (r.rank !== 1 || r.shape[0] !== rows[0].shape[0] || r.dtype !== rows[0].dtype) {
          throw new Error(
            `${op}: expected vectors of one length and dtype, got xs[0] ${rows[0].dtype} [${rows[0].shape.join(', ')}] and xs[${i}] ${r.dtype} [${r.shape.join(', ')}]`,
          );
        }
      });
      const dim = rows[0].shape[0];
      if (rows.length > dim) throw new Error(`${op}: ${rows.length} vectors cannot be orthonormal in ${dim} dimensions`);
      const ys: Tensor[] = [];
      for (const row of rows) {
        let x = row;
        for (const y of ys) x = sub(x, mul(sum(mul(y, x)), y));
        ys.push(div(x, sqrt(sum(square(x)))));
      }
      return matrix ? stack(ys, 0) : ys;
    }),
  );
}
