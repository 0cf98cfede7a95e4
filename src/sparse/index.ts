// ts.sparse: TensorFlow.js's tf.sparse ops that Tessera has.
export { sparseSegmentSum, sparseSegmentMean } from '../ops/sparse_segment';
export { sparseFillEmptyRows, type SparseFillEmptyRowsResult } from './fill_empty_rows';
export { sparseReshape, type SparseReshapeResult } from './reshape';
