// Keras 3's keras.distribution.list_devices / get_device_count / initialize over Tessera's
// devices ('cpu', 'cuda:N', named 'cpu:0', 'gpu:N' as Keras names them) and its MPI world.
import { init, type WorldInfo } from '../distribute/backend';
import { native } from '../native/binding';
import { tooManyArguments } from '../options/arity';
import { checkInteger } from '../options/check_args';
import { describe } from '../tensor/shape';

/** A device type as Keras names it: 'cpu' or 'gpu' ('tpu' does not exist here). */
export type DeviceType = 'cpu' | 'gpu';

function cudaDevices(): { count: number; reason: string } {
  const { cuda } = native.backendInfo();
  return { count: cuda.loaded ? cuda.devices.length : 0, reason: cuda.reason ?? `${cuda.devices.length} CUDA device(s)` };
}

// Keras lower-cases the type and defaults to the accelerator when there is one.
function deviceType(op: string, type: unknown): DeviceType {
  if (type === undefined || type === null) return cudaDevices().count > 0 ? 'gpu' : 'cpu';
  const t = typeof type === 'string' ? type.toLowerCase() : type;
  if (t === 'cpu' || t === 'gpu') return t;
  if (t === 'tpu') throw new Error(`${op}: Tessera has no TPU devices; deviceType is 'cpu' or 'gpu' (CUDA)`);
  throw new Error(`${op}: expected deviceType to be 'cpu', 'gpu' or undefined (the GPUs when there are, else the CPU), got ${describe(type)}`);
}

function devicesOf(op: string, type: unknown): string[] {
  const t = deviceType(op, type);
  if (t === 'cpu') return ['cpu:0'];
  const { count, reason } = cudaDevices();
  // As JAX's jax.devices('gpu'): no GPU is an error, not an empty list.
  if (count === 0) throw new Error(`${op}: no gpu devices here (${reason})`);
  return Array.from({ length: count }, (_, i) => `gpu:${i}`);
}

/**
 * The devices of a type as Keras names them ('cpu:0', 'gpu:0', 'gpu:1', ...): 'gpu:N' is
 * Tessera's 'cuda:N'. Without a type, the GPUs when there are, else the CPU. These are
 * this process's devices: in an MPI world each rank has its own (ts.distribute.size()
 * counts the ranks), where JAX lists every process's.
 * @example ts.distribution.listDevices() // ['gpu:0'] on a one-GPU machine
 */
export function listDevices(deviceType?: DeviceType | null): string[] {
  if (arguments.length > 1) throw tooManyArguments('distribution.listDevices', 1, arguments.length);
  return devicesOf('distribution.listDevices', deviceType);
}

/** The number of listDevices(deviceType): Keras's get_device_count. */
export function getDeviceCount(deviceType?: DeviceType | null): number {
  if (arguments.length > 1) throw tooManyArguments('distribution.getDeviceCount', 1, arguments.length);
  return devicesOf('distribution.getDeviceCount', deviceType).length;
}

/**
 * Joins the multi-process world (Keras's initialize; ts.distribute.init). The processes
 * are mpirun's, so jobAddresses cannot be set here (mpirun's hosts take its place: it must
 * be null), and numProcesses / processId, when given, are checked against mpirun's world.
 * Returns the world (rank, size, ...).
 * @example ts.distribution.initialize(null, 2); // under mpirun -np 2
 */
export function initialize(jobAddresses?: string | null, numProcesses?: number | null, processId?: number | null): WorldInfo {
  const op = 'distribution.initialize';
  if (arguments.length > 3) throw tooManyArguments(op, 3, arguments.length);
  if (jobAddresses !== undefined && jobAddresses !== null) {
    throw new Error(
      `${op}: jobAddresses cannot be set here: the processes are mpirun's (mpirun -np N --host ...), so pass null; got ${describe(jobAddresses)}`,
    );
  }
  if (numProcesses !== undefined && numProcesses !== null) checkInteger(op, 'numProcesses', numProcesses, 1);
  if (processId !== undefined && processId !== null) checkInteger(op, 'processId', processId, 0);
  const world = init();
  if (typeof numProcesses === 'number' && numProcesses !== world.size) {
    throw new Error(`${op}: numProcesses is ${numProcesses} but mpirun started ${world.size} process(es) (mpirun -np sets it)`);
  }
  if (typeof processId === 'number' && processId !== world.rank) {
    throw new Error(`${op}: processId is ${processId} but this process is rank ${world.rank} of mpirun's world (mpirun sets it)`);
  }
  return world;
}

/**
 * @internal The world's devices, one per MPI rank (a mesh's default): in a world of one,
 * listDevices(); in a world of N, N names numbered by rank as JAX numbers global devices
 * ('gpu:0' for rank 0, 'gpu:1' for rank 1, ...; 'cpu:r' without GPUs).
 */
export function worldDevices(op: string): string[] {
  const { size } = init();
  if (size === 1) return devicesOf(op, undefined);
  const type = cudaDevices().count > 0 ? 'gpu' : 'cpu';
  return Array.from({ length: size }, (_, r) => `${type}:${r}`);
}
