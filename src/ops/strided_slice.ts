// TensorFlow.js's stridedSlice with all five masks. The kept positions of each input
// dimension are worked out on the host and taken with gather (so negative strides and
// autograd come for free); new and shrunk axes are then a reshape.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { everyEntry } from '../options/every_entry';
import type { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';
import { gather } from './gather';
import { asOp } from './op_name';
import { reshape } from './reshape';

const bit = (mask: number, i: number) => (mask & (1 << i)) !== 0;

function checkInts(op: string, name: string, v: unknown): number[] {
  if (!Array.isArray(v) || !everyEntry(v, (e) => typeof e === 'number' && Number.isInteger(e)))
    throw new Error(`${op}: expected ${name} to be an array of integers, got ${describe(v)}`);
  return v as number[];
}

function checkMask(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new Error(`${op}: expected ${name} to be a bit mask (a non-negative integer), got ${describe(v)}`);
  return v;
}

/**
 * The strided slice x[begin:end:strides] as in TensorFlow.js (and Python's slicing): bit i
 * of beginMask / endMask ignores begin[i] / end[i] (the whole extent), of ellipsisMask makes
 * entry i stand for all the dimensions it leaves unspecified, of newAxisMask inserts a
 * dimension of 1, and of shrinkAxisMask takes the single index begin[i] and drops the
 * dimension. Dimensions past the spec are kept whole. Differentiable in x.
 * @example stridedSlice(x, [0, -1], [0, 0], [1, -1], 1, 2) // x[:, ::-1] of a matrix
 */
export function stridedSlice(
  x: TensorLike,
  begin: number[],
  end: number[],
  strides?: number[],
  beginMask = 0,
  endMask = 0,
  ellipsisMask = 0,
  newAxisMask = 0,
  shrinkAxisMask = 0,
): Tensor {
  if (arguments.length > 9) throw tooManyArguments('stridedSlice', 9, arguments.length);
  const op = 'stridedSlice';
  const b = checkInts(op, 'begin', begin);
  const e = checkInts(op, 'end', end);
  const st = strides === undefined || strides === null ? b.map(() => 1) : checkInts(op, 'strides', strides);
  const masks = { beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask };
  for (const [name, v] of Object.entries(masks)) checkMask(op, name, v);
  if (e.length !== b.length || st.length !== b.length)
    throw new Error(`${op}: expected begin, end and strides of one length, got ${b.length}, ${e.length} and ${st.length}`);
  const zero = st.indexOf(0);
  if (zero >= 0) throw new Error(`${op}: strides must be non-zero, got 0 at index ${zero} of ${describe(st)}`);
  const n = b.length;
  const ellipses = Array.from({ length: n }, (_, i) => i).filter((i) => bit(ellipsisMask, i));
  if (ellipses.length > 1) throw new Error(`${op}: expected at most one ellipsis, got ellipsisMask ${ellipsisMask} (bits ${ellipses.join(', ')})`);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      // Entries that consume an input dimension (all but the ellipsis and new axes).
      const consuming = Array.from({ length: n }, (_, i) => i).filter((i) => !bit(ellipsisMask, i) && !bit(newAxisMask, i)).length;
      if (consuming > t.rank) throw new Error(`${op}: the spec indexes ${consuming} dimension(s) but x has shape [${t.shape.join(', ')}] (rank ${t.rank})`);
      const picks: (number[] | null)[] = []; // per input dimension: kept positions, null for all
      const outShape: number[] = [];
      let d = 0;
      const keepWhole = (count: number) => {
        for (let j = 0; j < count; j++, d++) {
          picks.push(null);
          outShape.push(t.shape[d]);
        }
      };
      for (let i = 0; i < n; i++) {
        if (bit(ellipsisMask, i)) {
          keepWhole(t.rank - consuming);
          continue;
        }
        if (bit(newAxisMask, i)) {
          outShape.push(1);
          continue;
        }
        const dim = t.shape[d];
        if (bit(shrinkAxisMask, i)) {
          const at = b[i] < 0 ? b[i] + dim : b[i];
          if (at < 0 || at >= dim) throw new Error(`${op}: index ${b[i]} (begin[${i}], shrunk) is out of range for dimension ${d} of size ${dim}`);
          picks.push([at]);
          d++;
          continue;
        }
        const s = st[i];
        // Python's clamping: [0, dim] going forward, [-1, dim - 1] going backward.
        const [lo, hi] = s > 0 ? [0, dim] : [-1, dim - 1];
        const clamp = (v: number) => Math.min(hi, Math.max(lo, v < 0 ? v + dim : v));
        const start = bit(beginMask, i) ? (s > 0 ? 0 : dim - 1) : clamp(b[i]);
        const stop = bit(endMask, i) ? (s > 0 ? dim : -1) : clamp(e[i]);
        const kept: number[] = [];
        for (let p = start; s > 0 ? p < stop : p > stop; p += s) kept.push(p);
        picks.push(kept);
        outShape.push(kept.length);
        d++;
      }
      if (ellipses.length === 0) keepWhole(t.rank - d);
      let out = t;
      picks.forEach((kept, axis) => {
        if (kept === null || (kept.length === t.shape[axis] && kept.every((p, j) => p === j))) return;
        const ids = allocTypedArray('int32', kept.length, op) as Int32Array;
        ids.set(kept);
        out = gather(out, fromTypedArray(ids, [kept.length], 'int32'), axis);
      });
      return reshape(out, outShape);
    }),
  );
}
