// Losses layers add inside a rematerialized call (activity regularizers, addLoss) are
// computed from the call's intermediates: they become outputs of the remat node too, so that
// their gradient flows through the recomputation; the recomputation's own copies are
// remat's outputs only, not added to the layers a second time.
import type { Tensor } from '../tensor/tensor';

/** @internal A loss a layer holds, and how to replace it there by another tensor (null: drop it). */
export interface HeldLoss {
  tensor: Tensor;
  replace(by: Tensor | null): void;
}

interface Capture {
  recomputing: boolean;
  losses: HeldLoss[];
}

const captures: Capture[] = [];

/** @internal True while a remat call collects losses (Layer.addLoss then reports each). */
export function capturingLosses(): boolean {
  return captures.length > 0;
}

/** @internal Layer.addLoss reports each loss it keeps; a recomputation takes it from the layer. */
export function reportLoss(held: HeldLoss): void {
  const top = captures[captures.length - 1];
  if (top === undefined) return;
  top.losses.push(held);
  if (top.recomputing) held.replace(null);
}

/** @internal Runs fn, returning with its result the losses layers added during it. */
export function collectingLosses<T>(recomputing: boolean, fn: () => T): { result: T; losses: HeldLoss[] } {
  const capture: Capture = { recomputing, losses: [] };
  captures.push(capture);
  try {
    return { result: fn(), losses: capture.losses };
  } finally {
    captures.splice(captures.lastIndexOf(capture), 1);
  }
}
