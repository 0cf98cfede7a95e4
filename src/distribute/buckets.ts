// Gradient buckets (Horovod's tensor fusion, PyTorch DDP's buckets), all-reduced in the
// tensors' own memory: the MPI shim reads each gradient's bytes and writes the mean
// (host buffers, src/tensor/host_buffer.ts), so no gradient passes through a JS array.
// Small gradients are fused into one flat tensor per bucket (one native concat) to cut the
// number of collectives; the means come back as views of the bucket's result (no copy out).
//
// In place where nobody else can see it: the fused tensor is ours, and a gradient alone in
// its bucket that the tape reports as held by nothing else (`sole`, tape.ts) and whose
// memory no other handle, view or loan reaches (the native check, hostBufferSole) is
// reduced into its own bytes (MPI_IN_PLACE): no fresh result, and MPI skips copying the
// input (in C, 1.15x faster at 1 MB, 1.5x at 16 MB). Anything else (a user's tensor, a
// gradient shared with another, a view) is reduced into a fresh tensor and left as it was.
//
// Buckets are planned from the variables, last first (the order backward finishes them;
// fit learns the actual order from its first step, ready_order.ts), and launched strictly
// in plan order as soon as every member's gradient is known, so every rank issues the
// same collectives in the same order. ready() may be called from the tape's backward
// loop: the collectives then run on the shim's thread while the backward pass goes on.
//
// CUDA gradients go to NCCL on their device memory when it is available (cuda_route.ts):
// NCCL sums (a fused bucket in place, a single gradient into a fresh tensor) and the mean
// is scaled on the device once the bucket is done; otherwise they go through host memory.
import { concat } from '../ops/concat';
import { reshape } from '../ops/reshape';
import { slice } from '../ops/slice';
import { stepHook } from '../compiled/step_hook';
import { div } from '../ops/binary';
import { lendDeviceBuffer, lendDeviceWithResult } from '../tensor/device_buffer';
import { DTYPE_CODE, type DType } from '../tensor/dtype';
import { lendIfSole, lendWithResult, releaseLoans, type HostBuffer } from '../tensor/host_buffer';
import { noGrad, rowsView } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { currentWorld, Kind, Mode, ncclInfo, type NcclInfo } from './backend';
import { collectivePath } from './cuda_route';

// The shim's allReduce op codes.
const SUM = 0;
const MEAN = 3; // the sum divided by the world size, on the shim's thread

interface Member {
  index: number;
  shape: number[];
  size: number;
}

interface Bucket {
  dtype: DType;
  members: Member[];
  known: number; // members whose gradient (or null) has arrived
  launched?: InFlight;
}

interface InFlight {
  ticket: number;
  present: Member[]; // members with a gradient, in the order they sit in `result`
  result: Tensor; // the mean, flat when fused; the input itself when reduced in place
  fresh: boolean; // `result` was made for it (not the input reduced in place): disposed if the step fails
  loans: HostBuffer[]; // of the input (and of `result`), released once the collective is done
  owned: Tensor[]; // temporaries to dispose once the collective is done
  device: string;
  scale: boolean; // NCCL summed a mean: divide by the world size on the device
}

let inPlaceSetting: boolean | undefined;

/**
 * TESSERA_DIST_INPLACE: 1 (default) reduces fused buckets and sole gradients in place, 0
 * always into a fresh tensor (for comparisons; the same bits either way). Read once.
 */
function inPlaceAllowed(): boolean {
  if (inPlaceSetting === undefined) {
    const v = process.env.TESSERA_DIST_INPLACE;
    if (v !== undefined && v !== '' && v !== '0' && v !== '1') {
      throw new Error(
        `ts.distribute: TESSERA_DIST_INPLACE must be 0 (gradients reduced into fresh tensors) or 1 (in place where safe: the default), got '${v}'`,
      );
    }
    inPlaceSetting = v !== '0';
  }
  return inPlaceSetting;
}

/**
 * In place only below this many bytes: up to here MPI's all-reduce is the blocking one
 * (native/src/distributed/blocking_collective.h), where in place saves MPI's input copy
 * (1 MB: 248 against 298 us); above it the call is a polled MPI_Iallreduce, which Open
 * MPI runs in place at half speed (64 MB: 61-66 ms against 32 ms out of place,
 * bench/distributed.ts, AMD EPYC, 2 ranks).
 */
export const IN_PLACE_MAX_BYTES = 32 << 20;

function elementBytes(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4;
}

/**
 * A gradient of this many bytes or more gets a bucket of its own even when a fused one
 * would hold it: it is reduced from its own memory, where copying it into a fused bucket
 * costs about 150 us per MB here. Below it, fewer meeting points of the ranks pay more
 * than the copy: bench:train's MLP (0.94 MB of gradients) trained 2 ranks at 57-65k
 * samples/s as one bucket against 48-59k with its 0.8 MB first kernel alone (8
 * interleaved rounds, idle, AMD EPYC), then 54-64k against 51-62k (6 more, 5 won); the
 * CNN the same either way. Alone, that kernel's all-reduce started during backward, but
 * on 2 cores each all-reduce is a point where the rank that arrives first waits.
 */
const ALONE_BYTES = 4 << 20;

/**
 * @internal The buckets for gradients of these shapes and dtypes, one dtype each, in
 * launch order: filled in `order` (the order backward finishes them, ready_order.ts), or
 * last index first (the order of a sequential model's layers).
 */
export function plan(op: string, specs: { shape: number[]; dtype: DType }[], bucketBytes: number, order?: readonly number[]): Bucket[] {
  const buckets: Bucket[] = [];
  const open = new Map<DType, Bucket>();
  for (const i of order ?? specs.map((_, k) => specs.length - 1 - k)) {
    const { shape, dtype } = specs[i];
    if (dtype !== 'float32' && dtype !== 'float64') throw new Error(`${op}: gradients must be float32 or float64, got ${dtype} (index ${i})`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (size * elementBytes(dtype) >= Math.min(bucketBytes, ALONE_BYTES)) {
      buckets.push({ dtype, members: [{ index: i, shape, size }], known: 0 });
      open.delete(dtype); // later (earlier-layer) gradients start a new bucket: plan order is launch order
      continue;
    }
    let b = open.get(dtype);
    const filled = b ? b.members.reduce((n, m) => n + m.size, 0) * elementBytes(dtype) : 0;
    if (b !== undefined && filled > 0 && filled + size * elementBytes(dtype) > bucketBytes) b = undefined;
    if (b === undefined) {
      b = { dtype, members: [], known: 0 };
      buckets.push(b);
      open.set(dtype, b);
    }
    b.members.push({ index: i, shape, size });
  }
  return buckets;
}

/** Averages one step's gradients across ranks, bucket by bucket, as they arrive. */
export class GradientBuckets {
  private readonly buckets: Bucket[];
  private readonly bucketOf: number[] = [];
  private readonly grads: (Tensor | null | undefined)[];
  private readonly sole: boolean[];
  private next = 0; // the next bucket to launch
  private readonly world = currentWorld();
  private nccl: NcclInfo | undefined; // read at the first CUDA bucket
  /** The indices in the order their gradients were reported (ready_order.ts learns from it). */
  readonly arrival: number[] = [];

  /**
   * `prescaled`: the gradients already carry the 1/size factor (fit seeds backward with
   * it), so the ranks' sum is the mean and no pass divides it. `order`: plan's, the same
   * on every rank.
   */
  constructor(
    private readonly op: string,
    specs: { shape: number[]; dtype: DType }[],
    bucketBytes: number,
    private readonly prescaled = false,
    order?: readonly number[],
  ) {
    this.buckets = plan(op, specs, bucketBytes, order);
    this.buckets.forEach((b, k) => b.members.forEach((m) => (this.bucketOf[m.index] = k)));
    this.grads = specs.map(() => undefined);
    this.sole = specs.map(() => false);
  }

  /**
   * The gradient of specs[index] is final (null: there is none); launches what it can.
   * `sole`: its owner (the tape) neither holds it elsewhere nor reads it again, so it may
   * be reduced in place if nothing else reaches its memory (GradientReadyHook); the
   * tensor handed back by finish() is then this very tensor.
   */
  ready(index: number, grad: Tensor | null, sole = false): void {
    if (this.grads[index] !== undefined) return; // a source listed twice: its first report counts
    this.grads[index] = grad;
    this.sole[index] = sole;
    this.arrival.push(index);
    this.buckets[this.bucketOf[index]].known++;
    while (this.next < this.buckets.length && this.buckets[this.next].known === this.buckets[this.next].members.length) {
      this.launch(this.buckets[this.next++]);
    }
  }

  /**
   * Waits for every bucket launched so far and frees what they hold, without results: for
   * a step abandoned by an exception (in backward, or in a launch). A collective in flight
   * reads and writes its tensors' memory on the shim's thread, so its loans must not be
   * dropped (and collected) before it is over.
   */
  abandon(): void {
    for (const b of this.buckets) {
      const f = b.launched;
      if (f === undefined) continue;
      b.launched = undefined;
      try {
        this.world.shim!.wait(f.ticket);
      } catch {
        // the step already failed: its first error is the one reported
      } finally {
        releaseLoans(f.loans);
        f.owned.forEach((t) => t.dispose());
        if (f.fresh) f.result.dispose();
      }
    }
  }

  /** Waits for every bucket and returns the means in the order of the specs (null stays null). */
  finish(): (Tensor | null)[] {
    try {
      for (let i = 0; i < this.grads.length; i++) if (this.grads[i] === undefined) this.ready(i, null);
    } catch (e) {
      this.abandon();
      throw e;
    }
    const out: (Tensor | null)[] = this.grads.map(() => null);
    let failure: unknown;
    for (const b of this.buckets) {
      const f = b.launched;
      if (f === undefined) continue;
      try {
        this.world.shim!.wait(f.ticket);
        if (failure === undefined) this.unpack(f, out);
      } catch (e) {
        failure ??= e;
      } finally {
        releaseLoans(f.loans);
        f.owned.forEach((t) => t.dispose());
      }
    }
    if (failure !== undefined) {
      out.forEach((t) => t?.dispose());
      throw failure;
    }
    return out;
  }

  private launch(b: Bucket): void {
    const present = b.members.filter((m) => this.grads[m.index] !== null);
    if (present.length === 0) return;
    const grads = present.map((m) => this.grads[m.index]!);
    grads.forEach((g, k) => {
      if (g.dtype !== b.dtype || g.size !== present[k].size) {
        throw new Error(`${this.op}: gradient ${present[k].index} is ${g.dtype} [${g.shape.join(', ')}], expected ${b.dtype} [${present[k].shape.join(', ')}]`);
      }
    });
    const device = grads[0].device;
    const owned: Tensor[] = [];
    // One gradient is reduced from its own bytes; several are fused into one flat tensor
    // first (ours, as is a CUDA gradient's host copy).
    let input = grads.length === 1 ? grads[0] : noGrad(() => concat(grads.map((g) => reshape(g, [g.size]))));
    if (grads.length > 1) owned.push(input);
    if (device !== 'cpu' && collectivePath(this.op, { device, dtype: b.dtype }, 'sum', (this.nccl ??= ncclInfo())) === 'nccl') {
      this.launchOnDevice(b, present, input, owned, device);
      return;
    }
    if (input.device !== 'cpu') {
      input = input.to('cpu'); // CUDA gradients without NCCL go through host memory
      owned.push(input);
    }
    // In place (below IN_PLACE_MAX_BYTES): into the fused (or host) copy, or into a gradient its tape calls sole,
    // once the native side confirms nothing else reaches its bytes. A compiled step's
    // hook must see every tensor the step makes, so it keeps the fresh result.
    const mayOverwrite = (input !== grads[0] || this.sole[present[0].index]) && input.size * elementBytes(b.dtype) < IN_PLACE_MAX_BYTES;
    const inPlace = mayOverwrite && stepHook === null && inPlaceAllowed() ? lendIfSole(input, this.op) : null;
    let loans: HostBuffer[] = inPlace === null ? [] : [inPlace];
    let result = input;
    let ticket: number;
    try {
      const w = this.world;
      const op = this.prescaled ? SUM : MEAN;
      if (inPlace !== null) {
        ticket = w.shim!.submit(Kind.AllReduce, inPlace, DTYPE_CODE[b.dtype], op, w.timeout, Mode.Ticket) as number;
      } else {
        const l = lendWithResult(input, this.op); // the result: uninitialized, every byte written by the shim
        loans = [l.input, l.output];
        result = l.result;
        ticket = w.shim!.submit(Kind.AllReduce, l.input, DTYPE_CODE[b.dtype], op, w.timeout, Mode.Ticket, l.output) as number;
      }
    } catch (e) {
      releaseLoans(loans); // nothing was started: nothing reads them
      if (result !== input) result.dispose();
      owned.forEach((t) => t.dispose());
      throw e;
    }
    b.launched = { ticket, present, result, fresh: result !== input, loans, owned, device, scale: false };
  }

  /**
   * NCCL's sum of `input`: in place when it is our fused tensor (as on the host path: not
   * under a compiled step's hook, nor with TESSERA_DIST_INPLACE=0), else into a fresh one.
   */
  private launchOnDevice(b: Bucket, present: Member[], input: Tensor, owned: Tensor[], device: string): void {
    const fused = owned.includes(input) && stepHook === null && inPlaceAllowed();
    let loans: HostBuffer[] = [];
    let result = input;
    let ticket: number;
    try {
      const w = this.world;
      if (fused) {
        loans = [lendDeviceBuffer(input, this.op)];
        ticket = w.shim!.submit(Kind.AllReduce, loans[0], DTYPE_CODE[b.dtype], SUM, w.timeout, Mode.Ticket) as number;
      } else {
        const l = lendDeviceWithResult(input, this.op);
        loans = [l.input, l.output];
        result = l.result;
        ticket = w.shim!.submit(Kind.AllReduce, l.input, DTYPE_CODE[b.dtype], SUM, w.timeout, Mode.Ticket, l.output) as number;
      }
    } catch (e) {
      releaseLoans(loans);
      if (result !== input) result.dispose();
      owned.forEach((t) => t.dispose());
      throw e;
    }
    b.launched = { ticket, present, result, fresh: result !== input, loans, owned, device, scale: !this.prescaled };
  }

  private unpack(f: InFlight, out: (Tensor | null)[]): void {
    let result = f.result;
    if (result.device !== f.device) {
      result = f.result.to(f.device);
      if (!f.owned.includes(f.result)) f.owned.push(f.result);
    }
    if (f.scale) {
      const sum = result;
      result = noGrad(() => div(sum, this.world.size));
      if (!f.owned.includes(sum)) f.owned.push(sum);
    }
    if (f.present.length === 1) {
      out[f.present[0].index] = result;
      return;
    }
    if (!f.owned.includes(result)) f.owned.push(result);
    // Views of the flat result (they keep its storage alive), not copies; a compiled
    // step's hook must see every handle, so there the parts are sliced out.
    const part = (offset: number, size: number) =>
      stepHook === null && result.device === 'cpu' ? rowsView(result, offset, size) : slice(result, [offset], [size]);
    let offset = 0;
    noGrad(() => {
      for (const m of f.present) {
        const flat = part(offset, m.size);
        out[m.index] = reshape(flat, m.shape);
        if (out[m.index] !== flat) flat.dispose();
        offset += m.size;
      }
    });
  }
}
