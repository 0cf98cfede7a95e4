// TensorFlow.js's ranked aliases (concat1d..4d, pad1d..4d, reverse1d..4d, slice1d..4d):
// concat, pad, reverse and slice for an input of one rank, which they check, and whose
// errors name the alias called.
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { concat } from './concat';
import { toTensor } from './convert';
import { asOp } from './op_name';
import { pad } from './pad';
import { reverse } from './reverse';
import { slice } from './slice';

function ofRank(op: string, name: string, x: TensorLike, rank: number): Tensor {
  const t = toTensor(op, name, x);
  if (t.rank !== rank) throw new Error(`${op}: expected ${name} of rank ${rank}, got shape [${t.shape.join(', ')}]`);
  return t;
}

function concatRanked(op: string, tensors: TensorLike[], axis: number, rank: number): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error(`${op}: expected a non-empty array of tensors, got ${describe(tensors)}`);
  return asOp(op, () =>
    tidy(() =>
      concat(
        tensors.map((t, i) => ofRank(op, `tensors[${i}]`, t, rank)),
        axis,
      ),
    ),
  );
}

function padRanked(op: string, x: TensorLike, paddings: number[][], constantValue: number, rank: number): Tensor {
  return asOp(op, () => tidy(() => pad(ofRank(op, 'x', x, rank), paddings, constantValue)));
}

function reverseRanked(op: string, x: TensorLike, axis: number | number[] | undefined, rank: number): Tensor {
  return asOp(op, () => tidy(() => reverse(ofRank(op, 'x', x, rank), axis)));
}

function sliceRanked(op: string, x: TensorLike, begin: number | number[], size: number | number[] | undefined, rank: number): Tensor {
  return asOp(op, () => tidy(() => slice(ofRank(op, 'x', x, rank), begin, size)));
}

/** concat for rank-1 tensors: joined end to end. */
export function concat1d(tensors: TensorLike[]): Tensor {
  if (arguments.length > 1) throw tooManyArguments('concat1d', 1, arguments.length);
  return concatRanked('concat1d', tensors, 0, 1);
}

/** concat for rank-2 tensors, joined along `axis`. */
export function concat2d(tensors: TensorLike[], axis: number): Tensor {
  if (arguments.length > 2) throw tooManyArguments('concat2d', 2, arguments.length);
  return concatRanked('concat2d', tensors, axis, 2);
}

/** concat for rank-3 tensors, joined along `axis`. */
export function concat3d(tensors: TensorLike[], axis: number): Tensor {
  if (arguments.length > 2) throw tooManyArguments('concat3d', 2, arguments.length);
  return concatRanked('concat3d', tensors, axis, 3);
}

/** concat for rank-4 tensors, joined along `axis`. */
export function concat4d(tensors: TensorLike[], axis: number): Tensor {
  if (arguments.length > 2) throw tooManyArguments('concat4d', 2, arguments.length);
  return concatRanked('concat4d', tensors, axis, 4);
}

/** pad for a rank-1 x: `paddings` is its [before, after] pair. */
export function pad1d(x: TensorLike, paddings: [number, number], constantValue = 0): Tensor {
  if (arguments.length > 3) throw tooManyArguments('pad1d', 3, arguments.length);
  return padRanked('pad1d', x, [paddings], constantValue, 1);
}

/** pad for a rank-2 x: one [before, after] pair per dimension. */
export function pad2d(x: TensorLike, paddings: [[number, number], [number, number]], constantValue = 0): Tensor {
  if (arguments.length > 3) throw tooManyArguments('pad2d', 3, arguments.length);
  return padRanked('pad2d', x, paddings, constantValue, 2);
}

/** pad for a rank-3 x: one [before, after] pair per dimension. */
export function pad3d(x: TensorLike, paddings: [[number, number], [number, number], [number, number]], constantValue = 0): Tensor {
  if (arguments.length > 3) throw tooManyArguments('pad3d', 3, arguments.length);
  return padRanked('pad3d', x, paddings, constantValue, 3);
}

/** pad for a rank-4 x: one [before, after] pair per dimension. */
export function pad4d(x: TensorLike, paddings: [[number, number], [number, number], [number, number], [number, number]], constantValue = 0): Tensor {
  if (arguments.length > 3) throw tooManyArguments('pad4d', 3, arguments.length);
  return padRanked('pad4d', x, paddings, constantValue, 4);
}

/** reverse for a rank-1 x. */
export function reverse1d(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('reverse1d', 1, arguments.length);
  return reverseRanked('reverse1d', x, undefined, 1);
}

/** reverse for a rank-2 x, along `axis` (all axes when omitted). */
export function reverse2d(x: TensorLike, axis?: number | number[]): Tensor {
  if (arguments.length > 2) throw tooManyArguments('reverse2d', 2, arguments.length);
  return reverseRanked('reverse2d', x, axis, 2);
}

/** reverse for a rank-3 x, along `axis` (all axes when omitted). */
export function reverse3d(x: TensorLike, axis?: number | number[]): Tensor {
  if (arguments.length > 2) throw tooManyArguments('reverse3d', 2, arguments.length);
  return reverseRanked('reverse3d', x, axis, 3);
}

/** reverse for a rank-4 x, along `axis` (all axes when omitted). */
export function reverse4d(x: TensorLike, axis?: number | number[]): Tensor {
  if (arguments.length > 2) throw tooManyArguments('reverse4d', 2, arguments.length);
  return reverseRanked('reverse4d', x, axis, 4);
}

/** slice for a rank-1 x: `size` elements from `begin` (size -1: to the end). */
export function slice1d(x: TensorLike, begin: number, size: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('slice1d', 3, arguments.length);
  return sliceRanked('slice1d', x, begin, size, 1);
}

/** slice for a rank-2 x, begin and size per dimension (size -1: to the end). */
export function slice2d(x: TensorLike, begin: [number, number], size: [number, number]): Tensor {
  if (arguments.length > 3) throw tooManyArguments('slice2d', 3, arguments.length);
  return sliceRanked('slice2d', x, begin, size, 2);
}

/** slice for a rank-3 x, begin and size per dimension (size -1: to the end). */
export function slice3d(x: TensorLike, begin: [number, number, number], size: [number, number, number]): Tensor {
  if (arguments.length > 3) throw tooManyArguments('slice3d', 3, arguments.length);
  return sliceRanked('slice3d', x, begin, size, 3);
}

/** slice for a rank-4 x, begin and size per dimension (size -1: to the end). */
export function slice4d(x: TensorLike, begin: [number, number, number, number], size: [number, number, number, number]): Tensor {
  if (arguments.length > 3) throw tooManyArguments('slice4d', 3, arguments.length);
  return sliceRanked('slice4d', x, begin, size, 4);
}
