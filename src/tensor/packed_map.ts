// Array.prototype.map's result has a different hidden class in Node 20's V8 depending on
// the tier that ran it: PACKED_ELEMENTS from the interpreter's builtin, HOLEY_ELEMENTS from
// TurboFan's inlined copy. An array handed on from a function that TurboFan has just
// optimized (or deoptimized) therefore reaches its readers with a map their compiled code
// never saw: a "wrong map" deoptimization, a recompile on V8's worker threads, and the
// same again downstream, for thousands of training steps (issue #22, bench/step_threads.ts).
// The per-step paths (tape, optimizers, model walk) build their arrays with this instead:
// packed from every tier.

/**
 * `items.filter(keep)` built the same way. A layer's trainableWeights came from filter:
 * with it, backward (`sources.forEach`) and applyConstraints met an array map their
 * compiled code had not seen in the MLP's fifth epoch (`--trace-deopt`), and recompiled.
 */
export function filterPacked<T>(items: readonly T[], keep: (item: T) => boolean): T[] {
  const out: T[] = [];
  for (let i = 0; i < items.length; i++) if (keep(items[i])) out.push(items[i]);
  return out;
}

/** `items.map(fn)`, as a packed array whichever tier runs it. */
export function mapPacked<T, U>(items: readonly T[], fn: (item: T, index: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < items.length; i++) out.push(fn(items[i], i));
  return out;
}
