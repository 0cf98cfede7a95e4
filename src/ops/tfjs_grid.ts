// TensorFlow.js's small composite ops: diag, meshgrid, cumprod, ensureShape, broadcastArgs
// and movingAverage, built from existing differentiable ops so autograd works.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, onesLike, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { broadcastShapes, describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, div, mul, pow, sub } from './binary';
import { concat, stack } from './concat';
import { checkInputDType, toIndexTensor, toTensor } from './convert';
import { gather } from './gather';
import { asOp } from './op_name';
import { reshape } from './reshape';
import { reverse as reverseAxes } from './reverse';
import { slice } from './slice';
import { tile } from './tile';
import { transpose } from './transpose';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * A tensor of shape [...x.shape, ...x.shape] holding x on its diagonal (out[i..., i...] =
 * x[i...]) and zeros elsewhere. Differentiable in x.
 * @example diag([1, 2]) // [[1, 0], [0, 2]]
 */
export function diag(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('diag', 1, arguments.length);
  const op = 'diag';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      if (t.rank === 0 || t.rank > 4) throw new Error(`${op}: expected x of rank 1 to 4, got shape ${fmt(t.shape)}`);
      const n = t.size;
      // Entry (i, j) takes x[i] on the diagonal and an appended zero (position n) elsewhere.
      const pick = allocTypedArray('int32', n * n, op) as Int32Array;
      pick.fill(n);
      for (let i = 0; i < n; i++) pick[i * n + i] = i;
      const padded = concat([reshape(t, [n]), fromTypedArray(allocTypedArray(t.dtype, 1, op), [1], t.dtype, t.device)], 0);
      return reshape(gather(padded, fromTypedArray(pick, [n * n], 'int32', t.device), 0), [...t.shape, ...t.shape]);
    }),
  );
}

/** meshgrid's options. */
export interface MeshgridOptions {
  /** 'xy' (default): outputs [y.size, x.size], Cartesian; 'ij': [x.size, y.size], matrix. */
  indexing?: 'xy' | 'ij';
}

/**
 * The coordinate grids of x and y (each flattened): X repeats x along the rows (for 'xy')
 * and Y repeats y along the columns. With no y, [x]; with neither, []. Differentiable.
 * @example const [X, Y] = meshgrid([1, 2, 3], [4, 5]) // X [[1,2,3],[1,2,3]], Y [[4,4,4],[5,5,5]]
 */
export function meshgrid(x?: TensorLike, y?: TensorLike, options: MeshgridOptions = {}): Tensor[] {
  if (arguments.length > 3) throw tooManyArguments('meshgrid', 3, arguments.length);
  const op = 'meshgrid';
  if (options === null) throw new Error(`${op}: expected options to be an object, got null`);
  // The shared check: a tensor where options go (meshgrid(x, y, z), NumPy's habit) is named as one.
  const indexing = checkOptions<MeshgridOptions>(op, options, ['indexing']).indexing ?? 'xy';
  if (indexing !== 'xy' && indexing !== 'ij') throw new Error(`${op}: expected indexing 'xy' or 'ij', got ${describe(indexing)}`);
  if (x === undefined) {
    if (y !== undefined) throw new Error(`${op}: got y without x`);
    return [];
  }
  return asOp(op, () =>
    tidy(() => {
      const a = toTensor(op, 'x', x);
      if (y === undefined) return [a];
      const b = toTensor(op, 'y', y);
      const [w, h] = [a.size, b.size];
      const row = (t: Tensor) => reshape(t, [1, t.size]);
      const col = (t: Tensor) => reshape(t, [t.size, 1]);
      return indexing === 'xy' ? [tile(row(a), [h, 1]), tile(col(b), [1, w])] : [tile(col(a), [1, h]), tile(row(b), [w, 1])];
    }),
  );
}

/**
 * The running product of x along `axis` (default 0): exclusive leaves each element out of
 * its own product (starting at 1), reverse runs from the end. Exact for zeros and signs (only
 * products, no logarithms), differentiable in x (zeros included), O(n) work per line.
 */
export function cumprod(x: TensorLike, axis = 0, exclusive = false, reverse = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('cumprod', 4, arguments.length);
  const op = 'cumprod';
  for (const [name, v] of [
    ['exclusive', exclusive],
    ['reverse', reverse],
  ] as const)
    if (typeof v !== 'boolean') throw new Error(`${op}: expected ${name} to be true or false, got ${describe(v)}`);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      if (t.dtype === 'bool') throw new Error(`${op}: expected a numeric x, got dtype bool`);
      if (t.rank === 0) throw new Error(`${op}: expected x of rank 1 or more, got a scalar`);
      if (!Number.isInteger(axis) || axis < -t.rank || axis >= t.rank)
        throw new Error(`${op}: expected axis to be an integer in [${-t.rank}, ${t.rank}), got ${describe(axis)}`);
      const a = axis < 0 ? axis + t.rank : axis;
      const n = t.shape[a];
      // Lines as the rows of [rows, n]; reverse runs the scan on the flipped lines.
      const perm = [...t.shape.keys()].filter((d) => d !== a).concat(a);
      const moved = transpose(t, perm);
      const lines = reshape(moved, [moved.size / Math.max(n, 1), n]);
      const flip = (y: Tensor) => (reverse && n > 1 ? reverseAxes(y, 1) : y);
      let scanned = scanProducts(flip(lines));
      if (exclusive && n > 0) scanned = shiftRight(scanned, n - 1);
      const back = perm.map((_, i) => perm.indexOf(i));
      return transpose(reshape(flip(scanned), moved.shape), back);
    }),
  );
}

// [rows, n] -> [rows, 1 + keep]: a column of ones, then the first `keep` columns.
const shiftRight = (y: Tensor, keep: number): Tensor => {
  const rows = y.shape[0];
  return concat([onesLike(slice(y, [0, 0], [rows, 1])), slice(y, [0, 0], [rows, keep])], 1);
};

// Inclusive products along the rows of [rows, n]: neighbours multiplied in pairs, the pairs'
// products scanned (a line half as long), then each even position takes the product before
// its pair times itself. O(n) work in O(log n) steps.
function scanProducts(x: Tensor): Tensor {
  const [rows, n] = x.shape;
  if (n <= 1) return x;
  const m = Math.ceil(n / 2);
  const padded = n % 2 === 0 ? x : concat([x, onesLike(slice(x, [0, 0], [rows, 1]))], 1);
  const pairs = reshape(padded, [rows, m, 2]);
  const first = reshape(slice(pairs, [0, 0, 0], [rows, m, 1]), [rows, m]);
  const second = reshape(slice(pairs, [0, 0, 1], [rows, m, 1]), [rows, m]);
  const odd = scanProducts(mul(first, second));
  const even = mul(shiftRight(odd, m - 1), first);
  const both = reshape(stack([even, odd], 2), [rows, 2 * m]);
  return n % 2 === 0 ? both : slice(both, [0, 0], [rows, n]);
}

/**
 * x itself when its shape matches `shape` (null entries match any size), else an error
 * naming both shapes.
 */
export function ensureShape(x: Tensor, shape: (number | null)[]): Tensor {
  if (arguments.length > 2) throw tooManyArguments('ensureShape', 2, arguments.length);
  const op = 'ensureShape';
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected x to be a Tensor, got ${describe(x)}`);
  if (x.isDisposed) throw new Error(`${op}: argument 'x' is a disposed tensor (shape ${fmt(x.shape)})`);
  if (!Array.isArray(shape) || shape.some((d) => d !== null && (typeof d !== 'number' || !Number.isInteger(d) || d < 0)))
    throw new Error(`${op}: expected shape to be an array of non-negative integers or null, got ${describe(shape)}`);
  if (shape.length !== x.rank || shape.some((d, i) => d !== null && d !== x.shape[i]))
    throw new Error(
      `${op}: the shape of x ${fmt(x.shape)} is not compatible with the expected shape [${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`,
    );
  return x;
}

/** The broadcast of two int32 shape vectors s0 and s1, as an int32 vector. */
export function broadcastArgs(s0: TensorLike, s1: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('broadcastArgs', 2, arguments.length);
  const op = 'broadcastArgs';
  return asOp(op, () =>
    tidy(() => {
      const shapes = [toIndexTensor(op, 's0', s0), toIndexTensor(op, 's1', s1)].map((t, i) => {
        checkInputDType(op, `s${i}`, t, ['int32']);
        if (t.rank !== 1) throw new Error(`${op}: expected s${i} to be a vector (rank 1), got shape ${fmt(t.shape)}`);
        const dims = Array.from(t.dataSync(), Number);
        if (dims.some((d) => d < 0)) throw new Error(`${op}: expected s${i} to hold non-negative sizes, got ${fmt(dims)}`);
        return dims;
      });
      const out = broadcastShapes(op, shapes[0], shapes[1]);
      return fromTypedArray(Int32Array.from(out), [out.length], 'int32');
    }),
  );
}

/**
 * The exponential moving average v + (x - v)(1 - decay); with zeroDebias (the default) the
 * update is divided by 1 - decay^step, so `step` is then required. Differentiable.
 */
export function movingAverage(v: TensorLike, x: TensorLike, decay: number | Tensor, step?: number | Tensor, zeroDebias = true): Tensor {
  if (arguments.length > 5) throw tooManyArguments('movingAverage', 5, arguments.length);
  const op = 'movingAverage';
  if (typeof zeroDebias !== 'boolean') throw new Error(`${op}: expected zeroDebias to be true or false, got ${describe(zeroDebias)}`);
  return asOp(op, () =>
    tidy(() => {
      const a = toTensor(op, 'v', v);
      const b = toTensor(op, 'x', x);
      if (a.dtype !== b.dtype) throw new Error(`${op}: expected v and x of one dtype, got ${a.dtype} and ${b.dtype}`);
      if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i]))
        throw new Error(`${op}: expected v and x of one shape, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
      const d = toTensor(op, 'decay', decay, a.dtype);
      let update = mul(sub(b, a), sub(1, d));
      if (zeroDebias) {
        if (step === undefined || step === null) throw new Error(`${op}: step is required when zeroDebias is true`);
        update = div(update, sub(1, pow(d, toTensor(op, 'step', step, a.dtype))));
      }
      return add(a, update);
    }),
  );
}
