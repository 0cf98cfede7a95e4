// keras.ops.image.sobel_edges: the vertical and horizontal Sobel responses of each channel,
// as Keras's JAX backend computes them (a cross-correlation over zero padding, not
// TensorFlow's reflect padding), stacked [dy, dx] on a new last axis.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { cast } from './cast';
import { depthwiseConv2d } from './conv';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { imageDataFormat, type ImageDataFormat } from './image_layout';
import { reshape } from './reshape';
import { transpose } from './transpose';

/** Options of image.sobelEdges. */
export interface SobelEdgesOptions {
  /** 'channelsLast' (default: [batch, height, width, channels]) or 'channelsFirst'. */
  dataFormat?: ImageDataFormat;
}

const OP = 'image.sobelEdges';
// Row-major 3 x 3 taps: dy (top row negative), dx (left column negative).
const DY = [-1, -2, -1, 0, 0, 0, 1, 2, 1];
const DX = [-1, 0, 1, -2, 0, 2, -1, 0, 1];

/**
 * The Sobel edges of a batch of images (rank 4) as keras.ops.image.sobel_edges: shape
 * [batch, height, width, channels, 2] (channels last) or [batch, channels, height, width, 2]
 * (channels first), the last axis [dy, dx], pixels beyond the edges read as 0. int32 images
 * give int32 edges, as Keras. Differentiable w.r.t. float images.
 * @example ts.image.sobelEdges(images) // [n, h, w, c, 2]
 */
export function sobelEdges(images: TensorLike, options?: SobelEdgesOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments(OP, 2, arguments.length);
  const o = checkOptions(OP, options, OP);
  const format = imageDataFormat(OP, o.dataFormat);
  const x = toTensor(OP, 'images', images);
  checkInputDType(OP, 'images', x, [...FLOAT_DTYPES, 'int32']);
  if (x.rank !== 4) throw new Error(`${OP}: expected images of rank 4 (a batch of images), got shape [${x.shape.join(', ')}]`);
  return tidy(() => {
    const float = x.dtype === 'int32' ? cast(x, 'float32') : x;
    const nhwc = format === 'channelsLast' ? float : transpose(float, [0, 2, 3, 1]);
    const [n, h, w, c] = nhwc.shape;
    // [3, 3, channels, 2]: each channel gives its dy then its dx (depthwise, multiplier 2).
    const data = allocTypedArray(nhwc.dtype, 9 * c * 2, OP);
    for (let k = 0; k < 9; k++)
      for (let ch = 0; ch < c; ch++) {
        data[(k * c + ch) * 2] = DY[k];
        data[(k * c + ch) * 2 + 1] = DX[k];
      }
    const kernel = fromTypedArray(data, [3, 3, c, 2], nhwc.dtype, nhwc.device);
    let y = reshape(depthwiseConv2d(nhwc, kernel, { strides: 1, padding: 'same' }), [n, h, w, c, 2]);
    if (format === 'channelsFirst') y = transpose(y, [0, 3, 1, 2, 4]);
    return x.dtype === 'int32' ? cast(y, 'int32') : y;
  });
}
