// Each family's preprocessInput: imagenetUtils's scaling in the family's fixed mode, under
// the family's own name (so a `mode` passed to it is refused, as Keras's signature has none).
import { checkOptions } from '../options/check';
import type { Tensor } from '../tensor/tensor';
import { scaleForImagenet } from './imagenet_utils';

/** Options of a family's preprocessInput (keras.applications.<family>.preprocess_input). */
export interface FamilyPreprocessOptions {
  /** 'channelsLast' or 'channelsFirst' (default config.imageDataFormat()). */
  dataFormat?: 'channelsLast' | 'channelsFirst' | 'channels_last' | 'channels_first' | null;
}

/** `x` scaled in `mode` for the family whose preprocessInput is `op`. */
export function familyPreprocess(op: string, mode: 'caffe' | 'tf' | 'torch', x: Tensor, options: FamilyPreprocessOptions | null | undefined): Tensor {
  const o = checkOptions(op, options, ['dataFormat']);
  return scaleForImagenet(op, x, { dataFormat: o.dataFormat, mode });
}
