// Data pipelines and readers.
export {
  Dataset,
  AUTOTUNE,
  INFINITE_CARDINALITY,
  UNKNOWN_CARDINALITY,
  type BatchOptions,
  type BucketOptions,
  type Element,
  type GroupByWindowOptions,
  type PaddedBatchOptions,
  type RejectionResampleOptions,
  type ScalarOptions,
} from './dataset';
// tf.data's static constructors on Dataset (Dataset.range, Dataset.fromTensorSlices, ...).
import './dataset_statics';
export type { ElementSpec, TensorSpec } from './element_spec';
export type { PaddedShapes, PaddingValues } from './padded_batch';
export {
  fromArrays,
  fromTensors,
  fromTensorSlices,
  fromElement,
  fromGenerator,
  range,
  zip,
  TensorSliceDataset,
  type RangeBounds,
  type RangeOptions,
  type TensorStructure,
} from './sources';
export { sampleFromDatasets, chooseFromDatasets, type SampleFromDatasetsOptions, type ChooseFromDatasetsOptions } from './sample_datasets';
// TensorFlow.js's names: tf.data.array(items), tf.data.generator(fn).
export { fromArrays as array, fromGenerator as generator } from './sources';
export { fromCsv, csv, type CsvOptions, type ColumnConfig } from './csv';
export { readIdx, parseIdx, type IdxData } from './idx';
export { timeseriesDatasetFromArray, type TimeseriesOptions } from './timeseries';
export { loadImage, saveImage, type LoadImageOptions, type SaveImageOptions, type ColorMode } from './image';
export { imageDatasetFromDirectory, ImageFolderDataset, type ImageDirectoryOptions } from './image_directory';
export type { Interpolation } from './image_resize';
export { textDatasetFromDirectory, type TextDatasetOptions } from './text_dataset';
