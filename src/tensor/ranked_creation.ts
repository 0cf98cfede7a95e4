// TensorFlow.js's tensor1d ... tensor6d: `tensor` that also checks the rank, the form of
// its getting-started example (`tf.tensor2d([1, 2, 3, 4], [4, 1])`).
import { tooManyArguments } from '../options/arity';
import type { DType } from './dtype';
import { namedTensor, type TensorValues } from './creation';
import { describe, type Shape } from './shape';
import type { Tensor } from './tensor';

function ofRank(op: string, rank: number, values: TensorValues, shape: Shape | undefined, dtype: DType | undefined): Tensor {
  if (shape !== undefined && (!Array.isArray(shape) || shape.length !== rank)) {
    throw new Error(`${op}: expected shape to have ${rank} dimensions, got ${describe(shape)}`);
  }
  const flat = ArrayBuffer.isView(values) || (Array.isArray(values) && !values.some((v) => Array.isArray(v)));
  if (rank > 1 && flat && shape === undefined) {
    throw new Error(`${op}: a flat array or TypedArray of values needs the shape (${rank} dimensions), as in ${op}([1, 2, 3, 4], [2, 2])`);
  }
  const t = namedTensor(op, values, shape, dtype);
  if (t.rank !== rank) {
    const got = t.shape;
    t.dispose();
    throw new Error(`${op}: expected values of rank ${rank}, got values of shape [${got.join(', ')}]`);
  }
  return t;
}

/** A rank-1 tensor: `tensor1d([1, 2, 3])`. */
export function tensor1d(values: TensorValues, dtype?: DType): Tensor {
  if (arguments.length > 2) throw tooManyArguments('tensor1d', 2, arguments.length);
  return ofRank('tensor1d', 1, values, undefined, dtype);
}

/** A rank-2 tensor from nested arrays, or flat values and their shape: `tensor2d([1, 2, 3, 4], [2, 2])`. */
export function tensor2d(values: TensorValues, shape?: [number, number], dtype?: DType): Tensor {
  if (arguments.length > 3) throw tooManyArguments('tensor2d', 3, arguments.length);
  return ofRank('tensor2d', 2, values, shape, dtype);
}

/** A rank-3 tensor from nested arrays, or flat values and their shape. */
export function tensor3d(values: TensorValues, shape?: [number, number, number], dtype?: DType): Tensor {
  if (arguments.length > 3) throw tooManyArguments('tensor3d', 3, arguments.length);
  return ofRank('tensor3d', 3, values, shape, dtype);
}

/** A rank-4 tensor from nested arrays, or flat values and their shape. */
export function tensor4d(values: TensorValues, shape?: [number, number, number, number], dtype?: DType): Tensor {
  if (arguments.length > 3) throw tooManyArguments('tensor4d', 3, arguments.length);
  return ofRank('tensor4d', 4, values, shape, dtype);
}

/** A rank-5 tensor from nested arrays, or flat values and their shape. */
export function tensor5d(values: TensorValues, shape?: [number, number, number, number, number], dtype?: DType): Tensor {
  if (arguments.length > 3) throw tooManyArguments('tensor5d', 3, arguments.length);
  return ofRank('tensor5d', 5, values, shape, dtype);
}

/** A rank-6 tensor from nested arrays, or flat values and their shape. */
export function tensor6d(values: TensorValues, shape?: [number, number, number, number, number, number], dtype?: DType): Tensor {
  if (arguments.length > 3) throw tooManyArguments('tensor6d', 3, arguments.length);
  return ofRank('tensor6d', 6, values, shape, dtype);
}
