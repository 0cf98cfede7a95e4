// ts.image: TensorFlow.js's image ops.
export { resizeBilinear, resizeNearestNeighbor, type ResizeOptions } from '../ops/image';
