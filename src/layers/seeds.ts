// Seeds of random layers (dropout, noise, recurrent dropout): a layer given a seed draws
// a different mask on every call, and the same sequence of masks on every run.
import { describe } from '../tensor/shape';
import { replayable } from '../tensor/random_replay';

/** @internal The per-call seeds of a seeded layer (Keras's SeedGenerator). */
export class SeedSequence {
  private calls = 0;

  /** `seed` null: every draw comes from the global stream (setSeed). */
  constructor(
    op: string,
    readonly seed: number | null,
  ) {
    if (seed !== null && (!Number.isInteger(seed) || seed < 0))
      throw new Error(`${op}: expected seed to be a non-negative integer or null, got ${describe(seed)}`);
  }

  /** The seed for the next random op; undefined draws from the global stream. */
  next(): number | undefined {
    if (this.seed === null) return undefined; // the global stream: nextSeed replays it
    return replayable(() => (this.seed! + this.calls++ * 0x9e3779b9) % 2 ** 32);
  }
}
