// Losses: per-sample functions, the Loss classes, reductions and lookup by name, and
// TensorFlow.js's weighted, reduced tf.losses functions.
export { Loss, LossFunctionWrapper, type LossConfig, type LossFunction, type MaskedLosses } from './loss';
export { type Reduction, type CanonicalReduction } from './reduction';
export * from './regression';
export {
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  type BinaryCrossentropyOptions,
  type BinaryFocalCrossentropyOptions,
  type CategoricalCrossentropyOptions,
  type SparseCategoricalCrossentropyOptions,
} from './crossentropy';
export * from './hinge';
export { categoricalFocalCrossentropy, type CategoricalFocalCrossentropyOptions } from './categorical_focal';
export { categoricalGeneralizedCrossEntropy, type CategoricalGeneralizedCrossEntropyOptions } from './generalized_cross_entropy';
export { dice, tversky, type DiceOptions, type TverskyOptions } from './overlap';
export { circle, type CircleOptions, type CircleConfig } from './circle';
export { ctc } from './ctc';
export * from './probabilistic';
export * from './classes';
export { get, toLoss, lossNames, type LossIdentifier } from './registry';
export { serialize, deserialize } from './keras_serialize';
export type { DeserializeOptions } from '../serialization/keras_form';
/** Keras 3's keras.losses.kl_divergence: sum(yTrue log(yTrue / yPred)) over the last axis (the same function as kullbackLeiblerDivergence). */
export { kullbackLeiblerDivergence as klDivergence } from './probabilistic';
export {
  computeWeightedLoss,
  absoluteDifference,
  cosineDistance,
  hingeLoss,
  huberLoss,
  logLoss,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
  type TfjsReduction,
} from './tfjs_losses';
