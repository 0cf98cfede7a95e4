// Keras 3's keras.layers.serialize / deserialize: a layer or model as {module, class_name,
// config, registered_name} (built layers add build_config) and back, with fresh weights.
import { tooManyArguments } from '../options/arity';
import { kerasDeserialize, kerasSerialize, type DeserializeOptions } from '../serialization/keras_form';
import { Layer } from './layer';
import { deserializeLayer } from './serialization';

export type { DeserializeOptions } from '../serialization/keras_form';

// A layer needs its config: a bare name (Keras's 'Dense') would build one from defaults only.
function fromTfjsForm(config: unknown): Layer<any> {
  if (typeof config === 'string')
    throw new Error(`layers.deserialize: expected a layer config, got the name '${config}'; pass {module, class_name, config, registered_name}`);
  return deserializeLayer(config as never);
}

const isLayer = (v: unknown): boolean => v instanceof Layer;

/**
 * Keras 3's keras.layers.serialize: the layer's (or model's) config as a .keras file holds it.
 * @example layers.serialize(layers.dense({units: 2})) // {module: 'keras.layers', class_name: 'Dense', config: {...}, registered_name: null}
 */
export function serialize(layer: Layer<any>): unknown {
  if (arguments.length > 1) throw tooManyArguments('layers.serialize', 1, arguments.length);
  return kerasSerialize('layers.serialize', layer, isLayer, 'a layer or a model');
}

/**
 * Keras 3's keras.layers.deserialize: a new layer (or model, fresh weights) from a Keras
 * config, or from a TensorFlow.js-style {className, config}.
 * @example layers.deserialize({module: 'keras.layers', class_name: 'Dense', config: {units: 3}, registered_name: null})
 */
export function deserialize(config: unknown, options?: DeserializeOptions | null): Layer<any> {
  if (arguments.length > 2) throw tooManyArguments('layers.deserialize', 2, arguments.length);
  return kerasDeserialize('layers.deserialize', config, options, fromTfjsForm, isLayer, 'a layer');
}
