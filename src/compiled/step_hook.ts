// The one seam between the tensor engine and compiled steps: while a compiled step records
// or replays, every call into the addon that makes, views, reads or frees a tensor goes
// to the active hook instead (`(stepHook ?? native).run(...)` at the call sites).
import type { NativeBinding } from '../native/binding';

/** The addon calls a step recorder / replayer intercepts. */
export type StepHook = Pick<NativeBinding, 'run' | 'reshape' | 'createTensor' | 'read' | 'readAsync' | 'dispose' | 'to'>;

/** @internal The hook of the step under way, or null (the eager path). */
export let stepHook: StepHook | null = null;

/** @internal Installs (or removes) the hook; returns the previous one. */
export function setStepHook(hook: StepHook | null): StepHook | null {
  const previous = stepHook;
  stepHook = hook;
  return previous;
}
