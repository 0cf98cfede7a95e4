// Seeded uniform numbers in [0, 1) on the JS side (shuffles, multinomial draws): each
// stream starts from the global seed and its offset (nextSeed), so setSeed() repeats them.
import { nextSeed } from './creation';

/** A mulberry32 stream of uniform numbers in [0, 1) from `seed`. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The next stream of the global seed for `op`, or the stream of `seed` when given (checked). */
export function seededRandom(op: string, seed?: number): () => number {
  const [s, offset] = nextSeed(op, seed);
  return mulberry32(s + offset);
}

/**
 * The seed of a stream an op starts later (a shuffle per epoch): `seed` when the user gave
 * one, else the next of the global seed, so that setSeed() (Keras's setRandomSeed) repeats
 * data pipelines as it repeats initializers.
 */
export function drawSeed(op: string, seed?: number | null): number {
  if (seed !== undefined && seed !== null) return seed;
  const [s, offset] = nextSeed(op);
  return (s + offset) % 2 ** 31;
}
