// addN: the elementwise sum of a list of tensors (TensorFlow.js's tf.addN).
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { describe, shapesEqual } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add } from './binary';
import { compositeOp } from './composite';
import { toTensor } from './convert';

/**
 * The elementwise sum of `tensors`, which must all have one shape and one dtype (as in
 * TensorFlow.js: no broadcasting). Each input's gradient is the output's.
 * @example addN([a, b, c])
 */
export function addN(tensors: TensorLike[]): Tensor {
  if (arguments.length > 1) throw tooManyArguments('addN', 1, arguments.length);
  const op = 'addN';
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error(`${op}: expected a non-empty array of tensors, got ${describe(tensors)}`);
  const created: Tensor[] = [];
  try {
    // Array.from, not map: map skips a hole ([a, , b]), which would silently sum two.
    const xs = Array.from(tensors, (t, i) => toTensor(op, `tensors[${i}]`, t, undefined, created));
    const [first] = xs;
    xs.forEach((t, i) => {
      if (!shapesEqual(t.shape, first.shape))
        throw new Error(`${op}: tensors[${i}] has shape [${t.shape.join(', ')}], expected [${first.shape.join(', ')}] like tensors[0]`);
      if (t.dtype !== first.dtype) throw new Error(`${op}: tensors[${i}] has dtype ${t.dtype}, expected ${first.dtype} like tensors[0]`);
    });
    if (xs.length === 1) return add(first, 0);
    return compositeOp(
      op,
      xs,
      () => xs.slice(1).reduce((sum, t) => add(sum, t), first),
      () => ({ grad: ([dy]) => xs.map(() => dy) }),
    );
  } finally {
    for (const t of created) t.dispose();
  }
}
