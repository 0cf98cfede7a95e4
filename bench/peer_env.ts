// The environment that runs PyTorch at its best on this machine (docs/PERFORMANCE.md, "The
// peer at its best"): OpenBLAS (its OpenMP build where installed) with its AVX-512 kernels,
// OpenMP threads that sleep when idle, and tcmalloc keeping its memory, without which
// glibc's malloc gives the MLP's buffers back every step (5x slower on this KVM guest).
// For a Python child only: preloading tcmalloc into node itself would change Tessera's figures.
import { existsSync } from 'node:fs';

const TCMALLOC = '/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4';
const OPENBLAS_OPENMP = '/usr/lib/x86_64-linux-gnu/openblas-openmp';

/** process.env plus the peer's best settings, those whose libraries are installed; `threads` sets OMP_NUM_THREADS. */
export function peerEnv(threads?: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OPENBLAS_CORETYPE: 'SkylakeX' };
  if (threads !== undefined) env.OMP_NUM_THREADS = String(threads);
  if (existsSync(TCMALLOC)) {
    env.LD_PRELOAD = [TCMALLOC, process.env.LD_PRELOAD].filter(Boolean).join(':');
    env.TCMALLOC_RELEASE_RATE = '0';
  }
  if (existsSync(OPENBLAS_OPENMP)) env.LD_LIBRARY_PATH = [OPENBLAS_OPENMP, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return env;
}
