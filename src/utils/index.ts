// ts.utils: Keras's keras.utils: its names for the data utilities that live in ts.data,
// and its helpers of a first model (keras_utils.ts).
export { imageDatasetFromDirectory, textDatasetFromDirectory, timeseriesDatasetFromArray, loadImage, saveImage } from '../data';
export { audioDatasetFromDirectory, type AudioDatasetOptions, type AudioDataset } from '../data/audio_dataset';
export { loadImage as loadImg, saveImage as saveImg } from '../data';
export { toCategorical, padSequences, normalize, setRandomSeed, type PadSequencesOptions } from './keras_utils';
export { FeatureSpace, Feature, Cross, type FeatureSpaceArgs, type FeatureDType, type FeatureOutputMode, type FeaturePreset } from './feature_space';
export type { CategoricalFeatureArgs, HashedFeatureArgs, DiscretizedFeatureArgs, RescaledFeatureArgs } from './feature_space_specs';
export { packXYSampleWeight, unpackXYSampleWeight, isKerasTensor, getSourceInputs } from './data_adapter_utils';
export {
  registerKerasSerializable,
  customObjectScope,
  CustomObjectScope,
  getCustomObjects,
  getRegisteredName,
  getRegisteredObject,
  type RegisterKerasSerializableOptions,
} from './object_registration';
export { splitDataset, type SplitDatasetOptions } from './split_dataset';
export { Progbar, type ProgbarArgs, type ProgbarValues } from './progbar';
export { imgToArray, arrayToImg, type ImgToArrayOptions, type ArrayToImgOptions, type ImageDataFormat } from './image_utils';
export type { DecodedImage } from '../data/image_codec';

export { PyDataset, PyDataset as Sequence, type PyDatasetOptions, type PyDatasetBatch } from './py_dataset';
export { enableInteractiveLogging, disableInteractiveLogging, isInteractiveLoggingEnabled } from './io_utils';
export { getFile, type GetFileOptions } from './get_file';
export type { ArchiveFormat } from './archive';
export { modelToDot, type ModelToDotOptions } from './model_to_dot';
export { plotModel, type PlotModelOptions } from './plot_model';
export { serializeKerasObject, deserializeKerasObject, type DeserializeKerasObjectOptions } from '../saving/keras_object';
export * as boundingBoxes from './bounding_boxes';
export { Config } from './config';
export { clearSession } from '../config/session';
export { standardizeDtype } from '../config/dtypes';
