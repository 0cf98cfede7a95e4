// ts.applications.resnet50 (keras.applications.resnet50, ResNet50 alone).
export { ResNet50, preprocessInput } from './resnet';
export { decodePredictions } from './imagenet_utils';
