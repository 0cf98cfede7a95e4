// Preparing (yTrue, yPred) pairs for losses and metrics: tensors of one float dtype,
// ranks aligned as Keras's squeeze_or_expand_to_same_rank does, shapes checked.
import { cast } from '../ops/cast';
import { toTensor } from '../ops/convert';
import { reshape } from '../ops/reshape';
import { isFloatDType } from '../tensor/dtype';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { shapesEqual } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** `[d0, d1, ...]` for error messages. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Drops (or adds) a trailing size-1 dimension when the ranks differ by exactly one,
 * as Keras's squeeze_or_expand_to_same_rank: a rank-1 partner of a [n, 1] tensor is
 * expanded when `expandRank1`, otherwise the size-1 dimension is squeezed.
 */
export function alignRanks(a: Tensor, b: Tensor, expandRank1 = true): [Tensor, Tensor] {
  const adjust = (x: Tensor, y: Tensor): [Tensor, Tensor] => {
    if (x.rank !== y.rank + 1 || x.shape[x.rank - 1] !== 1) return [x, y];
    if (y.rank === 1 && expandRank1) return [x, reshape(y, [...y.shape, 1])];
    return [reshape(x, x.shape.slice(0, -1)), y];
  };
  if (a.rank === b.rank) return [a, b];
  if (a.rank > b.rank) return adjust(a, b);
  const [y, x] = adjust(b, a);
  return [x, y];
}

/** yPred as a float tensor (integers become float32). */
export function floatPrediction(op: string, yPred: TensorLike): Tensor {
  const p = toTensor(op, 'yPred', yPred);
  return isFloatDType(p.dtype) ? p : cast(p, 'float32');
}

/**
 * yTrue and yPred with yPred's float dtype and one shape. Call inside tidy(): the
 * converted tensors are temporaries.
 */
export function lossPair(op: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const p = floatPrediction(op, yPred);
  let t = toTensor(op, 'yTrue', yTrue);
  if (t.dtype !== p.dtype) t = cast(t, p.dtype);
  const [ta, pa] = alignRanks(t, p);
  if (!shapesEqual(ta.shape, pa.shape)) {
    throw new Error(`${op}: yTrue of shape ${shapeText(t.shape)} does not match yPred of shape ${shapeText(p.shape)}`);
  }
  return [ta, pa];
}

/** Runs a per-sample loss on an aligned (yTrue, yPred) pair inside tidy(). */
export function perSample(op: string, yTrue: TensorLike, yPred: TensorLike, fn: (t: Tensor, p: Tensor) => Tensor): Tensor {
  return tidy(() => {
    const [t, p] = lossPair(op, yTrue, yPred);
    return fn(t, p);
  });
}
