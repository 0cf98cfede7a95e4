// What a recorded step is, on the JS side: the entries (kernels, views, reads) over
// numbered slots that the native plan runs and the replayer checks the live step against.

/**
 * A kernel call, a view made of a slot, a slot read by JS, or a slot's handle freed (a
 * buffer's bytes are reused only after every handle on it was freed: so a step that leaves
 * the recording can still copy out any tensor it holds).
 */
export interface PlanEntry {
  kind: 'kernel' | 'view' | 'read' | 'free';
  /** The kernel's op id (kernels only). */
  op: number;
  /** Per input: its slot, or -1 for a tensor from outside the plan (a weight, the batch, a constant). */
  inputs: number[];
  /** Per output: its slot, or -1 for a tensor that outlives the step (made fresh at each replay). */
  outputs: number[];
  /** The output specification the kernel got ([device, (dtype, rank, dims)*]), or a view's shape. */
  spec: Float64Array;
  /** How many attributes the kernel takes (their values are read live at each replay). */
  numAttrs: number;
}

/** A slot: a temporary of the step, in the plan's arena. */
export interface PlanSlot {
  dtype: number;
  shape: number[];
  /** The slot whose buffer it views, or -1 for a buffer of its own. */
  base: number;
}

/** A recorded step, ready to replay. */
export interface Recording {
  device: number;
  slots: PlanSlot[];
  entries: PlanEntry[];
}

/** The spec planCreate parses (native/src/core/step_plan.cpp reads it in this order). */
export function planSpec(r: Recording): Float64Array {
  const out: number[] = [1, r.device, r.slots.length];
  for (const s of r.slots) out.push(s.dtype, s.shape.length, ...s.shape, s.base);
  out.push(r.entries.length);
  for (const e of r.entries) {
    out.push(e.kind === 'kernel' ? 1 : 0, e.kind === 'kernel' ? e.op : -1, e.inputs.length, ...e.inputs, e.outputs.length);
    // A bound output carries its dtype and shape, so the plan checks the tensor it is given.
    let p = 1;
    for (const o of e.outputs) {
      if (e.kind !== 'kernel') {
        out.push(o);
        continue;
      }
      const rank = e.spec[p + 1];
      if (o >= 0) out.push(o);
      else out.push(-1, ...e.spec.subarray(p, p + 2 + rank));
      p += 2 + rank;
    }
    out.push(e.kind === 'kernel' ? e.numAttrs : 0);
  }
  return Float64Array.from(out);
}

/** The i-th output's [dtype, shape] from a kernel's output specification. */
export function outputOf(spec: Float64Array, index: number): { dtype: number; shape: number[] } {
  let p = 1;
  for (let i = 0; i < index; i++) p += 2 + spec[p + 1];
  return { dtype: spec[p], shape: Array.from(spec.subarray(p + 2, p + 2 + spec[p + 1])) };
}
