// Learning-rate schedules: classes (Keras 3 names), lower-case factories (TensorFlow.js
// style) and serialization.
import { factory } from '../options/factory';
import { CosineDecay } from './cosine_decay';
import { CosineDecayRestarts } from './cosine_decay_restarts';
import { CyclicalLearningRate } from './cyclical';
import { ExponentialDecay } from './exponential_decay';
import { InverseTimeDecay } from './inverse_time_decay';
import { OneCycle } from './one_cycle';
import { PiecewiseConstantDecay } from './piecewise_constant_decay';
import { PolynomialDecay } from './polynomial_decay';

export { LearningRateSchedule, learningRateAt, type LearningRate } from './schedule';
export { serialize, deserialize, type SerializedSchedule } from './registry';
export { CosineDecay, type CosineDecayConfig } from './cosine_decay';
export { CosineDecayRestarts, type CosineDecayRestartsConfig } from './cosine_decay_restarts';
export { CyclicalLearningRate, type CyclicalConfig, type CyclicalMode } from './cyclical';
export { ExponentialDecay, type ExponentialDecayConfig } from './exponential_decay';
export { InverseTimeDecay, type InverseTimeDecayConfig } from './inverse_time_decay';
export { OneCycle, type OneCycleConfig } from './one_cycle';
export { PiecewiseConstantDecay, type PiecewiseConstantDecayConfig } from './piecewise_constant_decay';
export { PolynomialDecay, type PolynomialDecayConfig } from './polynomial_decay';

/** new ExponentialDecay(config). */
export const exponentialDecay = factory(ExponentialDecay);
/** new PiecewiseConstantDecay(config). */
export const piecewiseConstantDecay = factory(PiecewiseConstantDecay);
/** new PolynomialDecay(config). */
export const polynomialDecay = factory(PolynomialDecay);
/** new InverseTimeDecay(config). */
export const inverseTimeDecay = factory(InverseTimeDecay);
/** new CosineDecay(config). */
export const cosineDecay = factory(CosineDecay);
/** new CosineDecayRestarts(config). */
export const cosineDecayRestarts = factory(CosineDecayRestarts);
/** new CyclicalLearningRate(config). */
export const cyclical = factory(CyclicalLearningRate);
/** new OneCycle(config). */
export const oneCycle = factory(OneCycle);
