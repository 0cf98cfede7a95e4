// keras.applications: image classification architectures, built as Keras builds them (the same
// layer names, so Keras's pretrained weight files load), one family per file.
export type { ApplicationOptions } from './application';
export * as imagenetUtils from './imagenet_utils_namespace';
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
