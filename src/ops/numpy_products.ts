// keras.ops's products (NumPy's outer, inner, vdot, tensordot, kron, cross), composed
// from reshape, transpose, matMul and mul so gradients flow through theirs.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { isFloatDType, upcastDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { mul, sub } from './binary';
import { cast } from './cast';
import { stack } from './concat';
import { toTensor } from './convert';
import { gather } from './gather';
import { matMul } from './matmul';
import { moveaxisPerm } from './numpy_reorder';
import { asOp } from './op_name';
import { sum } from './reduce';
import { reshape } from './reshape';
import { transpose } from './transpose';
import { everyEntry } from '../options/every_entry';

/** The outer product of the flattened x1 and x2: out[i, j] = x1[i] * x2[j]. */
export function outer(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('outer', 2, arguments.length);
  const op = 'outer';
  return asOp(op, () =>
    tidy(() => {
      const a = toTensor(op, 'x1', x1);
      const b = toTensor(op, 'x2', x2);
      return mul(reshape(a, [a.size, 1]), reshape(b, [1, b.size]));
    }),
  );
}

/** The sum product over the last axes of x1 and x2 (a scalar operand multiplies). */
export function inner(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('inner', 2, arguments.length);
  const op = 'inner';
  return asOp(op, () =>
    tidy(() => {
      const a = toTensor(op, 'x1', x1);
      const b = toTensor(op, 'x2', x2);
      if (a.rank === 0 || b.rank === 0) return mul(a, b);
      return contract(op, a, b, [a.rank - 1], [b.rank - 1]);
    }),
  );
}

/** The dot product of the flattened x1 and x2, which must have as many elements. */
export function vdot(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('vdot', 2, arguments.length);
  const op = 'vdot';
  return asOp(op, () =>
    tidy(() => {
      const a = toTensor(op, 'x1', x1);
      const b = toTensor(op, 'x2', x2);
      if (a.size !== b.size) throw new Error(`${op}: expected x1 and x2 with as many elements, got shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
      return sum(mul(reshape(a, [a.size]), reshape(b, [b.size])));
    }),
  );
}

/**
 * The sum product over axes of x1 and x2: `axes` an integer N (x1's last N against x2's
 * first N) or a pair of axis lists (or single axes), as NumPy's tensordot.
 */
export function tensordot(x1: TensorLike, x2: TensorLike, axes: number | [number | number[], number | number[]] = 2): Tensor {
  if (arguments.length > 3) throw tooManyArguments('tensordot', 3, arguments.length);
  const op = 'tensordot';
  return asOp(op, () =>
    tidy(() => {
      const a = toTensor(op, 'x1', x1);
      const b = toTensor(op, 'x2', x2);
      if (typeof axes === 'number') {
        if (!Number.isInteger(axes) || axes < 0 || axes > Math.min(a.rank, b.rank)) {
          throw new Error(`${op}: expected axes to be an integer from 0 to ${Math.min(a.rank, b.rank)}, or a pair of axis lists, got ${describe(axes)}`);
        }
        const n = axes;
        return contract(
          op,
          a,
          b,
          Array.from({ length: n }, (_, i) => a.rank - n + i),
          Array.from({ length: n }, (_, i) => i),
        );
      }
      if (!Array.isArray(axes) || axes.length !== 2) throw new Error(`${op}: expected axes to be an integer or a pair of axis lists, got ${describe(axes)}`);
      const list = (v: unknown, name: string, rank: number): number[] => {
        const l = Array.isArray(v) ? v : [v];
        if (!everyEntry(l, (e) => typeof e === 'number')) throw new Error(`${op}: expected ${name} to be an axis or a list of axes, got ${describe(v)}`);
        return l.map((e) => normalizeAxis(op, e as number, rank));
      };
      return contract(op, a, b, list(axes[0], 'axes[0]', a.rank), list(axes[1], 'axes[1]', b.rank));
    }),
  );
}

// a's axes aAxes summed against b's bAxes: both flattened into matrices for one matMul.
function contract(op: string, a: Tensor, b: Tensor, aAxes: number[], bAxes: number[]): Tensor {
  if (aAxes.length !== bAxes.length) throw new Error(`${op}: expected as many axes of x1 as of x2, got [${aAxes.join(', ')}] and [${bAxes.join(', ')}]`);
  if (new Set(aAxes).size !== aAxes.length || new Set(bAxes).size !== bAxes.length)
    throw new Error(`${op}: expected distinct axes, got [${aAxes.join(', ')}] and [${bAxes.join(', ')}]`);
  aAxes.forEach((ax, i) => {
    if (a.shape[ax] !== b.shape[bAxes[i]]) {
      throw new Error(
        `${op}: expected summed dimensions to match, got x1 shape [${a.shape.join(', ')}] axis ${ax} (${a.shape[ax]}) and x2 shape [${b.shape.join(', ')}] axis ${bAxes[i]} (${b.shape[bAxes[i]]})`,
      );
    }
  });
  const freeA = a.shape.map((_, i) => i).filter((i) => !aAxes.includes(i));
  const freeB = b.shape.map((_, i) => i).filter((i) => !bAxes.includes(i));
  const size = (t: Tensor, axes: number[]) => axes.reduce((p, i) => p * t.shape[i], 1);
  const k = size(a, aAxes);
  // matMul takes floats of one dtype: integers (exact below 2^53) and bools go through
  // float64 and back (a bool result: any pair both true, as NumPy's).
  const dtype = upcastDType(a.dtype, b.dtype);
  const work = isFloatDType(dtype) ? dtype : 'float64';
  const am = reshape(transpose(cast(a, work), [...freeA, ...aAxes]), [size(a, freeA), k]);
  const bm = reshape(transpose(cast(b, work), [...bAxes, ...freeB]), [k, size(b, freeB)]);
  const out = reshape(matMul(am, bm), [...freeA.map((i) => a.shape[i]), ...freeB.map((i) => b.shape[i])]);
  return work === dtype ? out : cast(out, dtype);
}

/** The Kronecker product: blocks of x2 scaled by each entry of x1 (ranks padded with leading 1s). */
export function kron(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('kron', 2, arguments.length);
  const op = 'kron';
  return asOp(op, () =>
    tidy(() => {
      const a = toTensor(op, 'x1', x1);
      const b = toTensor(op, 'x2', x2);
      const rank = Math.max(a.rank, b.rank);
      const sa = [...new Array<number>(rank - a.rank).fill(1), ...a.shape];
      const sb = [...new Array<number>(rank - b.rank).fill(1), ...b.shape];
      // a as [a0, 1, a1, 1, ...] times b as [1, b0, 1, b1, ...]: out[i*b0 + k, ...] = a[i] * b[k].
      const prod = mul(
        reshape(
          a,
          sa.flatMap((d) => [d, 1]),
        ),
        reshape(
          b,
          sb.flatMap((d) => [1, d]),
        ),
      );
      return reshape(
        prod,
        sa.map((d, i) => d * sb[i]),
      );
    }),
  );
}

/**
 * The cross product of 3-vectors along axisa of x1 and axisb of x2 (the other dimensions
 * broadcast), placed along axisc of the output; `axis`, when given, sets all three.
 */
export function cross(x1: TensorLike, x2: TensorLike, axisa = -1, axisb = -1, axisc = -1, axis: number | null = null): Tensor {
  if (arguments.length > 6) throw tooManyArguments('cross', 6, arguments.length);
  const op = 'cross';
  return asOp(op, () =>
    tidy(() => {
      const a = toTensor(op, 'x1', x1);
      const b = toTensor(op, 'x2', x2);
      if (axis !== null && axis !== undefined) [axisa, axisb, axisc] = [axis, axis, axis];
      if (a.rank === 0 || b.rank === 0)
        throw new Error(`${op}: expected x1 and x2 of rank 1 or more (3-vectors), got shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
      const ia = normalizeAxis(op, axisa, a.rank);
      const ib = normalizeAxis(op, axisb, b.rank);
      if (a.shape[ia] !== 3 || b.shape[ib] !== 3) {
        throw new Error(
          `${op}: expected 3-vectors along axisa of x1 and axisb of x2, got dimensions ${a.shape[ia]} and ${b.shape[ib]} (shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}])`,
        );
      }
      const part = (t: Tensor, ax: number, i: number) => gather(t, i, ax);
      const [a0, a1, a2] = [0, 1, 2].map((i) => part(a, ia, i));
      const [b0, b1, b2] = [0, 1, 2].map((i) => part(b, ib, i));
      const c = stack([sub(mul(a1, b2), mul(a2, b1)), sub(mul(a2, b0), mul(a0, b2)), sub(mul(a0, b1), mul(a1, b0))], -1);
      const ic = normalizeAxis(op, axisc, c.rank);
      return ic === c.rank - 1 ? c : transpose(c, moveaxisPerm(c.rank, [c.rank - 1], [ic]));
    }),
  );
}
