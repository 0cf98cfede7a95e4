// Keras 3 operation classes (what `keras.ops.X(tensor)` and `x + 1` record in a functional
// model) and the Tessera op each runs. An entry takes the call's positional arguments
// (tensors and constants, in Keras's order) and the operation's config options (Keras's
// keys, camelCase), and lists those options: any other is refused when the node is made.
import * as ts from '../ops';
import { cast } from '../ops/cast';
import { tensor } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';

type Obj = Record<string, unknown>;
type Run = (args: unknown[], options: Obj, where: string) => Tensor;

interface OpEntry {
  /** Keras's module for the class: keras.src.ops.numpy, .nn or .core. */
  module: string;
  /** How many positional arguments the call takes: [fewest, most]. */
  arity: [number, number];
  /** The options the operation's config may hold (besides name), camelCase. */
  options: string[];
  /** The positional arguments whose dtypes make the result's (Keras's result_type); default all. */
  operands?: number[];
  run: Run;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @internal A constant argument as Tessera takes it: Keras's numpy / tensor constants become tensors. */
export function constantArg(v: unknown): unknown {
  if (isObj(v) && (v.class_name === '__numpy__' || v.class_name === '__tensor__') && isObj(v.config))
    return tensor(v.config.value as number[], undefined, (v.config.dtype as DType | undefined) ?? undefined);
  return v;
}

type L = Parameters<typeof ts.add>[0];
const NUMPY = 'keras.src.ops.numpy';
const NN = 'keras.src.ops.nn';

const binary = (fn: (a: L, b: L) => Tensor): OpEntry => ({ module: NUMPY, arity: [2, 2], options: [], run: (a) => fn(a[0] as L, a[1] as L) });
const unary = (fn: (a: L) => Tensor, module = NUMPY): OpEntry => ({ module, arity: [1, 1], options: [], run: (a) => fn(a[0] as L) });
// Keras's axis option: null (all axes), one axis or a list of them.
const axisOf = (v: unknown) => (v === null || v === undefined ? undefined : (v as number | number[]));
const reduction = (fn: (x: L, axis?: number | number[], keepDims?: boolean) => Tensor, extra: string[] = []): OpEntry => ({
  module: NUMPY,
  arity: [1, 1],
  options: ['axis', 'keepdims', ...extra],
  run: (a, o, where) => {
    for (const k of extra) if (o[k] !== null && o[k] !== undefined) throw new Error(`${where}: ${k} = ${describe(o[k])} is not supported (only null)`);
    return fn(a[0] as L, axisOf(o.axis), (o.keepdims as boolean | undefined) ?? false);
  },
});
const withAxis = (fn: (xs: Tensor[], axis: number) => Tensor, fallback: number): OpEntry => ({
  module: NUMPY,
  arity: [1, 1],
  options: ['axis'],
  run: (a, o) => fn(a[0] as Tensor[], (o.axis as number | undefined) ?? fallback),
});

/** @internal Keras operation class -> how Tessera computes it. */
export const KERAS_OPERATIONS: Record<string, OpEntry> = {
  Add: binary(ts.add),
  Subtract: binary(ts.sub),
  Multiply: binary(ts.mul),
  Divide: binary(ts.divide),
  TrueDivide: binary(ts.trueDivide),
  FloorDivide: binary(ts.floorDivide),
  Power: binary(ts.power),
  Mod: binary(ts.mod),
  Equal: binary(ts.equal),
  NotEqual: binary(ts.notEqual),
  Greater: binary(ts.greater),
  GreaterEqual: binary(ts.greaterEqual),
  Less: binary(ts.less),
  LessEqual: binary(ts.lessEqual),
  LogicalAnd: binary(ts.logicalAnd),
  LogicalOr: binary(ts.logicalOr),
  Maximum: binary(ts.maximum),
  Minimum: binary(ts.minimum),
  Matmul: binary(ts.matmul),
  Negative: unary(ts.neg),
  LogicalNot: unary(ts.logicalNot),
  Absolute: unary(ts.abs),
  Abs: unary(ts.abs),
  Exp: unary(ts.exp),
  Log: unary(ts.log),
  Sqrt: unary(ts.sqrt),
  Square: unary(ts.square),
  Tanh: unary(ts.tanh),
  Sigmoid: unary(ts.sigmoid, NN),
  Relu: unary(ts.relu, NN),
  // Keras's gelu defaults to the tanh approximation.
  Gelu: { module: NN, arity: [1, 1], options: ['approximate'], run: (a, o) => ts.gelu(a[0] as L, (o.approximate as boolean | undefined) ?? true) },
  Softmax: { module: NN, arity: [1, 1], options: ['axis'], run: (a, o) => ts.softmax(a[0] as L, (o.axis as number | undefined) ?? -1) },
  Cast: { module: 'keras.src.ops.core', arity: [1, 1], options: ['dtype'], run: (a, o) => cast(a[0] as Tensor, o.dtype as DType) },
  // Keras's attention layers return their output mask as convert_to_tensor(query_mask).
  ConvertToTensor: { module: 'keras.src.ops.core', arity: [1, 1], options: ['dtype', 'sparse', 'ragged'], run: convertToTensor },
  Reshape: { module: NUMPY, arity: [1, 1], options: ['newshape'], run: (a, o) => ts.reshape(a[0] as L, o.newshape as number[]) },
  Transpose: { module: NUMPY, arity: [1, 1], options: ['axes'], run: (a, o) => ts.transpose(a[0] as L, (o.axes as number[] | null | undefined) ?? null) },
  ExpandDims: { module: NUMPY, arity: [1, 1], options: ['axis'], run: (a, o) => ts.expandDims(a[0] as Tensor, o.axis as number) },
  Squeeze: { module: NUMPY, arity: [1, 1], options: ['axis'], run: (a, o) => ts.squeeze(a[0] as Tensor, axisOf(o.axis)) },
  Concatenate: withAxis((xs, axis) => ts.concatenate(xs, axis), 0),
  Stack: withAxis((xs, axis) => ts.stack(xs, axis), 0),
  Mean: reduction(ts.mean),
  Sum: reduction(ts.sum),
  Max: reduction(ts.max, ['initial']),
  Min: reduction(ts.min, ['initial']),
  Any: reduction(ts.any),
  All: reduction(ts.all),
  Einsum: { module: NUMPY, arity: [1, 8], options: ['subscripts'], run: (a, o) => ts.einsum(o.subscripts as string, ...(a as Tensor[])) },
  Where: { module: NUMPY, arity: [3, 3], options: [], operands: [1, 2], run: (a) => ts.where(a[0] as L, a[1] as L, a[2] as L) },
  Take: {
    module: NUMPY,
    arity: [2, 2],
    options: ['axis'],
    operands: [0],
    run: (a, o) => ts.take(a[0] as L, a[1] as L, (o.axis as number | null | undefined) ?? null),
  },
  Clip: { module: NUMPY, arity: [1, 1], options: ['xMin', 'xMax'], run: (a, o) => ts.clip(a[0] as L, o.xMin as L, o.xMax as L) },
  GetItem: { module: NUMPY, arity: [2, 2], options: [], operands: [0], run: (a, _o, where) => getItem(a[0] as Tensor, a[1], where) },
};

function convertToTensor(a: unknown[], o: Obj, where: string): Tensor {
  if (o.sparse || o.ragged)
    throw new Error(
      `${where}: convert_to_tensor to a sparse or ragged tensor is not supported (got sparse ${describe(o.sparse)}, ragged ${describe(o.ragged)})`,
    );
  const x = a[0] as Tensor;
  return o.dtype == null ? x : cast(x, o.dtype as DType);
}

// ---- x[key] as Keras writes key: ints, slices, None (new axis), Ellipsis, or a list of them.

const isSlice = (v: unknown): v is { config: { start: number | null; stop: number | null; step: number | null } } =>
  isObj(v) && v.class_name === '__slice__' && isObj(v.config);
const isEllipsis = (v: unknown) => isObj(v) && v.class_name === '__ellipsis__';

// The indices Python's slice(start, stop, step).indices(n) walks.
function sliceIndices(n: number, s: { start: number | null; stop: number | null; step: number | null }, where: string): number[] {
  const step = s.step ?? 1;
  if (!Number.isInteger(step) || step === 0) throw new Error(`${where}: expected a slice step that is a nonzero integer, got ${describe(s.step)}`);
  const lo = step < 0 ? -1 : 0;
  const hi = step < 0 ? n - 1 : n;
  const bound = (v: number | null, fallback: number) => {
    if (v === null) return fallback;
    if (!Number.isInteger(v)) throw new Error(`${where}: expected slice bounds to be integers or null, got ${describe(v)}`);
    return Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  };
  const start = bound(s.start, step < 0 ? hi : lo);
  const stop = bound(s.stop, step < 0 ? lo : hi);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

function getItem(x: Tensor, key: unknown, where: string): Tensor {
  const items = Array.isArray(key) ? key : [key];
  for (const k of items)
    if (!(k === null || Number.isInteger(k) || isSlice(k) || isEllipsis(k)))
      throw new Error(`${where}: expected the index to hold integers, slices, None or Ellipsis, got ${describe(k)}`);
  const consumes = items.filter((k) => k !== null && !isEllipsis(k)).length;
  const ellipses = items.filter(isEllipsis).length;
  if (ellipses > 1) throw new Error(`${where}: an index can have only one Ellipsis, got ${describe(key)}`);
  if (consumes > x.rank) throw new Error(`${where}: too many indices (${consumes}) for a tensor of rank ${x.rank}`);
  // Ellipsis (or the end) stands for the axes no item names.
  const fill = Array.from({ length: x.rank - consumes }, () => ({ class_name: '__slice__', config: { start: null, stop: null, step: null } }));
  const at = items.findIndex(isEllipsis);
  const full = at < 0 ? [...items, ...fill] : [...items.slice(0, at), ...fill, ...items.slice(at + 1)];
  let out = x;
  let axis = 0;
  for (const k of full) {
    if (k === null) {
      out = ts.expandDims(out, axis++);
    } else if (typeof k === 'number') {
      const n = out.shape[axis];
      if (k < -n || k >= n) throw new Error(`${where}: index ${k} is out of range for axis ${axis} of size ${n}`);
      out = ts.squeeze(ts.take(out, [k < 0 ? k + n : k], axis), axis);
    } else {
      const idx = sliceIndices(out.shape[axis], (k as { config: { start: number | null; stop: number | null; step: number | null } }).config, where);
      // A full slice keeps the axis as it is.
      if (idx.length !== out.shape[axis] || idx.some((v, i) => v !== i)) out = ts.take(out, idx, axis);
      axis++;
    }
  }
  return out;
}
