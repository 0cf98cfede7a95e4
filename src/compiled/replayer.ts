// Replays a recorded step: the step's JS runs again (so every attribute, seed, learning
// rate and JS-side counter is this step's own), but each kernel call is only checked
// against the recording and queued; the queue runs natively, in one call, when JS needs
// a value (a read) and at the end of the step. Temporaries are slots of the plan's arena
// (a LazyHandle stands for one in JS); tensors that outlive the step are made fresh, as
// eager would. A call that differs from the recording ends the replay: what was queued
// runs, and the rest of the step runs eagerly (the step stays correct; the plan is dropped).
import { native, type NativeHandle } from '../native/binding';
import type { RecordedPlan } from './recorder';
import { outputOf } from './recording';
import type { StepHook } from './step_hook';

/** A JS stand-in for a tensor that lives in a plan's arena. */
export class LazyHandle {
  /** Set once the slot was copied out to a tensor of its own (after a divergence). */
  real: NativeHandle | null = null;
  constructor(readonly slot: number) {}
}

type Read = ReturnType<typeof native.read>;

export class StepReplayer implements StepHook {
  private cursor = 0;
  private flushed = 0;
  private externals: NativeHandle[] = [];
  private bound: NativeHandle[] = [];
  private attrs = new Float64Array(256);
  private numAttrs = 0;
  private readonly deferred: NativeHandle[] = [];
  /** Why the live step left the recording, once it did. */
  divergence: string | null = null;

  constructor(private readonly recorded: RecordedPlan) {}

  run(op: number, handles: NativeHandle[], attrs: Float64Array, spec: Float64Array): NativeHandle | NativeHandle[] {
    if (this.divergence === null) this.check(op, handles, attrs, spec);
    if (this.divergence !== null)
      return native.run(
        op,
        handles.map((h) => this.unwrap(h)),
        attrs,
        spec,
      );
    const e = this.recorded.entries[this.cursor++];
    for (let i = 0; i < handles.length; i++) if (e.inputs[i] < 0) this.externals.push(handles[i]);
    if (this.numAttrs + attrs.length > this.attrs.length) {
      const grown = new Float64Array(Math.max(this.attrs.length * 2, this.numAttrs + attrs.length));
      grown.set(this.attrs.subarray(0, this.numAttrs));
      this.attrs = grown;
    }
    this.attrs.set(attrs, this.numAttrs);
    this.numAttrs += attrs.length;
    const outs = e.outputs.map((slot, j) => {
      if (slot >= 0) return new LazyHandle(slot) as unknown as NativeHandle;
      const { dtype, shape } = outputOf(spec, j);
      const h = native.createTensor(null, shape, dtype, spec[0]);
      this.bound.push(h);
      return h;
    });
    return outs.length === 1 ? outs[0] : outs;
  }

  reshape(handle: NativeHandle, shape: number[]): NativeHandle {
    const lazy = asLazy(handle);
    if (lazy === null) return native.reshape(handle, shape);
    if (this.divergence === null) {
      const e = this.recorded.entries[this.cursor];
      if (e?.kind === 'view' && e.inputs[0] === lazy.slot && sameValues(e.spec, shape)) {
        this.cursor++;
        return new LazyHandle(e.outputs[0]) as unknown as NativeHandle;
      }
      this.diverge(`a view of shape [${shape.join(', ')}] where the recording has ${describeEntry(e)}`);
    }
    return native.reshape(this.unwrap(handle), shape);
  }

  createTensor(data: ArrayBufferView | null, shape: number[], dtype: number, device: number): NativeHandle {
    return native.createTensor(data, shape, dtype, device);
  }

  read(handle: NativeHandle): Read {
    const lazy = asLazy(handle);
    if (lazy !== null && this.divergence === null) {
      const e = this.recorded.entries[this.cursor];
      if (e?.kind === 'read' && e.inputs[0] === lazy.slot) {
        this.cursor++;
        this.flush();
        return native.planRead(this.recorded.plan, lazy.slot);
      }
      this.diverge(`a read where the recording has ${describeEntry(e)}`);
    }
    this.flush();
    return native.read(this.unwrap(handle));
  }

  readAsync(handle: NativeHandle): Promise<Read> {
    return Promise.resolve(this.read(handle));
  }

  dispose(handle: NativeHandle): void {
    const lazy = asLazy(handle);
    if (lazy !== null && this.divergence === null) {
      const e = this.recorded.entries[this.cursor];
      if (e?.kind === 'free' && e.inputs[0] === lazy.slot) {
        this.cursor++;
        return;
      }
      this.diverge(`a tensor freed where the recording has ${describeEntry(e)}`);
    }
    if (lazy === null) {
      // Queued kernels may still read it: released after they ran.
      if (this.flushed < this.cursor) this.deferred.push(handle);
      else native.dispose(handle);
    } else if (lazy.real !== null) native.dispose(lazy.real);
  }

  to(handle: NativeHandle, device: number): NativeHandle {
    this.flush();
    return native.to(this.unwrap(handle), device);
  }

  /** Runs what is still queued (also after a step that threw: what ran eagerly before an error has run here too). */
  finish(): void {
    if (this.divergence === null && this.cursor !== this.recorded.entries.length) {
      this.divergence = `the step ended after ${this.cursor} of the recording's ${this.recorded.entries.length} entries`;
    }
    this.flush();
  }

  private check(op: number, handles: NativeHandle[], attrs: Float64Array, spec: Float64Array): void {
    const e = this.recorded.entries[this.cursor];
    if (e === undefined || e.kind !== 'kernel' || e.op !== op) return this.diverge(`kernel ${op} where the recording has ${describeEntry(e)}`);
    if (handles.length !== e.inputs.length || attrs.length !== e.numAttrs || !sameValues(e.spec, spec)) {
      return this.diverge(`kernel ${op} with other inputs, attributes or output shapes than recorded`);
    }
    for (let i = 0; i < handles.length; i++) {
      const lazy = asLazy(handles[i]);
      const slot = lazy === null ? -1 : lazy.slot;
      if (slot !== e.inputs[i]) return this.diverge(`kernel ${op}'s input ${i} comes from elsewhere than in the recording`);
    }
  }

  // Runs the queue, then continues eagerly: slots are copied out as JS uses them.
  private diverge(reason: string): void {
    this.flush();
    this.divergence = reason;
  }

  private flush(): void {
    if (this.flushed < this.cursor) {
      const { externals, bound } = this;
      this.externals = [];
      this.bound = [];
      const attrs = this.attrs.subarray(0, this.numAttrs);
      this.numAttrs = 0;
      const from = this.flushed;
      this.flushed = this.cursor;
      native.planRun(this.recorded.plan, from, this.cursor, externals, bound, attrs);
    }
    for (const h of this.deferred) native.dispose(h);
    this.deferred.length = 0;
  }

  private unwrap(handle: NativeHandle): NativeHandle {
    const lazy = asLazy(handle);
    if (lazy === null) return handle;
    if (lazy.real === null) {
      const slot = this.recorded.slots[lazy.slot];
      lazy.real = native.createTensor(native.planRead(this.recorded.plan, lazy.slot), slot.shape, slot.dtype, this.recorded.device);
    }
    return lazy.real;
  }
}

function asLazy(h: NativeHandle): LazyHandle | null {
  return (h as unknown) instanceof LazyHandle ? (h as unknown as LazyHandle) : null;
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function describeEntry(e: { kind: string; op: number } | undefined): string {
  return e === undefined ? 'nothing more' : e.kind === 'kernel' ? `kernel ${e.op}` : `a ${e.kind}`;
}
