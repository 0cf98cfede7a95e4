// jitCompile: a model's training steps recorded once per (batch shapes, model version) and
// then replayed through one native plan (docs/COMPILED_STEP.md). The first step of a key
// runs eagerly (it builds what is built lazily: optimizer slots, metric bindings), the
// second records (an eager step too), later ones replay. A replay that leaves the
// recording stays correct (the rest of that step runs eagerly) and the plan is recorded
// again; a key that leaves its recording twice means control flow that depends on data:
// the model trains eagerly from then on, with one console.warn saying why.
import { native } from '../native/binding';
import { Tensor, type Variable } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { StepRecorder, type RecordedPlan } from './recorder';
import { StepReplayer } from './replayer';
import { setStepHook, stepHook } from './step_hook';

/** compile()'s jitCompile: true, false, or 'auto' (compiled unless a distribution is active). */
export type JitCompile = boolean | 'auto';

/** Checks compile's jitCompile option. */
export function checkJitCompile(op: string, value: unknown): JitCompile {
  if (value === undefined) return false;
  if (typeof value === 'boolean' || value === 'auto') return value;
  throw new Error(`${op}: expected jitCompile to be true, false or 'auto', got ${describe(value)}`);
}

/** How many plans (batch shapes x model versions) a model keeps; the least recently used goes first. */
export const MAX_PLANS = 4;

/** What the compiled step needs of a model: its weights and optimizer define its version. */
export interface CompilableModel {
  readonly name: string;
  readonly weights?: Variable[];
  readonly trainableWeights: Variable[];
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
function idOf(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
}

/** The plans of one compiled model (one per compile(): recompiling starts afresh). */
export class CompiledSteps {
  private readonly plans = new Map<string, RecordedPlan>();
  private readonly seen = new Set<string>();
  private readonly divergences = new Map<string, number>();
  /** Why this model now trains eagerly, once a step could not be compiled. */
  fallbackReason: string | null = null;
  /** Counters, for tests and benchmarks. */
  readonly stats = { eager: 0, recorded: 0, replayed: 0, diverged: 0 };

  constructor(readonly mode: JitCompile) {}

  /** Number of plans held. */
  get size(): number {
    return this.plans.size;
  }

  /** Runs one training step `step` of `model` on `batch`, compiled when it can be. */
  run<T>(model: CompilableModel, optimizer: object, batch: unknown, step: () => T): T {
    // A step inside another's (a callback that trains) runs eagerly: one hook at a time.
    if (this.fallbackReason !== null || stepHook !== null) return this.eager(step);
    const key = `${batchKey(batch)}|${versionKey(model, optimizer)}`;
    const recorded = this.plans.get(key);
    if (recorded !== undefined) {
      this.plans.delete(key); // re-inserted below: the map's order is the LRU order
      return this.replay(model, key, recorded, step);
    }
    if (!this.seen.has(key)) {
      this.seen.add(key);
      return this.eager(step);
    }
    return this.record(model, key, step);
  }

  /** Releases every plan's arena. */
  dispose(): void {
    for (const p of this.plans.values()) native.planDispose(p.plan);
    this.plans.clear();
    this.seen.clear();
  }

  private eager<T>(step: () => T): T {
    this.stats.eager++;
    return step();
  }

  private record<T>(model: CompilableModel, key: string, step: () => T): T {
    const recorder = new StepRecorder();
    setStepHook(recorder);
    let out: T;
    try {
      out = step();
    } catch (e) {
      setStepHook(null);
      recorder.abandon();
      throw e;
    }
    setStepHook(null);
    this.stats.recorded++;
    const plan = recorder.finish();
    if (typeof plan === 'string') this.fallBack(model, plan);
    else this.keep(key, plan);
    return out;
  }

  private replay<T>(model: CompilableModel, key: string, recorded: RecordedPlan, step: () => T): T {
    const replayer = new StepReplayer(recorded);
    setStepHook(replayer);
    let out: T;
    try {
      out = step();
    } catch (e) {
      setStepHook(null);
      replayer.finish(); // what ran eagerly before the error runs here too
      native.planDispose(recorded.plan);
      throw e;
    }
    setStepHook(null);
    replayer.finish();
    this.stats.replayed++;
    if (replayer.divergence === null) {
      this.keep(key, recorded);
      return out;
    }
    this.stats.diverged++;
    native.planDispose(recorded.plan);
    const n = (this.divergences.get(key) ?? 0) + 1;
    this.divergences.set(key, n);
    if (n >= 2) this.fallBack(model, `the step differs from its recording (${replayer.divergence}): its control flow depends on the data`);
    return out;
  }

  private keep(key: string, plan: RecordedPlan): void {
    this.plans.set(key, plan);
    if (this.plans.size > MAX_PLANS) {
      const [oldest, p] = this.plans.entries().next().value as [string, RecordedPlan];
      native.planDispose(p.plan);
      this.plans.delete(oldest);
    }
  }

  /** @internal Trains eagerly from now on, with one console.warn saying why. */
  fallBack(model: CompilableModel, reason: string): void {
    this.fallbackReason = reason;
    this.dispose();
    console.warn(`${model.name}: jitCompile: training eagerly from now on: ${reason}`);
  }
}

// Shapes and dtypes of every tensor in the batch, in order.
function batchKey(batch: unknown): string {
  const parts: string[] = [];
  const visit = (v: unknown): void => {
    if (v instanceof Tensor) parts.push(`${v.dtype}[${v.shape.join(',')}]@${v.device}`);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v).sort()) {
        parts.push(k);
        visit((v as Record<string, unknown>)[k]);
      }
    } else parts.push(String(v));
  };
  visit(batch);
  return parts.join(';');
}

// The model's structure as the step sees it: which variables, which of them train, which
// optimizer. A layer added, trainable flipped, the optimizer swapped or weights replaced
// by new Variables each give a new key, so a new recording.
function versionKey(model: CompilableModel, optimizer: object): string {
  const trainable = new Set(model.trainableWeights);
  const all = model.weights ?? model.trainableWeights;
  let key = `o${idOf(optimizer)}`;
  for (const v of all) key += `,${idOf(v)}${trainable.has(v) ? 't' : ''}`;
  return key;
}
