// tile and broadcastTo: repeating a tensor.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { runKernel1 } from '../tensor/run';
import { checkAllocation } from '../tensor/dtype';
import { broadcastShapes, checkShape, describe, shapesEqual, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';
import { sum } from './reduce';
import { reshape } from './reshape';
import { mapPacked } from '../tensor/packed_map';
import { checkNoHoles } from '../options/check';
import { everyEntry } from '../options/every_entry';

/**
 * x repeated reps[d] times along each dimension d.
 * @example tile(tensor([1, 2]), [3]) // [1, 2, 1, 2, 1, 2]
 */
export function tile(x: TensorLike, reps: number[]): Tensor {
  if (arguments.length > 2) throw tooManyArguments('tile', 2, arguments.length);
  const op = 'tile';
  const t = toTensor(op, 'x', x);
  checkNoHoles(op, 'reps', reps);
  if (!Array.isArray(reps) || reps.length !== t.rank || !everyEntry(reps, (r) => Number.isInteger(r) && r >= 0)) {
    throw new Error(`${op}: expected reps to be ${t.rank} non-negative integers for shape [${t.shape.join(', ')}], got ${describe(reps)}`);
  }
  const shape = t.shape.map((d, i) => d * reps[i]);
  return runKernel1(
    op,
    'tile',
    [t],
    [],
    { shape, dtype: t.dtype },
    {
      grad: ([dy]) => {
        // dy viewed as [r0, d0, r1, d1, ...]: sum over the repeat axes.
        const split = reshape(
          dy,
          t.shape.flatMap((d, i) => [reps[i], d]),
        );
        return [
          sum(
            split,
            reps.map((_, i) => 2 * i),
          ),
        ];
      },
    },
  );
}

/** x broadcast to `shape` (NumPy rules). */
export function broadcastTo(x: TensorLike, shape: number[]): Tensor {
  if (arguments.length > 2) throw tooManyArguments('broadcastTo', 2, arguments.length);
  const op = 'broadcastTo';
  const t = toTensor(op, 'x', x);
  checkShape(op, shape);
  checkAllocation(op, t.dtype, sizeOf(shape));
  if (t.rank > shape.length || !shapesEqual(broadcastShapes(op, t.shape, shape), shape)) {
    throw new Error(`${op}: cannot broadcast shape [${t.shape.join(', ')}] to [${shape.join(', ')}]`);
  }
  // Packed arrays (not spread or map's, whose hidden class varies with V8's tier): tile runs in every backward of a sum.
  const padded = mapPacked(shape, (_, i) => (i < shape.length - t.rank ? 1 : t.shape[i - (shape.length - t.rank)]));
  const multiples = mapPacked(shape, (d, i) => (padded[i] === 1 ? d : 1));
  if (padded.length === t.rank) return tile(t, multiples);
  // The reshaped view is an intermediate: disposed once tiled.
  const expanded = reshape(t, padded);
  try {
    return tile(expanded, multiples);
  } finally {
    expanded.dispose();
  }
}
