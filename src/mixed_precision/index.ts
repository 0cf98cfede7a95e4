// ts.mixedPrecision (keras.mixed_precision): dtype policies and their global setting.
export { DTypePolicy, DTypePolicy as Policy, globalPolicy, setGlobalPolicy, globalPolicy as dtypePolicy, setGlobalPolicy as setDtypePolicy } from './policy';
export { LossScaleOptimizer } from '../optimizers/loss_scale_optimizer';
