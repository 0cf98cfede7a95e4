// ts.applications.xception (keras.applications.xception).
export { Xception, preprocessInput } from './xception';
export { decodePredictions } from './imagenet_utils';
