// Keras's keras.utils helpers that a first model calls: to_categorical, pad_sequences,
// normalize, set_random_seed, as Keras 3 defines them.
import { div } from '../ops/binary';
import { cast } from '../ops/cast';
import { norm, type NormOrder } from '../ops/clip';
import { equal, where } from '../ops/compare';
import { toTensor } from '../ops/convert';
import { checkOptions } from '../options/check';
import { fromTypedArray, setSeed, type TensorLike } from '../tensor/creation';
import { allocTypedArray, checkDType, isFloatDType, type DType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { checkNoHoles, describe, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { tooManyArguments } from '../options/arity';

/**
 * One-hot rows (float32) of a vector of class indices: shape [...y's shape, numClasses],
 * a trailing dimension of 1 dropped first (Keras's to_categorical). numClasses defaults
 * to the largest index + 1.
 * @example utils.toCategorical(yTrain, 10)
 */
export function toCategorical(y: TensorLike, numClasses?: number | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('utils.toCategorical', 2, arguments.length);
  const op = 'utils.toCategorical';
  const created: Tensor[] = [];
  const t = toTensor(op, 'y', y, undefined, created);
  const values = t.dataSync();
  for (const c of created) c.dispose();
  const shape = t.rank > 1 && t.shape[t.rank - 1] === 1 ? t.shape.slice(0, -1) : [...t.shape];
  let largest = -1;
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`${op}: expected class indices (non-negative integers), got ${describe(v)} at flat index ${i}`);
    largest = Math.max(largest, v);
  }
  if (largest < 0 && (numClasses === undefined || numClasses === null)) throw new Error(`${op}: y has no class indices, so numClasses must be given`);
  const classes = numClasses ?? largest + 1;
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`${op}: expected numClasses to be a positive integer, got ${describe(numClasses)}`);
  if (largest >= classes) throw new Error(`${op}: class index ${largest} does not fit numClasses ${classes}`);
  const out = allocTypedArray('float32', values.length * classes, op);
  for (let i = 0; i < values.length; i++) out[i * classes + Number(values[i])] = 1;
  return fromTypedArray(out, [...shape, classes], 'float32');
}

/** Options of padSequences (Keras's pad_sequences arguments). */
export interface PadSequencesOptions {
  /** Length of every row (default: the longest sequence's). */
  maxlen?: number | null;
  /** The result's dtype (default 'int32'). */
  dtype?: DType;
  /** Where short sequences are padded: 'pre' (default) or 'post'. */
  padding?: 'pre' | 'post';
  /** Which end of long sequences is cut: 'pre' (default) or 'post'. */
  truncating?: 'pre' | 'post';
  /** The padding value (default 0). */
  value?: number;
}

/**
 * Sequences of numbers (token ids) as one [sequences, maxlen] tensor: padded and cut to
 * maxlen at the start by default, as Keras's pad_sequences.
 * @example utils.padSequences([[1, 2], [3, 4, 5]], { maxlen: 3 }) // [[0, 1, 2], [3, 4, 5]]
 */
export function padSequences(sequences: ArrayLike<number>[], options?: PadSequencesOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('utils.padSequences', 2, arguments.length);
  const op = 'utils.padSequences';
  const { maxlen = null, dtype = 'int32', padding = 'pre', truncating = 'pre', value = 0 } = checkOptions(op, options, op);
  if (!Array.isArray(sequences)) throw new Error(`${op}: expected sequences to be an array of sequences, got ${describe(sequences)}`);
  checkNoHoles(op, 'sequences', sequences);
  sequences.forEach((s, i) => {
    if (!Array.isArray(s) && !ArrayBuffer.isView(s)) throw new Error(`${op}: expected sequence ${i} to be an array of numbers, got ${describe(s)}`);
  });
  for (const [what, v] of [
    ['padding', padding],
    ['truncating', truncating],
  ] as const) {
    if (v !== 'pre' && v !== 'post') throw new Error(`${op}: expected ${what} to be 'pre' or 'post', got ${describe(v)}`);
  }
  if (typeof value !== 'number') throw new Error(`${op}: expected value to be a number, got ${describe(value)}`);
  if (dtype === 'bool' && value !== 0 && value !== 1) throw new Error(`${op}: expected value to be 0 or 1 for dtype 'bool', got ${describe(value)}`);
  let longest = 0;
  for (const s of sequences) longest = Math.max(longest, s.length);
  const length = maxlen ?? longest;
  if (!Number.isInteger(length) || length < 0) throw new Error(`${op}: expected maxlen to be a non-negative integer, got ${describe(maxlen)}`);
  const out = allocTypedArray(checkDType(op, dtype), sequences.length * length, op).fill(value);
  sequences.forEach((s, i) => {
    const kept = Math.min(s.length, length);
    const from = truncating === 'pre' ? s.length - kept : 0;
    const at = i * length + (padding === 'pre' ? length - kept : 0);
    for (let j = 0; j < kept; j++) {
      const v = s[from + j];
      if (typeof v !== 'number') throw new Error(`${op}: expected sequence ${i} to hold numbers, got ${describe(v)} at index ${from + j}`);
      if (dtype === 'bool' && v !== 0 && v !== 1)
        throw new Error(`${op}: expected sequence ${i} to hold 0 or 1 for dtype 'bool', got ${describe(v)} at index ${from + j}`);
      out[at + j] = v;
    }
  });
  return fromTypedArray(out, [sequences.length, length], dtype);
}

/** x divided by its `order`-norm along `axis` (a zero norm divides by 1), as Keras's utils.normalize. */
export function normalize(x: TensorLike, axis = -1, order: NormOrder = 2): Tensor {
  if (arguments.length > 3) throw tooManyArguments('utils.normalize', 3, arguments.length);
  const op = 'utils.normalize';
  return tidy(() => {
    const given = toTensor(op, 'x', x);
    // Integers become float32, as Keras's normalize (numpy's norm) returns floats.
    const t = isFloatDType(given.dtype) ? given : cast(given, 'float32');
    const n = norm(t, order, normalizeAxis(op, axis, t.rank), true);
    return div(t, where(equal(n, 0), 1, n));
  });
}

/** Keras's set_random_seed: setSeed for every random op, initializer, dropout and shuffle. */
export function setRandomSeed(seed: number): void {
  if (arguments.length > 1) throw tooManyArguments('utils.setRandomSeed', 1, arguments.length);
  setSeed(seed);
}
