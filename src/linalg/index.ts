// ts.linalg: TensorFlow.js's tf.linalg namespace (bandPart, qr, gramSchmidt) and
// keras.ops.linalg's functions, batched over leading dimensions.
export { bandPart } from '../ops/tfjs_select';
export { cholesky, qr, eigh, svd, luFactor, lstsq } from './factor';
export { eig } from './eig';
export { gramSchmidt } from './gram_schmidt';
export { norm } from './norm';
export { matrixRank, pinv } from './pinv';
export { inv, det, solve, solveTriangular, choleskyInverse } from './solve';
