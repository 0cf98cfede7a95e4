// ts.image: image ops under TensorFlow.js's names (tf.image.*).
export { transform, type TransformOptions, type TransformInterpolation, type TransformFillMode } from '../ops/image_transform';
export { resizeBilinear, resizeNearestNeighbor, type ResizeOptions } from '../ops/image';
export {
  flipLeftRight,
  grayscaleToRGB,
  rgbToGrayscale,
  nonMaxSuppression,
  nonMaxSuppressionAsync,
  nonMaxSuppressionWithScore,
  nonMaxSuppressionWithScoreAsync,
  nonMaxSuppressionPadded,
  nonMaxSuppressionPaddedAsync,
} from '../ops/image_extra';
export { rgbToHsv, hsvToRgb, type ImageColorOptions } from '../ops/image_hsv';
export { threshold } from '../ops/image_threshold';
export { affineTransform, perspectiveTransform, type AffineTransformOptions, type PerspectiveTransformOptions } from '../ops/image_warp';
export { mapCoordinates, type MapFillMode } from '../ops/image_sample';
export { gaussianBlur, type GaussianBlurOptions } from '../ops/image_blur';
export { rotateWithOffset } from '../ops/image_rotate';
export { type ImageDataFormat } from '../ops/image_layout';
export { resize, type ImageResizeOptions, type ResizeInterpolation } from '../ops/image_resize';
export { cropImages, padImages, type CropImagesOptions, type PadImagesOptions } from '../ops/image_crop_pad';
export { extractPatches, type ExtractPatchesOptions } from '../ops/image_patches';
export { cropAndResize } from '../ops/image_crop_and_resize';
export { elasticTransform, type ElasticTransformOptions } from '../ops/image_elastic';
export { scaleAndTranslate, type ScaleAndTranslateMethod } from '../ops/image_scale_translate';
export { sobelEdges, type SobelEdgesOptions } from '../ops/image_sobel';
export { ssim, type SsimOptions } from '../ops/image_ssim';
export { extractPatches3d, type ExtractPatches3dOptions } from '../ops/image_patches_3d';
