// keras.random's creation ops on Tessera's Philox streams (randomNormal, randomUniform,
// truncatedNormal): shape first, then Keras's options in camelCase.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { randomNormal, randomUniform, truncatedNormal as truncated } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import { describe, type Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { asOp } from '../ops/op_name';
import { resolveSeed, type SeedGenerator } from './seed_generator';

/** A seed of ts.random: a number (the same draw each call) or a SeedGenerator (advanced each call). */
export type RandomSeed = number | SeedGenerator;

/** Options of random.normal and random.truncatedNormal. */
export interface RandomNormalOptions {
  /** The mean (default 0). */
  mean?: number;
  /** The standard deviation (default 1). */
  stddev?: number;
  /** 'float32' (default) or 'float64'. */
  dtype?: DType;
  /** A number or a SeedGenerator; none draws from the global seed (setSeed). */
  seed?: RandomSeed | null;
}

/** Options of random.uniform. */
export interface RandomUniformOptions {
  /** The lower bound, included (default 0). */
  minval?: number;
  /** The upper bound, excluded (default 1). */
  maxval?: number;
  /** 'float32' (default) or 'float64'. */
  dtype?: DType;
  /** A number or a SeedGenerator; none draws from the global seed (setSeed). */
  seed?: RandomSeed | null;
}

/** Options of random.randint, random.categorical, random.gamma, random.beta and random.binomial. */
export interface RandomDTypeOptions {
  /** The dtype of the result. */
  dtype?: DType;
  /** A number or a SeedGenerator; none draws from the global seed (setSeed). */
  seed?: RandomSeed | null;
}

/**
 * Normally distributed numbers of `shape` (keras.random.normal).
 * @example ts.random.normal([2, 3], { mean: 1, stddev: 0.5, seed: 7 })
 */
export function normal(shape: Shape, options?: RandomNormalOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('random.normal', 2, arguments.length);
  const op = 'random.normal';
  const o = checkOptions(op, options, op);
  const seed = resolveSeed(op, o.seed);
  return asOp(op, () => randomNormal(shape, o.mean ?? 0, o.stddev ?? 1, o.dtype ?? 'float32', seed));
}

/**
 * Uniform numbers in [minval, maxval) of `shape` (keras.random.uniform); a float dtype only,
 * as Keras (random.randint draws integers).
 */
export function uniform(shape: Shape, options?: RandomUniformOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('random.uniform', 2, arguments.length);
  const op = 'random.uniform';
  const o = checkOptions(op, options, op);
  const dtype = o.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new Error(`${op}: expected a float dtype ('float32' or 'float64'; random.randint draws integers), got ${describe(dtype)}`);
  const seed = resolveSeed(op, o.seed);
  return asOp(op, () => randomUniform(shape, o.minval ?? 0, o.maxval ?? 1, dtype, seed));
}

/** Normal numbers of `shape` redrawn beyond two standard deviations of the mean (keras.random.truncated_normal). */
export function truncatedNormal(shape: Shape, options?: RandomNormalOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('random.truncatedNormal', 2, arguments.length);
  const op = 'random.truncatedNormal';
  const o = checkOptions(op, options, op);
  const seed = resolveSeed(op, o.seed);
  return asOp(op, () => truncated(shape, o.mean ?? 0, o.stddev ?? 1, o.dtype ?? 'float32', seed));
}

/** Uniform integers in [minval, maxval) of `shape` (keras.random.randint); dtype 'int32' only. */
export function randint(shape: Shape, minval: number, maxval: number, options?: RandomDTypeOptions | null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('random.randint', 4, arguments.length);
  const op = 'random.randint';
  const o = checkOptions(op, options, op);
  if (o.dtype !== undefined && o.dtype !== 'int32') throw new Error(`${op}: expected dtype 'int32', got ${describe(o.dtype)}`);
  for (const [name, v] of [
    ['minval', minval],
    ['maxval', maxval],
  ] as const) {
    if (!Number.isInteger(v)) throw new Error(`${op}: expected ${name} to be an integer, got ${describe(v)}`);
  }
  const seed = resolveSeed(op, o.seed);
  return asOp(op, () => randomUniform(shape, minval, maxval, 'int32', seed));
}
