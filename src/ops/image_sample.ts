// Interpolated reads of an N-D tensor at real coordinates: keras.ops.image.map_coordinates,
// i.e. jax.scipy.ndimage.map_coordinates (order 0 or 1; JAX's 'constant' and 'wrap' are
// SciPy's 'grid-constant' and 'grid-wrap'). The index fixing acts on each interpolation tap
// (not on the real coordinate, as TensorFlow's ImageProjectiveTransformV3 does), so affineTransform
// reuses this where TensorFlow's sampling differs ('wrap', 'mirror').
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { checkNumber } from '../tensor/ranges';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { add, div, mul, sub } from './binary';
import { cast } from './cast';
import { clipByValue } from './clip';
import { equal, greater, greaterEqual, less, logicalAnd, logicalOr, where } from './compare';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { mod } from './floor_mod';
import { gather } from './gather';
import { reshape } from './reshape';
import { slice } from './slice';
import { abs, floor } from './unary';

/** How mapCoordinates (and affineTransform) read points outside the input. */
export type MapFillMode = 'constant' | 'nearest' | 'wrap' | 'mirror' | 'reflect';
export const MAP_FILL_MODES: readonly MapFillMode[] = ['constant', 'nearest', 'wrap', 'mirror', 'reflect'];

/** One axis of a read: integer `positions` taken as they are, or real `coordinates` interpolated. */
export type SampleAxis = { positions: Tensor } | { coordinates: Tensor };

/** (d c b | a b c d | c b a): whole-sample symmetric, as JAX's _mirror_index_fixer. */
function mirror(index: Tensor, size: number): Tensor {
  const s = size - 1;
  // One element mirrors onto itself (JAX would take a remainder by zero).
  if (s === 0) return mul(index, 0);
  return abs(sub(mod(add(index, s), 2 * s), s));
}

/** Integer-valued tap `index` moved into [0, size) by `mode` ('constant' leaves it). */
function fixIndex(index: Tensor, size: number, mode: MapFillMode): Tensor {
  switch (mode) {
    case 'constant':
      return index;
    case 'nearest':
      return clipByValue(index, 0, size - 1);
    case 'wrap':
      return mod(index, size);
    case 'mirror':
      return mirror(index, size);
    case 'reflect':
      // (d c b a | a b c d | d c b a): half-sample symmetric, mirrored on the doubled lattice.
      return floor(div(sub(mirror(add(mul(index, 2), 1), 2 * size + 1), 1), 2));
  }
}

/** x rounded half away from zero, exactly (as lax.round): floor plus one above a half. */
function roundHalfAway(x: Tensor): Tensor {
  const lower = floor(x);
  const frac = sub(x, lower);
  const up = logicalOr(greater(frac, 0.5), logicalAnd(equal(frac, 0.5), greaterEqual(x, 0)));
  return add(lower, cast(up, x.dtype));
}

type Tap = { index: Tensor; weight: Tensor | null };

/**
 * Reads `input` at the broadcast of `axes` (one per dimension): order 0 takes the nearest
 * element, order 1 weighs the 2^k neighbours of the k interpolated axes; taps outside read
 * `fillValue` under 'constant', else their index is moved in by `mode`. Differentiable
 * w.r.t. the input (through gather).
 */
export function sampleAt(input: Tensor, axes: SampleAxis[], order: 0 | 1, mode: MapFillMode, fillValue: number): Tensor {
  return tidy(() => {
    const shape = input.shape;
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    const flat = reshape(input, [input.size]);
    const perAxis = axes.map((axis, d): { index: Tensor; weight: Tensor | null; valid: Tensor | null }[] => {
      let taps: Tap[];
      if ('positions' in axis) taps = [{ index: axis.positions, weight: null }];
      else if (order === 0) taps = [{ index: roundHalfAway(axis.coordinates), weight: null }];
      else {
        const lower = floor(axis.coordinates);
        const upper = sub(axis.coordinates, lower);
        taps = [
          { index: lower, weight: sub(1, upper) },
          { index: add(lower, 1), weight: upper },
        ];
      }
      return taps.map(({ index, weight }) => {
        const fixed = fixIndex(index, shape[d], mode);
        // In range by construction except under 'constant' (or for NaN): those read element 0, then fillValue.
        const inside = logicalAnd(greaterEqual(fixed, 0), less(fixed, shape[d]));
        const offset = mul(cast(where(inside, fixed, 0), 'int32'), strides[d]);
        return { index: offset, weight, valid: mode === 'constant' ? inside : null };
      });
    });
    let total: Tensor | null = null;
    const visit = (d: number, offset: Tensor | null, weight: Tensor | null, valid: Tensor | null): void => {
      if (d === perAxis.length) {
        let value = gather(flat, offset as Tensor);
        if (valid) value = where(valid, value, fillValue);
        if (weight) value = mul(value, weight);
        total = total ? add(total, value) : value;
        return;
      }
      for (const tap of perAxis[d]) {
        const both = (a: Tensor | null, b: Tensor | null, f: (x: Tensor, y: Tensor) => Tensor) => (a && b ? f(a, b) : (a ?? b));
        visit(d + 1, both(offset, tap.index, add), both(weight, tap.weight, mul), both(valid, tap.valid, logicalAnd));
      }
    };
    visit(0, null, null, null);
    return total as unknown as Tensor;
  });
}

/**
 * Reads `inputs` at `coordinates` ([rank of inputs, ...points]: one coordinate per dimension
 * of the input for each point), as keras.ops.image.map_coordinates / scipy.ndimage.map_coordinates:
 * `order` 0 takes the nearest element (halves away from zero), 1 interpolates linearly.
 * Points outside read `fillValue` under fillMode 'constant' (default; each tap outside reads
 * it, SciPy's 'grid-constant'), else 'nearest' (a a | a b c | c c), 'wrap' (b c | a b c | a b),
 * 'mirror' (c b | a b c | b a) or 'reflect' (b a | a b c | c b). The output has shape
 * coordinates.shape[1:], the inputs' dtype (float only). Differentiable w.r.t. the inputs.
 * @example ts.image.mapCoordinates(ts.tensor([[0, 1], [2, 3]]), [[0.5], [0.5]], 1) // [1.5]
 */
export function mapCoordinates(inputs: TensorLike, coordinates: TensorLike, order: number, fillMode: MapFillMode = 'constant', fillValue = 0): Tensor {
  if (arguments.length > 5) throw tooManyArguments('image.mapCoordinates', 5, arguments.length);
  const op = 'image.mapCoordinates';
  const x = toTensor(op, 'inputs', inputs);
  checkInputDType(op, 'inputs', x, FLOAT_DTYPES);
  if (x.rank === 0) throw new Error(`${op}: expected inputs of rank 1 or more, got a scalar`);
  if (x.size === 0) throw new Error(`${op}: expected non-empty inputs, got shape [${x.shape.join(', ')}]`);
  const given = toTensor(op, 'coordinates', coordinates);
  checkInputDType(op, 'coordinates', given, ['float32', 'float64', 'int32']);
  if (given.rank < 2 || given.shape[0] !== x.rank)
    throw new Error(`${op}: expected coordinates of shape [${x.rank}, ...points] (one row per dimension of the inputs), got [${given.shape.join(', ')}]`);
  if (order !== 0 && order !== 1) throw new Error(`${op}: expected order 0 (nearest) or 1 (linear), got ${describe(order)}`);
  if (!MAP_FILL_MODES.includes(fillMode))
    throw new Error(`${op}: expected fillMode one of ${MAP_FILL_MODES.map((m) => `'${m}'`).join(', ')}, got ${describe(fillMode)}`);
  checkNumber(op, 'fillValue', fillValue);
  return tidy(() => {
    const c = given.dtype === x.dtype ? given : cast(given, x.dtype);
    const points = given.shape.slice(1);
    const axes = x.shape.map((_, d): SampleAxis => ({ coordinates: reshape(slice(c, [d, ...points.map(() => 0)], [1, ...points]), points) }));
    return sampleAt(x, axes, order, fillMode, fillValue);
  });
}

/** 0, 1, ..., n - 1 of `dtype` laid along `axis` of a rank-`rank` shape of ones. */
export function positionsAlong(n: number, axis: number, rank: number, like: Tensor): Tensor {
  const shape = new Array<number>(rank).fill(1);
  shape[axis] = n;
  return fromTypedArray(
    allocTypedArray(like.dtype, n).map((_, i) => i),
    shape,
    like.dtype,
    like.device,
  );
}
