// ts.ops: Keras 3's keras.ops namespace, every name with Keras's semantics and argument order,
// and its sub-namespaces numpy, nn, image and linalg.
export * from './all';
export * as numpy from './numpy';
export * as nn from './nn';
export * as image from './image';
export * as linalg from './linalg';
