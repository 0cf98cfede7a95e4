// Tessera's public API.
export { type BackendInfo, type AddonInfo } from './native/binding';
export { getDevice, setDevice, type DeviceName } from './native/device';
export { ready, getBackend, setBackend } from './native/tfjs_backend';
export { device } from './scopes/device_scope';
export { nameScope } from './scopes/name_scope';
export type { DType, TypedArray } from './tensor/dtype';
export type { Shape } from './tensor/shape';
export { Tensor, Variable, type NestedArray } from './tensor/tensor';
export {
  tensor,
  scalar,
  fill,
  zeros,
  ones,
  zerosLike,
  onesLike,
  eye,
  range,
  linspace,
  randomUniform,
  randomNormal,
  randomStandardNormal,
  truncatedNormal,
  setSeed,
  variable,
  type TensorLike,
  type TensorValues,
} from './tensor/creation';
export { buffer, TensorBuffer } from './tensor/tensor_buffer';
export { tensor1d, tensor2d, tensor3d, tensor4d, tensor5d, tensor6d } from './tensor/ranked_creation';
export { tidy, keep, dispose, memory, emptyCache, type MemoryInfo, type TensorContainer } from './tensor/memory';
export { print } from './tensor/print';
export { profile, type ProfileInfo, type KernelInfo } from './tensor/profile';
export { env, enableDebugMode, type Environment } from './tensor/tfjs_env';
export { disposeVariables } from './tensor/variable_registry';
export { op, nextFrame } from './tensor/tfjs_op';
export { upcastType, Rank } from './tensor/tfjs_dtype';
export * from './ops';
export * from './autograd';
export { backendInfo, setNumThreads, getNumThreads } from './native/info';
export * as losses from './losses';
export * as schedules from './schedules';
export * as data from './data';
export * as image from './image';
export * as sparse from './sparse';
export * as fused from './fused';
export * as utils from './utils';
export * as saving from './saving/namespace';
export * as math from './math';
export * as linalg from './linalg';
export * as tree from './tree';
export * as signal from './signal';
export * as random from './random';
export * as spectral from './signal/spectral';
export { fft, ifft, fft2, ifft2, rfft, irfft } from './signal/spectral';
export * as node from './node';
export { version, time, enableProdMode, type TimingInfo } from './utils/tfjs_runtime';
export * as util from './utils/tfjs_util';
export * as datasets from './data/datasets';
export * as callbacks from './callbacks';
export * as preprocessing from './preprocessing';
export * as distribute from './distribute';
export * as distribution from './distribution';
export * as optimizers from './optimizers';
export * as train from './optimizers/train';
export * as layers from './layers';
export {
  sequential,
  model,
  input,
  input as Input,
  Model,
  Model as LayersModel,
  Sequential,
  Functional,
  SymbolicTensor,
  type SymbolicShape,
  type FunctionalArgs,
  type SequentialArgs,
  type InputArgs,
  cloneModel,
  type CloneModelOptions,
} from './models';
export { modelFromJSON, type ModelFromJSONOptions } from './saving/model_json';
export * as models from './models/namespace';
export { loadModel, loadLayersModel, type SaveOptions, type LoadOptions, type SaveResult, type ModelArtifactsInfo, type CustomObjects } from './saving';
export * as initializers from './initializers';
export * as regularizers from './regularizers';
export * as constraints from './constraints';
export * as activations from './activations';
export * as metrics from './metrics';
export * as config from './config';
export { backend, type TfjsBackend } from './config/callable_backend';
export * as applications from './applications';
export * as mixedPrecision from './mixed_precision';
export * as dtypePolicies from './mixed_precision/dtype_policies';
export { Loss } from './losses/loss';
export { Reduction } from './losses/tfjs_losses';
export { Metric } from './metrics/metric';
export { Optimizer } from './optimizers/optimizer';
export { LearningRateSchedule } from './schedules/schedule';
export { Callback, CustomCallback } from './callbacks';
// Keras 3's top-level classes (keras.Layer, keras.InputSpec, keras.KerasTensor, ...), the same as in their namespaces.
export { Layer, InputSpec } from './layers';
/** Keras 3's keras.KerasTensor: the symbolic tensor class of functional models (Tessera's SymbolicTensor). */
export { SymbolicTensor as KerasTensor } from './layers/symbolic_tensor';
export { Initializer } from './initializers/initializer';
export { Regularizer } from './regularizers';
export { DTypePolicy, FloatDTypePolicy } from './mixed_precision/dtype_policies';
import './tensor/chained_ops';
import './training/model_methods';
import './saving/model_methods';
export type { CompileArgs } from './training/compile';
export type { FitArgs, EvaluateArgs, PredictArgs } from './training/loops';
export type { EvaluateLogs } from './training/evaluate_result';
export type { Batch } from './training/data_adapter';
export type { StepLogs } from './training/steps';
export * as ops from './keras_ops';
