// Optimizers: the base class for custom ones, the Keras 3 optimizers, lookup by name.
export { Optimizer, decayWeights, type OptimizerConfig, type NamedTensor, type GradientsAndVariables } from './optimizer';
export { SGD, sgdUpdate, type SGDHyper, type SGDAttrs } from './sgd';
export { Adam, adamUpdate, type AdamHyper, type AdamAttrs } from './adam';
export { AdamW } from './adamw';
export { Adamax, type AdamaxHyper } from './adamax';
export { Nadam, type NadamHyper } from './nadam';
export { RMSprop, rmspropUpdate, type RMSpropHyper, type RMSpropAttrs } from './rmsprop';
export { Adagrad, adagradUpdate, type AdagradHyper, type AdagradAttrs } from './adagrad';
export { Adadelta, type AdadeltaHyper } from './adadelta';
export { clipByNorm, clipByGlobalNorm } from './clip';
export { get, serialize, type SerializedOptimizer } from './registry';
