// TensorFlow.js's backend functions (`await tf.ready()`, `tf.setBackend('tensorflow')`,
// `tf.getBackend()`), answered with Tessera's devices: the native engine is ready once the
// package is loaded, and a backend name is the device new tensors go to.
import { describe } from '../tensor/shape';
import { getDevice, setDevice } from './device';
import { tooManyArguments } from '../options/arity';

// TensorFlow.js's backends that compute on the CPU in Node (tfjs-node's, its wasm and its JS one).
const CPU_BACKENDS = ['cpu', 'tensorflow', 'wasm'];
// Browser backends: no counterpart in Node.
const BROWSER_BACKENDS = ['webgl', 'webgpu'];

/** Resolves at once: the engine is ready when the package has loaded (TensorFlow.js's ready). */
export function ready(): Promise<void> {
  if (arguments.length > 0) throw tooManyArguments('ready', 0, arguments.length);
  return Promise.resolve();
}

/** The device new tensors are created on ('cpu', 'cuda', 'cuda:1'): TensorFlow.js's getBackend. */
export function getBackend(): string {
  if (arguments.length > 0) throw tooManyArguments('getBackend', 0, arguments.length);
  return getDevice();
}

/**
 * TensorFlow.js's setBackend: 'cpu', 'tensorflow' (tfjs-node) and 'wasm' select the CPU,
 * 'cuda' / 'cuda:N' a GPU (setDevice). Resolves to true; a name without a device here is
 * an error (TensorFlow.js resolves to false, easy to miss).
 */
export async function setBackend(backendName: string): Promise<boolean> {
  if (arguments.length > 1) throw tooManyArguments('setBackend', 1, arguments.length);
  const op = 'setBackend';
  if (typeof backendName !== 'string') throw new Error(`${op}: expected a backend name, got ${describe(backendName)}`);
  if (BROWSER_BACKENDS.includes(backendName))
    throw new Error(`${op}: '${backendName}' is a browser backend; Tessera computes on 'cpu' (also 'tensorflow', 'wasm') or 'cuda'`);
  if (CPU_BACKENDS.includes(backendName)) {
    setDevice('cpu');
    return true;
  }
  if (!/^cuda(:\d+)?$/.test(backendName))
    throw new Error(`${op}: expected one of ${[...CPU_BACKENDS, 'cuda', 'cuda:N'].map((n) => `'${n}'`).join(', ')}, got ${describe(backendName)}`);
  try {
    setDevice(backendName);
  } catch (e) {
    throw new Error(`${op}: ${(e as Error).message.replace(/^setDevice: /, '')}`, { cause: e });
  }
  return true;
}
