// keras.ops's index-driven ops (NumPy's take, take_along_axis, repeat, sort, argsort) and
// diff: the indices worked out on the host, the values picked by gather so gradients
// flow through its scatter-add.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { sub } from './binary';
import { clone } from './cast';
import { notEqual } from './compare';
import { checkInputDType, toIndexTensor, toTensor } from './convert';
import { gather } from './gather';
import { intArg } from './numpy_checks';
import { asOp } from './op_name';
import { reshape } from './reshape';
import { slice } from './slice';

// Index values read on the host, negatives counted from the end, each checked in [0, n).
function wrapIndices(op: string, idx: Tensor, n: number, what: string): Int32Array {
  const data = idx.dataSync();
  const out = allocTypedArray('int32', data.length, op) as Int32Array;
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (v < -n || v >= n) throw new Error(`${op}: expected indices in [${-n}, ${n}) (${what}), got ${v}`);
    out[i] = v < 0 ? v + n : v;
  }
  return out;
}

/**
 * The elements of x at `indices` along `axis` (NumPy's take); axis null takes from the
 * flattened x. Negative indices count from the end.
 */
export function take(x: TensorLike, indices: TensorLike, axis: number | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('take', 3, arguments.length);
  const op = 'take';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const idx = toIndexTensor(op, 'indices', indices);
      checkInputDType(op, 'indices', idx, ['int32']);
      const src = axis === null || axis === undefined ? reshape(t, [t.size]) : t;
      if (src.rank === 0) throw new Error(`${op}: expected x of rank 1 or more when axis is given, got a scalar`);
      const a = axis === null || axis === undefined ? 0 : normalizeAxis(op, axis, t.rank);
      const n = src.shape[a];
      const wrapped = wrapIndices(op, idx, n, `the size of axis ${a}`);
      return gather(src, fromTypedArray(wrapped, idx.shape, 'int32', t.device), a);
    }),
  );
}

/**
 * The elements of x at `indices` along `axis`, indices shaped like x but for that axis
 * (the other dimensions broadcast), as NumPy's take_along_axis; axis null takes from the
 * flattened x with 1-D indices.
 */
export function takeAlongAxis(x: TensorLike, indices: TensorLike, axis: number | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('takeAlongAxis', 3, arguments.length);
  const op = 'takeAlongAxis';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const idx = toIndexTensor(op, 'indices', indices);
      checkInputDType(op, 'indices', idx, ['int32']);
      if (axis === null || axis === undefined) {
        if (idx.rank !== 1) throw new Error(`${op}: expected 1-D indices when axis is null, got shape [${idx.shape.join(', ')}]`);
        return alongAxis(op, reshape(t, [t.size]), wrapIndices(op, idx, t.size, 'the size of the flattened x'), idx.shape, 0);
      }
      if (t.rank === 0) throw new Error(`${op}: expected x of rank 1 or more when axis is given, got a scalar`);
      const a = normalizeAxis(op, axis, t.rank);
      if (idx.rank !== t.rank) throw new Error(`${op}: expected indices of x's rank ${t.rank}, got shape [${idx.shape.join(', ')}]`);
      return alongAxis(op, t, wrapIndices(op, idx, t.shape[a], `the size of axis ${a}`), idx.shape, a);
    }),
  );
}

// x[..., ids[...], ...] along axis a, broadcasting x and ids on the other axes: one gather
// from the flat x at computed offsets (a broadcast dimension of x has stride 0).
function alongAxis(op: string, t: Tensor, ids: Int32Array, idShape: readonly number[], a: number): Tensor {
  const rank = t.rank;
  const shape = t.shape.map((d, i) => {
    if (i === a) return idShape[i];
    const e = idShape[i];
    if (d !== e && d !== 1 && e !== 1)
      throw new Error(`${op}: expected x and indices to broadcast on the axes other than ${a}, got shapes [${t.shape.join(', ')}] and [${idShape.join(', ')}]`);
    return d === 1 ? e : d;
  });
  const xStride = new Array<number>(rank);
  const iStride = new Array<number>(rank);
  for (let d = rank - 1, xs = 1, is = 1; d >= 0; d--) {
    xStride[d] = t.shape[d] === 1 && d !== a ? 0 : xs;
    iStride[d] = idShape[d] === 1 ? 0 : is;
    xs *= t.shape[d];
    is *= idShape[d];
  }
  const total = shape.reduce((p, d) => p * d, 1);
  const flat = allocTypedArray('int32', total, op);
  const coord = new Array<number>(rank).fill(0);
  for (let k = 0; k < total; k++) {
    let off = 0;
    let at = 0;
    for (let d = 0; d < rank; d++) {
      at += coord[d] * iStride[d];
      if (d !== a) off += coord[d] * xStride[d];
    }
    flat[k] = off + ids[at] * xStride[a];
    for (let d = rank - 1; d >= 0; d--) {
      if (++coord[d] < shape[d]) break;
      coord[d] = 0;
    }
  }
  return gather(reshape(t, [t.size]), fromTypedArray(flat, shape, 'int32', t.device));
}

/**
 * Each element of x repeated (NumPy's repeat): `repeats` one count for all or one per
 * element along `axis`; axis null repeats the flattened x.
 * @example repeat(tensor([1, 2]), [1, 3]) // [1, 2, 2, 2]
 */
export function repeat(x: TensorLike, repeats: number | number[], axis: number | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('repeat', 3, arguments.length);
  const op = 'repeat';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const src = axis === null || axis === undefined ? reshape(t, [t.size]) : t;
      if (src.rank === 0) throw new Error(`${op}: expected x of rank 1 or more when axis is given, got a scalar`);
      const a = axis === null || axis === undefined ? 0 : normalizeAxis(op, axis, t.rank);
      const n = src.shape[a];
      const reps = typeof repeats === 'number' ? [repeats] : repeats;
      if (!Array.isArray(reps) || (reps.length !== 1 && reps.length !== n)) {
        throw new Error(`${op}: expected repeats to be a count or ${n} counts (one per element along the axis), got ${describe(repeats)}`);
      }
      reps.forEach((r) => intArg(op, 'repeats', r, 0));
      const count = (i: number) => reps[reps.length === 1 ? 0 : i];
      let total = 0;
      for (let i = 0; i < n; i++) total += count(i);
      const idx = allocTypedArray('int32', total, op);
      for (let i = 0, p = 0; i < n; i++) for (let r = 0; r < count(i); r++) idx[p++] = i;
      return gather(src, fromTypedArray(idx, [total], 'int32', t.device), a);
    }),
  );
}

/** The n-th discrete difference along axis: out[i] = x[i + 1] - x[i], n times (bool: notEqual). */
export function diff(a: TensorLike, n = 1, axis = -1): Tensor {
  if (arguments.length > 3) throw tooManyArguments('diff', 3, arguments.length);
  const op = 'diff';
  return asOp(op, () =>
    tidy(() => {
      let t = toTensor(op, 'a', a);
      intArg(op, 'n', n, 0);
      if (t.rank === 0) throw new Error(`${op}: expected a of rank 1 or more, got a scalar`);
      const ax = normalizeAxis(op, axis, t.rank);
      if (n === 0) return clone(t);
      for (let step = 0; step < n && t.shape[ax] > 0; step++) {
        const len = t.shape[ax] - 1;
        const size = t.shape.map((d, i) => (i === ax ? len : d));
        const hi = slice(
          t,
          t.shape.map((_, i) => (i === ax ? 1 : 0)),
          size,
        );
        const lo = slice(
          t,
          t.shape.map(() => 0),
          size,
        );
        t = t.dtype === 'bool' ? notEqual(hi, lo) : sub(hi, lo);
      }
      return t;
    }),
  );
}

// The int32 indices that sort x along axis a, ascending and stable, NaN last (NumPy's).
function sortIndices(op: string, t: Tensor, a: number): Tensor {
  // Nothing to sort: the row buffers below would be as long as the (possibly huge) axis.
  if (t.size === 0) return fromTypedArray(allocTypedArray('int32', 0, op), t.shape, 'int32', t.device);
  const data = t.dataSync();
  const n = t.shape[a];
  const inner = t.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const outer = n === 0 ? 0 : t.size / (n * inner);
  const out = allocTypedArray('int32', t.size, op);
  const order = Array.from({ length: n }, (_, i) => i);
  const key = new Float64Array(n);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      for (let i = 0; i < n; i++) {
        key[i] = Number(data[base + i * inner]);
        order[i] = i;
      }
      // Array.prototype.sort is stable; NaN after everything, +Infinity included.
      order.sort((p, q) => {
        const [np, nq] = [Number.isNaN(key[p]), Number.isNaN(key[q])];
        if (np || nq) return (np ? 1 : 0) - (nq ? 1 : 0);
        return key[p] < key[q] ? -1 : key[p] > key[q] ? 1 : 0;
      });
      for (let i = 0; i < n; i++) out[base + i * inner] = order[i];
    }
  }
  return fromTypedArray(out, t.shape, 'int32', t.device);
}

function sortArgs(op: string, x: TensorLike, axis: number | null): { t: Tensor; a: number } {
  const t0 = toTensor(op, 'x', x);
  const t = axis === null ? reshape(t0, [t0.size]) : t0;
  if (t.rank === 0) throw new Error(`${op}: expected x of rank 1 or more, got a scalar`);
  return { t, a: axis === null ? 0 : normalizeAxis(op, axis, t.rank) };
}

/** The int32 indices that sort x along axis (ascending, stable, NaN last); axis null: flattened. */
export function argsort(x: TensorLike, axis: number | null = -1): Tensor {
  if (arguments.length > 2) throw tooManyArguments('argsort', 2, arguments.length);
  const op = 'argsort';
  return asOp(op, () =>
    tidy(() => {
      const { t, a } = sortArgs(op, x, axis);
      return sortIndices(op, t, a);
    }),
  );
}

/** x sorted ascending along axis (NaN last; axis null: flattened); gradients reach x as through a gather. */
export function sort(x: TensorLike, axis: number | null = -1): Tensor {
  if (arguments.length > 2) throw tooManyArguments('sort', 2, arguments.length);
  const op = 'sort';
  return asOp(op, () =>
    tidy(() => {
      const { t, a } = sortArgs(op, x, axis);
      const ids = sortIndices(op, t, a).dataSync() as Int32Array;
      return alongAxis(op, t, ids, t.shape, a);
    }),
  );
}
