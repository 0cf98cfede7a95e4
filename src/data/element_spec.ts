// Dataset.elementSpec: the shapes and dtypes of one element, structured as it (tf.data's
// element_spec of TensorSpecs). Tessera's data sets carry no static spec, so it is read
// from an element (or, for tensor slices, from the tensors sliced).
import { isArrayData } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** One leaf of an element: a tensor's shape and dtype, or a plain value's kind (shape [] for one value). */
export interface TensorSpec {
  /** The dimensions ([] for a scalar, or a plain number or string). */
  shape: number[];
  /** A tensor's dtype; 'number', 'string' or 'boolean' for plain values (and arrays of them). */
  dtype: DType | 'number' | 'string' | 'boolean';
}

/** The spec of an element: TensorSpecs structured as the element (arrays and objects). */
export type ElementSpec = TensorSpec | ElementSpec[] | { [key: string]: ElementSpec };

// The dimensions of a nested array of one kind of plain value, by its first entries.
function nestedShape(v: unknown): number[] {
  const shape: number[] = [];
  for (let at = v; Array.isArray(at) || ArrayBuffer.isView(at); at = (at as ArrayLike<unknown>)[0]) shape.push((at as ArrayLike<unknown>).length);
  return shape;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');

/** @internal The spec of element `e`; refuses what a spec cannot describe, naming `op`. */
export function specOf(op: string, e: unknown, path = ''): ElementSpec {
  if (e instanceof Tensor) return { shape: [...e.shape], dtype: e.dtype };
  if (typeof e === 'number' || typeof e === 'string' || typeof e === 'boolean') return { shape: [], dtype: typeof e as 'number' | 'string' | 'boolean' };
  if (isArrayData(e)) {
    let leaf: unknown = e;
    while (Array.isArray(leaf) || ArrayBuffer.isView(leaf)) leaf = (leaf as ArrayLike<unknown>)[0];
    return { shape: nestedShape(e), dtype: typeof leaf === 'boolean' ? 'boolean' : 'number' };
  }
  if (isStrings(e)) return { shape: [e.length], dtype: 'string' };
  if (Array.isArray(e)) return e.map((v, i) => specOf(op, v, `${path}[${i}]`));
  if (e !== null && typeof e === 'object' && Object.getPrototypeOf(e) === Object.prototype) {
    return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, specOf(op, v, path === '' ? k : `${path}.${k}`)]));
  }
  throw new Error(
    `${op}: cannot describe ${path === '' ? 'the element' : `the element's ${path}`}: ${describe(e)} (a spec describes tensors, numbers, strings, booleans and arrays or objects of them)`,
  );
}
