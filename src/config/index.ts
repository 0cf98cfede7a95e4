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
