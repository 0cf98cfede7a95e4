// Keras 3's keras.device('cpu:0'): new tensors land on a device while a callback runs, over
// Tessera's default device (setDevice), put back when the callback returns or throws.
import { getDevice, setDevice } from '../native/device';
import { native } from '../native/binding';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { checkCallback, checkNotPromise } from './sync_callback';

// Every device here, in Keras's names (cpu:0, gpu:N) and Tessera's (cuda:N).
function devicesHere(): string {
  const { cuda } = native.backendInfo();
  const gpus = cuda.loaded ? cuda.devices.length : 0;
  const names = ["'cpu:0'", ...Array.from({ length: gpus }, (_, i) => `'gpu:${i}' ('cuda:${i}')`)];
  return gpus > 0 ? names.join(', ') : `only 'cpu:0' (no GPU: ${cuda.reason ?? '0 CUDA devices'})`;
}

// Keras's spellings, lower-cased as Keras does: 'cpu', 'cpu:0', 'gpu', 'gpu:N', and Tessera's 'cuda', 'cuda:N'.
function tesseraDevice(op: string, name: unknown): string {
  const m = typeof name === 'string' ? /^(cpu|gpu|cuda)(?::(\d+))?$/.exec(name.toLowerCase()) : null;
  if (m === null) throw new Error(`${op}: expected a device name 'cpu:0', 'gpu:N' or 'cuda:N' (the devices here: ${devicesHere()}), got ${describe(name)}`);
  const index = Number(m[2] ?? 0);
  if (m[1] === 'cpu') {
    if (index !== 0) throw new Error(`${op}: there is no device '${name as string}': the devices here are ${devicesHere()}`);
    return 'cpu';
  }
  const { cuda } = native.backendInfo();
  if (!cuda.loaded || index >= cuda.devices.length) throw new Error(`${op}: there is no device '${name as string}': the devices here are ${devicesHere()}`);
  return `cuda:${index}`;
}

/**
 * Runs `fn` with new tensors created on a device and returns what it returns (Keras's
 * `with keras.device('gpu:0'):`): 'cpu' / 'cpu:0', 'gpu:N' or 'cuda:N' (the N-th GPU).
 * Ops on existing tensors still run where those are. The previous device comes back when
 * `fn` returns or throws; `fn` must be synchronous (one returning a Promise is refused).
 * @example const x = ts.device('cpu:0', () => ts.ones([2, 2])); // x.device === 'cpu'
 */
export function device<T>(deviceName: string, fn: () => T): T {
  if (arguments.length > 2) throw tooManyArguments('device', 2, arguments.length);
  const op = 'device';
  const target = tesseraDevice(op, deviceName);
  checkCallback(op, `'${deviceName}'`, fn);
  const previous = getDevice();
  setDevice(target);
  try {
    return checkNotPromise(op, `'${deviceName}'`, fn());
  } finally {
    setDevice(previous);
  }
}
