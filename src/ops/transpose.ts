// transpose: any permutation of the dimensions.
import { type TensorLike } from '../tensor/creation';
import { packAttrs } from '../native/op_attrs';
import { runKernel1 } from '../tensor/run';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';
import { tooManyArguments } from '../options/arity';

/**
 * x with its dimensions permuted: output dim i is input dim perm[i]. Without perm,
 * the dimensions are reversed. TensorFlow.js's `conjugate` (complex numbers) is taken as
 * false only: there are no complex dtypes.
 */
export function transpose(x: TensorLike, perm?: number[] | null, conjugate?: boolean): Tensor {
  if (arguments.length > 3) throw tooManyArguments('transpose', 3, arguments.length);
  const op = 'transpose';
  if (conjugate !== undefined && conjugate !== false)
    throw new Error(`${op}: conjugate applies to complex tensors, which Tessera does not have; expected false or nothing, got ${describe(conjugate)}`);
  const t = toTensor(op, 'x', x);
  const p = perm ?? t.shape.map((_, i) => t.rank - 1 - i);
  const seen = new Set<number>();
  if (!Array.isArray(p) || p.length !== t.rank) {
    throw new Error(`${op}: expected perm to list all ${t.rank} dimensions of shape [${t.shape.join(', ')}], got ${describe(perm)}`);
  }
  for (const d of p) {
    if (!Number.isInteger(d) || d < 0 || d >= t.rank || seen.has(d)) {
      throw new Error(`${op}: expected perm to be a permutation of 0..${t.rank - 1}, got [${p.join(', ')}]`);
    }
    seen.add(d);
  }
  if (p.every((d, i) => d === i)) return runKernel1(op, 'copy', [t], [], { shape: [...t.shape], dtype: t.dtype }, identityGrad);
  const inverse = new Array<number>(p.length);
  p.forEach((d, i) => (inverse[d] = i));
  return runKernel1(
    op,
    'transpose',
    [t],
    packAttrs.transpose({ perm: p }),
    { shape: p.map((d) => t.shape[d]), dtype: t.dtype },
    {
      grad: ([dy]) => [transpose(dy, inverse)],
    },
  );
}

const identityGrad = { grad: ([dy]: Tensor[]) => [dy] };
