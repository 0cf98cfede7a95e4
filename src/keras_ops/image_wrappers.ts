// keras.ops.image's padImages, cropImages and gaussianBlur with Keras's positional arguments
// (the sides, target sizes and dataFormat in Keras's order), where ts.image takes them as an
// options object. A null leaves a side or size to be worked out, as in Keras.
import { tooManyArguments } from '../options/arity';
import { gaussianBlur as blur } from '../ops/image_blur';
import { cropImages as crop, padImages as padding } from '../ops/image_crop_pad';
import type { ImageDataFormat } from '../ops/image_layout';
import type { TensorLike } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';

// The options object without the nulls (ts.image's options refuse a null side).
function given<T extends object>(o: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null)) as T;
}

/** Keras's image.pad_images: zeros added on each side (two of top, bottom and targetHeight, likewise for the width). */
export function padImages(
  images: TensorLike,
  topPadding: number | null = null,
  leftPadding: number | null = null,
  bottomPadding: number | null = null,
  rightPadding: number | null = null,
  targetHeight: number | null = null,
  targetWidth: number | null = null,
  dataFormat: ImageDataFormat | null = null,
): Tensor {
  if (arguments.length > 8) throw tooManyArguments('image.padImages', 8, arguments.length);
  return padding(images, given({ topPadding, leftPadding, bottomPadding, rightPadding, targetHeight, targetWidth, dataFormat }));
}

/** Keras's image.crop_images: rows and columns cut from each side (two of top, bottom and targetHeight, likewise for the width). */
export function cropImages(
  images: TensorLike,
  topCropping: number | null = null,
  leftCropping: number | null = null,
  bottomCropping: number | null = null,
  rightCropping: number | null = null,
  targetHeight: number | null = null,
  targetWidth: number | null = null,
  dataFormat: ImageDataFormat | null = null,
): Tensor {
  if (arguments.length > 8) throw tooManyArguments('image.cropImages', 8, arguments.length);
  return crop(images, given({ topCropping, leftCropping, bottomCropping, rightCropping, targetHeight, targetWidth, dataFormat }));
}

/** Keras's image.gaussian_blur: a per-channel Gaussian blur, kernelSize and sigma [along the width, along the height]. */
export function gaussianBlur(
  images: TensorLike,
  kernelSize: [number, number] = [3, 3],
  sigma: [number, number] = [1, 1],
  dataFormat: ImageDataFormat | null = null,
): Tensor {
  if (arguments.length > 4) throw tooManyArguments('image.gaussianBlur', 4, arguments.length);
  return blur(images, kernelSize, sigma, given({ dataFormat }));
}
