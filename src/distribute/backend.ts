// The process's place in the MPI world: which launcher started it, the MPI shim for that
// launcher's ABI (loaded at run time: the main addon never links MPI), and the hooks that
// finalize MPI on a clean exit and end every rank when one fails.
import { existsSync } from 'node:fs';
import { describe } from '../tensor/shape';
import { constants } from 'node:os';
import { join } from 'node:path';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';

/** What ts.distribute.init() found. */
export interface WorldInfo {
  /** This process's rank, 0 to size - 1. */
  rank: number;
  /** The number of processes (ranks). */
  size: number;
  /** This process's rank among those on its host (e.g. which GPU it uses). */
  localRank: number;
  /** The number of ranks on this host. */
  localSize: number;
  /** 'openmpi', 'mpich', or 'none' for a process started without mpirun (a world of one). */
  abi: 'openmpi' | 'mpich' | 'none';
  /** MPI_Get_library_version, or '' in a world of one. */
  library: string;
}

/** ts.distribute.init's options. */
export interface InitOptions {
  /**
   * Seconds a collective may wait for the other ranks before it fails (and the job is
   * aborted). Default 60, or TESSERA_DIST_TIMEOUT. 0 waits forever.
   */
  timeout?: number;
}

/** The shim's N-API surface (native/src/distributed/mpi_shim.cpp). */
export interface Shim {
  init(): { rank: number; size: number; localRank: number; localSize: number; threadLevel: number; library: string };
  submit(kind: number, data: unknown, dtype: number, arg: number, timeout: number, mode: number, out?: unknown, countsOrHeader?: Int32Array): unknown;
  wait(ticket: number): void;
  abort(code: number, message: string): never;
  ncclInfo(): NcclInfo;
}

/** ts.distribute.ncclInfo(): NCCL as the MPI shim found it, and its communicator. */
export interface NcclInfo {
  /** libnccl.so.2 loaded with every entry point Tessera uses. */
  available: boolean;
  /** ncclGetVersion's number (e.g. 22105 for 2.21.5), 0 when not available. */
  version: number;
  /** Where it was loaded from. */
  path: string;
  /** Why it is not available. */
  reason: string;
  /** 'none' until the first collective of a CUDA tensor makes it, then 'ready' or 'failed'. */
  communicator: 'none' | 'ready' | 'failed';
  /** Why the communicator could not be made (the same on every rank), or ''. */
  communicatorError: string;
}

export const enum Kind {
  AllReduce = 0,
  Broadcast = 1,
  AllGatherV = 2,
  Barrier = 3,
  Finalize = 4,
  /** The NCCL communicator's id broadcast, with rank 0's 128 bytes given (tests its framing). */
  ShareUniqueId = 5,
}
export const enum Mode {
  Sync = 0,
  Promise = 1,
  Ticket = 2,
}

interface World extends WorldInfo {
  shim: Shim | null;
  timeout: number;
}

let world: World | null = null;
let lastError: unknown;

/** The package root: two levels up from src/distribute, three from dist/src/distribute. */
const packageRoot =
  [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')].find((d) => existsSync(join(d, 'package.json'))) ?? join(__dirname, '..', '..');

/** The MPI ABI of the launcher that started this process, from the variables it sets. */
function launcherAbi(): 'openmpi' | 'mpich' | 'none' {
  const forced = process.env.TESSERA_MPI_ABI;
  if (forced !== undefined && forced !== '') {
    if (forced !== 'openmpi' && forced !== 'mpich') throw new Error(`ts.distribute.init: TESSERA_MPI_ABI must be 'openmpi' or 'mpich', got '${forced}'`);
    return forced;
  }
  if (process.env.OMPI_COMM_WORLD_SIZE !== undefined) return 'openmpi';
  if (process.env.PMI_SIZE !== undefined || process.env.PMI_RANK !== undefined || process.env.HYDRA_CONTROL_FD !== undefined) return 'mpich';
  return 'none';
}

const INSTALL: Record<'openmpi' | 'mpich', string> = {
  openmpi: 'apt install openmpi-bin libopenmpi-dev',
  mpich: 'apt install mpich libmpich-dev',
};

/**
 * UCX (MPICH's transport here, Open MPI's on many clusters) tests its memory hooks when it
 * starts by moving the program break one page up and one page down: sbrk(+4096) then
 * sbrk(-4096). When the heap cannot grow (another mapping sits right after it, which V8's
 * randomly placed pages sometimes do) the first call fails and the second still succeeds,
 * cutting the heap's last page, live malloc memory, out of the process: V8 then crashed
 * reading it (SIGSEGV, "address not mapped", in its compiler). Without memory events UCX
 * skips the test; it then keeps no registration cache (large InfiniBand transfers register
 * their buffers each time). A value the user set is left alone.
 * @internal
 */
export function keepUcxOffTheHeap(env: NodeJS.ProcessEnv = process.env): void {
  if (env.UCX_MEM_EVENTS === undefined) env.UCX_MEM_EVENTS = 'no';
}

function loadShim(abi: 'openmpi' | 'mpich'): Shim {
  const file = `tessera_mpi_${abi}.node`;
  // TESSERA_MPI_SHIM, when set, is the only place looked at.
  const forced = process.env.TESSERA_MPI_SHIM;
  const candidates =
    forced !== undefined && forced !== ''
      ? [forced]
      : [join(packageRoot, 'build', 'distributed', file), join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`, file)];
  const path = candidates.find((p) => existsSync(p));
  const how = `install ${abi === 'openmpi' ? 'Open MPI' : 'MPICH'} (${INSTALL[abi]}) and build the shim with \`npm run build:mpi\` (or \`node scripts/build-mpi.mjs\`) in ${packageRoot}`;
  if (path === undefined) {
    throw new Error(
      `ts.distribute.init: this process was started by ${abi === 'openmpi' ? "Open MPI's" : "MPICH's"} mpirun but the MPI shim ${file} was not found (looked in ${candidates.join(', ')}); ${how}`,
    );
  }
  keepUcxOffTheHeap();
  const module = { exports: {} as Shim };
  try {
    // RTLD_GLOBAL: Open MPI's plugins (dlopen'ed by libmpi) need libmpi's symbols.
    process.dlopen(module, path, constants.dlopen.RTLD_NOW | constants.dlopen.RTLD_GLOBAL);
  } catch (e) {
    throw new Error(`ts.distribute.init: could not load the MPI shim ${path}: ${e instanceof Error ? e.message : String(e)}; ${how}`, { cause: e });
  }
  return module.exports;
}

function timeoutFrom(options: InitOptions): number {
  const env = process.env.TESSERA_DIST_TIMEOUT;
  const t = options.timeout ?? (env !== undefined && env !== '' ? Number(env) : 60);
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new Error(`ts.distribute.init: expected timeout to be seconds >= 0, got ${describe(t)}`);
  return t;
}

/**
 * Joins the MPI world this process was launched into (`mpirun -np 4 node train.js` or
 * `npx tessera launch -n 4 train.js`); a process started without mpirun is a world of
 * one. Idempotent; the collectives call it on first use.
 */
export function init(options: InitOptions = {}): WorldInfo {
  if (arguments.length > 1) throw tooManyArguments('distribute.init', 1, arguments.length);
  options = checkOptions('ts.distribute.init', options, 'distribute.init');
  const timeout = timeoutFrom(options);
  if (world !== null) {
    if (options.timeout !== undefined) world.timeout = timeout;
    return info(world);
  }
  const abi = launcherAbi();
  if (abi === 'none') {
    world = { rank: 0, size: 1, localRank: 0, localSize: 1, abi, library: '', shim: null, timeout };
    return info(world);
  }
  const shim = loadShim(abi);
  const w = shim.init();
  world = { rank: w.rank, size: w.size, localRank: w.localRank, localSize: w.localSize, abi, library: w.library, shim, timeout };
  installExitHooks(world);
  return info(world);
}

function info(w: World): WorldInfo {
  return { rank: w.rank, size: w.size, localRank: w.localRank, localSize: w.localSize, abi: w.abi, library: w.library };
}

/**
 * A clean exit finalizes MPI (mpirun counts a rank that exits without MPI_Finalize as
 * failed); any other exit, an uncaught exception included, aborts the whole job with a
 * message naming this rank, so no rank is left waiting in a collective.
 */
function installExitHooks(w: World): void {
  process.on('uncaughtExceptionMonitor', (e) => {
    lastError = e;
  });
  process.on('exit', (code) => {
    if (code === 0 && lastError === undefined) {
      try {
        w.shim!.submit(Kind.Finalize, null, 0, 0, w.timeout, Mode.Sync);
      } catch (e) {
        process.stderr.write(`tessera.distribute: rank ${w.rank}: MPI_Finalize failed: ${e instanceof Error ? e.message : String(e)}\n`);
      }
      return;
    }
    abortWorld(code === 0 ? 1 : code, lastError);
  });
}

/** Ends every rank of the job (MPI_Abort), after printing why, naming this rank. */
export function abortWorld(code = 1, reason?: unknown): never {
  if (arguments.length > 2) throw tooManyArguments('distribute.abort', 2, arguments.length);
  const w = world;
  const why = reason instanceof Error ? reason.message : reason === undefined ? `exited with code ${code}` : String(reason);
  const message = `tessera.distribute: rank ${w?.rank ?? 0} of ${w?.size ?? 1} failed (${why}); aborting all ranks`;
  if (w?.shim) w.shim.abort(code, message);
  process.stderr.write(message + '\n');
  process.exit(code);
}

/** The world, initialized on first use. */
export function currentWorld(): World {
  return world ?? (init(), world!);
}

/** True once init() ran in a world of more than one process. */
export function isDistributed(): boolean {
  if (arguments.length > 0) throw tooManyArguments('distribute.isDistributed', 0, arguments.length);
  return world !== null && world.size > 1;
}

/**
 * NCCL as the shim found it (libnccl.so.2 loaded at run time) or why not, and its
 * communicator. CUDA tensors' collectives use it when available (TESSERA_DIST_CUDA).
 */
export function ncclInfo(): NcclInfo {
  if (arguments.length > 0) throw tooManyArguments('distribute.ncclInfo', 0, arguments.length);
  const w = currentWorld();
  if (!w.shim) {
    return { available: false, version: 0, path: '', reason: 'a world of one (no mpirun): NCCL is not loaded', communicator: 'none', communicatorError: '' };
  }
  return w.shim.ncclInfo();
}
