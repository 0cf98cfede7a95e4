// cast: converting between dtypes; clone: a copy.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { checkDType, isFloatDType, type DType } from '../tensor/dtype';
import { runKernel1 } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';

/**
 * x converted to `dtype` (to bool: non-zero is true; float to int32 truncates toward 0).
 * Gradients flow between float dtypes only.
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  if (arguments.length > 2) throw tooManyArguments('cast', 2, arguments.length);
  const op = 'cast';
  const t = toTensor(op, 'x', x);
  checkDType(op, dtype);
  const differentiable = isFloatDType(t.dtype) && isFloatDType(dtype);
  return runKernel1(
    op,
    t.dtype === dtype ? 'copy' : 'cast',
    [t],
    [],
    { shape: [...t.shape], dtype },
    {
      grad: ([dy]) => [differentiable ? cast(dy, t.dtype) : null],
    },
  );
}

/** A copy of x with its own buffer (TensorFlow.js's clone; of a Variable, a plain Tensor); gradients pass through. */
export function clone(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('clone', 1, arguments.length);
  const op = 'clone';
  const created: Tensor[] = [];
  try {
    const t = toTensor(op, 'x', x, undefined, created);
    return runKernel1(op, 'copy', [t], [], { shape: [...t.shape], dtype: t.dtype }, { grad: ([dy]) => [dy] });
  } finally {
    for (const t of created) t.dispose();
  }
}
