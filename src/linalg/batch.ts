// The plumbing of ts.linalg's host ops: checking a batch of matrices, reading each one as
// float64, writing results back in the input's dtype, recording several outputs as one op,
// and the matrix helpers (transpose, triangles) the gradients compose.
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { noGrad, recordOp, type GradRule } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { type DType } from '../tensor/dtype';
import { FLOAT_DTYPES, checkInputDType, toTensor } from '../ops/convert';
import { asOp } from '../ops/op_name';
import { transpose } from '../ops/transpose';
import { bandPart } from '../ops/tfjs_select';
import { reshape } from '../ops/reshape';
import { slice } from '../ops/slice';
import { broadcastTo } from '../ops/tile';
import { tidy } from '../tensor/memory';

/** A float tensor of matrices (rank >= 2), square when `square`; its batch size and matrix dimensions. */
export function matrices(op: string, arg: string, x: TensorLike, square: boolean): { t: Tensor; batch: number; m: number; n: number } {
  const t = toTensor(op, arg, x);
  checkInputDType(op, arg, t, FLOAT_DTYPES);
  if (t.rank < 2) throw new Error(`${op}: expected ${arg} of rank 2 or more (a batch of matrices), got shape [${t.shape.join(', ')}]`);
  const [m, n] = t.shape.slice(-2);
  if (square && m !== n) throw new Error(`${op}: expected square matrices in ${arg}, got shape [${t.shape.join(', ')}] (${m} x ${n})`);
  const batch = t.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  return { t, batch, m, n };
}

/**
 * A batch of empty matrices ([2**31, 0, 0]) without a loop per matrix: `one` (the op) on the
 * first matrix alone, its outputs broadcast over the batch, since every empty matrix has the
 * same answer (det 1, an empty inverse). Null when the matrices are not empty or there is one.
 */
export function overEmptyBatch<R extends Tensor | Tensor[]>(t: Tensor, one: (first: Tensor) => R): R | null {
  const [m, n] = t.shape.slice(-2);
  const batchShape = t.shape.slice(0, -2);
  const batch = batchShape.reduce((p, d) => p * d, 1);
  if (m * n !== 0 || batch <= 1) return null;
  const first = slice(reshape(t, [batch, m, n]), [0, 0, 0], [1, m, n]);
  const over = (y: Tensor): Tensor => broadcastTo(reshape(y, y.shape.slice(1)), [...batchShape, ...y.shape.slice(1)]);
  const out = one(first);
  return (Array.isArray(out) ? out.map(over) : over(out)) as R;
}

/** Matrix `b` of the batch in t's flat data (of `size` entries each), as float64. */
export function matrixAt(data: ArrayLike<number>, b: number, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = data[b * size + i];
  return out;
}

/** Fills a batch of results into one tensor of `dtype`. */
export function fromBatch(parts: Float64Array[], shape: number[], dtype: DType, device: string): Tensor {
  const size = parts.length === 0 ? 0 : parts[0].length;
  const data = dtype === 'float64' ? new Float64Array(parts.length * size) : new Float32Array(parts.length * size);
  parts.forEach((p, b) => data.set(p, b * size));
  return fromTypedArray(data, shape, dtype, device);
}

/** Runs `forward` unrecorded and records its outputs as one op of `inputs` with `rule`. */
export function hostOp(name: string, inputs: Tensor[], forward: () => Tensor[], rule: (outputs: Tensor[]) => GradRule): Tensor[] {
  const outs = asOp(name, () => noGrad(() => tidy(forward)));
  recordOp(name, inputs, outs, rule(outs));
  return outs;
}

/** x with its last two dimensions swapped. */
export function mT(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return transpose(x, perm);
}

/** The lower (or upper) triangle of each matrix, diagonal included. */
export const triangle = (x: Tensor, lower: boolean): Tensor => (lower ? bandPart(x, -1, 0) : bandPart(x, 0, -1));

/** The error for an op whose gradient is not defined. */
export function noGradient(op: string, why: string): GradRule['grad'] {
  return () => {
    throw new Error(`${op}: no gradient: ${why}`);
  };
}

/** Refuses a result of `count` values that no typed array can hold, naming the op. */
export function checkFits(op: string, what: string, count: number): void {
  if (!(count <= 2 ** 31)) throw new Error(`${op}: ${what} would hold ${count} values, more than a tensor built on the host can hold (2^31)`);
}

/** Refuses a matrix with NaN or Infinity, for which an iterative decomposition has no answer (as torch.linalg's). */
export function checkFinite(op: string, m: Float64Array, b: number, batch: number): void {
  if (!m.every(Number.isFinite))
    throw new Error(`${op}: the matrix${batch > 1 ? ` at batch index ${b}` : ''} holds NaN or Infinity, so it has no decomposition`);
}
