// Optimizers: the base class for custom ones, the Keras 3 optimizers, lookup by name.
export { Optimizer, decayWeights, type OptimizerConfig, type NamedTensor, type GradientsAndVariables } from './optimizer';
export { SGD, type SGDHyper } from './sgd';
export { Adam, type AdamHyper } from './adam';
export { AdamW } from './adamw';
export { Adamax, type AdamaxHyper } from './adamax';
export { Nadam, type NadamHyper } from './nadam';
export { RMSprop, type RMSpropHyper } from './rmsprop';
export { Adagrad, type AdagradHyper } from './adagrad';
export { Adadelta, type AdadeltaHyper } from './adadelta';
export { Adafactor, type AdafactorHyper } from './adafactor';
export { Ftrl, type FtrlHyper } from './ftrl';
export { Lamb, type LambHyper } from './lamb';
export { Lion, type LionHyper } from './lion';
export { Muon, type MuonHyper } from './muon';
export { ScheduleFreeAdamW, type ScheduleFreeAdamWHyper } from './schedule_free_adamw';
export { LossScaleOptimizer, type LossScaleOptimizerConfig, type LossScaleHyper } from './loss_scale_optimizer';
export { MultiOptimizer, type MultiOptimizerConfig, type OptimizerSelector } from './multi_optimizer';
export { OptimizerMap, type OptimizerMapConfig } from './optimizer_map';
export { clipByNorm, clipByGlobalNorm } from './clip';
// The fused update kernels, for custom optimizers.
export {
  sgdUpdate,
  adamUpdate,
  rmspropUpdate,
  adagradUpdate,
  type SGDAttrs,
  type AdamAttrs,
  type RMSpropAttrs,
  type AdagradAttrs,
} from '../ops/optimizer_updates';
export {
  multiSgdUpdate,
  multiAdamUpdate,
  multiRMSpropUpdate,
  multiAdagradUpdate,
  type SGDGroup,
  type AdamGroup,
  type RMSpropGroup,
  type AdagradGroup,
} from '../ops/optimizer_updates_multi';
export { get, serialize, deserialize, type SerializedOptimizer } from './registry';
/** Keras 3's keras.optimizers.schedules: the learning-rate schedules (the same namespace as ts.schedules). */
export * as schedules from '../schedules';
