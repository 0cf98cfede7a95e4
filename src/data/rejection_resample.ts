// tf.data's rejection_resample: [class, element] pairs whose classes follow a target
// distribution. As tf.data's: with probability m (the smallest target / initial ratio) an
// element comes straight from one pass over the data set; otherwise from a second pass
// that keeps an element of class i with probability (ratio_i - m) / (max ratio - m).
// Without initialDist, the initial distribution is estimated from the classes the second
// pass has seen (counts starting at 10 per class, tf.data's smoothing).
import { dispose } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { mulberry32 } from '../tensor/seeded_random';
import type { PassContext } from './dataset';
import type { Pass } from './dataset_transforms';
import { scalarResult } from './dataset_selection';

/** @internal rejectionResample's checked arguments. */
export interface Resampling<T> {
  classFunc: (e: T) => unknown;
  target: number[];
  initial: number[] | null;
  seed: number;
  rerandomize: boolean;
}

// float32's smallest normal number: tf.data adds it to the initial probabilities.
const TINY = 1.1754943508222875e-38;

/** @internal The acceptance probability per class and m, the chance of taking an element unfiltered. */
export function acceptance(initial: number[], target: number[]): { accept: number[]; m: number } {
  const ratio = target.map((t, i) => t / (initial[i] + TINY));
  const [lo, hi] = [Math.min(...ratio), Math.max(...ratio)];
  if (hi === lo) return { accept: ratio.map(() => 0), m: 1 }; // already the target: no filtering
  return { accept: ratio.map((r) => (r - lo) / (hi - lo)), m: lo };
}

/** @internal The resampled pairs (see the file's comment). */
export function resampled<T>(op: string, src: Pass<T>, r: Resampling<T>): Pass<[number, T]> {
  let iteration = 0;
  const n = r.target.length;
  return async function* (context?: PassContext) {
    const random = mulberry32(r.seed + (r.rerandomize ? iteration++ : 0));
    const counts = new Array<number>(n).fill(10);
    const estimate = () => counts.map((c) => c / counts.reduce((a, b) => a + b, 0));
    const classOf = async (e: T): Promise<number> => {
      let c: number | boolean;
      try {
        c = scalarResult(op, 'classFunc', await r.classFunc(e), e);
      } catch (error) {
        dispose(e as never);
        throw error;
      }
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= n) {
        dispose(e as never);
        throw new Error(`${op}: expected classFunc to return a class in [0, ${n}) (one per targetDist entry), got ${describe(c)}`);
      }
      return c;
    };
    const original = src(context);
    const filtered = src(context);
    try {
      for (;;) {
        const { m } = acceptance(r.initial ?? estimate(), r.target);
        if (random() < m) {
          const next = await original.next();
          if (next.done) return;
          yield [await classOf(next.value), next.value];
          continue;
        }
        // The filtered pass: read until an element is accepted (its class counted first).
        for (;;) {
          const next = await filtered.next();
          if (next.done) return;
          const c = await classOf(next.value);
          if (r.initial === null) counts[c]++;
          const { accept } = acceptance(r.initial ?? estimate(), r.target);
          if (random() < accept[c]) {
            yield [c, next.value];
            break;
          }
          dispose(next.value as never);
        }
      }
    } finally {
      await Promise.all([original.return(undefined), filtered.return(undefined)]);
    }
  };
}
