// A function recorded on a tape of its own, then differentiated: the steps grad, variableGrads
// and remat's backward pass share (the tape stops before the backward walk and is always released).
import type { Tensor } from '../tensor/tensor';
import { startTape, stopTape, type TapeRecording } from './tape';

/**
 * @internal `record()` on a fresh tape that tracks `tracked`, then `differentiate(tape,
 * recorded)` once the tape has stopped; the tape is released after both, or when one throws.
 */
export function onFreshTape<T, R>(
  watchAccessedVariables: boolean,
  tracked: readonly Tensor[],
  record: () => T,
  differentiate: (tape: TapeRecording, recorded: T) => R,
): R {
  const tape = startTape(watchAccessedVariables);
  try {
    let recorded: T;
    try {
      for (const t of tracked) tape.tracked.add(t.id);
      recorded = record();
    } finally {
      stopTape(tape);
    }
    return differentiate(tape, recorded);
  } finally {
    tape.release();
  }
}
