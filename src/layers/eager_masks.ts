// Keras masks on eager tensors: Keras 3 attaches a layer's output mask to the tensor it
// returns (_keras_mask), and the next layer applied to that tensor receives it, so
// `lstm.apply(embedding.apply(ids))` (and a subclassed model's call) skips padding as a
// functional model does. The mask is kept as host values keyed weakly by the output
// tensor: no tensor outlives its output or leaks, and a tidy() that keeps only the output
// keeps its mask too.
import { tensor } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';

interface HostMask {
  shape: number[];
  dtype: DType;
  values: ArrayLike<number>;
}

const carried = new WeakMap<Tensor, HostMask>();

/** Records `mask` as the Keras mask of `output` (a copy of its values). */
export function attachMask(output: Tensor, mask: Tensor): void {
  carried.set(output, { shape: [...mask.shape], dtype: mask.dtype, values: mask.dataSync() });
}

/** True when some of `inputs` carries a mask from the layer that made it. */
export function carriesMasks(inputs: Tensor[]): boolean {
  return inputs.some((x) => carried.has(x));
}

/** Fresh mask tensors for `inputs` (null where none is carried); the caller disposes them. */
export function carriedMasks(inputs: Tensor[]): (Tensor | null)[] {
  return inputs.map((x) => {
    const m = carried.get(x);
    return m === undefined ? null : tensor(m.values as never, m.shape, m.dtype);
  });
}
