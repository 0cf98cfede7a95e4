// keras.random's ops on existing tensors: categorical (multinomial's draws), shuffle (a
// seeded permutation gathered along an axis) and dropout.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { seededRandom } from '../tensor/seeded_random';
import { checkShape, describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { toTensor } from '../ops/convert';
import { dropout as dropoutOp } from '../ops/dropout';
import { gather } from '../ops/gather';
import { multinomial } from '../ops/multinomial';
import { asOp } from '../ops/op_name';
import type { RandomDTypeOptions, RandomSeed } from './distributions';
import { resolveSeed } from './seed_generator';

/** Options of random.shuffle. */
export interface RandomShuffleOptions {
  /** The axis shuffled (default 0; negative counts from the end). */
  axis?: number;
  /** A number or a SeedGenerator; none draws from the global seed (setSeed). */
  seed?: RandomSeed | null;
}

/** Options of random.dropout. */
export interface RandomDropoutOptions {
  /** A shape broadcastable to the inputs' that shares one mask value where it is 1. */
  noiseShape?: number[] | null;
  /** A number or a SeedGenerator; none draws from the global seed (setSeed). */
  seed?: RandomSeed | null;
}

/**
 * numSamples class indices per row of `logits` [batch, classes], each drawn with
 * probability softmax(row) (keras.random.categorical); int32.
 */
export function categorical(logits: TensorLike, numSamples: number, options?: RandomDTypeOptions | null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('random.categorical', 3, arguments.length);
  const op = 'random.categorical';
  const o = checkOptions(op, options, op);
  if (o.dtype !== undefined && o.dtype !== 'int32') throw new Error(`${op}: expected dtype 'int32', got ${describe(o.dtype)}`);
  const t = toTensor(op, 'logits', logits);
  if (t.rank !== 2) throw new Error(`${op}: expected logits of rank 2 ([batch, classes]), got shape [${t.shape.join(', ')}]`);
  const seed = resolveSeed(op, o.seed);
  return asOp(op, () => multinomial(t, numSamples, seed));
}

/** `x` with its slices along `axis` in a random order (keras.random.shuffle). */
export function shuffle(x: TensorLike, options?: RandomShuffleOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('random.shuffle', 2, arguments.length);
  const op = 'random.shuffle';
  const o = checkOptions(op, options, op);
  const t = toTensor(op, 'x', x);
  if (t.rank === 0) throw new Error(`${op}: expected x of rank at least 1, got a scalar`);
  const axis = o.axis ?? 0;
  if (!Number.isInteger(axis) || axis < -t.rank || axis >= t.rank)
    throw new Error(`${op}: expected axis to be an integer in [${-t.rank}, ${t.rank - 1}] for x of shape [${t.shape.join(', ')}], got ${describe(o.axis)}`);
  const random = seededRandom(op, resolveSeed(op, o.seed));
  const ax = axis < 0 ? axis + t.rank : axis;
  // Fisher-Yates on the host: the permutation is as long as one axis.
  const order = Int32Array.from({ length: t.shape[ax] }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return tidy(() => gather(t, fromTypedArray(order, [order.length], 'int32', t.device), ax));
}

/** `inputs` with elements zeroed at `rate` and the rest scaled by 1 / (1 - rate) (keras.random.dropout). */
export function dropout(inputs: TensorLike, rate: number, options?: RandomDropoutOptions | null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('random.dropout', 3, arguments.length);
  const op = 'random.dropout';
  const o = checkOptions(op, options, op);
  const noiseShape = o.noiseShape === undefined || o.noiseShape === null ? undefined : checkShape(op, o.noiseShape, 'noiseShape');
  const seed = resolveSeed(op, o.seed);
  return asOp(op, () => dropoutOp(inputs, rate, noiseShape === undefined ? undefined : [...noiseShape], seed));
}
