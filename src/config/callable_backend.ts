// ts.backend: Keras 3's keras.backend namespace (its functions as members) that is also
// TensorFlow.js's tf.backend() function, which returns the current backend object.
import * as kerasBackend from './backend_namespace';
import { tooManyArguments } from '../options/arity';
import { getBackend } from '../native/tfjs_backend';
import { memory } from '../tensor/memory';
import { time, type TimingInfo } from '../utils/tfjs_runtime';

/**
 * What ts.backend() returns: the backend-wide methods of TensorFlow.js's KernelBackend
 * (its per-tensor ones, read(dataId) and so on, have no counterpart: tensors hold their data).
 */
export interface TfjsBackend {
  /** The device new tensors go to ('cpu', 'cuda:0'): getBackend()'s answer when backend() was called. */
  readonly name: string;
  /** The live tensors (TensorFlow.js: the data ids the backend holds): memory().numTensors. */
  numDataIds(): number;
  /** 32: float32 is the default float (as TensorFlow.js's cpu and tensorflow backends; float64 also exists here). */
  floatPrecision(): 32;
  /** TensorFlow.js's epsilon for float32 backends, 1e-7 (Keras's is config.epsilon()). */
  epsilon(): number;
  /** true: time() measures. */
  timerAvailable(): boolean;
  /** How long f takes (ts.time). */
  time(f: () => unknown): Promise<TimingInfo>;
}

function currentBackend(): TfjsBackend {
  if (arguments.length > 0) throw tooManyArguments('backend', 0, arguments.length);
  return {
    name: getBackend(),
    numDataIds() {
      if (arguments.length > 0) throw tooManyArguments('backend().numDataIds', 0, arguments.length);
      return memory().numTensors;
    },
    floatPrecision() {
      if (arguments.length > 0) throw tooManyArguments('backend().floatPrecision', 0, arguments.length);
      return 32;
    },
    epsilon() {
      if (arguments.length > 0) throw tooManyArguments('backend().epsilon', 0, arguments.length);
      return 1e-7;
    },
    timerAvailable() {
      if (arguments.length > 0) throw tooManyArguments('backend().timerAvailable', 0, arguments.length);
      return true;
    },
    time(f: () => unknown) {
      if (arguments.length > 1) throw tooManyArguments('backend().time', 1, arguments.length);
      return time(f);
    },
  };
}

/**
 * Keras 3's keras.backend (ts.backend.floatx(), ts.backend.clearSession(), ...) and
 * TensorFlow.js's tf.backend() in one: called, it returns the current backend (TfjsBackend).
 * @example ts.backend().numDataIds(); ts.backend.floatx() // 'float32'
 */
export const backend: typeof kerasBackend & (() => TfjsBackend) = Object.freeze(Object.assign(currentBackend, kerasBackend));
