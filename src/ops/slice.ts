// slice, split and unstack: contiguous windows of a tensor.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { packAttrs } from '../native/op_attrs';
import { recordOp, runKernel1, type GradRule } from '../tensor/run';
import { describe, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { concat } from './concat';
import { toTensor } from './convert';
import { asOp } from './op_name';
import { pad } from './pad';
import { reshape } from './reshape';
import { checkNoHoles } from '../options/check';

/**
 * The window of x starting at `begin` with `size` elements per dimension (-1: to the
 * end). Shorter begin/size arrays leave the trailing dimensions whole.
 * @example slice(x, [0, 1], [2, -1])
 */
export function slice(x: TensorLike, begin: number | number[], size?: number | number[]): Tensor {
  if (arguments.length > 3) throw tooManyArguments('slice', 3, arguments.length);
  const op = 'slice';
  const t = toTensor(op, 'x', x);
  const b = typeof begin === 'number' ? [begin] : begin;
  const s = size === undefined ? [] : typeof size === 'number' ? [size] : size;
  if (!Array.isArray(b)) throw new Error(`${op}: expected begin to be an integer or an array of integers, got ${describe(begin)}`);
  if (!Array.isArray(s)) throw new Error(`${op}: expected size to be an integer or an array of integers (-1: to the end), or undefined, got ${describe(size)}`);
  // A hole would read as the default (0, or to the end), as a shorter list's missing tail does.
  checkNoHoles(op, 'begin', b);
  checkNoHoles(op, 'size', s);
  if (b.length > t.rank || s.length > t.rank) {
    throw new Error(
      `${op}: expected begin and size of at most ${t.rank} entries for shape [${t.shape.join(', ')}], got ${describe(begin)} and ${describe(size)}`,
    );
  }
  const begins: number[] = [];
  const sizes: number[] = [];
  for (let d = 0; d < t.rank; d++) {
    const bd = b[d] ?? 0;
    const sd = s[d] === undefined || s[d] === -1 ? t.shape[d] - bd : s[d];
    if (!Number.isInteger(bd) || !Number.isInteger(sd) || bd < 0 || sd < 0 || bd + sd > t.shape[d]) {
      throw new Error(`${op}: window begin ${bd} size ${sd} is outside dimension ${d} of shape [${t.shape.join(', ')}]`);
    }
    begins.push(bd);
    sizes.push(sd);
  }
  return sliceKernel(t, begins, sizes, {
    grad: ([dy]) => [
      pad(
        dy,
        begins.map((bd, d) => [bd, t.shape[d] - bd - sizes[d]]),
      ),
    ],
  });
}

function sliceKernel(t: Tensor, begins: number[], sizes: number[], rule?: GradRule): Tensor {
  return runKernel1('slice', 'slice', [t], packAttrs.slice({ begin: begins }), { shape: sizes, dtype: t.dtype }, rule);
}

/**
 * Splits x along `axis` into `numOrSizes` equal parts, or parts of the given sizes
 * (one may be -1).
 */
export function split(x: Tensor, numOrSizes: number | number[], axis = 0): Tensor[] {
  if (arguments.length > 3) throw tooManyArguments('split', 3, arguments.length);
  const op = 'split';
  x = toTensor(op, 'x', x);
  const a = normalizeAxis(op, axis, x.rank);
  const extent = x.shape[a];
  let sizes: number[];
  if (typeof numOrSizes === 'number') {
    if (!Number.isInteger(numOrSizes) || numOrSizes <= 0 || extent % numOrSizes !== 0) {
      throw new Error(`${op}: cannot split dimension ${a} of size ${extent} into ${numOrSizes} equal parts`);
    }
    sizes = new Array(numOrSizes).fill(extent / numOrSizes);
  } else {
    if (!Array.isArray(numOrSizes)) throw new Error(`${op}: expected numOrSizes to be a positive integer or an array of sizes, got ${describe(numOrSizes)}`);
    checkNoHoles(op, 'numOrSizes', numOrSizes);
    const known = numOrSizes.filter((v) => v !== -1).reduce((p, v) => p + v, 0);
    sizes = numOrSizes.map((v) => (v === -1 ? extent - known : v));
    if (sizes.some((v) => !Number.isInteger(v) || v < 0) || sizes.reduce((p, v) => p + v, 0) !== extent) {
      throw new Error(`${op}: sizes [${numOrSizes.join(', ')}] do not add up to dimension ${a} of size ${extent}`);
    }
  }
  let offset = 0;
  const parts = sizes.map((n) => {
    const begin = x.shape.map((_, d) => (d === a ? offset : 0));
    const size = x.shape.map((v, d) => (d === a ? n : v));
    offset += n;
    return sliceKernel(x, begin, size);
  });
  // One node for all parts: the gradient is one concat, not a padded copy of x per part
  // summed (quadratic in the number of parts: a recurrent layer splits 28 steps).
  recordOp(op, [x], parts, { grad: (dys) => [concat(dys, a)] });
  return parts;
}

/** The slices of x along `axis`, each without that dimension. */
export function unstack(x: Tensor, axis = 0): Tensor[] {
  if (arguments.length > 2) throw tooManyArguments('unstack', 2, arguments.length);
  const t = toTensor('unstack', 'x', x);
  const a = normalizeAxis('unstack', axis, t.rank);
  const shape = t.shape.filter((_, d) => d !== a);
  // An empty axis holds no slices (as TensorFlow.js and NumPy).
  if (t.shape[a] === 0) return [];
  return asOp('unstack', () =>
    split(t, t.shape[a], a).map((part) => {
      const r = reshape(part, shape);
      part.dispose();
      return r;
    }),
  );
}
