// keras.ops.matmul of integer operands, which Keras multiplies as integers where the top-level
// matmul (the float kernels) refuses them: computed in float64, exact below 2^53, then int32.
import { tooManyArguments } from '../options/arity';
import { cast } from '../ops/cast';
import { toTensor } from '../ops/convert';
import { matmul as floatMatmul } from '../ops/keras_aliases';
import { asOp } from '../ops/op_name';
import type { TensorLike } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';

/** Keras's matmul: the matrix product, batched over leading axes (int32 operands give int32). */
export function matmul(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('matmul', 2, arguments.length);
  const op = 'matmul';
  return asOp(op, () =>
    tidy(() => {
      const [a, b] = [toTensor(op, 'x1', x1), toTensor(op, 'x2', x2)];
      if (isFloatDType(a.dtype) || isFloatDType(b.dtype)) return floatMatmul(a, b);
      return cast(floatMatmul(cast(a, 'float64'), cast(b, 'float64')), 'int32');
    }),
  );
}
