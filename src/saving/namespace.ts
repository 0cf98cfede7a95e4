// ts.saving: Keras 3's keras.saving names for what Tessera has under ts.utils (the same
// functions), beside loadModel at the top level.
export { serializeKerasObject, deserializeKerasObject, type DeserializeKerasObjectOptions } from './keras_object';
export { saveModel, saveWeights, loadWeights, type SaveModelOptions, type SaveWeightsOptions, type LoadWeightsOptions } from './saving_api';
export { loadModel } from './index';
export { KerasFileEditor, type FileComparison, type EditorWeightInfo, type EditorWeightsDict } from './file_editor';
// Keras 3's keras.saving object registration: the functions of ts.utils (object_registration.ts).
export {
  registerKerasSerializable,
  customObjectScope,
  CustomObjectScope,
  getCustomObjects,
  getRegisteredName,
  getRegisteredObject,
  type RegisterKerasSerializableOptions,
} from '../utils/object_registration';
