// Keras 3's keras.losses.serialize / deserialize: a Loss as {module, class_name, config,
// registered_name}, a built-in loss function as Keras writes one, and back.
import { tooManyArguments } from '../options/arity';
import { builtinFunctionConfig, builtinFunctionName } from '../serialization/builtin_function';
import { kerasDeserialize, kerasSerialize, type DeserializeOptions } from '../serialization/keras_form';
import { Loss, type LossFunction } from './loss';
import { get, lossFunctionName } from './registry';

const isLoss = (v: unknown): boolean => v instanceof Loss || typeof v === 'function';
const EXPECTED = 'a Loss or a loss function';

/**
 * Keras 3's keras.losses.serialize: a Loss's config as a .keras file holds it; a built-in
 * function as {module: 'builtins', class_name: 'function', config: its name, registered_name: 'function'}.
 * @example losses.serialize(new losses.Huber({delta: 2})) // {module: 'keras.losses', class_name: 'Huber', config: {...}, registered_name: null}
 */
export function serialize(loss: Loss | LossFunction): unknown {
  if (arguments.length > 1) throw tooManyArguments('losses.serialize', 1, arguments.length);
  const name = lossFunctionName(loss);
  if (name !== undefined) return builtinFunctionConfig(name);
  return kerasSerialize('losses.serialize', loss, isLoss, EXPECTED);
}

/**
 * Keras 3's keras.losses.deserialize: a loss from a name (as losses.get) or a Keras config.
 * @example losses.deserialize({module: 'keras.losses', class_name: 'Huber', config: {delta: 2}, registered_name: null})
 */
export function deserialize(config: unknown, options?: DeserializeOptions | null): Loss | LossFunction {
  if (arguments.length > 2) throw tooManyArguments('losses.deserialize', 2, arguments.length);
  return kerasDeserialize('losses.deserialize', builtinFunctionName(config) ?? config, options, get, isLoss, EXPECTED);
}
