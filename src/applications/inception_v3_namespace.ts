// ts.applications.inceptionV3 (keras.applications.inception_v3).
export { InceptionV3, preprocessInput } from './inception_v3';
export { decodePredictions } from './imagenet_utils';
