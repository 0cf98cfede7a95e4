// keras.ops.image's other ops with Keras's positional arguments (interpolation, fill mode,
// dataFormat... in Keras's order, with Keras's defaults), where ts.image takes an options
// object after the tensors.
import { tooManyArguments } from '../options/arity';
import { elasticTransform as elastic } from '../ops/image_elastic';
import { rgbToGrayscale as grayscale } from '../ops/image_extra';
import { hsvToRgb as toRgb, rgbToHsv as toHsv } from '../ops/image_hsv';
import type { ImageDataFormat } from '../ops/image_layout';
import { extractPatches as patches } from '../ops/image_patches';
import { extractPatches3d as patches3d } from '../ops/image_patches_3d';
import { resize as resizeImages, type ResizeInterpolation } from '../ops/image_resize';
import type { MapFillMode } from '../ops/image_sample';
import { sobelEdges as sobel } from '../ops/image_sobel';
import { ssim as ssimOf } from '../ops/image_ssim';
import type { TransformInterpolation } from '../ops/image_transform';
import { affineTransform as affine, perspectiveTransform as perspective } from '../ops/image_warp';
import { asOp } from '../ops/op_name';
import { moveaxis } from '../ops/numpy_reorder';
import { checkDataFormat } from '../layers/conv_utils';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { toTensor } from '../ops/convert';

// Keras's data_format (null: config.imageDataFormat()) in ts.image's camelCase spelling.
const format = (op: string, dataFormat: unknown) => checkDataFormat(op, dataFormat, true);

/** Keras's image.affine_transform: images sampled through the 8-parameter projective transforms. */
export function affineTransform(
  images: TensorLike,
  transform: TensorLike,
  interpolation: TransformInterpolation = 'bilinear',
  fillMode: MapFillMode = 'constant',
  fillValue = 0,
  dataFormat: ImageDataFormat | null = null,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('image.affineTransform', 6, arguments.length);
  const op = 'image.affineTransform';
  return affine(images, transform, { interpolation, fillMode, fillValue, dataFormat: format(op, dataFormat) });
}

/** Keras's image.elastic_transform: images displaced by smoothed random fields of strength alpha and smoothness sigma. */
export function elasticTransform(
  images: TensorLike,
  alpha = 20,
  sigma = 5,
  interpolation: TransformInterpolation = 'bilinear',
  fillMode: MapFillMode = 'reflect',
  fillValue = 0,
  seed: number | null = null,
  dataFormat: ImageDataFormat | null = null,
): Tensor {
  if (arguments.length > 8) throw tooManyArguments('image.elasticTransform', 8, arguments.length);
  const op = 'image.elasticTransform';
  return elastic(images, alpha, sigma, { interpolation, fillMode, fillValue, ...(seed === null ? {} : { seed }), dataFormat: format(op, dataFormat) });
}

/** Keras's image.extract_patches: size x size patches (strides null: size) flattened into the channels. */
export function extractPatches(
  images: TensorLike,
  size: number | [number, number],
  strides: number | [number, number] | null = null,
  dilationRate: number | [number, number] = 1,
  padding: 'valid' | 'same' = 'valid',
  dataFormat: ImageDataFormat | null = null,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('image.extractPatches', 6, arguments.length);
  const op = 'image.extractPatches';
  return patches(images, size, { ...(strides === null ? {} : { strides }), dilationRate, padding, dataFormat: format(op, dataFormat) });
}

/** Keras's image.extract_patches_3d: the 3-D form of extractPatches, for volumes. */
export function extractPatches3d(
  volumes: TensorLike,
  size: number | [number, number, number],
  strides: number | [number, number, number] | null = null,
  dilationRate: number | [number, number, number] = 1,
  padding: 'valid' | 'same' = 'valid',
  dataFormat: ImageDataFormat | null = null,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('image.extractPatches3d', 6, arguments.length);
  const op = 'image.extractPatches3d';
  return patches3d(volumes, size, { ...(strides === null ? {} : { strides }), dilationRate, padding, dataFormat: format(op, dataFormat) });
}

/** Keras's image.hsv_to_rgb: HSV images (in [0, 1]) as RGB. */
export function hsvToRgb(images: TensorLike, dataFormat: ImageDataFormat | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('image.hsvToRgb', 2, arguments.length);
  return toRgb(images, { dataFormat: format('image.hsvToRgb', dataFormat) });
}

/** Keras's image.rgb_to_hsv: RGB images as HSV, each in [0, 1]. */
export function rgbToHsv(images: TensorLike, dataFormat: ImageDataFormat | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('image.rgbToHsv', 2, arguments.length);
  return toHsv(images, { dataFormat: format('image.rgbToHsv', dataFormat) });
}

/** Keras's image.rgb_to_grayscale: RGB images as one-channel luminance images. */
export function rgbToGrayscale(images: TensorLike, dataFormat: ImageDataFormat | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('image.rgbToGrayscale', 2, arguments.length);
  const op = 'image.rgbToGrayscale';
  if (format(op, dataFormat) === 'channelsLast') return grayscale(images);
  // Channels first: the channels moved last and back.
  return asOp(op, () => tidy(() => moveaxis(grayscale(moveaxis(toTensor(op, 'images', images), -3, -1)), -1, -3)));
}

/** Keras's image.perspective_transform: images warped so that startPoints land on endPoints (4 corners each). */
export function perspectiveTransform(
  images: TensorLike,
  startPoints: TensorLike,
  endPoints: TensorLike,
  interpolation: TransformInterpolation = 'bilinear',
  fillValue = 0,
  dataFormat: ImageDataFormat | null = null,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('image.perspectiveTransform', 6, arguments.length);
  const op = 'image.perspectiveTransform';
  return perspective(images, startPoints, endPoints, { interpolation, fillValue, dataFormat: format(op, dataFormat) });
}

/** Keras's image.resize: images resized to size [height, width], optionally cropped or padded to keep the aspect ratio. */
export function resize(
  images: TensorLike,
  size: [number, number],
  interpolation: ResizeInterpolation = 'bilinear',
  antialias = false,
  cropToAspectRatio = false,
  padToAspectRatio = false,
  fillMode: 'constant' = 'constant',
  fillValue = 0,
  dataFormat: ImageDataFormat | null = null,
): Tensor {
  if (arguments.length > 9) throw tooManyArguments('image.resize', 9, arguments.length);
  const op = 'image.resize';
  return resizeImages(images, size, { interpolation, antialias, cropToAspectRatio, padToAspectRatio, fillMode, fillValue, dataFormat: format(op, dataFormat) });
}

/** Keras's image.sobel_edges: the vertical and horizontal Sobel responses of each channel. */
export function sobelEdges(images: TensorLike, dataFormat: ImageDataFormat | null = null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('image.sobelEdges', 2, arguments.length);
  return sobel(images, { dataFormat: format('image.sobelEdges', dataFormat) });
}

/** Keras's image.ssim: the structural similarity of two batches of images, per image. */
export function ssim(
  image1: TensorLike,
  image2: TensorLike,
  maxVal = 1,
  filterSize = 11,
  filterSigma = 1.5,
  k1 = 0.01,
  k2 = 0.03,
  dataFormat: ImageDataFormat | null = null,
): Tensor {
  if (arguments.length > 8) throw tooManyArguments('image.ssim', 8, arguments.length);
  return ssimOf(image1, image2, maxVal, { filterSize, filterSigma, k1, k2, dataFormat: format('image.ssim', dataFormat) });
}
