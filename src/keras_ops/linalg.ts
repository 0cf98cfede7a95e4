// keras.ops.linalg: Keras's linear algebra, the same functions as ts.ops's.
export { cholesky, choleskyInverse, det, eig, eigh, inv, jvp, lstsq, luFactor, matrixRank, norm, pinv, qr, solve, solveTriangular, svd } from './all';
