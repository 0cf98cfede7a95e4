// Every differentiable op, re-exported.
export * from './unary';
export { add, sub, mul, div, pow, atan2, maximum, minimum, squaredDifference } from './binary';
export * from './compare';
export { sum, mean, max, min, prod, argMax, argMin, cumsum } from './reduce';
export * from './matmul';
export * from './reshape';
export * from './transpose';
export * from './slice';
export * from './concat';
export * from './add_n';
export * from './gather';
export * from './pad';
export * from './mirror_pad';
export * from './tile';
export * from './cast';
export * from './softmax';
export * from './clip';
export * from './moments';
export * from './dropout';
export * from './einsum';
export * from './conv';
export * from './conv3d';
export * from './pooling';
export * from './pooling3d';
export * from './normalization';
export * from './losses_fused';
export * from './recurrent';
export * from './floor_mod';
export * from './reverse';
export * from './logical_reduce';
export * from './topk';
export * from './tfjs_math';
export { whereAsync, booleanMaskAsync, unique, randomUniformInt, outerProduct } from './tfjs_select';
export * from './multinomial';
export { ctcLoss } from './ctc_loss';
export { ctcDecode, type CtcDecodeOptions } from './ctc_decode';
export type { PaddingMode, ExplicitPadding } from './padding';
export { dotProductAttention, fusedAttention, type DotProductAttentionOptions, type FusedAttentionOptions } from './attention';
export { roll, flip, fliplr, flipud, rot90, moveaxis, swapaxes } from './numpy_reorder';
export { tril, triu, tri, diagonal, trace, diagflat } from './numpy_triangle';
export { outer, inner, vdot, tensordot, kron, cross } from './numpy_products';
export { take, takeAlongAxis, repeat, diff, sort, argsort } from './numpy_index';
export { vstack, hstack, dstack, arraySplit, hsplit, vsplit, dsplit } from './numpy_join';
export { arange, full, fullLike } from './numpy_create';
export { nonzero, isin } from './numpy_search';
export {
  cbrt,
  log2,
  log10,
  exp2,
  logaddexp,
  logaddexp2,
  hypot,
  deg2rad,
  rad2deg,
  trunc,
  signbit,
  sinc,
  heaviside,
  fmod,
  isclose,
  allclose,
  nanToNum,
} from './numpy_elementwise';
export * from './numpy_stats';
export * from './numpy_quantile';
export * from './numpy_segment';
export * from './numpy_matrix';
export * from './numpy_bins';
export { gcd, lcm } from './numpy_integer';
export { bitwiseAnd } from './bitwise';
export * from './keras_activations';
export * from './keras_nn';
export * from './adaptive_pool';
export { gatherND, scatterND, tensorScatterUpdate, sparseToDense } from './gather_nd';
export { stridedSlice } from './strided_slice';
export { searchSorted, lowerBound, upperBound, bincount, denseBincount, setdiff1dAsync } from './search_count';
export { diag, meshgrid, cumprod, ensureShape, broadcastArgs, movingAverage, type MeshgridOptions } from './tfjs_grid';
export { rand, randomGamma } from './tfjs_random';
export * from './space_depth';
export * from './keras_aliases';
export * from './tfjs_nn';
export * from './ranked_aliases';
export * from './complex_refusals';
export * from './tfjs_pool';
export { dilation2d } from './dilation2d';
export { basicLSTMCell, multiRNNCell, type LSTMCellFunc } from './tfjs_rnn';
export { inTopKAsync } from './in_top_k';
export { maxPoolWithArgmax, type MaxPoolWithArgmax } from './max_pool_argmax';
export { cond, switch, whileLoop, foriLoop, scan, map, vectorizedMap } from './control_flow';
export { associativeScan, sliceUpdate, scatter, scatterUpdate } from './keras_core';
export type { Nest } from './nest';
export * from './numpy_bitwise';
export * from './numpy_windows';
export * from './keras_numpy_more';
export * from './numpy_nan_more';
export { unfold, fold } from './fold_unfold';
export * from './keras_gap';
export { vectorize, type VectorizeOptions } from './vectorize';
export { rearrange } from './einops';
export { polar, viewAsComplex, viewAsReal } from './complex_pairs';
export { view } from './view';
