// Losses: per-sample functions, the Loss classes, reductions and lookup by name.
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
export * from './probabilistic';
export * from './classes';
export { get, toLoss, lossNames, type LossIdentifier } from './registry';
