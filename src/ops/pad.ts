// pad: a constant border around x.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { checkNumber } from '../tensor/ranges';
import { packAttrs } from '../native/op_attrs';
import { runKernel1 } from '../tensor/run';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';
import { slice } from './slice';
import { checkNoHoles } from '../options/check';
import { everyEntry } from '../options/every_entry';

/**
 * x with `paddings[d] = [before, after]` elements of `constantValue` added around each
 * dimension d.
 * @example pad(x, [[0, 0], [1, 1]])
 */
export function pad(x: TensorLike, paddings: [number, number][] | number[][], constantValue = 0): Tensor {
  if (arguments.length > 3) throw tooManyArguments('pad', 3, arguments.length);
  const op = 'pad';
  const t = toTensor(op, 'x', x);
  if (!Array.isArray(paddings) || paddings.length !== t.rank) {
    throw new Error(`${op}: expected ${t.rank} [before, after] pairs for shape [${t.shape.join(', ')}], got ${describe(paddings)}`);
  }
  checkNoHoles(op, 'paddings', paddings);
  const flat: number[] = [];
  const shape: number[] = [];
  paddings.forEach((p, d) => {
    if (!Array.isArray(p) || p.length !== 2 || !everyEntry(p, (v) => Number.isInteger(v) && v >= 0)) {
      throw new Error(`${op}: expected paddings[${d}] to be [before, after] non-negative integers, got ${describe(p)}`);
    }
    flat.push(p[0], p[1]);
    shape.push(t.shape[d] + p[0] + p[1]);
  });
  const attrs = packAttrs.pad({ paddings: flat, constantValue: checkNumber(op, 'constantValue', constantValue) });
  return runKernel1(
    op,
    'pad',
    [t],
    attrs,
    { shape, dtype: t.dtype },
    {
      grad: ([dy]) => [
        slice(
          dy,
          paddings.map((p) => p[0]),
          [...t.shape],
        ),
      ],
    },
  );
}
