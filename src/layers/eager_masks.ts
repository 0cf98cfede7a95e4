// Keras masks on eager tensors: Keras 3 attaches a layer's output mask to the tensor it
// returns (_keras_mask), and the next layer applied to that tensor receives it, so
// `lstm.apply(embedding.apply(ids))` (and a subclassed model's call) skips padding as a
// functional model does. The mask is kept as host values keyed weakly by the output
// tensor: no tensor outlives its output or leaks, and a tidy() that keeps only the output
// keeps its mask too. Inside a layer's call its own inputs carry none: the layer has their
// masks in options.mask, as in a functional model (Keras's MultiHeadAttention strips them
// so that its projections do not see them).
import { tensor } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';

interface HostMask {
  shape: number[];
  dtype: DType;
  values: ArrayLike<number>;
}

const carried = new WeakMap<Tensor, HostMask>();
// Inputs of the calls running now (a count per tensor: calls nest).
const hidden = new Map<Tensor, number>();

/** Runs `body` (a layer's call) with the masks of `inputs` hidden from the applies inside it. */
export function hidingMasks<T>(inputs: Tensor[], body: () => T): T {
  const masked = inputs.filter((x) => carried.has(x));
  if (masked.length === 0) return body();
  for (const x of masked) hidden.set(x, (hidden.get(x) ?? 0) + 1);
  try {
    return body();
  } finally {
    for (const x of masked) {
      const n = hidden.get(x)! - 1;
      if (n === 0) hidden.delete(x);
      else hidden.set(x, n);
    }
  }
}

const maskOf = (x: Tensor): HostMask | undefined => (hidden.has(x) ? undefined : carried.get(x));

/** Records `mask` as the Keras mask of `output` (a copy of its values). */
export function attachMask(output: Tensor, mask: Tensor): void {
  carried.set(output, { shape: [...mask.shape], dtype: mask.dtype, values: mask.dataSync() });
}

/** True when some of `inputs` carries a mask from the layer that made it. */
export function carriesMasks(inputs: Tensor[]): boolean {
  return inputs.some((x) => maskOf(x) !== undefined);
}

/** Fresh mask tensors for `inputs` (null where none is carried); the caller disposes them. */
export function carriedMasks(inputs: Tensor[]): (Tensor | null)[] {
  return inputs.map((x) => {
    const m = maskOf(x);
    return m === undefined ? null : tensor(m.values as never, m.shape, m.dtype);
  });
}
