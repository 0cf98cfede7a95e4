// keras.random.SeedGenerator and the `seed` argument of ts.random's functions: a number
// repeats the same draw on every call (Keras makes a fresh generator from it), a
// SeedGenerator advances its state on each call, and none draws from the global stream.
import { SeedSequence } from '../layers/seeds';
import { tooManyArguments } from '../options/arity';
import { drawSeed } from '../tensor/seeded_random';
import { describe } from '../tensor/shape';

/**
 * A random seed state (Keras's SeedGenerator): each random op given it draws with the
 * next seed, so successive calls differ and a program's sequence of draws repeats.
 * @example const gen = new ts.random.SeedGenerator(42); ts.random.normal([2], { seed: gen });
 */
export class SeedGenerator {
  /** The starting seed (drawn from the global stream, so setSeed repeats it, when none is given). */
  readonly initialSeed: number;
  private readonly sequence: SeedSequence;

  /** `seed`: a non-negative integer, or none for one drawn from the global seed (setSeed). */
  constructor(seed?: number | null) {
    if (arguments.length > 1) throw tooManyArguments('random.SeedGenerator', 1, arguments.length);
    if (seed !== undefined && seed !== null && (!Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER))
      throw new Error(`random.SeedGenerator: expected seed to be a non-negative integer, null or undefined, got ${describe(seed)}`);
    this.initialSeed = seed ?? drawSeed('random.SeedGenerator');
    this.sequence = new SeedSequence('random.SeedGenerator', this.initialSeed);
  }

  /** The seed of the next draw; advances the state. */
  next(): number {
    if (arguments.length > 0) throw tooManyArguments('random.SeedGenerator.next', 0, arguments.length);
    return this.sequence.next()!;
  }
}

/** The seed a random op of ts.random uses: the number, the generator's next, or undefined (global). */
export function resolveSeed(op: string, seed: unknown): number | undefined {
  if (seed === undefined || seed === null) return undefined;
  if (seed instanceof SeedGenerator) return seed.next();
  if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= Number.MAX_SAFE_INTEGER) return seed;
  throw new Error(`${op}: expected seed to be a non-negative integer or a random.SeedGenerator, got ${describe(seed)}`);
}
