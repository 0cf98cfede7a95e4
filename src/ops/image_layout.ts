// Keras 3 image ops take one image or a batch, channels last or first; the kernels here work
// on a batch channels last. These helpers move between the two.
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { reshape } from './reshape';
import { transpose } from './transpose';

/** The layout of images: 'channelsLast' ([..., height, width, channels]) or 'channelsFirst'. */
export type ImageDataFormat = 'channelsLast' | 'channelsFirst';

/** `images` (rank 3 or 4, either layout) as [batch, height, width, channels], and the way back. */
export function toBatchNhwc(op: string, images: Tensor, dataFormat: unknown): { nhwc: Tensor; restore: (out: Tensor) => Tensor } {
  const format = dataFormat ?? 'channelsLast';
  if (format !== 'channelsLast' && format !== 'channelsFirst')
    throw new Error(`${op}: expected dataFormat 'channelsLast' or 'channelsFirst', got ${describe(dataFormat)}`);
  if (images.rank !== 3 && images.rank !== 4)
    throw new Error(`${op}: expected images of rank 3 (one image) or 4 (a batch), got shape [${images.shape.join(', ')}]`);
  const batch = images.rank === 3 ? reshape(images, [1, ...images.shape]) : images;
  const nhwc = format === 'channelsLast' ? batch : transpose(batch, [0, 2, 3, 1]);
  const restore = (out: Tensor) => {
    const back = format === 'channelsLast' ? out : transpose(out, [0, 3, 1, 2]);
    return images.rank === 3 ? reshape(back, back.shape.slice(1)) : back;
  };
  return { nhwc, restore };
}
