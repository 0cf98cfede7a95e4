// Runs a TypeScript worker under mpirun for the distributed tests. Open MPI is the CI's
// engine (.ci/run installs it); MPICH runs too when it is installed. Without MPI the
// tests fail with what to install, unless TESSERA_SKIP_MPI_TESTS=1 says to skip them.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/child';

export type Abi = 'openmpi' | 'mpich';

export const SKIP_MPI = process.env.TESSERA_SKIP_MPI_TESTS === '1';

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The mpirun of an ABI, or null. */
export function mpirunOf(abi: Abi): string | null {
  return which(`mpirun.${abi}`) ?? (abi === 'openmpi' && which('ompi_info') ? which('mpirun') : null);
}

/** Builds the ABI's shim when it is missing; throws what to install when MPI is absent. */
export function ensureShim(abi: Abi): void {
  if (mpirunOf(abi) === null) {
    throw new Error(
      `distributed tests: ${abi === 'openmpi' ? 'Open MPI' : 'MPICH'}'s mpirun was not found; install it (${abi === 'openmpi' ? 'apt install openmpi-bin libopenmpi-dev' : 'apt install mpich libmpich-dev'}) or set TESSERA_SKIP_MPI_TESTS=1 to skip the distributed tests`,
    );
  }
  if (!existsSync(join(ROOT, 'build', 'distributed', `tessera_mpi_${abi}.node`))) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-mpi.mjs')], { cwd: ROOT, env: { ...process.env, TESSERA_MPI_ABI: abi }, stdio: 'pipe' });
  }
}

/** `mpirun -np <np> node -r register-ts <script> ...args`, one thread per rank. */
export function runMpi(
  abi: Abi,
  np: number,
  script: string,
  args: string[],
  timeoutMs = 90_000,
  extraEnv: Record<string, string> = {},
): SpawnSyncReturns<string> & { seconds: number } {
  const node = [process.execPath, '-r', join(ROOT, 'test', 'helpers', 'register-ts.js'), join(ROOT, script), ...args];
  const env: NodeJS.ProcessEnv = { ...process.env, TESSERA_NUM_THREADS: '1', ...extraEnv };
  let argv: string[];
  if (abi === 'openmpi') {
    // Open MPI refuses root unless told (CI containers run as root).
    env.OMPI_ALLOW_RUN_AS_ROOT = '1';
    env.OMPI_ALLOW_RUN_AS_ROOT_CONFIRM = '1';
    argv = ['-np', String(np), '--oversubscribe', ...['TESSERA_NUM_THREADS', ...Object.keys(extraEnv)].flatMap((k) => ['-x', k]), ...node];
  } else {
    argv = ['-np', String(np), ...node];
  }
  const t0 = Date.now();
  const r = spawnSync(mpirunOf(abi)!, argv, { cwd: ROOT, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  return Object.assign(r, { seconds: (Date.now() - t0) / 1000 });
}

/** Plain node (a world of one). */
export function runSingle(script: string, args: string[], extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-r', join(ROOT, 'test', 'helpers', 'register-ts.js'), join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, TESSERA_NUM_THREADS: '1', ...extraEnv },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

export function output(r: SpawnSyncReturns<string>): string {
  return `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
}
