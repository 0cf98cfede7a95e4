// keras.ops's value searches (NumPy's nonzero, isin): read on the host, as their output
// sizes depend on the values; neither is differentiable.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';

/** The int32 indices of x's non-zero elements, one vector per dimension (NumPy's nonzero). */
export function nonzero(x: TensorLike): Tensor[] {
  if (arguments.length > 1) throw tooManyArguments('nonzero', 1, arguments.length);
  const op = 'nonzero';
  const t = toTensor(op, 'x', x);
  if (t.rank === 0) throw new Error(`${op}: expected x of rank 1 or more, got a scalar`);
  const data = t.dataSync();
  let count = 0;
  for (let i = 0; i < data.length; i++) if (Number(data[i]) !== 0) count++;
  const out = t.shape.map(() => allocTypedArray('int32', count, op));
  for (let i = 0, k = 0; i < data.length; i++) {
    if (Number(data[i]) === 0) continue;
    for (let d = t.rank - 1, rest = i; d >= 0; d--) {
      out[d][k] = rest % t.shape[d];
      rest = Math.floor(rest / t.shape[d]);
    }
    k++;
  }
  return out.map((ids) => fromTypedArray(ids, [count], 'int32', t.device));
}

/** A bool tensor shaped like x1: whether each element is among x2's (invert: is not). */
export function isin(x1: TensorLike, x2: TensorLike, assumeUnique = false, invert = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('isin', 4, arguments.length);
  const op = 'isin';
  if (typeof assumeUnique !== 'boolean') throw new Error(`${op}: expected assumeUnique to be true or false, got ${describe(assumeUnique)}`);
  if (typeof invert !== 'boolean') throw new Error(`${op}: expected invert to be true or false, got ${describe(invert)}`);
  const a = toTensor(op, 'x1', x1);
  const b = toTensor(op, 'x2', x2);
  // Number keys: NaN is never found (NumPy's NaN != NaN), -0 finds 0.
  const values = new Set(
    Array.from(b.dataSync(), Number)
      .filter((v) => !Number.isNaN(v))
      .map((v) => (v === 0 ? 0 : v)),
  );
  const data = a.dataSync();
  const out = allocTypedArray('bool', data.length, op);
  for (let i = 0; i < data.length; i++) out[i] = values.has(Number(data[i]) === 0 ? 0 : Number(data[i])) !== invert ? 1 : 0;
  return fromTypedArray(out, a.shape, 'bool', a.device);
}
