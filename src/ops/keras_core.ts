// keras.ops.core's associative_scan, slice_update, scatter and scatter_update, composed from
// existing ops so that they are differentiable as their parts are.
import { tooManyArguments } from '../options/arity';
import { checkFunction } from '../tensor/check_function';
import { fill, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe, normalizeAxis, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { cast } from './cast';
import { where } from './compare';
import { concat } from './concat';
import { toTensor } from './convert';
import { scatterND, tensorScatterUpdate } from './gather_nd';
import { checkSameStructure, leavesWithPaths, packAs, type Nest } from './nest';
import { asOp } from './op_name';
import { pad } from './pad';
import { reverse as flip } from './reverse';
import { slice } from './slice';

// `len` entries of t from `start` along axis `ax`.
function sliceAxis(t: Tensor, ax: number, start: number, len: number): Tensor {
  return slice(
    t,
    t.shape.map((_, k) => (k === ax ? start : 0)),
    t.shape.map((d, k) => (k === ax ? len : d)),
  );
}

/**
 * Keras's associative_scan: the running combination of elems along `axis` under f, an
 * associative function of two batched slices (f(a, b), a the earlier), so that entry i is
 * f(...f(elems[0], elems[1])..., elems[i]); with reverse the scan runs from the end. elems is a
 * tensor, or an array or plain object of tensors of one length along axis (f then takes and
 * returns that structure). As JAX, it calls f log2(n) times on whole slices (Hillis-Steele),
 * so f must work elementwise over the leading entries. Differentiable.
 * @example associativeScan((a, b) => add(a, b), x) // cumsum(x, 0)
 */
export function associativeScan(f: (a: never, b: never) => unknown, elems: Nest, reverse = false, axis = 0): Tensor | Nest {
  if (arguments.length > 4) throw tooManyArguments('associativeScan', 4, arguments.length);
  const op = 'associativeScan';
  checkFunction(op, 'f', f);
  if (typeof reverse !== 'boolean') throw new Error(`${op}: expected reverse to be true or false, got ${describe(reverse)}`);
  const paths = leavesWithPaths(elems);
  const leaves = paths.map(([path, t]) => {
    if (!(t instanceof Tensor)) throw new Error(`${op}: expected elems${path} to be a tensor, got ${describe(t)}`);
    if (t.isDisposed) throw new Error(`${op}: elems${path} is a disposed tensor`);
    if (t.rank === 0) throw new Error(`${op}: expected elems${path} of rank 1 or more, got a scalar`);
    return t;
  });
  if (leaves.length === 0) throw new Error(`${op}: expected elems to hold at least one tensor, got ${describe(elems)}`);
  const axes = leaves.map((t) => normalizeAxis(op, axis, t.rank));
  const n = leaves[0].shape[axes[0]];
  leaves.forEach((t, i) => {
    if (t.shape[axes[i]] !== n) throw new Error(`${op}: elems${paths[i][0]} has ${t.shape[axes[i]]} entries along axis ${axis}, elems${paths[0][0]} ${n}`);
  });
  return asOp(op, () =>
    tidy(() => {
      let y = reverse ? leaves.map((t, i) => flip(t, axes[i])) : leaves;
      // After the pass with offset d, entry i combines the entries (i - 2d, i].
      for (let d = 1; d < n; d *= 2) {
        const a = y.map((t, i) => sliceAxis(t, axes[i], 0, n - d));
        const b = y.map((t, i) => sliceAxis(t, axes[i], d, n - d));
        const out = (f as (a: unknown, b: unknown) => unknown)(packAs(op, elems, a), packAs(op, elems, b));
        checkSameStructure(op, elems, out, "f's result");
        const c = leavesWithPaths(out).map(([path, t], i) => {
          const want = b[i];
          if (!(t instanceof Tensor) || t.dtype !== want.dtype || t.shape.some((s, k) => s !== want.shape[k]) || t.rank !== want.rank) {
            throw new Error(
              `${op}: expected f's result${path} to be a ${want.dtype} tensor of shape [${want.shape.join(', ')}] (as its operands), got ${describe(t)}`,
            );
          }
          return t;
        });
        y = y.map((t, i) => concat([sliceAxis(t, axes[i], 0, d), c[i]], axes[i]));
      }
      const result = reverse ? y.map((t, i) => flip(t, axes[i])) : y;
      return packAs(op, elems, result) as Tensor | Nest;
    }),
  );
}

/**
 * Keras's slice_update: inputs with the block at `startIndices` (one non-negative integer per
 * dimension) replaced by updates, of inputs' rank and dtype. Keras's JAX backend moves a block
 * that overhangs the end back inside; Tessera refuses it. Differentiable in both.
 */
export function sliceUpdate(inputs: TensorLike, startIndices: number[] | Tensor, updates: TensorLike): Tensor {
  if (arguments.length > 3) throw tooManyArguments('sliceUpdate', 3, arguments.length);
  const op = 'sliceUpdate';
  return asOp(op, () =>
    tidy(() => {
      const x = toTensor(op, 'inputs', inputs);
      const u = toTensor(op, 'updates', updates, updates instanceof Tensor ? undefined : x.dtype);
      if (u.dtype !== x.dtype) throw new Error(`${op}: expected updates of inputs' dtype ${x.dtype}, got ${u.dtype}`);
      if (u.rank !== x.rank) throw new Error(`${op}: expected updates of inputs' rank ${x.rank}, got shape [${u.shape.join(', ')}]`);
      const starts = startIndices instanceof Tensor ? Array.from(startIndices.dataSync() as ArrayLike<number>, Number) : startIndices;
      if (!Array.isArray(starts) || starts.length !== x.rank) {
        throw new Error(`${op}: expected startIndices to be ${x.rank} integers (one per dimension of inputs), got ${describe(startIndices)}`);
      }
      const paddings = starts.map((s, k) => {
        if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s + u.shape[k] > x.shape[k]) {
          throw new Error(
            `${op}: startIndices[${k}] = ${describe(s)} does not fit updates' ${u.shape[k]} entries in inputs' ${x.shape[k]} (dimension ${k}); ` +
              `expected an integer in [0, ${x.shape[k] - u.shape[k]}]`,
          );
        }
        return [s, x.shape[k] - s - u.shape[k]];
      });
      const inside = cast(pad(fill(u.shape, 1, 'int32'), paddings, 0), 'bool');
      return where(inside, pad(u, paddings, 0), x);
    }),
  );
}

/**
 * Keras's scatter: a tensor of `shape`, zero but for `values` at `indices` [..., K] (each
 * row indexes the leading K dimensions); values at repeated indices are summed (scatterND).
 */
export function scatter(indices: TensorLike, values: TensorLike, shape: Shape): Tensor {
  if (arguments.length > 3) throw tooManyArguments('scatter', 3, arguments.length);
  return asOp('scatter', () => scatterND(indices, values, shape));
}

/**
 * Keras's scatter_update: inputs with the entries or slices at `indices` [..., K] replaced
 * by updates (tensorScatterUpdate; where an index repeats, the last update wins).
 */
export function scatterUpdate(inputs: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  if (arguments.length > 3) throw tooManyArguments('scatterUpdate', 3, arguments.length);
  return asOp('scatterUpdate', () => tensorScatterUpdate(inputs, indices, updates));
}
