// Views with another shape: reshape, expandDims, squeeze, flatten. They share storage.
import { tooManyArguments } from '../options/arity';
import { recordOp, viewOf } from '../tensor/run';
import { checkNoHoles, checkShape, describe, normalizeAxis, sizeOf, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';
import { asOp } from './op_name';
import type { TensorLike } from '../tensor/creation';

/**
 * x with a new shape of the same size; one entry may be -1 (inferred).
 * @example reshape(x, [-1, 784])
 */
export function reshape(x: TensorLike, shape: number[]): Tensor {
  if (arguments.length > 2) throw tooManyArguments('reshape', 2, arguments.length);
  const op = 'reshape';
  const t = toTensor(op, 'x', x);
  if (!Array.isArray(shape)) throw new Error(`${op}: expected shape to be an array, got ${describe(shape)}`);
  const inferred = shape.indexOf(-1);
  if (inferred >= 0 && shape.indexOf(-1, inferred + 1) >= 0) throw new Error(`${op}: at most one dimension may be -1, got [${shape.join(', ')}]`);
  let target = shape;
  if (inferred >= 0) {
    const known = sizeOf(shape.filter((_, i) => i !== inferred));
    if (known === 0 || t.size % known !== 0) {
      throw new Error(`${op}: cannot reshape a tensor of ${t.size} elements (shape [${t.shape.join(', ')}]) into [${shape.join(', ')}]`);
    }
    target = shape.map((d, i) => (i === inferred ? t.size / known : d));
  }
  checkShape(op, target);
  if (sizeOf(target) !== t.size) {
    throw new Error(`${op}: cannot reshape a tensor of ${t.size} elements (shape [${t.shape.join(', ')}]) into [${shape.join(', ')}]`);
  }
  const y = viewOf(t, [...target]);
  recordOp(op, [t], [y], { grad: ([dy]) => [reshape(dy, t.shape)] });
  return y;
}

/** x with a new dimension of size 1 at `axis`. */
export function expandDims(x: Tensor, axis = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('expandDims', 2, arguments.length);
  const t = toTensor('expandDims', 'x', x);
  const a = normalizeAxis('expandDims', axis, t.rank + 1);
  const shape: Shape = [...t.shape];
  shape.splice(a, 0, 1);
  return asOp('expandDims', () => reshape(t, shape));
}

/** x without the size-1 dimensions (or only those in `axes`: one axis, as Keras takes, or a list, as TF.js). */
export function squeeze(x: Tensor, axes?: number | number[] | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('squeeze', 2, arguments.length);
  const op = 'squeeze';
  const t = toTensor(op, 'x', x);
  if (axes !== undefined && axes !== null && typeof axes !== 'number' && !Array.isArray(axes)) {
    throw new Error(`${op}: expected axes to be an axis or a list of axes, got ${describe(axes)}`);
  }
  const list = typeof axes === 'number' ? [axes] : axes;
  checkNoHoles(op, 'axes', list);
  const drop =
    list === undefined || list === null ? t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0) : list.map((a) => normalizeAxis(op, a, t.rank));
  for (const a of drop) {
    if (t.shape[a] !== 1) throw new Error(`${op}: cannot squeeze axis ${a} of size ${t.shape[a]} (shape [${t.shape.join(', ')}])`);
  }
  return asOp(op, () =>
    reshape(
      t,
      t.shape.filter((_, i) => !drop.includes(i)),
    ),
  );
}

/** x as a rank-1 tensor. */
export function flatten(x: Tensor): Tensor {
  if (arguments.length > 1) throw tooManyArguments('flatten', 1, arguments.length);
  const t = toTensor('flatten', 'x', x);
  return asOp('flatten', () => reshape(t, [t.size]));
}
