// Creating tensors: from JS values, filled, identity, ranges, random, and variables.
import { tooManyArguments } from '../options/arity';
import { native } from '../native/binding';
import { stepHook } from '../compiled/step_hook';
import { packAttrs } from '../native/op_attrs';
import { canonicalDevice, deviceCode, getDevice } from '../native/device';
import { DTYPE_CODE, allocTypedArray, checkDType, dtypeOfTypedArray, type DType, type TypedArray } from './dtype';
import { FINITE, NON_NEGATIVE, checkInRange } from './ranges';
import { asOp } from '../ops/op_name';
import { runKernel1 } from './run';
import { replayable } from './random_replay';
import { MAX_RANK, checkShape, describe, sizeOf, type Shape, quoted } from './shape';
import { Tensor, Variable, copyHandle, type NestedArray } from './tensor';
import { currentScopePath } from '../layers/naming';
import { checkBoolean } from '../options/check_args';
import { checkReadableView } from './typed_array_checks';

/** Values a tensor can be made from. */
export type TensorValues = number | boolean | TypedArray | NestedArray[] | readonly (number | boolean)[];

/** A tensor, or values that become one. */
export type TensorLike = Tensor | TensorValues;

function inferShape(op: string, values: unknown): Shape {
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v)) {
    // An array that holds itself (a = [a]) nests forever: the rank limit ends the walk.
    if (shape.length === MAX_RANK) throw new Error(`${op}: nested arrays deeper than ${MAX_RANK} levels (the most a tensor has); is an array inside itself?`);
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

// int32 storage would wrap 3e9 to -1294967296 (and NaN to 0): such values are refused.
function checkInt32(op: string, v: number, what: string): void {
  if (!(v > -2147483649 && v < 2147483648)) {
    throw new Error(`${op}: ${what} ${v} does not fit in int32 (-2147483648 to 2147483647); use float32 or float64`);
  }
}

// Copies nested arrays into `out`, checking every level has the length the shape says.
function flatten(op: string, values: unknown, shape: Shape, out: TypedArray, dtype: DType): void {
  let p = 0;
  const visit = (v: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new Error(`${op}: ragged nested array: expected a number at ${path || 'the top level'}, got an array`);
      if (typeof v === 'boolean') out[p++] = v ? 1 : 0;
      else if (typeof v === 'number') {
        if (dtype === 'int32') checkInt32(op, v, `the value at ${path || 'the top level'}`);
        out[p++] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
      } else throw new Error(`${op}: expected numbers or booleans, got ${describe(v)} at ${path || 'the top level'}`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new Error(
        `${op}: ragged nested array: expected ${shape[dim]} elements at ${path || 'the top level'} (shape [${shape.join(', ')}]), got ${Array.isArray(v) ? v.length : describe(v)}`,
      );
    }
    for (let i = 0; i < v.length; i++) visit(v[i], dim + 1, `${path}[${i}]`);
  };
  visit(values, 0, '');
}

function inferDType(values: unknown): DType {
  if (ArrayBuffer.isView(values)) {
    const d = dtypeOfTypedArray(values);
    // As TensorFlow.js: bytes are integers unless asked to be bool.
    return d === undefined || d === 'bool' ? 'int32' : d;
  }
  let v: unknown = values;
  // Bounded: a cyclic array is refused by inferShape.
  for (let depth = 0; Array.isArray(v) && depth <= MAX_RANK; depth++) v = v[0];
  return typeof v === 'boolean' ? 'bool' : 'float32';
}

/** Data as plain JS values: nested arrays of numbers or booleans, or a typed array (one row per sample). */
export type ArrayData = TypedArray | NestedArray[];

/** True for a typed array, or a non-empty array whose first leaf is a number or boolean. */
export function isArrayData(v: unknown): v is ArrayData {
  if (ArrayBuffer.isView(v)) return !(v instanceof DataView);
  if (!Array.isArray(v) || v.length === 0) return false;
  let leaf: unknown = v;
  // Bounded: an array inside itself (a = [a]) has no leaf.
  for (let depth = 0; Array.isArray(leaf) && leaf.length > 0 && depth <= MAX_RANK; depth++) leaf = leaf[0];
  return typeof leaf === 'number' || typeof leaf === 'boolean';
}

/** @internal A tensor holding `data` (already of `dtype`) on a device. */
export function fromTypedArray(data: TypedArray, shape: Shape, dtype: DType, device = getDevice()): Tensor {
  const handle = (stepHook ?? native).createTensor(data, shape, DTYPE_CODE[dtype], deviceCode(device));
  return new Tensor(handle, shape, dtype, canonicalDevice(device));
}

/**
 * A tensor from a number, a boolean, nested arrays or a typed array.
 * @example tensor([[1, 2], [3, 4]]) // float32, shape [2, 2]
 */
export function tensor(values: TensorValues, shape?: Shape, dtype?: DType): Tensor {
  if (arguments.length > 3) throw tooManyArguments('tensor', 3, arguments.length);
  return namedTensor('tensor', values, shape, dtype);
}

/** @internal tensor() for another public function (tensor2d, ...): its errors name `op`. */
export function namedTensor(op: string, values: TensorValues, shape?: Shape, dtype?: DType): Tensor {
  if (dtype !== undefined) checkDType(op, dtype);
  if (shape !== undefined) checkShape(op, shape);
  if (ArrayBuffer.isView(values)) checkReadableView(op, 'values', values);
  const dt = dtype ?? inferDType(values);
  let data: TypedArray;
  let inferred: Shape;
  if (ArrayBuffer.isView(values)) {
    const src = values as TypedArray;
    inferred = [src.length];
    data = allocTypedArray(dt, src.length);
    if (dt === 'bool') for (let i = 0; i < src.length; i++) data[i] = src[i] ? 1 : 0;
    else {
      if (dt === 'int32' && !(src instanceof Int32Array || src instanceof Uint8Array))
        for (let i = 0; i < src.length; i++) checkInt32(op, src[i], `the value at [${i}]`);
      data.set(src);
    }
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    inferred = [];
    if (dt === 'int32' && typeof values === 'number') checkInt32(op, values, 'the value');
    data = allocTypedArray(dt, 1);
    data[0] = typeof values === 'boolean' ? (values ? 1 : 0) : dt === 'bool' ? (values !== 0 ? 1 : 0) : values;
  } else if (Array.isArray(values)) {
    inferred = inferShape(op, values);
    data = allocTypedArray(dt, sizeOf(inferred));
    flatten(op, values, inferred, data, dt);
  } else {
    throw new Error(`${op}: expected a number, boolean, array or typed array, got ${describe(values)}`);
  }
  let finalShape = inferred;
  if (shape !== undefined) {
    if (sizeOf(shape) !== data.length) {
      throw new Error(`${op}: expected ${sizeOf(shape)} values for shape [${shape.join(', ')}], got ${data.length}`);
    }
    finalShape = [...shape];
  }
  return fromTypedArray(data, finalShape, dt);
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  if (arguments.length > 2) throw tooManyArguments('scalar', 2, arguments.length);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new Error(`scalar: expected a number or boolean, got ${describe(value)}`);
  return tensor(value, [], dtype);
}

/** A tensor of `shape` filled with `value` (on the default device, or `device`). */
export function fill(shape: Shape, value: number, dtype: DType = 'float32', device?: string): Tensor {
  if (arguments.length > 4) throw tooManyArguments('fill', 4, arguments.length);
  checkShape('fill', shape);
  checkDType('fill', dtype);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new Error(`fill: expected value to be a number, got ${describe(value)}`);
  if (dtype === 'int32') checkInt32('fill', value as number, 'the value');
  return runKernel1('fill', 'fill', [], packAttrs.fill({ value }), { shape: [...shape], dtype }, undefined, device);
}

function checkTensor(op: string, x: unknown): void {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected x to be a Tensor, got ${describe(x)}`);
  // Only its shape is read, which outlives the data; TensorFlow.js refuses a disposed tensor here too.
  if (x.isDisposed) throw new Error(`${op}: argument 'x' is a disposed tensor (shape [${x.shape.join(', ')}])`);
}

/** A tensor of zeros. */
export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  if (arguments.length > 2) throw tooManyArguments('zeros', 2, arguments.length);
  return asOp('zeros', () => fill(shape, 0, dtype));
}

/** A tensor of ones. */
export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  if (arguments.length > 2) throw tooManyArguments('ones', 2, arguments.length);
  return asOp('ones', () => fill(shape, 1, dtype));
}

/** Zeros with the shape, dtype and device of x. */
export function zerosLike(x: Tensor): Tensor {
  if (arguments.length > 1) throw tooManyArguments('zerosLike', 1, arguments.length);
  checkTensor('zerosLike', x);
  return runKernel1('zerosLike', 'fill', [], packAttrs.fill({ value: 0 }), { shape: x.shape, dtype: x.dtype }, undefined, x.device);
}

/** Ones with the shape, dtype and device of x. */
export function onesLike(x: Tensor): Tensor {
  if (arguments.length > 1) throw tooManyArguments('onesLike', 1, arguments.length);
  checkTensor('onesLike', x);
  return runKernel1('onesLike', 'fill', [], packAttrs.fill({ value: 1 }), { shape: x.shape, dtype: x.dtype }, undefined, x.device);
}

/** An identity matrix with `numRows` rows (and `numColumns` columns). */
/**
 * The identity matrix, numRows x numColumns. TensorFlow.js's order works too: `eye(n, m,
 * batchShape, dtype)` repeats it over a batch shape ([...batchShape, n, m]).
 */
export function eye(numRows: number, numColumns?: number, dtypeOrBatchShape?: DType | number[] | null, dtype?: DType): Tensor {
  if (arguments.length > 4) throw tooManyArguments('eye', 4, arguments.length);
  const columns = numColumns ?? numRows;
  checkShape('eye', [numRows, columns], 'the number of rows and columns');
  let batchShape: Shape = [];
  let type: DType = 'float32';
  if (typeof dtypeOrBatchShape === 'string') {
    if (dtype !== undefined) {
      throw new Error(
        `eye: expected (numRows, numColumns, dtype) or TensorFlow.js's (numRows, numColumns, batchShape, dtype), got the dtype ${quoted(dtypeOrBatchShape)} and then ${describe(dtype)}`,
      );
    }
    type = dtypeOrBatchShape;
  } else {
    if (dtypeOrBatchShape !== undefined && dtypeOrBatchShape !== null) batchShape = checkShape('eye', dtypeOrBatchShape, 'batchShape');
    if (dtype !== undefined) type = dtype;
  }
  const shape = checkShape('eye', [...batchShape, numRows, columns], 'the batch shape with rows and columns');
  const matrix = numRows * columns;
  const data = allocTypedArray(checkDType('eye', type), sizeOf(batchShape) * matrix, 'eye');
  for (let b = 0; b < data.length; b += matrix) {
    for (let i = 0; i < Math.min(numRows, columns); i++) data[b + i * columns + i] = 1;
  }
  return fromTypedArray(data, shape, type);
}

/** Numbers from start (inclusive) to stop (exclusive) in steps of step. */
export function range(start: number, stop: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (arguments.length > 4) throw tooManyArguments('range', 4, arguments.length);
  checkInRange('range', 'start', start, FINITE);
  checkInRange('range', 'stop', stop, FINITE);
  if (step === 0 || !Number.isFinite(step)) throw new Error(`range: expected a finite, non-zero step, got ${describe(step)}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocTypedArray(checkDType('range', dtype), n, 'range');
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return fromTypedArray(data, [n], dtype);
}

/** `num` evenly spaced numbers from start to stop, both included. */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('linspace', 3, arguments.length);
  checkInRange('linspace', 'start', start, FINITE);
  checkInRange('linspace', 'stop', stop, FINITE);
  if (!Number.isInteger(num) || num < 0) throw new Error(`linspace: expected num to be a non-negative integer, got ${describe(num)}`);
  const data = allocTypedArray('float32', num, 'linspace');
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  return fromTypedArray(data, [num], 'float32');
}

// ---- random ------------------------------------------------------------------------
// Counter-based (Philox): a random op takes (seed, offset); the global seed advances the
// offset on every call, so a program's random numbers repeat after setSeed().
let globalSeed = Math.floor(Math.random() * 2 ** 32);
let globalOffset = 0;

/** Makes every following random op without an explicit seed repeatable. */
export function setSeed(seed: number): void {
  if (arguments.length > 1) throw tooManyArguments('setSeed', 1, arguments.length);
  if (!Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
    throw new Error(`setSeed: expected a non-negative integer, got ${describe(seed)}`);
  }
  globalSeed = seed;
  globalOffset = 0;
}

/** @internal (seed, offset) for a random op: the explicit seed, or the next global draw. */
export function nextSeed(op: string, seed?: number): [number, number] {
  if (seed !== undefined) {
    if (!Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
      throw new Error(`${op}: expected seed to be a non-negative integer, got ${describe(seed)}`);
    }
    return [seed, 0];
  }
  // remat's recomputation gets the forward pass's draw again (random_replay.ts).
  return replayable(() => [globalSeed, globalOffset++]);
}

function randomFloatDType(op: string, dtype: DType): DType {
  checkDType(op, dtype);
  if (dtype !== 'float32' && dtype !== 'float64') throw new Error(`${op}: expected dtype float32 or float64, got ${dtype}`);
  return dtype;
}

function checkNormalParams(op: string, mean: number, stddev: number): void {
  checkInRange(op, 'mean', mean, FINITE);
  checkInRange(op, 'stddev', stddev, NON_NEGATIVE);
}

/**
 * Uniform random numbers in [minval, maxval); for int32, uniform integers in
 * [ceil(minval), ceil(maxval)) (TensorFlow.js's `randomUniform(shape, 0, 10, 'int32')`).
 */
export function randomUniform(shape: Shape, minval = 0, maxval = 1, dtype: DType = 'float32', seed?: number): Tensor {
  if (arguments.length > 5) throw tooManyArguments('randomUniform', 5, arguments.length);
  const op = 'randomUniform';
  if (dtype !== 'int32') {
    if (dtype !== 'float32' && dtype !== 'float64') throw new Error(`${op}: expected dtype float32, float64 or int32, got ${describe(dtype)}`);
    return uniformFromStream(op, shape, minval, maxval, dtype, nextSeed(op, seed));
  }
  const [lo, hi] = [Math.ceil(minval), Math.ceil(maxval)];
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo || lo < -(2 ** 31) || hi > 2 ** 31) {
    throw new Error(`${op}: expected int32 bounds with minval < maxval, got minval ${describe(minval)} and maxval ${describe(maxval)}`);
  }
  // Integers from float64 draws: floor(lo + (hi - lo) u), u in [0, 1); the min guards rounding up to hi.
  const u = uniformFromStream(op, shape, 0, 1, 'float64', nextSeed(op, seed));
  const draws = u.dataSync();
  u.dispose();
  const values = new Int32Array(draws.length);
  for (let i = 0; i < draws.length; i++) values[i] = Math.min(lo + Math.floor((hi - lo) * draws[i]), hi - 1);
  return tensor(values, [...shape], 'int32');
}

/** @internal Uniform numbers from an explicit (seed, offset) Philox stream. */
export function uniformFromStream(op: string, shape: Shape, minval: number, maxval: number, dtype: DType, stream: [number, number], device?: string): Tensor {
  checkShape(op, shape);
  const dt = randomFloatDType(op, dtype);
  checkInRange(op, 'minval', minval, FINITE);
  checkInRange(op, 'maxval', maxval, { lo: minval, hi: Infinity });
  return runKernel1(
    op,
    'random_uniform',
    [],
    packAttrs.random_uniform({ seed: stream[0], offset: stream[1], minval, maxval }),
    { shape: [...shape], dtype: dt },
    undefined,
    device,
  );
}

/** Normally distributed random numbers. */
export function randomNormal(shape: Shape, mean = 0, stddev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  if (arguments.length > 5) throw tooManyArguments('randomNormal', 5, arguments.length);
  const op = 'randomNormal';
  checkShape(op, shape);
  const dt = randomFloatDType(op, dtype);
  checkNormalParams(op, mean, stddev);
  const [s, offset] = nextSeed(op, seed);
  return runKernel1(op, 'random_normal', [], packAttrs.random_normal({ seed: s, offset, mean, stddev }), { shape: [...shape], dtype: dt });
}

/** TensorFlow.js's randomStandardNormal: randomNormal with mean 0 and stddev 1. */
export function randomStandardNormal(shape: Shape, dtype: DType = 'float32', seed?: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('randomStandardNormal', 3, arguments.length);
  return asOp('randomStandardNormal', () => randomNormal(shape, 0, 1, dtype, seed));
}

/** Normal random numbers redrawn when more than two standard deviations from the mean. */
export function truncatedNormal(shape: Shape, mean = 0, stddev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  if (arguments.length > 5) throw tooManyArguments('truncatedNormal', 5, arguments.length);
  const op = 'truncatedNormal';
  checkShape(op, shape);
  const dt = randomFloatDType(op, dtype);
  checkNormalParams(op, mean, stddev);
  const [s, offset] = nextSeed(op, seed);
  return runKernel1(op, 'truncated_normal', [], packAttrs.truncated_normal({ seed: s, offset, mean, stddev }), { shape: [...shape], dtype: dt });
}

// ---- variables -----------------------------------------------------------------------

/**
 * A Variable holding a copy of `initialValue`.
 * @example const w = variable(randomNormal([784, 10]), true, 'w');
 */
export function variable(initialValue: Tensor, trainable = true, name?: string, dtype?: DType): Variable {
  if (arguments.length > 4) throw tooManyArguments('variable', 4, arguments.length);
  if (!(initialValue instanceof Tensor)) throw new Error(`variable: expected initialValue to be a Tensor, got ${describe(initialValue)}`);
  checkBoolean('variable', 'trainable', trainable);
  const source = dtype !== undefined && dtype !== initialValue.dtype ? null : initialValue;
  if (source === null) throw new Error(`variable: initialValue has dtype ${initialValue.dtype}, but dtype ${quoted(dtype)} was asked; cast it first`);
  if (source.isDisposed) throw new Error(`variable: initialValue (shape [${source.shape.join(', ')}]) is a disposed tensor`);
  const v = new Variable(copyHandle(source), [...source.shape], source.dtype, source.device, trainable, name);
  // Keras's variable path: its name under the open name scopes (nameScope, a layer's build or call).
  const scope = currentScopePath();
  if (scope !== '') v.layerPath = `${scope}/${v.name}`;
  return v;
}
