// ts.utils: Keras's keras.utils names for the data utilities that live in ts.data.
export { imageDatasetFromDirectory, textDatasetFromDirectory, timeseriesDatasetFromArray, loadImage, saveImage } from '../data';
export { loadImage as loadImg, saveImage as saveImg } from '../data';
