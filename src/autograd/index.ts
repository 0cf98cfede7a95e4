// The gradient API.
export { GradientTape, type GradientTapeOptions } from './gradient_tape';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads, stopGradient, customGrad, type CustomGradResult } from './functional';
export { noGrad } from '../tensor/run';
export { customGradient, jvp, type CustomGradientResult } from './keras_autograd';
export { remat } from './remat';
export { RematScope, type RematScopeOptions, type RematMode } from './remat_scope';
