// keras.random.gamma, beta and binomial: drawn on the host from a seeded stream (the gamma
// sampler of the mixing augmentation layers); parameters are numbers or tensors that
// broadcast to the shape.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray, type DType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { seededRandom } from '../tensor/seeded_random';
import { checkShape, describe, sizeOf, type Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { cast } from '../ops/cast';
import { toTensor } from '../ops/convert';
import { asOp } from '../ops/op_name';
import { broadcastTo } from '../ops/tile';
import { gammaDraw } from '../layers/mixing_augmentation';
import type { RandomDTypeOptions } from './distributions';
import { resolveSeed } from './seed_generator';

type Valid = (v: number) => boolean;

/** A parameter's value per element of `shape`, each checked by `valid` (described by `expected`). */
function parameter(op: string, name: string, value: number | TensorLike, shape: Shape, valid: Valid, expected: string): (i: number) => number {
  const bad = (v: unknown) => new Error(`${op}: expected ${name} to be ${expected}, got ${describe(v)}`);
  if (typeof value === 'number') {
    if (!valid(value)) throw bad(value);
    return () => value;
  }
  const values = asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, name, value);
      return broadcastTo(cast(t, 'float64'), [...shape]).dataSync() as Float64Array;
    }),
  );
  for (const v of values) if (!valid(v)) throw bad(v);
  return (i) => values[i];
}

/** The float dtype of a draw (float32 by default, as Keras's floatx). */
function floatDType(op: string, dtype: unknown): DType {
  const dt = dtype ?? 'float32';
  if (dt !== 'float32' && dt !== 'float64') throw new Error(`${op}: expected dtype 'float32' or 'float64', got ${describe(dtype)}`);
  return dt;
}

/** The checked options, shape and float dtype of a draw. */
function checkedDraws(op: string, shape: Shape, options: RandomDTypeOptions | null | undefined): { s: Shape; dtype: DType; seed: unknown } {
  const o = checkOptions(op, options, op);
  const s = checkShape(op, shape);
  return { s, dtype: floatDType(op, o.dtype), seed: o.seed };
}

/** `shape` draws of `draw(i, random)` as a tensor of `dtype`. */
function sample(op: string, shape: Shape, dtype: DType, seed: unknown, draw: (i: number, random: () => number) => number): Tensor {
  const random = seededRandom(op, resolveSeed(op, seed));
  const out = allocTypedArray(dtype, sizeOf(shape), op);
  for (let i = 0; i < out.length; i++) out[i] = draw(i, random);
  return fromTypedArray(out, [...shape], dtype);
}

const positive: Valid = (v) => v > 0 && v < Infinity;

/** A Beta(a, b) draw; when both gamma draws underflow (tiny a and b), 0 or 1 in the ratio a : b. */
function betaDraw(a: number, b: number, random: () => number): number {
  const x = gammaDraw(a, random),
    y = gammaDraw(b, random);
  if (x + y > 0) return x / (x + y);
  return random() < a / (a + b) ? 1 : 0;
}

/**
 * A Binomial(n, p) draw in O(log n) steps (Knuth, TAOCP 3.4.1 F): the a-th smallest of n
 * uniforms is Beta(a, n + 1 - a); the count below p then lies on one side of it.
 */
function binomialDraw(n: number, p: number, random: () => number): number {
  let count = 0;
  while (n > 64 && p > 0 && p < 1) {
    const a = Math.floor(1 + n / 2),
      b = n + 1 - a;
    const x = betaDraw(a, b, random);
    if (x >= p) {
      n = a - 1;
      p /= x;
    } else {
      count += a;
      n = b - 1;
      p = (p - x) / (1 - x);
    }
  }
  for (let i = 0; i < n; i++) if (random() < p) count++;
  return count;
}

/**
 * Gamma(alpha, 1) draws of `shape` (keras.random.gamma): mean alpha, variance alpha.
 * @example ts.random.gamma([1000], 2, { seed: 1 })
 */
export function gamma(shape: Shape, alpha: number | TensorLike, options?: RandomDTypeOptions | null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('random.gamma', 3, arguments.length);
  const op = 'random.gamma';
  const { s, dtype, seed } = checkedDraws(op, shape, options);
  const a = parameter(op, 'alpha', alpha, s, positive, 'a positive finite number');
  return sample(op, s, dtype, seed, (i, random) => gammaDraw(a(i), random));
}

/** Beta(alpha, beta) draws of `shape` in [0, 1] (keras.random.beta): mean alpha / (alpha + beta). */
export function beta(shape: Shape, alpha: number | TensorLike, beta: number | TensorLike, options?: RandomDTypeOptions | null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('random.beta', 4, arguments.length);
  const op = 'random.beta';
  const { s, dtype, seed } = checkedDraws(op, shape, options);
  const a = parameter(op, 'alpha', alpha, s, positive, 'a positive finite number');
  const b = parameter(op, 'beta', beta, s, positive, 'a positive finite number');
  return sample(op, s, dtype, seed, (i, random) => betaDraw(a(i), b(i), random));
}

/**
 * The number of successes in `counts` trials of probability `probabilities` (keras.random.binomial),
 * as floats of `shape`: mean counts * p, variance counts * p * (1 - p).
 */
export function binomial(shape: Shape, counts: number | TensorLike, probabilities: number | TensorLike, options?: RandomDTypeOptions | null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('random.binomial', 4, arguments.length);
  const op = 'random.binomial';
  const { s, dtype, seed } = checkedDraws(op, shape, options);
  const n = parameter(op, 'counts', counts, s, (v) => Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER, 'a non-negative integer');
  const p = parameter(op, 'probabilities', probabilities, s, (v) => v >= 0 && v <= 1, 'a probability in [0, 1]');
  return sample(op, s, dtype, seed, (i, random) => binomialDraw(n(i), p(i), random));
}
