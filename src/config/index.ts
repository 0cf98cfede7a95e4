// ts.config (keras.config): Tessera's global settings.
export {
  floatx,
  setFloatx,
  epsilon,
  setEpsilon,
  imageDataFormat,
  setImageDataFormat,
  maxEpochs,
  setMaxEpochs,
  maxStepsPerEpoch,
  setMaxStepsPerEpoch,
  backend,
  type FloatX,
  type DataFormatName,
} from './settings';
export { globalPolicy as dtypePolicy, setGlobalPolicy as setDtypePolicy } from '../mixed_precision/policy';
export {
  enableFlashAttention,
  disableFlashAttention,
  isFlashAttentionEnabled,
  enableTracebackFiltering,
  disableTracebackFiltering,
  isTracebackFilteringEnabled,
  enableUnsafeDeserialization,
  setBackend,
} from './keras_switches';
export { enableInteractiveLogging, disableInteractiveLogging, isInteractiveLoggingEnabled } from '../utils/io_utils';
