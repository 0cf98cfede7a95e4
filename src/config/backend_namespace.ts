// ts.backend (keras.backend): the settings keras.backend shares with keras.config, the
// session's name counters, and Keras's dtype helpers.
import { tooManyArguments } from '../options/arity';
import { SymbolicTensor } from '../layers/symbolic_tensor';

export { floatx, setFloatx, epsilon, setEpsilon, imageDataFormat, setImageDataFormat, backend } from './settings';
export { clearSession, getUid } from './session';
export { standardizeDtype, isFloatDtype, isIntDtype, resultType } from './dtypes';

/** True for the symbolic tensors of functional models (input() and layers applied to it): Keras's KerasTensor. */
export function isKerasTensor(x: unknown): boolean {
  if (arguments.length > 1) throw tooManyArguments('backend.isKerasTensor', 1, arguments.length);
  return x instanceof SymbolicTensor;
}
