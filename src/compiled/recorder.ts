// Records one eager step: every kernel, view and read it makes, over numbered slots. The
// step runs exactly as it would without the recorder (the recording IS an eager step);
// only the bookkeeping is extra. See docs/COMPILED_STEP.md.
import { native, type NativeHandle, type NativePlan } from '../native/binding';
import type { StepHook } from './step_hook';
import { planSpec, type PlanEntry, type PlanSlot, type Recording } from './recording';

/** A recorded step and its native plan. */
export interface RecordedPlan extends Recording {
  plan: NativePlan;
}

interface RawEntry extends PlanEntry {
  /** The handles the step gave, per input (external ones feed the plan's expected shapes). */
  handles: NativeHandle[];
}

export class StepRecorder implements StepHook {
  private readonly slots: PlanSlot[] = [];
  private readonly entries: RawEntry[] = [];
  private readonly slotOf = new Map<NativeHandle, number>();
  private readonly alive = new Set<number>();
  // Handles the step disposed: released once the plan has read their shapes.
  private readonly deferred: NativeHandle[] = [];
  private device: number | null = null;
  /** Why this step cannot be replayed, once something uncapturable happened. */
  uncapturable: string | null = null;

  run(op: number, handles: NativeHandle[], attrs: Float64Array, spec: Float64Array): NativeHandle | NativeHandle[] {
    const result = native.run(op, handles, attrs, spec);
    const outs = Array.isArray(result) ? result : [result];
    if (this.device === null) this.device = spec[0];
    else if (this.device !== spec[0]) this.uncapturable ??= 'the step uses more than one device';
    const outputs: number[] = [];
    let p = 1;
    for (const h of outs) {
      const rank = spec[p + 1];
      outputs.push(this.newSlot(h, { dtype: spec[p], shape: Array.from(spec.subarray(p + 2, p + 2 + rank)), base: -1 }));
      p += 2 + rank;
    }
    const inputs = handles.map((h) => this.slotOf.get(h) ?? -1);
    this.entries.push({ kind: 'kernel', op, inputs, outputs, spec: Float64Array.from(spec), numAttrs: attrs.length, handles: [...handles] });
    return result;
  }

  reshape(handle: NativeHandle, shape: number[]): NativeHandle {
    const view = native.reshape(handle, shape);
    const s = this.slotOf.get(handle);
    if (s !== undefined) {
      const base = this.slots[s].base >= 0 ? this.slots[s].base : s;
      const v = this.newSlot(view, { dtype: this.slots[s].dtype, shape: [...shape], base });
      this.entries.push({ kind: 'view', op: -1, inputs: [s], outputs: [v], spec: Float64Array.from(shape), numAttrs: 0, handles: [handle] });
    }
    return view;
  }

  createTensor(data: ArrayBufferView | null, shape: number[], dtype: number, device: number): NativeHandle {
    // Made from JS values: an external input, made again (with this step's values) at every replay.
    return native.createTensor(data, shape, dtype, device);
  }

  read(handle: NativeHandle): ReturnType<typeof native.read> {
    this.noteRead(handle);
    return native.read(handle);
  }

  readAsync(handle: NativeHandle): ReturnType<typeof native.readAsync> {
    this.noteRead(handle);
    return native.readAsync(handle);
  }

  // Every release waits for the end of the recording: the plan reads the shapes of the
  // tensors that fed it, including views the step freed early.
  dispose(handle: NativeHandle): void {
    this.deferred.push(handle);
    const s = this.slotOf.get(handle);
    if (s === undefined) return;
    this.alive.delete(s);
    this.entries.push({ kind: 'free', op: -1, inputs: [s], outputs: [], spec: new Float64Array(0), numAttrs: 0, handles: [handle] });
  }

  to(handle: NativeHandle, device: number): NativeHandle {
    if (this.slotOf.has(handle)) this.uncapturable ??= 'the step moves a tensor it made to another device (tensor.to())';
    return native.to(handle, device);
  }

  /**
   * The plan of the recorded step, or why there is none. Tensors still alive at the end
   * outlive the step (a variable's new value): they, and every view of their buffer,
   * leave the arena and are made fresh at each replay.
   */
  finish(): RecordedPlan | string {
    try {
      if (this.uncapturable !== null) return this.uncapturable;
      if (this.entries.length === 0) return 'the step runs no kernels';
      const bound = new Set<number>();
      for (const s of this.alive) bound.add(this.rootOf(s));
      const renumber = new Map<number, number>();
      const slots: PlanSlot[] = [];
      this.slots.forEach((slot, i) => {
        if (bound.has(this.rootOf(i))) return;
        renumber.set(i, slots.length);
        slots.push({ ...slot, base: slot.base >= 0 ? renumber.get(slot.base)! : -1 });
      });
      const entries: PlanEntry[] = [];
      const externals: NativeHandle[] = [];
      for (const e of this.entries) {
        if (e.kind !== 'kernel') {
          if (!bound.has(this.rootOf(e.inputs[0])))
            entries.push({ ...e, inputs: [renumber.get(e.inputs[0])!], outputs: e.outputs.map((o) => renumber.get(o)!) });
          continue;
        }
        const inputs = e.inputs.map((s, i) => {
          const n = s >= 0 ? renumber.get(s) : undefined;
          if (n === undefined) externals.push(e.handles[i]);
          return n ?? -1;
        });
        entries.push({ kind: 'kernel', op: e.op, inputs, outputs: e.outputs.map((o) => renumber.get(o) ?? -1), spec: e.spec, numAttrs: e.numAttrs });
      }
      const recording: Recording = { device: this.device!, slots, entries };
      return { ...recording, plan: native.planCreate(planSpec(recording), externals) };
    } finally {
      for (const h of this.deferred) native.dispose(h);
      this.deferred.length = 0;
    }
  }

  /** Releases what the recorder held back after a step that threw. */
  abandon(): void {
    for (const h of this.deferred) native.dispose(h);
    this.deferred.length = 0;
  }

  private newSlot(handle: NativeHandle, slot: PlanSlot): number {
    const s = this.slots.length;
    this.slots.push(slot);
    this.slotOf.set(handle, s);
    this.alive.add(s);
    return s;
  }

  private rootOf(s: number): number {
    return this.slots[s].base >= 0 ? this.slots[s].base : s;
  }

  private noteRead(handle: NativeHandle): void {
    const s = this.slotOf.get(handle);
    if (s !== undefined) this.entries.push({ kind: 'read', op: -1, inputs: [s], outputs: [], spec: new Float64Array(0), numAttrs: 0, handles: [handle] });
  }
}
