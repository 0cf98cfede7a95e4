// Backend facts and thread control.
import { tooManyArguments } from '../options/arity';
import { addonInfo, native, type BackendInfo } from './binding';
import { describe } from '../tensor/shape';

/**
 * Which backends loaded: the CPU kernels' instruction set and threads, the CUDA devices
 * or why CUDA did not load, and which addon file was loaded (prebuild or source build).
 *
 * @example
 * if (!ts.backendInfo().cuda.loaded) console.log(ts.backendInfo().cuda.reason);
 */
export function backendInfo(): BackendInfo {
  if (arguments.length > 0) throw tooManyArguments('backendInfo', 0, arguments.length);
  return { ...native.backendInfo(), addon: { ...addonInfo } };
}

/** Sets the threads CPU kernels use (the caller included); returns the new count. */
export function setNumThreads(n: number): number {
  if (arguments.length > 1) throw tooManyArguments('setNumThreads', 1, arguments.length);
  if (!Number.isInteger(n) || n < 1) throw new Error(`setNumThreads: expected a positive integer, got ${describe(n)}`);
  return native.setNumThreads(n);
}

/** Threads CPU kernels use. */
export function getNumThreads(): number {
  if (arguments.length > 0) throw tooManyArguments('getNumThreads', 0, arguments.length);
  return native.backendInfo().cpu.threads;
}
