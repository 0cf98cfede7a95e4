// keras.applications: image classification architectures, built as Keras builds them (the same
// layer names, so Keras's pretrained weight files load), one family per file.
export type { ApplicationOptions } from './application';
export * as imagenetUtils from './imagenet_utils_namespace';
// ConvNeXt (keras.applications.convnext).
export * as convnext from './convnext_namespace';
export { ConvNeXtTiny, ConvNeXtSmall, ConvNeXtBase, ConvNeXtLarge, ConvNeXtXLarge, type ConvNeXtOptions } from './convnext';
