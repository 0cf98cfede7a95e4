// all and any (TensorFlow.js's): logical AND / OR of bool values along axes, as the min /
// max of their 0/1 values.
import { fill, type TensorLike } from '../tensor/creation';
import { normalizeAxes, reducedShape } from '../tensor/shape';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { cast } from './cast';
import { checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { max, min } from './reduce';
import { tooManyArguments } from '../options/arity';

// `empty`: the result over no values (all: true, any: false).
function logicalReduce(op: string, x: TensorLike, axis: number | number[] | undefined, keepDims: boolean, reduce: typeof min, empty: boolean): Tensor {
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, ['bool']);
      const axes = normalizeAxes(op, axis, t.rank);
      if (axes.some((a) => t.shape[a] === 0)) return fill(reducedShape(t.shape, axes, keepDims), empty ? 1 : 0, 'bool');
      return cast(reduce(cast(t, 'int32'), axes, keepDims), 'bool');
    }),
  );
}

/** True where every value along `axis` (default: all axes) is true; x must be bool. */
export function all(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('all', 3, arguments.length);
  return logicalReduce('all', x, axis, keepDims, min, true);
}

/** True where some value along `axis` (default: all axes) is true; x must be bool. */
export function any(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('any', 3, arguments.length);
  return logicalReduce('any', x, axis, keepDims, max, false);
}
