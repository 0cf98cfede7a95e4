// TensorFlow.js's tf.sparse.sparseReshape: the indices of a sparse tensor re-expressed for
// a new dense shape (one -1 inferred), as TensorFlow.js's cpu kernel computes them.
import { tooManyArguments } from '../options/arity';
import { namedTensor, type TensorLike } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';
import { checkInputDType, toIndexTensor } from '../ops/convert';

/** What sparseReshape returns. */
export interface SparseReshapeResult {
  /** [N, newRank] int32 indices in the new shape. */
  outputIndices: Tensor;
  /** [newRank] int32: the new dense shape, its -1 filled in. */
  outputShape: Tensor;
}

const OP = 'sparse.sparseReshape';

const strides = (shape: number[]) => {
  const s = new Array<number>(shape.length);
  for (let d = shape.length - 1, acc = 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
};

/**
 * Reshapes a sparse tensor: inputIndices [N, rank] int32 of a tensor of inputShape, for
 * newShape (at most one -1, inferred); TensorFlow.js's sparseReshape.
 * @example sparse.sparseReshape([[0, 0], [1, 2]], [2, 3], [3, -1])
 */
export function sparseReshape(inputIndices: TensorLike, inputShape: TensorLike, newShape: TensorLike): SparseReshapeResult {
  if (arguments.length > 3) throw tooManyArguments(OP, 3, arguments.length);
  const idx = toIndexTensor(OP, 'inputIndices', inputIndices);
  const inShapeT = toIndexTensor(OP, 'inputShape', inputShape);
  const newShapeT = toIndexTensor(OP, 'newShape', newShape);
  for (const [what, t] of [
    ['inputIndices', idx],
    ['inputShape', inShapeT],
    ['newShape', newShapeT],
  ] as const)
    checkInputDType(OP, what, t, ['int32']);
  if (idx.rank !== 2) throw new Error(`${OP}: expected inputIndices of rank 2 ([N, rank]), got shape [${idx.shape.join(', ')}]`);
  if (inShapeT.rank !== 1) throw new Error(`${OP}: expected inputShape of rank 1, got shape [${inShapeT.shape.join(', ')}]`);
  if (newShapeT.rank !== 1) throw new Error(`${OP}: expected newShape of rank 1, got shape [${newShapeT.shape.join(', ')}]`);
  const inShape = Array.from(inShapeT.dataSync() as Int32Array);
  const target = Array.from(newShapeT.dataSync() as Int32Array);
  const [n, inRank] = idx.shape;
  if (inShape.length !== inRank) throw new Error(`${OP}: expected inputShape of length ${inRank} (inputIndices' columns), got [${inShape.join(', ')}]`);
  inShape.forEach((s, d) => {
    if (s < 0) throw new Error(`${OP}: expected a non-negative inputShape, got ${s} at ${d}`);
  });
  const denseSize = inShape.reduce((a, b) => a * b, 1);
  const outShape = [...target];
  let product = 1;
  let unknown = -1;
  target.forEach((s, d) => {
    if (s === -1) {
      if (unknown !== -1) throw new Error(`${OP}: only one output dimension may be -1, not both ${unknown} and ${d}`);
      unknown = d;
    } else if (s < 0) throw new Error(`${OP}: size ${d} must be non-negative, not ${s}`);
    else product *= s;
  });
  if (unknown !== -1) {
    if (product <= 0) throw new Error(`${OP}: cannot infer the -1 dimension of an empty tensor unless all specified sizes are non-zero`);
    const missing = Math.trunc(denseSize / product);
    if (product * missing !== denseSize)
      throw new Error(
        `${OP}: a tensor of ${denseSize} dense values cannot be reshaped to [${target.join(', ')}] (${denseSize} is not a multiple of ${product})`,
      );
    outShape[unknown] = missing;
  }
  const outSize = outShape.reduce((a, b) => a * b, 1);
  if (outSize !== denseSize)
    throw new Error(
      `${OP}: a tensor of ${denseSize} dense values cannot be reshaped to [${outShape.join(', ')}] (${outSize} values); inputShape=[${inShape.join(', ')}]`,
    );
  const at = idx.dataSync();
  const inStrides = strides(inShape);
  const outStrides = strides(outShape);
  const outRank = outShape.length;
  const out = new Int32Array(n * outRank);
  for (let i = 0; i < n; i++) {
    let id = 0;
    for (let j = 0; j < inRank; j++) {
      const k = at[i * inRank + j];
      if (k < 0 || k >= inShape[j])
        throw new Error(`${OP}: expected inputIndices in the input shape, got ${k} at (${i}, ${j}) for a dimension of ${inShape[j]}`);
      id += k * inStrides[j];
    }
    for (let j = 0; j < outRank; j++) {
      out[i * outRank + j] = Math.trunc(id / outStrides[j]);
      id %= outStrides[j];
    }
  }
  return { outputIndices: namedTensor(OP, out, [n, outRank], 'int32'), outputShape: namedTensor(OP, Int32Array.from(outShape), [outRank], 'int32') };
}
