// Young tensors: generational finalizers. The eager path's handles (the addon's runScratch
// and runArgs) are plain BigInts of their slot ids, without the External and the weak
// reference that let the GC free a forgotten tensor: making those and deleting them in
// dispose() was a third of a small op's cost, and most tensors are disposed soon after
// they are made (tidy, dispose in loops). Instead, each new tensor waits here, held
// strongly, until a sweep: the tensors still alive then get handles with finalizers in
// one call (native promote()), and the list starts over. A young tensor disposed before
// the sweep costs the GC nothing at all; one dropped without dispose is still freed by
// the GC, after the next sweep instead of at once.
import { native, type NativeHandle } from '../native/binding';
import type { Tensor } from './tensor';

// A sweep comes after this many young tensors (one promote() call per batch; measured
// against 256 and 4096 in docs/PERFORMANCE.md, bench:ops) ...
export const SWEEP_EVERY_TENSORS = 1024;
// ... or this many young elements (16 MB of float32): a forgotten large tensor waits
// for few others, so what young tensors can hold back stays small.
export const SWEEP_EVERY_ELEMENTS = 1 << 22;

let young: Tensor[] = [];
let youngElements = 0;
let immediatePending = false;

/**
 * @internal Holds a tensor whose handle came from runScratch/runArgs until the next sweep.
 * Every such handle must come through here (or be disposed at once): one that does not is
 * never freed if JS drops it.
 */
export function trackYoung(t: Tensor): void {
  young.push(t);
  youngElements += t.size;
  if (young.length >= SWEEP_EVERY_TENSORS || youngElements >= SWEEP_EVERY_ELEMENTS) sweepYoung();
  else if (!immediatePending) {
    // Code that yields to the event loop (async training, servers) gets its forgotten
    // tensors back without waiting for the thresholds.
    immediatePending = true;
    setImmediate(sweepOnTurn).unref();
  }
}

function sweepOnTurn(): void {
  immediatePending = false;
  sweepYoung();
}

/** @internal Promotes the young tensors still alive (their handles get GC finalizers) and empties the list. */
export function sweepYoung(): void {
  const list = young;
  young = [];
  youngElements = 0;
  const alive: Tensor[] = [];
  const handles: NativeHandle[] = [];
  for (let i = 0; i < list.length; i++) {
    const h = list[i].handle;
    if (h === null) continue;
    alive.push(list[i]);
    handles.push(h);
  }
  if (alive.length === 0) return;
  const promoted = native.promote(...handles);
  for (let i = 0; i < alive.length; i++) alive[i].handle = promoted[i];
}
