// Device names ('cpu', 'cuda', 'cuda:N'), their native codes, and the default device.
import { tooManyArguments } from '../options/arity';
import { native } from './binding';
import { quoted } from '../tensor/shape';

/** A device name: 'cpu', 'cuda' (the first GPU) or 'cuda:N'. */
export type DeviceName = string;

// Codes of the CUDA device names seen so far (bounded: names come from users).
const cudaCodes = new Map<string, number>();

/** Native code of a device: -1 for the CPU, N for cuda:N. */
export function deviceCode(device: DeviceName): number {
  if (device === 'cpu') return -1;
  // Every op on a GPU asks: a lookup instead of a regular expression each time.
  const known = cudaCodes.get(device);
  if (known !== undefined) return known;
  const m = typeof device === 'string' ? /^cuda(?::(\d+))?$/.exec(device) : null;
  if (!m) throw new Error(`device: expected 'cpu', 'cuda' or 'cuda:N', got ${quoted(device)}`);
  const code = m[1] === undefined ? 0 : Number(m[1]);
  if (cudaCodes.size < 256) cudaCodes.set(device, code);
  return code;
}

/** The canonical name of a device ('cuda' becomes 'cuda:0'). */
export function canonicalDevice(device: DeviceName): DeviceName {
  const code = deviceCode(device);
  return code < 0 ? 'cpu' : `cuda:${code}`;
}

function cudaAvailable(): boolean {
  const { cuda } = native.backendInfo();
  return cuda.loaded && cuda.devices.length > 0;
}

function initialDevice(): DeviceName {
  const env = process.env.TESSERA_DEVICE;
  if (env) return canonicalDevice(env);
  return cudaAvailable() ? 'cuda:0' : 'cpu';
}

let defaultDevice: DeviceName = initialDevice();

/** The device new tensors are created on: the GPU when present, else the CPU (`TESSERA_DEVICE` overrides). */
export function getDevice(): DeviceName {
  if (arguments.length > 0) throw tooManyArguments('getDevice', 0, arguments.length);
  return defaultDevice;
}

/** Sets the device new tensors are created on. Throws when the device is not available. */
export function setDevice(device: DeviceName): void {
  if (arguments.length > 1) throw tooManyArguments('setDevice', 1, arguments.length);
  const name = canonicalDevice(device);
  if (name !== 'cpu') {
    const { cuda } = native.backendInfo();
    const index = deviceCode(name);
    if (!cuda.loaded || index >= cuda.devices.length) {
      throw new Error(`setDevice: ${name} is not available (${cuda.reason ?? `${cuda.devices.length} CUDA device(s)`})`);
    }
  }
  defaultDevice = name;
}
