// keras.ops.image.rgb_to_hsv and hsv_to_rgb: the colour augmentation layers' conversions
// (layers/color_space.ts) for float images of rank 3 or 4, channels last or first.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { hsvToRgb as hsvToRgbNhwc, rgbToHsv as rgbToHsvNhwc } from '../layers/color_space';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { reshape } from './reshape';
import { transpose } from './transpose';
import { imageDataFormat } from '../config/settings';

/** Options of image.rgbToHsv and image.hsvToRgb. */
export interface ImageColorOptions {
  /** 'channelsLast' (default: [..., height, width, 3]) or 'channelsFirst' ([..., 3, height, width]). */
  dataFormat?: 'channelsLast' | 'channelsFirst';
}

/** `convert` (on [batch, height, width, 3]) applied to images of either layout and rank 3 or 4. */
function convertImages(op: string, images: TensorLike, options: ImageColorOptions | null | undefined, convert: (nhwc: Tensor) => Tensor): Tensor {
  const o = checkOptions(op, options, op);
  const format = o.dataFormat ?? imageDataFormat();
  if (format !== 'channelsLast' && format !== 'channelsFirst')
    throw new Error(`${op}: expected dataFormat 'channelsLast' or 'channelsFirst', got ${describe(o.dataFormat)}`);
  const t = toTensor(op, 'images', images);
  checkInputDType(op, 'images', t, FLOAT_DTYPES);
  if (t.rank !== 3 && t.rank !== 4) throw new Error(`${op}: expected images of rank 3 (one image) or 4 (a batch), got shape [${t.shape.join(', ')}]`);
  const channels = format === 'channelsLast' ? t.shape[t.rank - 1] : t.shape[t.rank - 3];
  if (channels !== 3) throw new Error(`${op}: expected 3 channels (${format}), got ${channels} in shape [${t.shape.join(', ')}]`);
  return tidy(() => {
    const batch = t.rank === 3 ? reshape(t, [1, ...t.shape]) : t;
    const nhwc = format === 'channelsLast' ? batch : transpose(batch, [0, 2, 3, 1]);
    const out = convert(nhwc);
    const back = format === 'channelsLast' ? out : transpose(out, [0, 3, 1, 2]);
    return t.rank === 3 ? reshape(back, t.shape) : back;
  });
}

/**
 * RGB images (values in [0, 1]) as HSV, each in [0, 1] (keras.ops.image.rgb_to_hsv).
 * @example ts.image.rgbToHsv(ts.tensor([[[1, 0, 0]]])) // [[[0, 1, 1]]]
 */
export function rgbToHsv(images: TensorLike, options?: ImageColorOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('image.rgbToHsv', 2, arguments.length);
  return convertImages('image.rgbToHsv', images, options, rgbToHsvNhwc);
}

/** HSV images (hue in [0, 1), taken modulo 1) as RGB (keras.ops.image.hsv_to_rgb). */
export function hsvToRgb(images: TensorLike, options?: ImageColorOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('image.hsvToRgb', 2, arguments.length);
  return convertImages('image.hsvToRgb', images, options, hsvToRgbNhwc);
}
