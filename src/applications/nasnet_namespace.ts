// ts.applications.nasnet: the architectures and Keras's helpers of the family.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import type { Tensor } from '../tensor/tensor';
import { decodeAs, type PassThroughOptions } from './family_helpers';
import { scaleForImagenet, type DecodedPrediction } from './imagenet_utils';

export { NASNetMobile, NASNetLarge, type NASNetOptions } from './nasnet';

/** Scales pixels in [0, 255] to [-1, 1], as NASNet expects (imagenetUtils' 'tf' mode). */
export function preprocessInput(x: Tensor, options?: PassThroughOptions | null): Tensor {
  const op = 'applications.nasnet.preprocessInput';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  const o = checkOptions(op, options, op);
  return scaleForImagenet(op, x, { mode: 'tf', dataFormat: o.dataFormat });
}

/** The `top` most likely ImageNet classes of each prediction, as imagenetUtils.decodePredictions. */
export function decodePredictions(preds: Tensor, top = 5): Promise<DecodedPrediction[][]> {
  const op = 'applications.nasnet.decodePredictions';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  return decodeAs(op, preds, top);
}
