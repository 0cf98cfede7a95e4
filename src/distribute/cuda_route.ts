// Which way a collective of a CUDA tensor goes: NCCL on the tensor's device memory, or a
// copy through host memory all-reduced by MPI. Decided from what every rank sees alike
// (NCCL's presence, TESSERA_DIST_CUDA, the op and dtype), since every rank must run the
// same collective.
import type { DType } from '../tensor/dtype';

/** 'cpu': a CPU tensor (MPI on its bytes); 'nccl': device memory; 'host-copy': to the CPU and back. */
export type CollectivePath = 'cpu' | 'nccl' | 'host-copy';

/** What the routing needs to know of NCCL (ts.distribute.ncclInfo()). */
export interface NcclPresence {
  available: boolean;
  reason: string;
}

/** TESSERA_DIST_CUDA: 'auto' (unset: NCCL when it is available), 'nccl' (NCCL or an error), 'mpi' (host copies). */
export function cudaSetting(env: NodeJS.ProcessEnv = process.env): 'auto' | 'nccl' | 'mpi' {
  const v = env.TESSERA_DIST_CUDA;
  if (v === undefined || v === '' || v === 'auto') return 'auto';
  if (v === 'nccl' || v === 'mpi') return v;
  throw new Error(
    `ts.distribute: TESSERA_DIST_CUDA must be 'auto' (the default: NCCL when it is available), 'nccl' (NCCL or an error) or 'mpi' (CUDA tensors copied through host memory), got '${v}'`,
  );
}

/**
 * @internal The path of collective `op` on a tensor of `device` and `dtype` (`reduce`: an
 * allReduce's op). int32 'mean' stays on the host path: it truncates toward zero there,
 * and the device's int32 division floors.
 */
export function collectivePath(
  op: string,
  t: { device: string; dtype: DType },
  reduce: string | null,
  nccl: NcclPresence,
  env: NodeJS.ProcessEnv = process.env,
): CollectivePath {
  if (t.device === 'cpu') return 'cpu';
  const setting = cudaSetting(env);
  if (setting === 'mpi') return 'host-copy';
  if (!nccl.available) {
    if (setting === 'nccl') throw new Error(`ts.distribute.${op}: TESSERA_DIST_CUDA=nccl but NCCL is not available: ${nccl.reason}`);
    return 'host-copy';
  }
  if (reduce === 'mean' && t.dtype === 'int32') return 'host-copy';
  return 'nccl';
}
