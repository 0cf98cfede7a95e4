// ts.applications.densenet (keras.applications.densenet).
export { DenseNet121, DenseNet169, DenseNet201, preprocessInput } from './densenet';
export { decodePredictions } from './imagenet_utils';
