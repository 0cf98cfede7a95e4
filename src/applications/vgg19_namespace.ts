// ts.applications.vgg19 (keras.applications.vgg19).
export { VGG19, preprocessInputVgg19 as preprocessInput } from './vgg';
export { decodePredictions } from './imagenet_utils';
