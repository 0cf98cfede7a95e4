// TensorFlow.js's tf.profile: what a function's kernels allocated and how long they ran.
import { tooManyArguments } from '../options/arity';
import { checkFunction } from './check_function';
import type { TensorContainer } from './memory';
import { startProfile, stopProfile, totals, type KernelInfo } from './op_watch';

export type { KernelInfo } from './op_watch';

/** What profile() reports: TensorFlow.js's ProfileInfo. */
export interface ProfileInfo {
  /** Bytes of live storage after f less before. */
  newBytes: number;
  /** Live tensors after f less before. */
  newTensors: number;
  /** The most live bytes after any kernel of f (-Infinity when f ran none, as TensorFlow.js). */
  peakBytes: number;
  /** One record per kernel f ran, in order. */
  kernels: KernelInfo[];
  /** The names of those kernels, each once, in order of first run. */
  kernelNames: string[];
  /** What f returned (awaited). */
  result: TensorContainer;
}

/**
 * Runs f (sync or async) and reports the kernels it ran: their memory and time, as
 * TensorFlow.js's tf.profile. The tensors f returns are in `result`, not disposed.
 * @example const info = await profile(() => matMul(a, b)); info.kernelNames // ['matMul']
 */
export async function profile(f: () => TensorContainer | Promise<TensorContainer>): Promise<ProfileInfo> {
  if (arguments.length > 1) throw tooManyArguments('profile', 1, arguments.length);
  checkFunction('profile', 'f', f);
  const start = totals();
  const kernels = startProfile();
  let result: TensorContainer;
  try {
    result = await f();
  } finally {
    stopProfile(kernels);
  }
  const end = totals();
  return {
    newBytes: end.bytes - start.bytes,
    newTensors: end.tensors - start.tensors,
    peakBytes: kernels.reduce((m, k) => Math.max(m, k.totalBytesSnapshot), -Infinity),
    kernels,
    kernelNames: [...new Set(kernels.map((k) => k.name))],
    result,
  };
}
