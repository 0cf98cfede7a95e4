// Keras 3's view (numpy's ndarray.view): the same bytes read as another dtype. With equal
// item sizes the shape stays; otherwise the last axis grows or shrinks by their ratio
// (keras/src/ops/numpy.py View). Not differentiable: bits, not values.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { checkDType, type DType, type TypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';

const ITEMSIZE: Record<DType, number> = { float32: 4, int32: 4, float64: 8, bool: 1 };
const ARRAY: Record<DType, new (b: ArrayBuffer) => TypedArray> = { float32: Float32Array, int32: Int32Array, float64: Float64Array, bool: Uint8Array };

/**
 * x's bytes reinterpreted as `dtype` (default x's own: a copy), as numpy's x.view(dtype):
 * float32 <-> int32 keep the shape; float64 from float32 / int32 halves the last axis and
 * the other way doubles it. A bool holds only 0 or 1, so other dtypes cannot be viewed as bool.
 * @example view(tensor([1]), 'int32') // [1065353216]
 */
export function view(x: TensorLike, dtype?: DType | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('view', 2, arguments.length);
  const op = 'view';
  return tidy(() => {
    const t = toTensor(op, 'x', x);
    const to = dtype === undefined || dtype === null ? t.dtype : checkDType(op, dtype);
    if (to === 'bool' && t.dtype !== 'bool') {
      throw new Error(`${op}: cannot view ${t.dtype} as bool: a bool here holds 0 or 1, not any byte (numpy's bool view keeps any byte)`);
    }
    const [from, size] = [ITEMSIZE[t.dtype], ITEMSIZE[to]];
    const shape = [...t.shape];
    if (from !== size) {
      if (t.rank === 0)
        throw new Error(`${op}: cannot view a scalar ${t.dtype} as ${to}: the item sizes differ (${from} and ${size} bytes); give x at least one axis`);
      const last = shape[t.rank - 1] * from;
      if (last % size !== 0) {
        throw new Error(
          `${op}: cannot view shape [${t.shape.join(', ')}] ${t.dtype} as ${to}: the last axis has ${last} bytes, not a multiple of ${to}'s ${size}`,
        );
      }
      shape[t.rank - 1] = last / size;
    }
    const src = t.dataSync();
    // A fresh buffer: aligned for the new dtype whatever the source's offset.
    const bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength).slice();
    return fromTypedArray(new ARRAY[to](bytes.buffer), shape, to, t.device);
  });
}
