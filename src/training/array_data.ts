// Keras's habit of training on plain arrays (numpy there): fit / evaluate / predict and
// the batch methods take nested JS arrays of numbers (or booleans) and typed arrays
// where they take tensors, and make tensors of them as tensor() does (float32 for
// numbers). A top-level array is the data itself for a model with one input (or
// output); for several, it is the list of inputs, each of which may be an array.
import { isArrayData, namedTensor, type TensorValues } from '../tensor/creation';
import { dispose } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';

/**
 * `value` with its array data made tensors (`made` collects them for release): the
 * whole value when it is array data and `count` (the model's inputs or outputs) is 1,
 * else each entry of a list or plain object. Anything else comes back unchanged for the
 * loops to check. On an error, what was already made is released.
 */
export function tensorsFromArrays(op: string, what: string, value: unknown, count: number, made: Tensor[]): unknown {
  const convert = (v: unknown, name: string): unknown => {
    if (!isArrayData(v)) return v;
    const t = namedTensor(`${op}: ${name}`, v as TensorValues);
    made.push(t);
    return t;
  };
  const start = made.length;
  try {
    if (isArrayData(value) && (count <= 1 || !Array.isArray(value))) return convert(value, what);
    if (Array.isArray(value)) return value.map((v, i) => convert(v, `${what}[${i}]`));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, `${what}.${k}`)]));
    }
    return value;
  } catch (e) {
    dispose(made.splice(start));
    throw e;
  }
}
