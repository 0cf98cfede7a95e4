// ts.sparse: TensorFlow.js's tf.sparse ops that Tessera has.
export { sparseSegmentSum, sparseSegmentMean } from '../ops/sparse_segment';
