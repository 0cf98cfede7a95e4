// Learning-rate schedules: classes (Keras 3 names), lower-case factories (TensorFlow.js
// style) and serialization.
import { CosineDecay, type CosineDecayConfig } from './cosine_decay';
import { CosineDecayRestarts, type CosineDecayRestartsConfig } from './cosine_decay_restarts';
import { CyclicalLearningRate, type CyclicalConfig } from './cyclical';
import { ExponentialDecay, type ExponentialDecayConfig } from './exponential_decay';
import { InverseTimeDecay, type InverseTimeDecayConfig } from './inverse_time_decay';
import { OneCycle, type OneCycleConfig } from './one_cycle';
import { PiecewiseConstantDecay, type PiecewiseConstantDecayConfig } from './piecewise_constant_decay';
import { PolynomialDecay, type PolynomialDecayConfig } from './polynomial_decay';

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
export const exponentialDecay = (config: ExponentialDecayConfig) => new ExponentialDecay(config);
/** new PiecewiseConstantDecay(config). */
export const piecewiseConstantDecay = (config: PiecewiseConstantDecayConfig) => new PiecewiseConstantDecay(config);
/** new PolynomialDecay(config). */
export const polynomialDecay = (config: PolynomialDecayConfig) => new PolynomialDecay(config);
/** new InverseTimeDecay(config). */
export const inverseTimeDecay = (config: InverseTimeDecayConfig) => new InverseTimeDecay(config);
/** new CosineDecay(config). */
export const cosineDecay = (config: CosineDecayConfig) => new CosineDecay(config);
/** new CosineDecayRestarts(config). */
export const cosineDecayRestarts = (config: CosineDecayRestartsConfig) => new CosineDecayRestarts(config);
/** new CyclicalLearningRate(config). */
export const cyclical = (config: CyclicalConfig) => new CyclicalLearningRate(config);
/** new OneCycle(config). */
export const oneCycle = (config: OneCycleConfig) => new OneCycle(config);
