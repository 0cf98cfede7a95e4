// TensorFlow.js's searches and counts, computed on the host as its cpu backend does:
// searchSorted / lowerBound / upperBound, bincount / denseBincount and setdiff1dAsync.
// None is differentiable (their outputs are integers or counts).
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { checkInputDType, toIndexTensor, toTensor } from './convert';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

// Runs fn on tensors made from the arguments, disposing those it made.
function withTensors<T>(made: Tensor[], fn: () => T): T {
  try {
    return fn();
  } finally {
    for (const t of made) t.dispose();
  }
}

/**
 * For each row of `values`, the positions at which its entries would go into the matching
 * row of `sortedSequence` (sorted along its last axis) to keep it sorted: before equal
 * entries for side 'left', after them for 'right'. int32 [rows, values' last dimension]
 * (TensorFlow.js's 2-D result, also for vectors: [1, n]).
 */
export function searchSorted(sortedSequence: TensorLike, values: TensorLike, side: 'left' | 'right' = 'left'): Tensor {
  if (arguments.length > 3) throw tooManyArguments('searchSorted', 3, arguments.length);
  return search('searchSorted', sortedSequence, values, side);
}

/** searchSorted with side 'left': the first position whose entry is not less than the value. */
export function lowerBound(sortedSequence: TensorLike, values: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('lowerBound', 2, arguments.length);
  return search('lowerBound', sortedSequence, values, 'left');
}

/** searchSorted with side 'right': the first position whose entry is greater than the value. */
export function upperBound(sortedSequence: TensorLike, values: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('upperBound', 2, arguments.length);
  return search('upperBound', sortedSequence, values, 'right');
}

function search(op: string, sortedSequence: TensorLike, values: TensorLike, side: unknown): Tensor {
  if (side !== 'left' && side !== 'right') throw new Error(`${op}: expected side 'left' or 'right', got ${describe(side)}`);
  const made: Tensor[] = [];
  return withTensors(made, () => {
    const seq = toTensor(op, 'sortedSequence', sortedSequence, undefined, made);
    const v = toTensor(op, 'values', values, undefined, made);
    if (seq.rank === 0 || v.rank === 0)
      throw new Error(`${op}: expected sortedSequence and values of rank 1 or more, got shapes ${fmt(seq.shape)} and ${fmt(v.shape)}`);
    if (seq.dtype !== v.dtype) throw new Error(`${op}: expected sortedSequence and values of one dtype, got ${seq.dtype} and ${v.dtype}`);
    const n = seq.shape[seq.rank - 1];
    const m = v.shape[v.rank - 1];
    const vRows = sizeOfLeading(v.shape);
    if (sizeOfLeading(seq.shape) !== vRows)
      throw new Error(`${op}: the leading dimensions of sortedSequence ${fmt(seq.shape)} and values ${fmt(v.shape)} must hold as many rows`);
    const s = seq.dataSync();
    const q = v.dataSync();
    const out = allocTypedArray('int32', v.size, op) as Int32Array;
    for (let r = 0; r < vRows; r++) {
      for (let j = 0; j < m; j++) {
        const x = Number(q[r * m + j]);
        let lo = 0;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          const e = Number(s[r * n + mid]);
          if (side === 'left' ? e < x : e <= x) lo = mid + 1;
          else hi = mid;
        }
        out[r * m + j] = lo;
      }
    }
    // TensorFlow.js returns the 2-D form [rows, values' last dimension].
    return fromTypedArray(out, [vRows, m], 'int32');
  });
}

const sizeOfLeading = (shape: readonly number[]) => shape.slice(0, -1).reduce((p, d) => p * d, 1);

/**
 * How often each value 0 .. size - 1 occurs in the int32 x (or, with `weights` of x's size,
 * the sum of their weights; pass an empty tensor for plain counts). Values of size or more
 * are ignored; a negative value is an error, as in TensorFlow.js. The output has weights'
 * dtype.
 */
export function bincount(x: TensorLike, weights: TensorLike, size: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('bincount', 3, arguments.length);
  return count('bincount', x, weights, size, false, false);
}

/**
 * bincount of a vector, or of each row of a matrix (giving [rows, size]); with
 * `binaryOutput`, 1 where a value occurs at all (for vectors too, as TensorFlow does; the
 * TensorFlow.js cpu backend ignores it there).
 */
export function denseBincount(x: TensorLike, weights: TensorLike, size: number, binaryOutput = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('denseBincount', 4, arguments.length);
  return count('denseBincount', x, weights, size, binaryOutput, true);
}

function count(op: string, x: TensorLike, weights: TensorLike, size: number, binaryOutput: boolean, perRow: boolean): Tensor {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
    throw new Error(`${op}: expected size to be a non-negative integer, got ${describe(size)}`);
  if (typeof binaryOutput !== 'boolean') throw new Error(`${op}: expected binaryOutput to be a boolean, got ${describe(binaryOutput)}`);
  const made: Tensor[] = [];
  return withTensors(made, () => {
    const t = toIndexTensor(op, 'x', x, made);
    checkInputDType(op, 'x', t, ['int32']);
    const w = toTensor(op, 'weights', weights, undefined, made);
    if (w.dtype === 'bool') throw new Error(`${op}: expected numeric weights, got dtype bool`);
    if (perRow && t.rank > 2) throw new Error(`${op}: expected x of rank 1 or 2, got shape ${fmt(t.shape)}`);
    if (w.size !== 0 && w.size !== t.size)
      throw new Error(`${op}: expected weights of x's size ${t.size} (shape ${fmt(t.shape)}) or an empty tensor, got shape ${fmt(w.shape)}`);
    const rows = perRow && t.rank === 2 ? t.shape[0] : 1;
    const cols = rows === 0 ? 0 : t.size / rows;
    const xs = t.dataSync();
    const ws = w.dataSync();
    const out = allocTypedArray(w.dtype, rows * size, op);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const v = Number(xs[r * cols + j]);
        if (v < 0) throw new Error(`${op}: expected x to hold non-negative values, got ${v} at flat index ${r * cols + j}`);
        if (v >= size) continue;
        if (binaryOutput) out[r * size + v] = 1;
        else out[r * size + v] += w.size > 0 ? Number(ws[r * cols + j]) : 1;
      }
    }
    return fromTypedArray(out, perRow && t.rank === 2 ? [rows, size] : [size], w.dtype);
  });
}

/**
 * The values of the vector x that are not in the vector y, in x's order (duplicates kept),
 * and their positions in x (int32), as [out, indices].
 */
export async function setdiff1dAsync(x: TensorLike, y: TensorLike): Promise<[Tensor, Tensor]> {
  if (arguments.length > 2) throw tooManyArguments('setdiff1dAsync', 2, arguments.length);
  const op = 'setdiff1dAsync';
  const made: Tensor[] = [];
  try {
    const a = toTensor(op, 'x', x, undefined, made);
    const b = toTensor(op, 'y', y, a.dtype, made);
    if (a.dtype !== b.dtype) throw new Error(`${op}: expected x and y of one dtype, got ${a.dtype} and ${b.dtype}`);
    for (const [name, t] of [
      ['x', a],
      ['y', b],
    ] as const)
      if (t.rank !== 1) throw new Error(`${op}: expected ${name} to be a vector (rank 1), got shape ${fmt(t.shape)}`);
    const [xs, ys] = await Promise.all([a.data(), b.data()]);
    const drop = new Set(Array.from(ys, Number));
    const keep: number[] = [];
    for (let i = 0; i < xs.length; i++) if (!drop.has(Number(xs[i]))) keep.push(i);
    const out = allocTypedArray(a.dtype, keep.length, op);
    const idx = new Int32Array(keep.length);
    keep.forEach((i, k) => {
      out[k] = xs[i];
      idx[k] = i;
    });
    return [fromTypedArray(out, [keep.length], a.dtype), fromTypedArray(idx, [keep.length], 'int32')];
  } finally {
    for (const t of made) t.dispose();
  }
}
