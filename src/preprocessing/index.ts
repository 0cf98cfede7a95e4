// Keras 3's keras.preprocessing (the name its timeseries forecasting tutorial calls
// timeseries_dataset_from_array by): the data set builders, and its image and sequence
// modules; the same functions as in utils and data.
export { imageDatasetFromDirectory, textDatasetFromDirectory, timeseriesDatasetFromArray } from '../data';
export * as image from './image';
export * as sequence from './sequence';
