// TensorFlow.js's selections whose output size depends on the values: whereAsync,
// booleanMaskAsync and unique (read on the host, as TensorFlow.js's cpu backend does), and
// randomUniformInt, outerProduct and linalg.bandPart.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, randomUniform, range, zeros, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe, sizeOf, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { sub } from './binary';
import { greaterEqual, lessEqual, logicalAnd, where } from './compare';
import { checkInputDType, toTensor } from './convert';
import { gather } from './gather';
import { matMul } from './matmul';
import { asOp } from './op_name';
import { reshape } from './reshape';

/** The coordinates of the true values of a bool tensor: int32 [count, rank], in row-major order. */
export async function whereAsync(condition: TensorLike): Promise<Tensor> {
  if (arguments.length > 1) throw tooManyArguments('whereAsync', 1, arguments.length);
  const op = 'whereAsync';
  const t = toTensor(op, 'condition', condition);
  try {
    checkInputDType(op, 'condition', t, ['bool']);
    const values = await t.data();
    const rank = t.rank;
    const hits: number[] = [];
    for (let i = 0; i < values.length; i++) if (values[i]) hits.push(i);
    const out = new Int32Array(hits.length * rank);
    hits.forEach((flat, k) => {
      for (let d = rank - 1; d >= 0; d--) {
        out[k * rank + d] = flat % t.shape[d];
        flat = Math.floor(flat / t.shape[d]);
      }
    });
    return fromTypedArray(out, [hits.length, rank], 'int32');
  } finally {
    if (t !== condition) t.dispose();
  }
}

/**
 * The slices of `tensor` where `mask` (bool, the shape of tensor's axes axis ..
 * axis + mask.rank - 1) is true, those axes flattened into one.
 */
export async function booleanMaskAsync(tensor: TensorLike, mask: TensorLike, axis = 0): Promise<Tensor> {
  if (arguments.length > 3) throw tooManyArguments('booleanMaskAsync', 3, arguments.length);
  const op = 'booleanMaskAsync';
  const created: Tensor[] = [];
  const own = (t: Tensor, from: TensorLike): Tensor => {
    if (t !== from) created.push(t);
    return t;
  };
  try {
    const x = own(toTensor(op, 'tensor', tensor), tensor);
    const m = own(toTensor(op, 'mask', mask), mask);
    checkInputDType(op, 'mask', m, ['bool']);
    if (!Number.isInteger(axis) || axis < 0 || axis + m.rank > x.rank) {
      throw new Error(`${op}: expected axis to be an integer from 0 to ${x.rank - m.rank} (tensor rank ${x.rank}, mask rank ${m.rank}), got ${describe(axis)}`);
    }
    const masked = x.shape.slice(axis, axis + m.rank);
    if (m.rank === 0 || masked.some((n, i) => n !== m.shape[i])) {
      throw new Error(`${op}: expected mask of shape [${masked.join(', ')}] (tensor [${x.shape.join(', ')}] from axis ${axis}), got [${m.shape.join(', ')}]`);
    }
    const keep = await whereAsync(reshape(m, [m.size]));
    created.push(keep);
    return asOp(op, () =>
      tidy(() => {
        const flat = reshape(x, [...x.shape.slice(0, axis), sizeOf(masked), ...x.shape.slice(axis + m.rank)]);
        return gather(flat, reshape(keep, [keep.shape[0]]), axis);
      }),
    );
  } finally {
    for (const t of created) t.dispose();
  }
}

/**
 * The distinct slices of x along `axis` in order of first appearance (`values`), and for
 * each slice of x the index of its value (`indices`, int32). NaN slices are each distinct,
 * as in TensorFlow.js.
 */
export function unique(x: TensorLike, axis = 0): { values: Tensor; indices: Tensor } {
  if (arguments.length > 2) throw tooManyArguments('unique', 2, arguments.length);
  const op = 'unique';
  const t = toTensor(op, 'x', x);
  try {
    if (t.rank === 0) throw new Error(`${op}: expected a tensor of rank 1 or more, got a scalar`);
    if (!Number.isInteger(axis) || axis < -t.rank || axis >= t.rank) throw new Error(`${op}: expected axis in [${-t.rank}, ${t.rank}), got ${describe(axis)}`);
    const a = axis < 0 ? axis + t.rank : axis;
    const n = t.shape[a];
    const inner = sizeOf(t.shape.slice(a + 1));
    const outer = sizeOf(t.shape.slice(0, a));
    const data = t.dataSync();
    const firstOf = new Map<string, number>();
    const indices = new Int32Array(n);
    const kept: number[] = [];
    for (let i = 0; i < n; i++) {
      const slice: number[] = [];
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) slice.push(Number(data[(o * n + i) * inner + j]));
      const key = slice.some(Number.isNaN) ? `nan:${i}` : slice.join(',');
      let k = firstOf.get(key);
      if (k === undefined) {
        k = kept.length;
        firstOf.set(key, k);
        kept.push(i);
      }
      indices[i] = k;
    }
    const values = asOp(op, () => tidy(() => gather(t, fromTypedArray(Int32Array.from(kept), [kept.length], 'int32'), a)));
    return { values, indices: fromTypedArray(indices, [n], 'int32') };
  } finally {
    if (t !== x) t.dispose();
  }
}

/** Integers drawn uniformly from [minval, maxval) (int32), seeded as randomUniform. */
export function randomUniformInt(shape: Shape, minval: number, maxval: number, seed?: number): Tensor {
  if (arguments.length > 4) throw tooManyArguments('randomUniformInt', 4, arguments.length);
  const op = 'randomUniformInt';
  for (const [name, v] of [
    ['minval', minval],
    ['maxval', maxval],
  ] as const) {
    if (!Number.isInteger(v)) throw new Error(`${op}: expected ${name} to be an integer, got ${describe(v)}`);
  }
  return asOp(op, () => randomUniform(shape, minval, maxval, 'int32', seed));
}

/** v1 [n] x v2 [m] -> [n, m]: every product of an element of v1 with one of v2. */
export function outerProduct(v1: TensorLike, v2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('outerProduct', 2, arguments.length);
  const op = 'outerProduct';
  return asOp(op, () =>
    tidy(() => {
      const [a, b] = [toTensor(op, 'v1', v1), toTensor(op, 'v2', v2)];
      for (const [name, t] of [
        ['v1', a],
        ['v2', b],
      ] as const) {
        if (t.rank !== 1) throw new Error(`${op}: expected ${name} to be a vector (rank 1), got shape [${t.shape.join(', ')}]`);
      }
      return matMul(reshape(a, [a.size, 1]), reshape(b, [1, b.size]));
    }),
  );
}

/**
 * The band of each innermost matrix of a: entries (i, j) with i - j <= numLower and
 * j - i <= numUpper kept, the rest 0; a negative bound keeps that whole triangle
 * (bandPart(a, -1, 0): the lower triangle, a causal mask).
 */
export function bandPart(a: TensorLike, numLower: number, numUpper: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('linalg.bandPart', 3, arguments.length);
  const op = 'linalg.bandPart';
  for (const [name, v] of [
    ['numLower', numLower],
    ['numUpper', numUpper],
  ] as const) {
    if (!Number.isInteger(v)) throw new Error(`${op}: expected ${name} to be an integer (negative: the whole triangle), got ${describe(v)}`);
  }
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'a', a);
      if (t.rank < 2) throw new Error(`${op}: expected a of rank 2 or more (matrices), got shape [${t.shape.join(', ')}]`);
      // Nothing to mask; the mask of [0, 2^30, 2^30] would be 2^60 entries.
      if (t.size === 0) return t.clone();
      const [m, n] = t.shape.slice(-2);
      // i - j for every entry of an [m, n] matrix.
      const below = sub(reshape(range(0, m, 1, 'int32'), [m, 1]), reshape(range(0, n, 1, 'int32'), [1, n]));
      const lower = numLower < 0 ? null : lessEqual(below, numLower);
      const upper = numUpper < 0 ? null : greaterEqual(below, -numUpper);
      const keep = lower && upper ? logicalAnd(lower, upper) : (lower ?? upper);
      // A zero of a's dtype: a JS 0 would promote bool to int32.
      return keep === null ? t.clone() : where(keep, t, zeros([], t.dtype));
    }),
  );
}
