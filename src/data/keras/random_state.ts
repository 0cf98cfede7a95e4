// NumPy's legacy np.random.RandomState(seed).shuffle, which Keras's loaders use to split
// and order their data: MT19937 seeded by init_genrand, and numpy's Fisher-Yates with
// masked rejection sampling, so a seed gives exactly Keras's order.
import { describe } from '../../tensor/shape';

class MT19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  next(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  // numpy's random_interval: a value in [0, max], drawing under the smallest covering bit mask.
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    for (const s of [1, 2, 4, 8, 16]) mask |= mask >>> s;
    mask >>>= 0;
    for (;;) {
      const v = (this.next() & mask) >>> 0;
      if (v <= max) return v;
    }
  }
}

/** The permutation np.random.RandomState(seed).shuffle(np.arange(n)) gives; `rng` continues an earlier draw. */
export function shuffledIndices(n: number, rng: RandomState): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.interval(i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** np.random.RandomState(seed): one generator several shuffles draw from in turn (imdb shuffles train, then test). */
export class RandomState extends MT19937 {}

/** Checks a Keras loader's seed: numpy takes integers 0 to 2^32 - 1. */
export function checkSeed(op: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`${op}: expected seed to be an integer from 0 to 2^32 - 1 (numpy's RandomState seed), got ${describe(seed)}`);
  }
  return seed;
}
