// ts.applications.inceptionResnetV2 (keras.applications.inception_resnet_v2).
export { InceptionResNetV2, preprocessInput } from './inception_resnet_v2';
export { decodePredictions } from './imagenet_utils';
