// keras.ops's reorderings (NumPy's roll, flip, rot90, moveaxis, swapaxes): gathers and
// transposes, so gradients flow through theirs.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe, normalizeAxes } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { clone } from './cast';
import { toTensor } from './convert';
import { gather } from './gather';
import { axisList, checkMinRank, intArg } from './numpy_checks';
import { asOp } from './op_name';
import { reshape } from './reshape';
import { reverse } from './reverse';
import { transpose } from './transpose';
import { everyEntry } from '../options/every_entry';

/**
 * x with its elements shifted by `shift` along `axis` (NumPy's roll), those pushed off
 * the end coming back at the start; axis null rolls the flattened x.
 * @example roll(tensor([1, 2, 3, 4]), 1) // [4, 1, 2, 3]
 */
export function roll(x: TensorLike, shift: number | number[], axis: number | number[] | null = null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('roll', 3, arguments.length);
  const op = 'roll';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const shifts = (Array.isArray(shift) ? shift : [shift]).map((s) => intArg(op, 'shift', s));
      if (axis === null || axis === undefined) {
        if (shifts.length !== 1) throw new Error(`${op}: expected one shift when axis is null (x is flattened), got ${describe(shift)}`);
        return reshape(rollAxis(op, reshape(t, [-1]), shifts[0], 0), t.shape);
      }
      const axes = Array.isArray(axis) ? axis : [axis];
      if (!everyEntry(axes, (a) => typeof a === 'number')) throw new Error(`${op}: expected axis to be an axis or a list of axes, got ${describe(axis)}`);
      const n = Math.max(axes.length, shifts.length);
      if ((axes.length !== n && axes.length !== 1) || (shifts.length !== n && shifts.length !== 1)) {
        throw new Error(`${op}: expected shift and axis of the same length (or one of them single), got ${describe(shift)} and ${describe(axis)}`);
      }
      const list = axisList(op, 'axis', axes.length === 1 ? axes[0] : axes, t.rank);
      let out = t;
      for (let i = 0; i < n; i++) out = rollAxis(op, out, shifts[shifts.length === 1 ? 0 : i], list[list.length === 1 ? 0 : i]);
      return out === t ? clone(t) : out;
    }),
  );
}

// out[i] = t[(i - s) mod n] along axis a.
function rollAxis(op: string, t: Tensor, s: number, a: number): Tensor {
  const n = t.shape[a];
  if (n === 0) return t;
  const idx = allocTypedArray('int32', n, op);
  const k = ((s % n) + n) % n;
  for (let i = 0; i < n; i++) idx[i] = (i - k + n) % n;
  return gather(t, fromTypedArray(idx, [n], 'int32', t.device), a);
}

/** x with the order of its elements reversed along `axis` (an axis, a list, or null: all). */
export function flip(x: TensorLike, axis: number | number[] | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('flip', 2, arguments.length);
  const op = 'flip';
  return asOp(op, () => {
    const t = toTensor(op, 'x', x);
    const axes = axis === null || axis === undefined ? normalizeAxes(op, undefined, t.rank) : axisList(op, 'axis', axis, t.rank);
    return reverse(t, axes);
  });
}

/** x reversed along its axis 1 (left to right); x must be of rank 2 or more. */
export function fliplr(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('fliplr', 1, arguments.length);
  const op = 'fliplr';
  return asOp(op, () => {
    const t = toTensor(op, 'x', x);
    checkMinRank(op, 'x', t, 2);
    return reverse(t, 1);
  });
}

/** x reversed along its axis 0 (up to down); x must be of rank 1 or more. */
export function flipud(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('flipud', 1, arguments.length);
  const op = 'flipud';
  return asOp(op, () => {
    const t = toTensor(op, 'x', x);
    checkMinRank(op, 'x', t, 1);
    return reverse(t, 0);
  });
}

/**
 * x rotated k quarter turns in the plane of `axes`, from the first axis towards the second
 * (NumPy's rot90: counterclockwise for the default [0, 1]).
 */
export function rot90(x: TensorLike, k = 1, axes: [number, number] = [0, 1]): Tensor {
  if (arguments.length > 3) throw tooManyArguments('rot90', 3, arguments.length);
  const op = 'rot90';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      intArg(op, 'k', k);
      checkMinRank(op, 'x', t, 2);
      if (!Array.isArray(axes) || axes.length !== 2) throw new Error(`${op}: expected axes to be two axes, got ${describe(axes)}`);
      const [a0, a1] = axisList(op, 'axes', axes, t.rank);
      const turns = ((k % 4) + 4) % 4;
      if (turns === 0) return clone(t);
      if (turns === 2) return reverse(t, [a0, a1]);
      const perm = t.shape.map((_, i) => (i === a0 ? a1 : i === a1 ? a0 : i));
      return turns === 1 ? transpose(reverse(t, a1), perm) : reverse(transpose(t, perm), a1);
    }),
  );
}

/** x with its axes `source` moved to the positions `destination`, the others in order. */
export function moveaxis(x: TensorLike, source: number | number[], destination: number | number[]): Tensor {
  if (arguments.length > 3) throw tooManyArguments('moveaxis', 3, arguments.length);
  const op = 'moveaxis';
  return asOp(op, () => {
    const t = toTensor(op, 'x', x);
    const src = axisList(op, 'source', source, t.rank);
    const dst = axisList(op, 'destination', destination, t.rank);
    if (src.length !== dst.length)
      throw new Error(`${op}: expected source and destination of the same length, got ${describe(source)} and ${describe(destination)}`);
    return transpose(t, moveaxisPerm(t.rank, src, dst));
  });
}

/** The permutation that moves axes src to dst (both normalized). */
export function moveaxisPerm(rank: number, src: number[], dst: number[]): number[] {
  const rest = Array.from({ length: rank }, (_, i) => i).filter((i) => !src.includes(i));
  const perm = new Array<number>(rank);
  src.forEach((s, i) => (perm[dst[i]] = s));
  for (let i = 0, r = 0; i < rank; i++) if (perm[i] === undefined) perm[i] = rest[r++];
  return perm;
}

/** x with its axes axis1 and axis2 exchanged. */
export function swapaxes(x: TensorLike, axis1: number, axis2: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('swapaxes', 3, arguments.length);
  const op = 'swapaxes';
  return asOp(op, () => {
    const t = toTensor(op, 'x', x);
    const [a, b] = [axisList(op, 'axis1', axis1, t.rank)[0], axisList(op, 'axis2', axis2, t.rank)[0]];
    return transpose(
      t,
      t.shape.map((_, i) => (i === a ? b : i === b ? a : i)),
    );
  });
}
