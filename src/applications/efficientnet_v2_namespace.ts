// ts.applications.efficientnetV2 (keras.applications.efficientnet_v2): the architectures and Keras's helpers of the family.
import { tooManyArguments } from '../options/arity';
import type { Tensor } from '../tensor/tensor';
import { decodeAs, passThroughInput, type PassThroughOptions } from './family_helpers';
import type { DecodedPrediction } from './imagenet_utils';

export {
  EfficientNetV2B0,
  EfficientNetV2B1,
  EfficientNetV2B2,
  EfficientNetV2B3,
  EfficientNetV2S,
  EfficientNetV2M,
  EfficientNetV2L,
  type EfficientNetV2Options,
} from './efficientnet_v2';

/**
 * Returns the images unchanged, as Keras's placeholder: EfficientNetV2 models scale pixels in
 * [0, 255] themselves (includePreprocessing).
 */
export function preprocessInput(x: Tensor, options?: PassThroughOptions | null): Tensor {
  const op = 'applications.efficientnetV2.preprocessInput';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  return passThroughInput(op, op, x, options);
}

/** The `top` most likely ImageNet classes of each prediction, as imagenetUtils.decodePredictions. */
export function decodePredictions(preds: Tensor, top = 5): Promise<DecodedPrediction[][]> {
  const op = 'applications.efficientnetV2.decodePredictions';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  return decodeAs(op, preds, top);
}
