// Tensor memory lent to the MPI shim without a copy (native/include/tessera/host_buffer.h):
// the shim reduces into or out of a tensor's own bytes. A lent buffer keeps its tensor's
// storage alive even if the tensor is disposed, until it is released.
import { native, type HostBuffer } from '../native/binding';
import { Tensor } from './tensor';

export type { HostBuffer };

/** @internal Lends `t`'s bytes (a CPU tensor) to native code. */
export function lendHostBuffer(t: Tensor, op: string): HostBuffer {
  if (t.device !== 'cpu') throw new Error(`${op}: expected a CPU tensor to lend its memory, got one on ${t.device}`);
  return native.hostBuffer(t.liveHandle(op));
}

/** @internal Ends a loan: the tensor's storage may go when its tensor does. */
export function releaseHostBuffer(b: HostBuffer): void {
  native.releaseHostBuffer(b);
}

/** An all-reduce's buffers: the input's loan, a fresh result tensor and its loan. */
export interface ReduceLoans {
  input: HostBuffer;
  result: Tensor;
  output: HostBuffer;
}

/**
 * @internal Lends `t`'s bytes (a CPU tensor) and those of a fresh CPU tensor of its shape
 * and dtype, in one native call. The result is left uninitialized (no zero fill): the
 * collective writes every byte of it, and it must be disposed if that does not happen.
 */
export function lendWithResult(t: Tensor, op: string): ReduceLoans {
  if (t.device !== 'cpu') throw new Error(`${op}: expected a CPU tensor to lend its memory, got one on ${t.device}`);
  const [handle, input, output] = native.hostBufferPair(t.liveHandle(op));
  return { input, result: new Tensor(handle, t.shape, t.dtype, 'cpu'), output };
}

/**
 * @internal A loan of `t`'s bytes when nothing but `t`'s handle reaches them (no other
 * handle, view, loan or compiled plan: the native side's reference counts), else null: a
 * collective may then write its result into them (in place) unseen by anyone else.
 */
export function lendIfSole(t: Tensor, op: string): HostBuffer | null {
  return t.device === 'cpu' ? native.hostBufferSole(t.liveHandle(op)) : null;
}

/** @internal Ends these loans in one native call (none: nothing to do). */
export function releaseLoans(loans: HostBuffer[]): void {
  if (loans.length > 0) native.releaseHostBuffer(...loans);
}

/** @internal Ends both loans of lendWithResult in one native call. */
export function releaseReduceLoans(l: ReduceLoans): void {
  native.releaseHostBuffer(l.input, l.output);
}
