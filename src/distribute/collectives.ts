// Horovod's primitives on Tessera tensors: allReduce, broadcast, allGather, barrier.
// allReduce lends the tensor's own memory to the MPI shim's background thread (no copy
// through JS); the others read the tensor into a typed array and build the result from
// what came back. CUDA tensors go to NCCL on their device memory when it is available
// (cuda_route.ts), else through host memory. The Promise forms keep the event loop live;
// the Sync forms serve steps that must stay synchronous (fit's train step).
import { tooManyArguments } from '../options/arity';
import { div } from '../ops/binary';
import { fill, fromTypedArray } from '../tensor/creation';
import { lendDeviceBuffer, lendDeviceWithResult } from '../tensor/device_buffer';
import { noGrad } from '../tensor/run';
import { allocTypedArray, DTYPE_CODE, type TypedArray } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import { lendWithResult, releaseLoans, releaseReduceLoans, type ReduceLoans } from '../tensor/host_buffer';
import { Tensor } from '../tensor/tensor';
import { currentWorld, Kind, Mode, ncclInfo } from './backend';
import { collectivePath, type CollectivePath } from './cuda_route';

/** How allReduce combines the ranks' values. */
export type ReduceOp = 'sum' | 'mean' | 'max' | 'min';
const OPS: readonly ReduceOp[] = ['sum', 'mean', 'max', 'min'];
const OP_CODE: Record<ReduceOp, number> = { sum: 0, mean: 3, max: 1, min: 2 }; // the shim's codes; mean divides there
const MAX_RANK = 8;
const HEADER_INTS = 2 * (2 + MAX_RANK);
// The header of the blocking collectives: done when submit returns, so one serves them
// all (a fresh typed array cost about as much as the rest of a small call's JS).
const syncHeader = new Int32Array(HEADER_INTS);

function checkTensor(op: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new Error(`ts.distribute.${op}: expected a Tensor, got ${describe(t)}`);
  return t;
}

function checkOp(op: unknown): ReduceOp {
  if (typeof op !== 'string' || !OPS.includes(op as ReduceOp))
    throw new Error(`ts.distribute.allReduce: expected op to be one of ${OPS.join(', ')}, got ${describe(op)}`);
  return op as ReduceOp;
}

function checkRoot(op: string, root: unknown, size: number): number {
  if (typeof root !== 'number' || !Number.isInteger(root) || root < 0 || root >= size) {
    throw new Error(`ts.distribute.${op}: expected root to be a rank in [0, ${size - 1}], got ${describe(root)}`);
  }
  return root;
}

/**
 * The dtype-and-shape header every rank reduces under MAX to check that they agree
 * (dimension 0 excepted when `skipFirst`): (header, -header), so MAX gives both the max
 * and the min. Mismatched tensors would otherwise read past a buffer or mix unrelated data.
 */
function agreementHeader(op: string, t: Tensor, skipFirst: boolean, h = new Int32Array(HEADER_INTS)): Int32Array {
  const shape = t.shape;
  const first = skipFirst ? 1 : 0;
  const dims = shape.length - first;
  if (dims > MAX_RANK) throw new Error(`ts.distribute.${op}: tensors of rank above ${MAX_RANK + first} are not supported, got shape [${shape.join(', ')}]`);
  h[0] = DTYPE_CODE[t.dtype];
  h[1] = shape.length;
  for (let i = 0; i < MAX_RANK; i++) h[2 + i] = i < dims ? shape[first + i] : -1;
  for (let i = 0; i < 2 + MAX_RANK; i++) h[2 + MAX_RANK + i] = -h[i];
  return h;
}

/** Fails (the same on every rank) when the reduced header says the ranks disagree. */
function verifyAgreement(op: string, t: Tensor, skipFirst: boolean, reduced: Int32Array): void {
  for (let i = 0; i < 2 + MAX_RANK; i++) {
    if (reduced[i] !== -reduced[2 + MAX_RANK + i]) {
      const what = skipFirst ? 'dtype and shape after dimension 0' : 'dtype and shape';
      throw new Error(`ts.distribute.${op}: the ranks disagree on the tensor's ${what}; rank ${currentWorld().rank} has ${t.dtype} [${t.shape.join(', ')}]`);
    }
  }
}

/** The agreement check as a collective of its own (broadcast, allGather). */
function checkAgreement(op: string, t: Tensor, skipFirst: boolean): void {
  const w = currentWorld();
  const h = agreementHeader(op, t, skipFirst, syncHeader);
  w.shim!.submit(Kind.AllReduce, h, DTYPE_CODE.int32, OP_CODE.max, w.timeout, Mode.Sync);
  verifyAgreement(op, t, skipFirst, h);
}

function checkReducible(t: Tensor, op: ReduceOp): void {
  if (t.dtype === 'bool' && (op === 'sum' || op === 'mean')) {
    throw new Error(`ts.distribute.allReduce: op '${op}' has no bool result; cast to int32 first, or use 'max' (any) or 'min' (all)`);
  }
}

/**
 * Starts the all-reduce of `t` from its own bytes into a fresh tensor's (no copy through
 * JS; CUDA tensors go through host memory), the ranks' agreement on dtype and shape
 * checked in the same message (the shim's checked allReduce). The result is not zeroed:
 * the shim writes all of it, or it is disposed unread.
 */
function startAllReduce(
  t: Tensor,
  op: ReduceOp,
  mode: Mode,
  path: CollectivePath,
): { pending: unknown; loans: ReduceLoans; input: Tensor; header: Int32Array } {
  const w = currentWorld();
  const header = agreementHeader('allReduce', t, false, mode === Mode.Sync ? syncHeader : undefined);
  const onDevice = path === 'nccl';
  const input = t.device === 'cpu' || onDevice ? t : t.to('cpu');
  let loans: ReduceLoans | undefined;
  try {
    loans = onDevice ? lendDeviceWithResult(input, 'ts.distribute.allReduce') : lendWithResult(input, 'ts.distribute.allReduce');
    // NCCL sums and the mean is scaled on the device afterwards (finishAllReduce).
    const code = onDevice && op === 'mean' ? OP_CODE.sum : OP_CODE[op];
    const pending = w.shim!.submit(Kind.AllReduce, loans.input, DTYPE_CODE[t.dtype], code, w.timeout, mode, loans.output, header);
    return { pending, loans, input, header };
  } catch (e) {
    endAllReduce(t, input, loans);
    loans?.result.dispose();
    throw e;
  }
}

/** Ends the loans (and the CPU copy of a CUDA input). */
function endAllReduce(t: Tensor, input: Tensor, loans: ReduceLoans | undefined): void {
  if (loans !== undefined) releaseReduceLoans(loans);
  if (input !== t) input.dispose();
}

/** After a successful all-reduce: the checked result, on `t`'s device. */
function finishAllReduce(t: Tensor, op: ReduceOp, started: { loans: ReduceLoans; input: Tensor; header: Int32Array }): Tensor {
  const result = started.loans.result;
  endAllReduce(t, started.input, started.loans);
  try {
    verifyAgreement('allReduce', t, false, started.header);
  } catch (e) {
    result.dispose();
    throw e;
  }
  if (result.device === t.device && t.device !== 'cpu') return op === 'mean' ? scaledMean(result) : result; // NCCL's sum
  if (t.device === 'cpu') return result;
  const moved = result.to(t.device);
  result.dispose();
  return moved;
}

/** The ranks' sum divided by the world size on the device (as the shim divides host memory), disposing the sum. */
function scaledMean(sum: Tensor): Tensor {
  try {
    return noGrad(() => div(sum, currentWorld().size));
  } finally {
    sum.dispose();
  }
}

/**
 * The path of a collective on `t` (cuda_route.ts). In a world of one under mpirun a CUDA
 * tensor still goes to NCCL (a one-process communicator), so one GPU checks that path;
 * without mpirun there is no shim and nothing to do.
 */
function pathOf(op: string, t: Tensor, reduce: ReduceOp | null): CollectivePath {
  return t.device === 'cpu' || currentWorld().shim === null ? 'cpu' : collectivePath(op, t, reduce, ncclInfo());
}

/** allReduce, blocking this thread until every rank contributed. */
export function allReduceSync(t: Tensor, op: ReduceOp = 'mean'): Tensor {
  if (arguments.length > 2) throw tooManyArguments('distribute.allReduceSync', 2, arguments.length);
  checkTensor('allReduce', t);
  op = checkOp(op);
  checkReducible(t, op);
  const w = currentWorld();
  const path = pathOf('allReduce', t, op);
  if (w.size === 1 && path !== 'nccl') return fromTypedArray(t.dataSync(), t.shape, t.dtype, t.device);
  return finishAllReduce(t, op, startAllReduce(t, op, Mode.Sync, path));
}

/**
 * Reduces `t` across all ranks with `op` ('sum', 'mean' (default), 'max' or 'min') and
 * resolves to the result, the same on every rank. int32 means truncate toward zero.
 */
export async function allReduce(t: Tensor, op: ReduceOp = 'mean'): Promise<Tensor> {
  if (arguments.length > 2) throw tooManyArguments('distribute.allReduce', 2, arguments.length);
  checkTensor('allReduce', t);
  op = checkOp(op);
  checkReducible(t, op);
  const w = currentWorld();
  const path = pathOf('allReduce', t, op);
  if (w.size === 1 && path !== 'nccl') return fromTypedArray(t.dataSync(), t.shape, t.dtype, t.device);
  const started = startAllReduce(t, op, Mode.Promise, path);
  try {
    await (started.pending as Promise<void>);
  } catch (e) {
    endAllReduce(t, started.input, started.loans);
    started.loans.result.dispose();
    throw e;
  }
  return finishAllReduce(t, op, started);
}

/** The result of a started device collective once it settles; its loans released either way. */
async function settled(started: { pending: unknown; end: (ok: boolean) => Tensor }): Promise<Tensor> {
  try {
    await (started.pending as Promise<void>);
  } catch (e) {
    started.end(false);
    throw e;
  }
  return started.end(true);
}

/**
 * Starts a broadcast of `t`'s device memory by NCCL into a fresh tensor on its device
 * (after the MPI agreement check); `end` releases the loans, and disposes the result
 * unless the broadcast succeeded.
 */
function startDeviceBroadcast(t: Tensor, root: number, mode: Mode): { pending: unknown; end: (ok: boolean) => Tensor } {
  const w = currentWorld();
  checkAgreement('broadcast', t, false);
  const loans = lendDeviceWithResult(t, 'ts.distribute.broadcast');
  const end = (ok: boolean): Tensor => {
    releaseReduceLoans(loans);
    if (!ok) loans.result.dispose();
    return loans.result;
  };
  try {
    return { pending: w.shim!.submit(Kind.Broadcast, loans.input, DTYPE_CODE[t.dtype], root, w.timeout, mode, loans.output), end };
  } catch (e) {
    end(false);
    throw e;
  }
}

/** broadcast, blocking this thread. */
export function broadcastSync(t: Tensor, root = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('distribute.broadcastSync', 2, arguments.length);
  checkTensor('broadcast', t);
  const w = currentWorld();
  checkRoot('broadcast', root, w.size);
  if (pathOf('broadcast', t, null) === 'nccl') return startDeviceBroadcast(t, root, Mode.Sync).end(true);
  const data = t.dataSync();
  if (w.size > 1) {
    checkAgreement('broadcast', t, false);
    w.shim!.submit(Kind.Broadcast, data, DTYPE_CODE[t.dtype], root, w.timeout, Mode.Sync);
  }
  return fromTypedArray(data, t.shape, t.dtype, t.device);
}

/** Resolves on every rank to rank `root`'s value of `t` (same dtype and shape everywhere). */
export async function broadcast(t: Tensor, root = 0): Promise<Tensor> {
  if (arguments.length > 2) throw tooManyArguments('distribute.broadcast', 2, arguments.length);
  checkTensor('broadcast', t);
  const w = currentWorld();
  checkRoot('broadcast', root, w.size);
  if (pathOf('broadcast', t, null) === 'nccl') {
    return settled(startDeviceBroadcast(t, root, Mode.Promise));
  }
  const data = t.dataSync();
  const { shape, dtype } = t;
  if (w.size > 1) {
    checkAgreement('broadcast', t, false);
    await (w.shim!.submit(Kind.Broadcast, data, DTYPE_CODE[dtype], root, w.timeout, Mode.Promise) as Promise<void>);
  }
  return fromTypedArray(data, shape, dtype, t.device);
}

/**
 * Starts the all-gather of `t`'s device memory by NCCL into a fresh tensor of `rows` rows
 * on its device; `end` releases the loans, and disposes the result unless it succeeded.
 */
function startDeviceGather(t: Tensor, counts: Int32Array, rows: number, mode: Mode): { pending: unknown; end: (ok: boolean) => Tensor } {
  const w = currentWorld();
  const out = fill([rows, ...t.shape.slice(1)], 0, t.dtype, t.device);
  const loans = [lendDeviceBuffer(t, 'ts.distribute.allGather')];
  const end = (ok: boolean): Tensor => {
    releaseLoans(loans);
    if (!ok) out.dispose();
    return out;
  };
  try {
    loans.push(lendDeviceBuffer(out, 'ts.distribute.allGather'));
    return { pending: w.shim!.submit(Kind.AllGatherV, loans[0], DTYPE_CODE[t.dtype], 0, w.timeout, mode, loans[1], counts), end };
  } catch (e) {
    end(false);
    throw e;
  }
}

function gatherPlan(t: Tensor, hostOut = true): { counts: Int32Array; out: TypedArray | null; rows: number } {
  const w = currentWorld();
  if (t.shape.length === 0) throw new Error('ts.distribute.allGather: expected a tensor of rank >= 1 (ranks are joined along dimension 0), got a scalar');
  checkAgreement('allGather', t, true);
  const rowsPerRank = new Int32Array(w.size);
  rowsPerRank[w.rank] = t.shape[0];
  w.shim!.submit(Kind.AllReduce, rowsPerRank, DTYPE_CODE.int32, OP_CODE.sum, w.timeout, Mode.Sync);
  const rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const rows = rowsPerRank.reduce((a, b) => a + b, 0);
  const counts = rowsPerRank.map((r) => r * rowSize);
  return { counts, out: hostOut ? allocTypedArray(t.dtype, rows * rowSize, 'ts.distribute.allGather') : null, rows };
}

/** allGather, blocking this thread. */
export function allGatherSync(t: Tensor): Tensor {
  if (arguments.length > 1) throw tooManyArguments('distribute.allGatherSync', 1, arguments.length);
  checkTensor('allGather', t);
  const w = currentWorld();
  const nccl = pathOf('allGather', t, null) === 'nccl';
  if (w.size === 1 && !nccl) return fromTypedArray(t.dataSync(), t.shape, t.dtype, t.device);
  const { counts, out, rows } = gatherPlan(t, !nccl);
  if (nccl) return startDeviceGather(t, counts, rows, Mode.Sync).end(true);
  w.shim!.submit(Kind.AllGatherV, t.dataSync(), DTYPE_CODE[t.dtype], 0, w.timeout, Mode.Sync, out, counts);
  return fromTypedArray(out!, [rows, ...t.shape.slice(1)], t.dtype, t.device);
}

/**
 * Every rank's `t` joined along dimension 0, in rank order (Horovod's allgather): the
 * first dimension may differ between ranks, the rest and the dtype must match.
 */
export async function allGather(t: Tensor): Promise<Tensor> {
  if (arguments.length > 1) throw tooManyArguments('distribute.allGather', 1, arguments.length);
  checkTensor('allGather', t);
  const w = currentWorld();
  const nccl = pathOf('allGather', t, null) === 'nccl';
  if (w.size === 1 && !nccl) return fromTypedArray(t.dataSync(), t.shape, t.dtype, t.device);
  const { counts, out, rows } = gatherPlan(t, !nccl);
  if (nccl) {
    return settled(startDeviceGather(t, counts, rows, Mode.Promise));
  }
  const { shape, dtype } = t;
  await (w.shim!.submit(Kind.AllGatherV, t.dataSync(), DTYPE_CODE[dtype], 0, w.timeout, Mode.Promise, out, counts) as Promise<void>);
  return fromTypedArray(out!, [rows, ...shape.slice(1)], dtype, t.device);
}

/** Resolves once every rank reached its barrier. */
export async function barrier(): Promise<void> {
  if (arguments.length > 0) throw tooManyArguments('distribute.barrier', 0, arguments.length);
  const w = currentWorld();
  if (w.size > 1) await (w.shim!.submit(Kind.Barrier, null, 0, 0, w.timeout, Mode.Promise) as Promise<void>);
}

/** barrier, blocking this thread. */
export function barrierSync(): void {
  if (arguments.length > 0) throw tooManyArguments('distribute.barrierSync', 0, arguments.length);
  const w = currentWorld();
  if (w.size > 1) w.shim!.submit(Kind.Barrier, null, 0, 0, w.timeout, Mode.Sync);
}

/** Sums (or maxes) a plain array of numbers across ranks, in float64. */
export function allReduceNumbers(values: number[], op: 'sum' | 'max' = 'sum'): number[] {
  const w = currentWorld();
  const data = Float64Array.from(values);
  if (w.size > 1 && data.length > 0) w.shim!.submit(Kind.AllReduce, data, DTYPE_CODE.float64, OP_CODE[op], w.timeout, Mode.Sync);
  return Array.from(data);
}
