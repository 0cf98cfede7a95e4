// ts.linalg: TensorFlow.js's tf.linalg namespace (bandPart, for causal and banded masks).
export { bandPart } from '../ops/tfjs_select';
