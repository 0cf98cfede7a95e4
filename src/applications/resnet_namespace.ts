// ts.applications.resnet (keras.applications.resnet).
export { ResNet50, ResNet101, ResNet152, preprocessInput } from './resnet';
export { decodePredictions } from './imagenet_utils';
