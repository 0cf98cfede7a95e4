// ts.applications.vgg16 (keras.applications.vgg16).
export { VGG16, preprocessInputVgg16 as preprocessInput } from './vgg';
export { decodePredictions } from './imagenet_utils';
