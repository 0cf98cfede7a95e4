// TensorFlow.js's inTopKAsync: whether each row's target class is among its k largest
// predictions, computed on the host as TensorFlow.js's cpu backend does (a stable sort by
// value, so of equal values the lower class index ranks first).
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';

/**
 * For predictions [batch, ..., classes] and int32 targets [...], a bool tensor [...]: true where the
 * target's prediction is among the row's k largest (TensorFlow.js's inTopKAsync).
 * @example await inTopKAsync(logits, labels, 5)
 */
export async function inTopKAsync(predictions: TensorLike, targets: TensorLike, k = 1): Promise<Tensor> {
  if (arguments.length > 3) throw tooManyArguments('inTopKAsync', 3, arguments.length);
  const op = 'inTopKAsync';
  // Tensors made here from arrays, disposed before returning.
  const created: Tensor[] = [];
  try {
    return await rank(op, toTensor(op, 'predictions', predictions, undefined, created), toTensor(op, 'targets', targets, 'int32', created), k);
  } finally {
    created.forEach((c) => c.dispose());
  }
}

async function rank(op: string, p: Tensor, t: Tensor, k: number): Promise<Tensor> {
  checkInputDType(op, 'predictions', p, FLOAT_DTYPES);
  checkInputDType(op, 'targets', t, ['int32']);
  if (p.rank < 2) throw new Error(`${op}: expected predictions of rank 2 or more ([..., classes]), got shape [${p.shape.join(', ')}]`);
  const classes = p.shape[p.rank - 1];
  if (t.rank !== p.rank - 1 || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(`${op}: expected targets of shape [${p.shape.slice(0, -1).join(', ')}] (predictions' without the classes), got [${t.shape.join(', ')}]`);
  }
  if (!Number.isInteger(k) || k < 1 || k > classes) throw new Error(`${op}: expected k an integer in [1, ${classes}] (the classes), got ${describe(k)}`);
  const [values, labels] = await Promise.all([p.data(), t.data()]);
  const out = allocTypedArray('bool', t.size, op);
  const order = Array.from({ length: classes }, (_, i) => i);
  for (let row = 0; row < t.size; row++) {
    const base = row * classes;
    const ranked = order.slice().sort((a, b) => values[base + b] - values[base + a]);
    out[row] = ranked.slice(0, k).includes(labels[row]) ? 1 : 0;
  }
  return fromTypedArray(out, t.shape, 'bool', p.device);
}
