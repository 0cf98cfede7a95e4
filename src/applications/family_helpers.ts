// What several families' namespaces share: Keras's placeholder preprocess_input (the models
// that normalize inside return images unchanged) and decode_predictions under the family's name.
import { checkDataFormatName } from '../config/settings';
import { checkOptions } from '../options/check';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { decodePredictions, type DecodedPrediction } from './imagenet_utils';

/** Options of the families' pass-through preprocessInput. */
export interface PassThroughOptions {
  /** 'channelsLast' or 'channelsFirst' (accepted as Keras accepts it; the images are returned unchanged either way). */
  dataFormat?: 'channelsLast' | 'channelsFirst' | 'channels_last' | 'channels_first' | null;
}

/** @internal Keras's placeholder preprocess_input: checks its arguments, returns `x` itself. */
export function passThroughInput(op: string, entry: string, x: Tensor, options: PassThroughOptions | null | undefined): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a tensor of images, got ${describe(x)}`);
  const o = checkOptions(op, options, entry);
  if (o.dataFormat != null) checkDataFormatName(op, o.dataFormat);
  return x;
}

/** @internal imagenetUtils.decodePredictions with its errors naming the family's function `op`. */
export async function decodeAs(op: string, preds: Tensor, top: number): Promise<DecodedPrediction[][]> {
  try {
    return await decodePredictions(preds, top);
  } catch (e) {
    const from = 'applications.imagenetUtils.decodePredictions';
    if (e instanceof Error && e.message.startsWith(from)) e.message = op + e.message.slice(from.length);
    throw e;
  }
}
