// keras.ops's shape ops where the top level takes TensorFlow.js's forms: reshape to a single
// number, tile with fewer or more repeats than axes, concatenate with axis null (flattened),
// unstack(x, num, axis), split at indices (TensorFlow.js's split takes sizes), pad with a
// mode and a constant, and moments as a [mean, variance] pair.
import { tooManyArguments } from '../options/arity';
import { arraySplit } from '../ops/numpy_join';
import { concat } from '../ops/concat';
import { toTensor } from '../ops/convert';
import { mirrorPad } from '../ops/mirror_pad';
import { moments as tfMoments } from '../ops/moments';
import { asOp } from '../ops/op_name';
import { pad as tfPad } from '../ops/pad';
import { reshape as tfReshape } from '../ops/reshape';
import { unstack as tfUnstack } from '../ops/slice';
import { tile as tfTile } from '../ops/tile';
import { transpose as tfTranspose } from '../ops/transpose';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { checkNoHoles, describe, normalizeAxis } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { axisOrNull, flag } from './common';
import { everyEntry } from '../options/every_entry';

/** Keras's reshape: x with shape `newshape` (one number: that many elements, one axis; -1 inferred). */
export function reshape(x: TensorLike, newshape: number | number[]): Tensor {
  if (arguments.length > 2) throw tooManyArguments('reshape', 2, arguments.length);
  return asOp('reshape', () => tfReshape(x, typeof newshape === 'number' ? [newshape] : newshape));
}

/** Keras's tile: x repeated `repeats` times per axis (a number, or fewer repeats than axes: leading 1s; more: x gets leading axes). */
export function tile(x: TensorLike, repeats: number | number[]): Tensor {
  if (arguments.length > 2) throw tooManyArguments('tile', 2, arguments.length);
  const op = 'tile';
  const reps = typeof repeats === 'number' ? [repeats] : repeats;
  if (!Array.isArray(reps)) throw new Error(`${op}: expected repeats to be an integer or an array of integers, got ${describe(repeats)}`);
  return asOp(op, () =>
    tidy(() => {
      let t = toTensor(op, 'x', x);
      if (reps.length > t.rank) t = tfReshape(t, [...new Array<number>(reps.length - t.rank).fill(1), ...t.shape]);
      return tfTile(t, [...new Array<number>(t.rank - reps.length).fill(1), ...reps]);
    }),
  );
}

/** Keras's concatenate: xs joined along `axis` (null: all flattened, end to end). */
export function concatenate(xs: TensorLike[], axis: number | null = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('concatenate', 2, arguments.length);
  const op = 'concatenate';
  const a = axisOrNull(op, axis);
  if (!Array.isArray(xs)) throw new Error(`${op}: expected xs to be an array of tensors, got ${describe(xs)}`);
  return asOp(op, () =>
    tidy(() => {
      const ts = xs.map((x, i) => toTensor(op, `xs[${i}]`, x));
      return a === null
        ? concat(
            ts.map((t) => tfReshape(t, [-1])),
            0,
          )
        : concat(ts, a);
    }),
  );
}

/** Keras's unstack: x's slices along `axis`; num (null: any) must be that axis's size. */
export function unstack(x: TensorLike, num: number | null = null, axis = 0): Tensor[] {
  if (arguments.length > 3) throw tooManyArguments('unstack', 3, arguments.length);
  const op = 'unstack';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const a = normalizeAxis(op, axis, t.rank);
      if (num !== null && num !== t.shape[a])
        throw new Error(`${op}: expected num to be ${t.shape[a]} (the size of axis ${axis}) or null, got ${describe(num)}`);
      return tfUnstack(t, a);
    }),
  );
}

/**
 * Keras's split: x cut along `axis` into `indicesOrSections` equal parts (a number that must
 * divide the axis), or at the given indices (TensorFlow.js's split takes sizes).
 */
export function split(x: TensorLike, indicesOrSections: number | number[], axis = 0): Tensor[] {
  if (arguments.length > 3) throw tooManyArguments('split', 3, arguments.length);
  const op = 'split';
  return asOp(op, () => tidy(() => splitAt(op, toTensor(op, 'x', x), indicesOrSections, axis)));
}

function splitAt(op: string, t: Tensor, indicesOrSections: number | number[], axis: number): Tensor[] {
  if (typeof indicesOrSections === 'number') {
    const n = t.shape[normalizeAxis(op, axis, t.rank)];
    if (!Number.isInteger(indicesOrSections) || indicesOrSections < 1 || n % indicesOrSections !== 0)
      throw new Error(
        `${op}: expected a number of sections that divides axis ${axis} (size ${n}), got ${describe(indicesOrSections)}; arraySplit allows unequal parts`,
      );
  }
  return arraySplit(t, indicesOrSections, axis);
}

/** Keras's pad modes. */
export type PadMode = 'constant' | 'reflect' | 'symmetric';

/**
 * Keras's pad: padWidth is [before, after] per axis (one pair, or one number, for every
 * axis); mode 'constant' (with constantValues, null: 0), 'reflect' or 'symmetric'.
 */
export function pad(x: TensorLike, padWidth: number | number[] | number[][], mode: PadMode = 'constant', constantValues: number | null = null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('pad', 4, arguments.length);
  const op = 'pad';
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'symmetric')
    throw new Error(`${op}: expected mode 'constant', 'reflect' or 'symmetric', got ${describe(mode)}`);
  if (mode !== 'constant' && constantValues !== null)
    throw new Error(`${op}: constantValues is for mode 'constant', got ${describe(constantValues)} with mode '${mode}'`);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const pairs = widths(op, padWidth, t.rank);
      return mode === 'constant' ? tfPad(t, pairs, constantValues ?? 0) : mirrorPad(t, pairs, mode);
    }),
  );
}

// Keras's pad_width forms, as one [before, after] pair per axis.
function widths(op: string, w: unknown, rank: number): [number, number][] {
  if (typeof w === 'number') return new Array(rank).fill([w, w]) as [number, number][];
  if (Array.isArray(w) && w.length === 2 && everyEntry(w, (v) => typeof v === 'number')) return new Array(rank).fill([w[0], w[1]]) as [number, number][];
  if (Array.isArray(w) && w.length === 1 && Array.isArray(w[0])) return new Array(rank).fill(w[0]) as [number, number][];
  if (Array.isArray(w) && everyEntry(w, (p) => Array.isArray(p))) return w as [number, number][];
  throw new Error(`${op}: expected padWidth to be a number, a [before, after] pair or one pair per axis, got ${describe(w)}`);
}

/** Keras's moments: [mean, variance] over `axes`, the axes kept as size 1 when keepdims. */
export function moments(x: TensorLike, axes: number | number[], keepdims = false, synchronized = false): [Tensor, Tensor] {
  if (arguments.length > 4) throw tooManyArguments('moments', 4, arguments.length);
  flag('moments', 'keepdims', keepdims);
  // synchronized averages across devices in Keras's distributed training; one device here.
  flag('moments', 'synchronized', synchronized);
  const { mean, variance } = asOp('moments', () => tfMoments(x, axes, keepdims));
  return [mean, variance];
}

/** Keras's expand_dims: x with a new axis of size 1 at `axis` (several, by their places in the result). */
export function expandDims(x: TensorLike, axis: number | number[]): Tensor {
  if (arguments.length > 2) throw tooManyArguments('expandDims', 2, arguments.length);
  const op = 'expandDims';
  const axes = Array.isArray(axis) ? axis : [axis];
  checkNoHoles(op, 'axis', axes);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const rank = t.rank + axes.length;
      const at = axes.map((a) => normalizeAxis(op, a, rank));
      if (new Set(at).size !== at.length) throw new Error(`${op}: expected distinct axes, got ${describe(axis)}`);
      const shape: number[] = [];
      for (let i = 0, j = 0; i < rank; i++) shape.push(at.includes(i) ? 1 : t.shape[j++]);
      return tfReshape(t, shape);
    }),
  );
}

/** Keras's transpose: x's axes permuted by `axes` (negative ones count from the end; null: reversed). */
export function transpose(x: TensorLike, axes: number[] | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('transpose', 2, arguments.length);
  const op = 'transpose';
  if (axes !== null && !Array.isArray(axes)) throw new Error(`${op}: expected axes to be an array of integers or null, got ${describe(axes)}`);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const perm = axes === null ? t.shape.map((_, i) => t.rank - 1 - i) : axes.map((a) => normalizeAxis(op, a, t.rank));
      return tfTranspose(t, perm);
    }),
  );
}
