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
export { cropAndResize } from '../ops/image_crop_resize';
export { rotateWithOffset } from '../ops/image_rotate';
