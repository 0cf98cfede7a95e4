// keras.applications: image classification architectures, built as Keras builds them (the same
// layer names, so Keras's pretrained weight files load), one family per file.
export type { ApplicationOptions } from './application';
export * as imagenetUtils from './imagenet_utils_namespace';
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
