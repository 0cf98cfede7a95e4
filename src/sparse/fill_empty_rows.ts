// TensorFlow.js's tf.sparse.sparseFillEmptyRows: a sparse tensor (indices, values,
// denseShape) with one entry (defaultValue, at column 0) added to each empty row, rows in
// order; computed on the host as TensorFlow.js's cpu kernel does (the sizes depend on the data).
import { tooManyArguments } from '../options/arity';
import { namedTensor, type TensorLike } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';
import { checkInputDType, toIndexTensor, toTensor } from '../ops/convert';

/** What sparseFillEmptyRows returns. */
export interface SparseFillEmptyRowsResult {
  /** [N', rank] int32 indices, rows in order, one [row, 0, ...] added per empty row. */
  outputIndices: Tensor;
  /** [N'] values, defaultValue at the added entries. */
  outputValues: Tensor;
  /** [denseShape[0]] bool: whether each row was empty. */
  emptyRowIndicator: Tensor;
  /** [N] int32: where each input entry went in the output. */
  reverseIndexMap: Tensor;
}

const OP = 'sparse.sparseFillEmptyRows';

/**
 * Fills the empty rows of the sparse tensor (indices [N, rank] int32, values [N],
 * denseShape [rank]) with defaultValue at column 0 (TensorFlow.js's sparseFillEmptyRows).
 * @example sparse.sparseFillEmptyRows([[0, 0], [2, 1]], [5, 6], [3, 4], -1)
 */
export function sparseFillEmptyRows(indices: TensorLike, values: TensorLike, denseShape: TensorLike, defaultValue: TensorLike): SparseFillEmptyRowsResult {
  if (arguments.length > 4) throw tooManyArguments(OP, 4, arguments.length);
  const idx = toIndexTensor(OP, 'indices', indices);
  const vals = toTensor(OP, 'values', values);
  const shape = toIndexTensor(OP, 'denseShape', denseShape);
  const fill = toTensor(OP, 'defaultValue', defaultValue, vals.dtype);
  checkInputDType(OP, 'indices', idx, ['int32']);
  checkInputDType(OP, 'denseShape', shape, ['int32']);
  if (fill.dtype !== vals.dtype) throw new Error(`${OP}: expected defaultValue of values' dtype ${vals.dtype}, got ${fill.dtype}`);
  if (idx.rank !== 2) throw new Error(`${OP}: expected indices of rank 2 ([N, rank]), got shape [${idx.shape.join(', ')}]`);
  if (vals.rank !== 1) throw new Error(`${OP}: expected values of rank 1, got shape [${vals.shape.join(', ')}]`);
  if (shape.rank !== 1) throw new Error(`${OP}: expected denseShape of rank 1, got shape [${shape.shape.join(', ')}]`);
  if (fill.rank !== 0) throw new Error(`${OP}: expected a scalar defaultValue, got shape [${fill.shape.join(', ')}]`);
  const [n, rank] = idx.shape;
  if (vals.shape[0] !== n) throw new Error(`${OP}: expected one value per index row (${n}), got ${vals.shape[0]} values`);
  if (shape.shape[0] !== rank) throw new Error(`${OP}: expected denseShape of length ${rank} (indices' columns), got ${shape.shape[0]}`);
  if (rank === 0) throw new Error(`${OP}: expected indices with at least one column, got shape [${idx.shape.join(', ')}]`);
  const at = idx.dataSync();
  const v = vals.dataSync();
  const rows = shape.dataSync()[0];
  if (rows < 0) throw new Error(`${OP}: expected a non-negative denseShape[0], got ${rows}`);
  if (rows === 0 && n !== 0) throw new Error(`${OP}: denseShape[0] is 0 but indices has ${n} rows`);

  // Entries per row, then each row's first output position (an empty row takes one).
  const count = new Array<number>(rows).fill(0);
  for (let i = 0; i < n; i++) {
    const r = at[i * rank];
    if (r < 0 || r >= rows) throw new Error(`${OP}: indices(${i}, 0) is invalid: expected a row in [0, ${rows}), got ${r}`);
    count[r]++;
  }
  const start = new Array<number>(rows);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    start[r] = total;
    total += Math.max(count[r], 1);
  }
  const outIdx = new Int32Array(total * rank);
  const outVals = new Array<number>(total);
  const reverse = new Int32Array(n);
  const filled = new Array<number>(rows).fill(0);
  for (let i = 0; i < n; i++) {
    const r = at[i * rank];
    const o = start[r] + filled[r]++;
    for (let j = 0; j < rank; j++) outIdx[o * rank + j] = at[i * rank + j];
    outVals[o] = v[i] as number;
    reverse[i] = o;
  }
  const empty = new Uint8Array(rows);
  const fillValue = fill.dataSync()[0] as number;
  for (let r = 0; r < rows; r++) {
    if (count[r] > 0) continue;
    empty[r] = 1;
    outIdx[start[r] * rank] = r; // the other columns stay 0
    outVals[start[r]] = fillValue;
  }
  return {
    outputIndices: namedTensor(OP, outIdx, [total, rank], 'int32'),
    outputValues: namedTensor(OP, outVals, [total], vals.dtype),
    emptyRowIndicator: namedTensor(OP, empty, [rows], 'bool'),
    reverseIndexMap: namedTensor(OP, reverse, [n], 'int32'),
  };
}
