// Every differentiable op, re-exported.
export * from './unary';
export { add, sub, mul, div, pow, maximum, minimum, squaredDifference } from './binary';
export * from './compare';
export { sum, mean, max, min, prod, argMax, argMin, cumsum } from './reduce';
export * from './matmul';
export * from './reshape';
export * from './transpose';
export * from './slice';
export * from './concat';
export * from './gather';
export * from './pad';
export * from './tile';
export * from './cast';
export * from './softmax';
export * from './clip';
export * from './moments';
export * from './dropout';
export * from './einsum';
