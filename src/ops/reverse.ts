// reverse (TensorFlow.js's): the order of the elements along some axes turned around, as a
// gather of each axis's indices backward, so its gradient is gather's.
import { range, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { normalizeAxes } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { clone } from './cast';
import { toTensor } from './convert';
import { gather } from './gather';
import { asOp } from './op_name';
import { tooManyArguments } from '../options/arity';

/** x with its elements in reverse order along `axis` (one axis, several, or all when omitted). */
export function reverse(x: TensorLike, axis?: number | number[]): Tensor {
  if (arguments.length > 2) throw tooManyArguments('reverse', 2, arguments.length);
  const op = 'reverse';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const axes = normalizeAxes(op, axis, t.rank);
      let out = t;
      for (const a of axes) out = gather(out, range(t.shape[a] - 1, -1, -1, 'int32'), a);
      return out === t ? clone(t) : out; // a scalar, or no axes: a copy, as every op returns a new tensor
    }),
  );
}
