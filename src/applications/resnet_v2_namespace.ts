// ts.applications.resnetV2 (keras.applications.resnet_v2).
export { ResNet50V2, ResNet101V2, ResNet152V2, preprocessInputV2 as preprocessInput } from './resnet';
export { decodePredictions } from './imagenet_utils';
