// Backend facts and thread control.
import { native, type BackendInfo } from './binding';

/** Which backends loaded (CPU ISA, threads; CUDA devices, or why CUDA did not load). */
export function backendInfo(): BackendInfo {
  return native.backendInfo();
}

/** Sets the threads CPU kernels use (the caller included); returns the new count. */
export function setNumThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setNumThreads: expected a positive integer, got ${n}`);
  return native.setNumThreads(n);
}

/** Threads CPU kernels use. */
export function getNumThreads(): number {
  return native.backendInfo().cpu.threads;
}
