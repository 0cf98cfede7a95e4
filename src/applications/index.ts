// keras.applications: image classification architectures, built as Keras builds them (the same
// layer names, so Keras's pretrained weight files load), one family per file.
export type { ApplicationOptions } from './application';
export * as imagenetUtils from './imagenet_utils_namespace';
// ResNet, ResNetV2 (apps-resnet).
export { ResNet50, ResNet101, ResNet152, ResNet50V2, ResNet101V2, ResNet152V2 } from './resnet';
export * as resnet from './resnet_namespace';
export * as resnet50 from './resnet50_namespace';
export * as resnetV2 from './resnet_v2_namespace';
// VGG16, VGG19 (apps-resnet).
export { VGG16, VGG19 } from './vgg';
export * as vgg16 from './vgg16_namespace';
export * as vgg19 from './vgg19_namespace';
// Xception, InceptionV3, InceptionResNetV2, DenseNet121/169/201 (apps-resnet).
export { Xception } from './xception';
export * as xception from './xception_namespace';
export { InceptionV3 } from './inception_v3';
export * as inceptionV3 from './inception_v3_namespace';
export { InceptionResNetV2 } from './inception_resnet_v2';
export * as inceptionResnetV2 from './inception_resnet_v2_namespace';
export { DenseNet121, DenseNet169, DenseNet201 } from './densenet';
export * as densenet from './densenet_namespace';
// ConvNeXt (keras.applications.convnext).
export * as convnext from './convnext_namespace';
export { ConvNeXtTiny, ConvNeXtSmall, ConvNeXtBase, ConvNeXtLarge, ConvNeXtXLarge, type ConvNeXtOptions } from './convnext';
// EfficientNetV2 (keras.applications.efficientnet_v2).
export * as efficientnetV2 from './efficientnet_v2_namespace';
export {
  EfficientNetV2B0,
  EfficientNetV2B1,
  EfficientNetV2B2,
  EfficientNetV2B3,
  EfficientNetV2S,
  EfficientNetV2M,
  EfficientNetV2L,
  type EfficientNetV2Options,
} from './efficientnet_v2';
// NASNet (keras.applications.nasnet).
export * as nasnet from './nasnet_namespace';
export { NASNetMobile, NASNetLarge, type NASNetOptions } from './nasnet';
// MobileNet, MobileNetV2, MobileNetV3, EfficientNet (B0..B7).
export { MobileNet, type MobileNetOptions } from './mobilenet';
export * as mobilenet from './mobilenet';
export { MobileNetV2, type MobileNetV2Options } from './mobilenet_v2';
export * as mobilenetV2 from './mobilenet_v2';
export { MobileNetV3Small, MobileNetV3Large, type MobileNetV3Options } from './mobilenet_v3';
export * as mobilenetV3 from './mobilenet_v3';
export {
  EfficientNetB0,
  EfficientNetB1,
  EfficientNetB2,
  EfficientNetB3,
  EfficientNetB4,
  EfficientNetB5,
  EfficientNetB6,
  EfficientNetB7,
  type EfficientNetOptions,
} from './efficientnet';
export * as efficientnet from './efficientnet';
