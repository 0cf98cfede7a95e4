// ts.utils: Keras's keras.utils names for the data utilities that live in ts.data.
export { imageDatasetFromDirectory, timeseriesDatasetFromArray, loadImage, saveImage } from '../data';
export { loadImage as loadImg, saveImage as saveImg } from '../data';
