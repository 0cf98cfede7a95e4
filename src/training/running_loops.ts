// The fit / evaluate / predict loops under way, by model. A callback of one may not compile
// the model, add or pop its layers, or flip a layer's trainable while fit runs: each would change
// what the loop runs between two of its steps. Keras 3 breaks on each (compile drops the train
// function the loop holds; the JAX trainer's state no longer matches the variables); Tessera
// refuses them by name.

/** A loop a model runs, as its method is named. */
export type Loop = 'fit' | 'evaluate' | 'predict';

interface LoopModel {
  readonly name: string;
}

// Strong references: every entry is removed in the loop's finally.
const running = new Map<LoopModel, Loop[]>();

/** @internal Marks `loop` as running on `model` until leaveLoop. */
export function enterLoop(model: LoopModel, loop: Loop): void {
  const loops = running.get(model) ?? [];
  loops.push(loop);
  running.set(model, loops);
}

/** @internal Ends what enterLoop began (call it in a finally). */
export function leaveLoop(model: LoopModel, loop: Loop): void {
  const loops = running.get(model);
  if (loops === undefined) return;
  const at = loops.lastIndexOf(loop);
  if (at >= 0) loops.splice(at, 1);
  if (loops.length === 0) running.delete(model);
}

/** @internal Whether `loop` is running on `model` itself. */
export function isRunning(model: LoopModel, loop: Loop): boolean {
  return running.get(model)?.includes(loop) ?? false;
}

// The model (target itself, or one holding it as a layer) with one of `loops` running, and that loop.
function loopOver(target: object, loops: readonly Loop[]): { model: LoopModel; loop: Loop } | undefined {
  for (const [model, list] of running) {
    const loop = [...list].reverse().find((l) => loops.includes(l));
    if (loop === undefined) continue;
    const layers = (model as { allLayers?: () => object[] }).allLayers?.() ?? [];
    // The target is the running model, one of its layers, or a model holding it (outer.trainable = false).
    const holding = (target as { allLayers?: () => object[] }).allLayers?.() ?? [];
    if (model === target || layers.includes(target) || holding.includes(model)) return { model, loop };
  }
  return undefined;
}

/**
 * @internal Throws when one of `loops` runs on `target` or on a model holding it: `op` (as
 * 'model.compile') would `action` ('compile the model') between two of the loop's steps.
 */
export function refuseWhileRunning(op: string, target: object, action: string, loops: readonly Loop[] = ['fit', 'evaluate', 'predict']): void {
  const found = loopOver(target, loops);
  if (found === undefined) return;
  throw new Error(
    `${op}: cannot ${action} while ${found.model.name}.${found.loop}() is running (called from one of its callbacks, or before its promise settled?); ` +
      `it would change what the running ${found.loop} computes between two steps: do it after ${found.loop} returns`,
  );
}
