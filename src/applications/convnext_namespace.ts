// ts.applications.convnext: the architectures and Keras's helpers of the family.
import { tooManyArguments } from '../options/arity';
import type { Tensor } from '../tensor/tensor';
import { decodeAs, passThroughInput, type PassThroughOptions } from './family_helpers';
import type { DecodedPrediction } from './imagenet_utils';

export { ConvNeXtTiny, ConvNeXtSmall, ConvNeXtBase, ConvNeXtLarge, ConvNeXtXLarge, type ConvNeXtOptions } from './convnext';

/**
 * Returns the images unchanged, as Keras's placeholder: ConvNeXt models normalize pixels in
 * [0, 255] themselves (includePreprocessing).
 */
export function preprocessInput(x: Tensor, options?: PassThroughOptions | null): Tensor {
  const op = 'applications.convnext.preprocessInput';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  return passThroughInput(op, op, x, options);
}

/** The `top` most likely ImageNet classes of each prediction, as imagenetUtils.decodePredictions. */
export function decodePredictions(preds: Tensor, top = 5): Promise<DecodedPrediction[][]> {
  const op = 'applications.convnext.decodePredictions';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  return decodeAs(op, preds, top);
}
