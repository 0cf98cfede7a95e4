// More of keras.ops (NumPy) that Tessera lacked: logspace, geomspace, vander, trapezoid,
// isneginf, isposinf, isreal, empty, emptyLike, argpartition, unravelIndex, select,
// nextafter, saturateCast, inTopK (keras.ops.nn) and correlate. Composed from ops (differentiable as
// their parts) except where the values are constants or bit patterns, computed on the host.
import { tooManyArguments } from '../options/arity';
import { fill, fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray, isFloatDType, type DType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { broadcastShapes, checkShape, describe, normalizeAxis, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, binaryOperands, mul, pow } from './binary';
import { cast } from './cast';
import { equal, greater, less, logicalAnd, where } from './compare';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { floorDiv, mod } from './floor_mod';
import { argsort, diff, takeAlongAxis } from './numpy_index';
import { floatOperand } from './numpy_elementwise';
import { asOp } from './op_name';
import { sum } from './reduce';
import { expandDims, reshape, squeeze } from './reshape';
import { slice } from './slice';
import { broadcastTo } from './tile';
import { conv1d } from './conv';
import { pad } from './pad';
import { isFinite, isNaN } from './unary';

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

function checkNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${op}: expected ${name} to be a finite number, got ${describe(v)}`);
  return v;
}

function checkCount(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${op}: expected ${name} to be an integer >= 0, got ${describe(v)}`);
  return v;
}

function checkDType(op: string, dtype: unknown, allowed: readonly DType[] = DTYPES): DType {
  if (!allowed.includes(dtype as DType)) throw new Error(`${op}: expected dtype ${allowed.join(', ')} or null, got ${describe(dtype)}`);
  return dtype as DType;
}

function checkBool(op: string, name: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new Error(`${op}: expected ${name} to be true or false, got ${describe(v)}`);
}

// Keras's axis places the samples among start's and stop's dimensions; numbers have none.
function checkAxis(op: string, axis: unknown): void {
  if (axis !== 0 && axis !== -1) throw new Error(`${op}: expected axis 0 or -1 (start and stop are numbers), got ${describe(axis)}`);
}

// num values from f(i) computed in float64 on the host, then stored in dtype.
function hostSequence(op: string, num: number, dtype: DType, f: (i: number) => number): Tensor {
  const out = allocTypedArray('float64', num, op);
  for (let i = 0; i < num; i++) out[i] = f(i);
  return tidy(() => cast(fromTypedArray(out, [num], 'float64'), dtype));
}

/**
 * Numbers spaced evenly on a log scale: base ** linspace(start, stop, num) (stop left out
 * when endpoint is false), float32 unless dtype says otherwise. start and stop are numbers
 * (so axis can only be 0).
 */
export function logspace(start: number, stop: number, num = 50, endpoint = true, base = 10, dtype: DType | null = null, axis = 0): Tensor {
  if (arguments.length > 7) throw tooManyArguments('logspace', 7, arguments.length);
  const op = 'logspace';
  checkAxis(op, axis);
  const [a, b, n, bs] = [checkNumber(op, 'start', start), checkNumber(op, 'stop', stop), checkCount(op, 'num', num), checkNumber(op, 'base', base)];
  checkBool(op, 'endpoint', endpoint);
  const dt = dtype === null ? 'float32' : checkDType(op, dtype);
  const step = (b - a) / (endpoint ? Math.max(n - 1, 1) : Math.max(n, 1));
  return hostSequence(op, n, dt, (i) => bs ** (endpoint && i === n - 1 && n > 1 ? b : a + i * step));
}

/**
 * Numbers spaced evenly on a log scale from start to stop (NumPy's geomspace): both nonzero
 * and of one sign; the ends are exact. float32 unless dtype says otherwise; axis only 0.
 */
export function geomspace(start: number, stop: number, num = 50, endpoint = true, dtype: DType | null = null, axis = 0): Tensor {
  if (arguments.length > 6) throw tooManyArguments('geomspace', 6, arguments.length);
  const op = 'geomspace';
  checkAxis(op, axis);
  const [a, b, n] = [checkNumber(op, 'start', start), checkNumber(op, 'stop', stop), checkCount(op, 'num', num)];
  checkBool(op, 'endpoint', endpoint);
  if (a === 0 || b === 0) throw new Error(`${op}: a geometric sequence cannot include zero, got start ${a} and stop ${b}`);
  if (Math.sign(a) !== Math.sign(b)) throw new Error(`${op}: expected start and stop of one sign (a real geometric sequence), got ${a} and ${b}`);
  const dt = dtype === null ? 'float32' : checkDType(op, dtype);
  const sign = Math.sign(a);
  const [la, lb] = [Math.log10(Math.abs(a)), Math.log10(Math.abs(b))];
  const step = (lb - la) / (endpoint ? Math.max(n - 1, 1) : Math.max(n, 1));
  return hostSequence(op, n, dt, (i) => (i === 0 ? a : endpoint && i === n - 1 ? b : sign * 10 ** (la + i * step)));
}

/**
 * The Vandermonde matrix of the vector x: column j is x ** (N - 1 - j) (x ** j when
 * increasing), N columns (default: x's length). Differentiable.
 */
export function vander(x: TensorLike, N: number | null = null, increasing = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('vander', 3, arguments.length);
  const op = 'vander';
  checkBool(op, 'increasing', increasing);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, [...NUMERIC_DTYPES, 'bool']);
      if (t.rank !== 1) throw new Error(`${op}: expected x of rank 1, got shape [${t.shape.join(', ')}]`);
      const v = t.dtype === 'bool' ? cast(t, 'int32') : t;
      const cols = N === null || N === undefined ? v.shape[0] : checkCount(op, 'N', N);
      if (cols * v.shape[0] >= 2 ** 31) throw new Error(`${op}: the result would hold ${cols * v.shape[0]} values, more than 2^31 - 1`);
      const k = new Int32Array(cols).map((_, j) => (increasing ? j : cols - 1 - j));
      const powers = cast(fromTypedArray(k, [1, cols], 'int32'), v.dtype);
      // x ** 0 is 1 without pow's gradient at 0 (0 * 0 ** -1, NaN).
      const base = where(equal(powers, 0), 1, expandDims(v, 1));
      return pow(base, powers);
    }),
  );
}

/**
 * The integral of y along `axis` by the trapezoidal rule, with sample points x (a vector of
 * y's length along axis, or y's shape) or spacing dx; int y gives float32. Differentiable.
 */
export function trapezoid(y: TensorLike, x: TensorLike | null = null, dx = 1, axis = -1): Tensor {
  if (arguments.length > 4) throw tooManyArguments('trapezoid', 4, arguments.length);
  const op = 'trapezoid';
  checkNumber(op, 'dx', dx);
  return asOp(op, () =>
    tidy(() => {
      const t = floatOperand(op, 'y', y);
      if (t.rank === 0) throw new Error(`${op}: expected y of rank 1 or more, got a scalar`);
      const a = normalizeAxis(op, axis, t.rank);
      const n = t.shape[a];
      const part = (start: number) =>
        slice(
          t,
          t.shape.map((_, d) => (d === a ? start : 0)),
          t.shape.map((s, d) => (d === a ? Math.max(n - 1, 0) : s)),
        );
      const mid = mul(add(part(0), part(Math.min(1, n))), 0.5);
      if (x === null || x === undefined) return mul(sum(mid, a), dx);
      let xs = cast(toTensor(op, 'x', x), t.dtype);
      if (xs.rank === 1) {
        if (xs.shape[0] !== n) throw new Error(`${op}: expected x of y's length ${n} along axis ${a}, got shape [${xs.shape.join(', ')}]`);
        xs = reshape(
          xs,
          t.shape.map((s, d) => (d === a ? n : 1)),
        );
      }
      return sum(mul(mid, diff(xs, 1, a)), a);
    }),
  );
}

function infTest(op: string, x: TensorLike, value: number): Tensor {
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, [...NUMERIC_DTYPES, 'bool']);
      return isFloatDType(t.dtype) ? equal(t, value) : cast(fill(t.shape, 0, 'int32'), 'bool');
    }),
  );
}

/** True where x is -Infinity (bool; false everywhere for integers and bools). */
export function isneginf(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('isneginf', 1, arguments.length);
  return infTest('isneginf', x, -Infinity);
}

/** True where x is +Infinity (bool; false everywhere for integers and bools). */
export function isposinf(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('isposinf', 1, arguments.length);
  return infTest('isposinf', x, Infinity);
}

/** True everywhere (bool of x's shape): Tessera has no complex dtype, so every value is real. */
export function isreal(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('isreal', 1, arguments.length);
  const op = 'isreal';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      return cast(fill(t.shape, 1, 'int32'), 'bool');
    }),
  );
}

/** Keras's empty: a tensor of `shape`; Tessera fills it with zeros rather than leaving it unset. */
export function empty(shape: Shape, dtype: DType | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('empty', 2, arguments.length);
  const op = 'empty';
  const s = checkShape(op, shape);
  return asOp(op, () => fill(s, 0, dtype === null ? 'float32' : checkDType(op, dtype)));
}

/** Keras's empty_like: a tensor of x's shape (and dtype, unless given), filled with zeros. */
export function emptyLike(x: TensorLike, dtype: DType | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('emptyLike', 2, arguments.length);
  const op = 'emptyLike';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      return fill(t.shape, 0, dtype === null ? t.dtype : checkDType(op, dtype));
    }),
  );
}

/**
 * Indices that partition x along `axis` around its kth smallest entry: that entry at
 * position kth, none larger before it and none smaller after (int32). Tessera returns the
 * stable argsort, one such order (NumPy's and JAX's orders within each side differ).
 */
export function argpartition(x: TensorLike, kth: number, axis = -1): Tensor {
  if (arguments.length > 3) throw tooManyArguments('argpartition', 3, arguments.length);
  const op = 'argpartition';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      if (t.rank === 0) throw new Error(`${op}: expected x of rank 1 or more, got a scalar`);
      const a = normalizeAxis(op, axis, t.rank);
      const n = t.shape[a];
      if (typeof kth !== 'number' || !Number.isInteger(kth) || kth < -n || kth >= n) {
        throw new Error(`${op}: expected kth to be an integer in [${-n}, ${n}) for axis ${a} of size ${n}, got ${describe(kth)}`);
      }
      return argsort(t, a);
    }),
  );
}

/**
 * The coordinates in `shape` of flat (row-major) indices: an array of int32 tensors, one per
 * dimension, each of indices' shape. Every index must be in [0, product of shape).
 */
export function unravelIndex(indices: TensorLike, shape: Shape): Tensor[] {
  if (arguments.length > 2) throw tooManyArguments('unravelIndex', 2, arguments.length);
  const op = 'unravelIndex';
  const s = checkShape(op, shape);
  return asOp(op, () =>
    tidy(() => {
      const idx = toTensor(op, 'indices', indices, 'int32');
      checkInputDType(op, 'indices', idx, ['int32']);
      const total = s.reduce((p, d) => p * d, 1);
      const v = idx.dataSync() as Int32Array;
      for (let i = 0; i < v.length; i++) {
        if (v[i] < 0 || v[i] >= total) throw new Error(`${op}: index ${v[i]} (entry ${i}) is out of bounds for shape [${s.join(', ')}] of ${total} entries`);
      }
      const out: Tensor[] = new Array(s.length);
      let rest = idx;
      for (let d = s.length - 1; d >= 0; d--) {
        out[d] = d === 0 ? rest : mod(rest, s[d]);
        rest = floorDiv(rest, s[d]);
      }
      return out.map((t) => (t === idx ? t.clone() : t));
    }),
  );
}

/**
 * choicelist[i] where condlist[i] is the first condition to hold, else `defaultValue`,
 * elementwise with broadcasting (NumPy's select). Differentiable in the choices.
 */
export function select(condlist: TensorLike[], choicelist: TensorLike[], defaultValue: TensorLike = 0): Tensor {
  if (arguments.length > 3) throw tooManyArguments('select', 3, arguments.length);
  const op = 'select';
  if (!Array.isArray(condlist) || !Array.isArray(choicelist) || condlist.length === 0 || condlist.length !== choicelist.length) {
    throw new Error(`${op}: expected condlist and choicelist to be non-empty arrays of one length, got ${describe(condlist)} and ${describe(choicelist)}`);
  }
  return asOp(op, () =>
    tidy(() => {
      let out = toTensor(op, 'defaultValue', defaultValue);
      for (let i = condlist.length - 1; i >= 0; i--) {
        const c = toTensor(op, `condlist[${i}]`, condlist[i]);
        checkInputDType(op, `condlist[${i}]`, c, ['bool']);
        const [choice, rest] = binaryOperands(op, choicelist[i], out, []);
        out = where(c, choice, rest);
      }
      return out;
    }),
  );
}

// The next float after a toward b, by the bit pattern of a (32- or 64-bit).
function nextFloat(a: number, b: number, f32: boolean): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === b) return b;
  if (a === 0) return (b > 0 ? 1 : -1) * (f32 ? 1.401298464324817e-45 : Number.MIN_VALUE);
  const buf = new DataView(new ArrayBuffer(8));
  const up = b > a === a > 0;
  if (f32) {
    buf.setFloat32(0, a);
    buf.setInt32(0, buf.getInt32(0) + (up ? 1 : -1));
    return buf.getFloat32(0);
  }
  buf.setFloat64(0, a);
  buf.setBigInt64(0, buf.getBigInt64(0) + (up ? 1n : -1n));
  return buf.getFloat64(0);
}

/** The next representable float after x1 toward x2, elementwise with broadcasting, in x1's float dtype (int32 gives float32). */
export function nextafter(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('nextafter', 2, arguments.length);
  const op = 'nextafter';
  return asOp(op, () =>
    tidy(() => {
      let [a, b] = binaryOperands(op, x1, x2, []);
      checkInputDType(op, 'x1', a, [...NUMERIC_DTYPES, 'bool']);
      if (!isFloatDType(a.dtype)) [a, b] = [cast(a, 'float32'), cast(b, 'float32')];
      const shape = broadcastShapes(op, a.shape, b.shape);
      const [av, bv] = [broadcastTo(a, shape).dataSync(), broadcastTo(b, shape).dataSync()];
      const out = allocTypedArray(a.dtype, av.length, op);
      for (let i = 0; i < av.length; i++) out[i] = nextFloat(Number(av[i]), Number(bv[i]), a.dtype === 'float32');
      return fromTypedArray(out, shape, a.dtype, a.device);
    }),
  );
}

const RANGES: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  float32: [-3.4028234663852886e38, 3.4028234663852886e38],
  float64: [-Number.MAX_VALUE, Number.MAX_VALUE],
};

/**
 * x cast to dtype with its values first clipped to dtype's range (Keras's saturate_cast):
 * 1e10 to int32 is 2147483647, Infinity to float32 its largest finite value, NaN to int32 0.
 */
export function saturateCast(x: TensorLike, dtype: DType): Tensor {
  if (arguments.length > 2) throw tooManyArguments('saturateCast', 2, arguments.length);
  const op = 'saturateCast';
  const dt = checkDType(op, dtype);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, DTYPES);
      if (dt === 'bool' || t.dtype === 'bool' || !isFloatDType(t.dtype)) return cast(t, dt);
      const [lo, hi] = RANGES[dt];
      const clipped = where(less(t, lo), lo, where(greater(t, hi), hi, t));
      return cast(dt === 'int32' ? where(isNaN(t), 0, clipped) : clipped, dt);
    }),
  );
}

/**
 * Keras's in_top_k (argument order targets, predictions, as Keras and TensorFlow 2): true
 * where the target class is among the k highest predictions of its row (bool). Ties at the
 * boundary count as in (fewer than k classes score strictly higher); a non-finite target
 * score never is. TensorFlow.js's inTopKAsync takes (predictions, targets, k).
 */
export function inTopK(targets: TensorLike, predictions: TensorLike, k: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('inTopK', 3, arguments.length);
  const op = 'inTopK';
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new Error(`${op}: expected k to be a positive integer, got ${describe(k)}`);
  return asOp(op, () =>
    tidy(() => {
      const p = toTensor(op, 'predictions', predictions);
      checkInputDType(op, 'predictions', p, NUMERIC_DTYPES);
      const t = toTensor(op, 'targets', targets, 'int32');
      checkInputDType(op, 'targets', t, ['int32']);
      if (p.rank !== 2 || t.rank !== 1 || t.shape[0] !== p.shape[0]) {
        throw new Error(`${op}: expected targets [batch] and predictions [batch, classes], got [${t.shape.join(', ')}] and [${p.shape.join(', ')}]`);
      }
      const classes = p.shape[1];
      (t.dataSync() as Int32Array).forEach((c, i) => {
        if (c < 0 || c >= classes) throw new Error(`${op}: target ${c} at index ${i} is not a class index in [0, ${classes})`);
      });
      const score = takeAlongAxis(p, expandDims(t, 1), 1);
      const higher = sum(cast(greater(p, score), 'int32'), 1);
      return logicalAnd(less(higher, k), squeeze(isFinite(cast(score, 'float32')), [1]));
    }),
  );
}

/**
 * The cross-correlation of vectors x1 and x2, c[k] = sum over n of x1[n + k] x2[n] (NumPy's
 * correlate): mode 'valid' (where they overlap fully), 'same' (the longer one's length,
 * centred as NumPy's) or 'full'. Integers stay int32. Differentiable in both.
 */
export function correlate(x1: TensorLike, x2: TensorLike, mode: 'valid' | 'same' | 'full' = 'valid'): Tensor {
  if (arguments.length > 3) throw tooManyArguments('correlate', 3, arguments.length);
  const op = 'correlate';
  if (mode !== 'valid' && mode !== 'same' && mode !== 'full') throw new Error(`${op}: expected mode 'valid', 'same' or 'full', got ${describe(mode)}`);
  return asOp(op, () =>
    tidy(() => {
      const [a0, v0] = binaryOperands(op, x1, x2, []);
      checkInputDType(op, 'x1', a0, [...NUMERIC_DTYPES, 'bool']);
      for (const [name, t] of [
        ['x1', a0],
        ['x2', v0],
      ] as const) {
        if (t.rank !== 1 || t.size === 0) throw new Error(`${op}: expected ${name} to be a non-empty vector, got shape [${t.shape.join(', ')}]`);
      }
      const exact = !isFloatDType(a0.dtype);
      // Integers are summed in float64, exact below 2^53, then stored back as int32.
      const [a, v] = exact ? [cast(a0, 'float64'), cast(v0, 'float64')] : [a0, v0];
      const [la, lv] = [a.shape[0], v.shape[0]];
      const padded = pad(a, [[lv - 1, lv - 1]]);
      const full = reshape(conv1d(reshape(padded, [1, la + 2 * lv - 2, 1]), reshape(v, [lv, 1, 1]), 1, 'valid'), [la + lv - 1]);
      const [lo, hi] = [Math.min(la, lv), Math.max(la, lv)];
      // 'same' centres the longer length; an even overlap leans left when x1 is the longer, right otherwise (NumPy's swap).
      const start = mode === 'full' ? 0 : mode === 'valid' ? lo - 1 : la >= lv ? Math.floor((lo - 1) / 2) : Math.ceil((lo - 1) / 2);
      const len = mode === 'full' ? la + lv - 1 : mode === 'valid' ? hi - lo + 1 : hi;
      const out = slice(full, [start], [len]);
      return exact ? cast(out, 'int32') : out;
    }),
  );
}
