// Checking the arguments of ctcLoss and ctcDecode: logits [batch, time, classes] and
// per-sample integer lengths, read on the host where the CTC recursions run.
import type { TensorLike } from '../tensor/creation';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';

/** @internal Float logits [batch, time, classes] (integers are refused: logits are scores). */
export function ctcLogits(op: string, arg: string, x: TensorLike): Tensor {
  const t = toTensor(op, arg, x);
  checkInputDType(op, arg, t, FLOAT_DTYPES);
  if (t.rank !== 3) throw new Error(`${op}: expected ${arg} of shape [batch, time, classes], got [${t.shape.join(', ')}]`);
  if (t.shape[2] < 1) throw new Error(`${op}: expected ${arg} to have at least one class, got shape [${t.shape.join(', ')}]`);
  return t;
}

/** @internal The integer values of x (int32, or floats holding integers), each in [lo, hi]. Call inside tidy(). */
export function integerValues(op: string, arg: string, x: TensorLike, shape: readonly number[], lo: number, hi: number): Int32Array {
  const t = toTensor(op, arg, x);
  if (t.dtype === 'bool') throw new Error(`${op}: expected ${arg} to hold integers, got a bool tensor`);
  if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i]))
    throw new Error(`${op}: expected ${arg} of shape [${shape.join(', ')}], got [${t.shape.join(', ')}]`);
  const data = t.dataSync();
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`${op}: expected ${arg} to hold integers in [${lo}, ${hi}], got ${v} at index ${i}`);
    out[i] = v;
  }
  return out;
}

/** @internal An integer option in [lo, hi]. */
export function integerOption(op: string, name: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
    throw new Error(`${op}: expected ${name} to be an integer in [${lo}, ${hi}], got ${describe(v)}`);
  return v;
}

/** @internal Row-wise log-softmax of the logits, in float64. */
export function logSoftmaxRows(data: ArrayLike<number>, rows: number, classes: number): Float64Array {
  const out = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    let top = -Infinity;
    for (let k = 0; k < classes; k++) top = Math.max(top, Number(data[r * classes + k]));
    let total = 0;
    for (let k = 0; k < classes; k++) total += Math.exp(Number(data[r * classes + k]) - top);
    const shift = top + Math.log(total);
    for (let k = 0; k < classes; k++) out[r * classes + k] = Number(data[r * classes + k]) - shift;
  }
  return out;
}
