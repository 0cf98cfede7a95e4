// keras.ops.top_k: the k largest entries along the last axis as [values, indices] (Keras's
// tuple), where the top-level topk returns TensorFlow.js's {values, indices}.
import { tooManyArguments } from '../options/arity';
import { asOp } from '../ops/op_name';
import { topk } from '../ops/topk';
import type { TensorLike } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';

/** Keras's top_k: [values, indices] of the k largest entries along the last axis (sorted: largest first). */
export function topK(x: TensorLike, k: number, sorted = true): [Tensor, Tensor] {
  if (arguments.length > 3) throw tooManyArguments('topK', 3, arguments.length);
  const { values, indices } = asOp('topK', () => topk(x, k, sorted));
  return [values, indices];
}
