// ts.applications.imagenetUtils: what users call (the families' helpers stay internal).
export { preprocessInput, decodePredictions, type PreprocessInputOptions, type DecodedPrediction } from './imagenet_utils';
