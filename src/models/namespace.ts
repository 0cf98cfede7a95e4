// ts.models: Keras 3's keras.models and TensorFlow.js's tf.models in one place.
export { Model, Sequential, Functional, model, sequential, cloneModel, type CloneModelOptions } from './index';
export { loadModel } from '../saving';
export { modelFromJSON, type ModelFromJSONOptions } from '../saving/model_json';
export { saveModel } from '../saving/saving_api';
/** Keras 3's keras.models.model_from_json spelled in camelCase: the same function as modelFromJSON. */
export { modelFromJSON as modelFromJson } from '../saving/model_json';
