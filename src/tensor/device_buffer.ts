// CUDA tensor memory lent to the MPI shim's NCCL path without a copy (host_buffer.h,
// kDeviceBufferTag): NCCL reduces into or out of a tensor's own device memory. The loan
// is made after the device's stream is synchronized (the tensor's kernels are done) and
// keeps the tensor's storage alive until released (releaseLoans, host_buffer.ts).
import { native } from '../native/binding';
import type { HostBuffer, ReduceLoans } from './host_buffer';
import { Tensor } from './tensor';

function checkCuda(t: Tensor, op: string): void {
  if (!t.device.startsWith('cuda')) throw new Error(`${op}: expected a CUDA tensor to lend its device memory, got one on ${t.device}`);
}

/** @internal Lends `t`'s device memory (a CUDA tensor). */
export function lendDeviceBuffer(t: Tensor, op: string): HostBuffer {
  checkCuda(t, op);
  return native.deviceBuffer(t.liveHandle(op));
}

/**
 * @internal Lends `t`'s device memory and that of a fresh tensor of its shape and dtype on
 * its device, in one native call. The result is uninitialized: the collective writes every
 * byte of it, and it must be disposed if that does not happen.
 */
export function lendDeviceWithResult(t: Tensor, op: string): ReduceLoans {
  checkCuda(t, op);
  const [handle, input, output] = native.deviceBufferPair(t.liveHandle(op));
  return { input, result: new Tensor(handle, t.shape, t.dtype, t.device), output };
}
