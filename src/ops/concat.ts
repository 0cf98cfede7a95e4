// concat and stack: joining tensors along an axis.
import { tooManyArguments } from '../options/arity';
import { packAttrs } from '../native/op_attrs';
import { runKernel1 } from '../tensor/run';
import { checkNoHoles, describe, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { expandDims } from './reshape';
import { split } from './slice';

/**
 * The tensors joined along `axis`; all other dimensions must match.
 * @example concat([a, b], -1)
 */
export function concat(tensors: Tensor[], axis = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('concat', 2, arguments.length);
  const op = 'concat';
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error(`${op}: expected a non-empty array of tensors, got ${describe(tensors)}`);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`${op}: expected tensors[${i}] to be a Tensor, got ${describe(t)}`);
  });
  const first = tensors[0];
  if (first.rank === 0) throw new Error(`${op}: cannot concatenate scalars; use stack`);
  const a = normalizeAxis(op, axis, first.rank);
  let extent = 0;
  tensors.forEach((t, i) => {
    const ok = t.rank === first.rank && t.shape.every((d, k) => k === a || d === first.shape[k]);
    if (!ok) {
      throw new Error(
        `${op}: tensors[${i}] has shape [${t.shape.join(', ')}], incompatible with [${first.shape.join(', ')}] for concatenation along axis ${a}`,
      );
    }
    if (t.dtype !== first.dtype) throw new Error(`${op}: tensors[${i}] has dtype ${t.dtype}, expected ${first.dtype} like tensors[0]`);
    extent += t.shape[a];
  });
  if (tensors.length === 1) return runKernel1(op, 'copy', tensors, [], { shape: [...first.shape], dtype: first.dtype }, { grad: ([dy]) => [dy] });
  const sizes = tensors.map((t) => t.shape[a]);
  const shape = first.shape.map((d, k) => (k === a ? extent : d));
  return runKernel1(
    op,
    'concat',
    tensors,
    packAttrs.concat({ axis: a }),
    { shape, dtype: first.dtype },
    {
      grad: ([dy]) => split(dy, sizes, a),
    },
  );
}

/** The tensors (all of one shape) stacked along a new `axis`. */
export function stack(tensors: Tensor[], axis = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('stack', 2, arguments.length);
  const op = 'stack';
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error(`${op}: expected a non-empty array of tensors, got ${describe(tensors)}`);
  checkNoHoles(op, 'tensors', tensors);
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`${op}: expected tensors[${i}] to be a Tensor, got ${describe(t)}`);
    if (t.rank !== first.rank || t.shape.some((d, k) => d !== first.shape[k])) {
      throw new Error(`${op}: tensors[${i}] has shape [${t.shape.join(', ')}], expected [${first.shape.join(', ')}] like tensors[0]`);
    }
  });
  const a = normalizeAxis(op, axis, first.rank + 1);
  const expanded = tensors.map((t) => expandDims(t, a));
  const result = concat(expanded, a);
  for (const e of expanded) e.dispose();
  return result;
}
