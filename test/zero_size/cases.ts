// Every public op, with its inputs' shapes written in named sizes ('B', 'C', ...). The
// sweep (sweep_child.ts) runs each case once per name with that size set to 0, so every
// dimension that can be empty is empty once, consistently across the inputs that share it.
import type * as TS from '../../src';
import type { DType, Tensor } from '../../src';

type Ts = typeof TS;
/** A dimension: a fixed number, or a named size that the sweep empties in turn. */
export type Dim = number | string;

export interface ZeroSizeCase {
  name: string;
  /** Shape of each input. */
  inputs: Dim[][];
  /** Dtype of each input (float32 when absent); int32 inputs hold zeros (valid indices). */
  dtypes?: DType[];
  /** The call; a tensor, an array of tensors or an object of them. */
  run: (ts: Ts, ...x: Tensor[]) => unknown;
  /** No gradient check (integer outputs, in-place updates, random or non-differentiable ops). */
  noGrad?: boolean;
  /** Float inputs that take no gradient (labels, moving statistics). */
  constants?: number[];
  /** Sizes whose emptiness makes the call an error on purpose (and the error expected). */
  errorsWhenEmpty?: Record<string, RegExp>;
}

/** The value each named size has when it is not the one emptied. */
export const SIZE = 3;

const unary = [
  'neg',
  'abs',
  'exp',
  'log',
  'sqrt',
  'rsqrt',
  'square',
  'reciprocal',
  'sign',
  'floor',
  'ceil',
  'round',
  'relu',
  'sigmoid',
  'tanh',
  'log1p',
  'expm1',
  'sin',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'asinh',
  'acosh',
  'atanh',
  'cos',
  'erf',
  'softplus',
  'isNaN',
  'isFinite',
  'elu',
  'selu',
  'leakyRelu',
  'relu6',
  'gelu',
  'silu',
  'mish',
  'hardSigmoid',
  'softsign',
  'logicalNot',
] as const;
const binary = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'atan2',
  'maximum',
  'minimum',
  'squaredDifference',
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
  'logicalXor',
] as const;
const reductions = ['sum', 'mean', 'max', 'min', 'prod'] as const;
const nonDifferentiable = new Set<string>([
  'sign',
  'floor',
  'ceil',
  'round',
  'isNaN',
  'isFinite',
  'logicalNot',
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
  'logicalXor',
]);

const call = (ts: Ts, name: string, ...args: unknown[]): unknown => (ts as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args);

export const CASES: ZeroSizeCase[] = [
  // Creation
  { name: 'zeros', inputs: [], run: (ts) => ts.zeros([0, 3]), noGrad: true },
  { name: 'fill', inputs: [], run: (ts) => ts.fill([2, 0], 7), noGrad: true },
  { name: 'eye', inputs: [], run: (ts) => ts.eye(0), noGrad: true },
  { name: 'range', inputs: [], run: (ts) => ts.range(0, 0), noGrad: true },
  { name: 'linspace', inputs: [], run: (ts) => ts.linspace(0, 1, 0), noGrad: true },
  { name: 'randomUniform', inputs: [], run: (ts) => ts.randomUniform([0, 2]), noGrad: true },
  { name: 'randomNormal', inputs: [], run: (ts) => ts.randomNormal([2, 0]), noGrad: true },
  { name: 'truncatedNormal', inputs: [], run: (ts) => ts.truncatedNormal([0]), noGrad: true },
  { name: 'tensor', inputs: [], run: (ts) => ts.tensor([], [0, 4]), noGrad: true },
  { name: 'zerosLike', inputs: [['A', 'B']], run: (ts, x) => ts.zerosLike(x), noGrad: true },
  { name: 'onesLike', inputs: [['A', 'B']], run: (ts, x) => ts.onesLike(x), noGrad: true },
  { name: 'oneHot', inputs: [['A']], dtypes: ['int32'], run: (ts, i) => ts.oneHot(i, 3), noGrad: true },
  // Elementwise
  ...unary.map((op): ZeroSizeCase => ({
    name: op,
    inputs: [['A', 'B']],
    dtypes: op === 'logicalNot' ? ['bool'] : undefined,
    run: (ts, x) => call(ts, op, x),
    noGrad: nonDifferentiable.has(op),
  })),
  ...binary.map((op): ZeroSizeCase => ({
    name: op,
    inputs: [['A', 'B'], ['B']],
    dtypes: op.startsWith('logical') ? ['bool', 'bool'] : undefined,
    run: (ts, a, b) => call(ts, op, a, b),
    noGrad: nonDifferentiable.has(op),
  })),
  {
    name: 'broadcast of an empty axis against 1',
    inputs: [
      ['A', 1],
      [1, 'B'],
    ],
    run: (ts, a, b) => ts.add(a, b),
  },
  { name: 'where', inputs: [['A', 'B'], ['A', 'B'], ['B']], dtypes: ['bool', 'float32', 'float32'], run: (ts, c, a, b) => ts.where(c, a, b) },
  { name: 'clipByValue', inputs: [['A', 'B']], run: (ts, x) => ts.clipByValue(x, -1, 1) },
  { name: 'cast', inputs: [['A', 'B']], run: (ts, x) => ts.cast(x, 'int32'), noGrad: true },
  // Reductions, over every axis, one axis, the other, and keepDims
  ...reductions.flatMap((op): ZeroSizeCase[] => [
    { name: `${op} all`, inputs: [['A', 'B']], run: (ts, x) => call(ts, op, x) },
    { name: `${op} axis 0`, inputs: [['A', 'B']], run: (ts, x) => call(ts, op, x, 0) },
    { name: `${op} axis 1 keepDims`, inputs: [['A', 'B']], run: (ts, x) => call(ts, op, x, 1, true) },
  ]),
  ...(['argMax', 'argMin'] as const).map((op): ZeroSizeCase => ({
    name: op,
    inputs: [['A', 'B']],
    run: (ts, x) => call(ts, op, x, 1),
    noGrad: true,
    errorsWhenEmpty: { B: new RegExp(`${op}: cannot reduce axis 1 of size 0`) },
  })),
  { name: 'cumsum', inputs: [['A', 'B']], run: (ts, x) => ts.cumsum(x, 1) },
  { name: 'cumsum exclusive reverse', inputs: [['A', 'B']], run: (ts, x) => ts.cumsum(x, 0, true, true) },
  { name: 'norm', inputs: [['A', 'B']], run: (ts, x) => ts.norm(x, 'euclidean', 1) },
  { name: 'norm 1', inputs: [['A', 'B']], run: (ts, x) => ts.norm(x, 1) },
  { name: 'norm inf', inputs: [['A', 'B']], run: (ts, x) => ts.norm(x, Infinity, 0) },
  { name: 'l2Normalize', inputs: [['A', 'B']], run: (ts, x) => ts.l2Normalize(x, -1) },
  { name: 'moments', inputs: [['A', 'B']], run: (ts, x) => ts.moments(x, 1) },
  { name: 'moments all', inputs: [['A', 'B']], run: (ts, x) => ts.moments(x) },
  // Softmax family
  { name: 'softmax', inputs: [['A', 'B']], run: (ts, x) => ts.softmax(x) },
  { name: 'softmax rank 1', inputs: [['B']], run: (ts, x) => ts.softmax(x) },
  { name: 'softmax wide rows', inputs: [['A', 40]], run: (ts, x) => ts.softmax(x) },
  { name: 'softmax axis 0', inputs: [['A', 'B']], run: (ts, x) => ts.softmax(x, 0) },
  { name: 'logSoftmax', inputs: [['A', 'B']], run: (ts, x) => ts.logSoftmax(x) },
  { name: 'logSoftmax axis 0', inputs: [['A', 'B']], run: (ts, x) => ts.logSoftmax(x, 0) },
  { name: 'logSumExp', inputs: [['A', 'B']], run: (ts, x) => ts.logSumExp(x, -1) },
  { name: 'logSumExp all', inputs: [['A', 'B']], run: (ts, x) => ts.logSumExp(x) },
  {
    name: 'softmaxCrossEntropyWithLogits',
    inputs: [
      ['A', 'B'],
      ['A', 'B'],
    ],
    constants: [0],
    run: (ts, l, x) => ts.softmaxCrossEntropyWithLogits(l, x),
  },
  {
    name: 'softmaxCrossEntropyWithLogits wide',
    inputs: [
      ['A', 40],
      ['A', 40],
    ],
    constants: [0],
    run: (ts, l, x) => ts.softmaxCrossEntropyWithLogits(l, x),
  },
  {
    name: 'sparseSoftmaxCrossEntropyWithLogits',
    inputs: [['A'], ['A', 'B']],
    dtypes: ['int32', 'float32'],
    run: (ts, l, x) => ts.sparseSoftmaxCrossEntropyWithLogits(l, x),
    errorsWhenEmpty: { B: /expected labels in \[0, 0\)/ },
  },
  {
    name: 'sigmoidCrossEntropyWithLogits',
    inputs: [
      ['A', 'B'],
      ['A', 'B'],
    ],
    constants: [0],
    run: (ts, l, x) => ts.sigmoidCrossEntropyWithLogits(l, x),
  },
  {
    name: 'losses.categoricalCrossentropy',
    inputs: [
      ['A', 'B'],
      ['A', 'B'],
    ],
    run: (ts, t, p) => ts.losses.categoricalCrossentropy(t, p),
  },
  {
    name: 'losses.categoricalCrossentropy fromLogits',
    inputs: [
      ['A', 'B'],
      ['A', 'B'],
    ],
    run: (ts, t, p) => ts.losses.categoricalCrossentropy(t, p, { fromLogits: true }),
  },
  {
    name: 'losses.binaryCrossentropy',
    inputs: [
      ['A', 'B'],
      ['A', 'B'],
    ],
    run: (ts, t, p) => ts.losses.binaryCrossentropy(t, p),
  },
  { name: 'layers.softmax', inputs: [['A', 'B']], run: (ts, x) => ts.layers.softmax().apply(x) },
  // Dropout
  { name: 'dropout', inputs: [['A', 'B']], run: (ts, x) => ts.dropout(x, 0.5, undefined, 1), noGrad: true },
  { name: 'dropout noiseShape', inputs: [['A', 'B']], run: (ts, x) => ts.dropout(x, 0.5, [x.shape[0], 1], 1), noGrad: true },
  // Linear algebra
  {
    name: 'matMul',
    inputs: [
      ['M', 'K'],
      ['K', 'N'],
    ],
    run: (ts, a, b) => ts.matMul(a, b),
  },
  {
    name: 'matMul transposed',
    inputs: [
      ['K', 'M'],
      ['N', 'K'],
    ],
    run: (ts, a, b) => ts.matMul(a, b, true, true),
  },
  {
    name: 'matMul batched',
    inputs: [
      ['B', 'M', 'K'],
      ['B', 'K', 'N'],
    ],
    run: (ts, a, b) => ts.matMul(a, b),
  },
  { name: 'matMulBias', inputs: [['M', 'K'], ['K', 'N'], ['N']], run: (ts, a, b, c) => ts.matMulBias(a, b, c, true) },
  {
    name: 'einsum',
    inputs: [
      ['M', 'K'],
      ['K', 'N'],
    ],
    run: (ts, a, b) => ts.einsum('ij,jk->ik', a, b),
  },
  // Layout
  { name: 'reshape', inputs: [['A', 'B']], run: (ts, x) => ts.reshape(x, [x.shape[1], x.shape[0]]) },
  { name: 'reshape -1', inputs: [['A', 2]], run: (ts, x) => ts.reshape(x, [2, -1]) },
  { name: 'expandDims', inputs: [['A', 'B']], run: (ts, x) => ts.expandDims(x, 1) },
  { name: 'squeeze', inputs: [['A', 1, 'B']], run: (ts, x) => ts.squeeze(x, [1]) },
  { name: 'flatten', inputs: [['A', 'B', 'C']], run: (ts, x) => ts.flatten(x) },
  { name: 'transpose', inputs: [['A', 'B', 'C']], run: (ts, x) => ts.transpose(x, [2, 0, 1]) },
  { name: 'slice', inputs: [['A', 'B']], run: (ts, x) => ts.slice(x, [0, 0], [x.shape[0], x.shape[1]]) },
  { name: 'slice to empty', inputs: [['A', 'B']], run: (ts, x) => ts.slice(x, [0, 0], [x.shape[0], 0]) },
  { name: 'split', inputs: [['A', 4]], run: (ts, x) => ts.split(x, 2, 1) },
  { name: 'split sizes', inputs: [['A', 'B']], run: (ts, x) => ts.split(x, [x.shape[0], 0], 0) },
  { name: 'unstack', inputs: [['A', 'B']], run: (ts, x) => ts.unstack(x, 1) },
  {
    name: 'concat',
    inputs: [
      ['A', 'B'],
      ['A', 'C'],
    ],
    run: (ts, a, b) => ts.concat([a, b], 1),
  },
  {
    name: 'stack',
    inputs: [
      ['A', 'B'],
      ['A', 'B'],
    ],
    run: (ts, a, b) => ts.stack([a, b], 1),
  },
  {
    name: 'gather',
    inputs: [['A', 'B'], ['C']],
    dtypes: ['float32', 'int32'],
    run: (ts, x, i) => ts.gather(x, i, 1),
    errorsWhenEmpty: { B: /index|indices|out of|range/i },
  },
  { name: 'unsortedSegmentSum', inputs: [['A', 'B'], ['A']], dtypes: ['float32', 'int32'], run: (ts, x, i) => ts.unsortedSegmentSum(x, i, 2) },
  {
    name: 'pad',
    inputs: [['A', 'B']],
    run: (ts, x) =>
      ts.pad(x, [
        [1, 0],
        [0, 2],
      ]),
  },
  { name: 'tile', inputs: [['A', 'B']], run: (ts, x) => ts.tile(x, [2, 3]) },
  { name: 'tile by 0', inputs: [['A', 'B']], run: (ts, x) => ts.tile(x, [0, 1]) },
  { name: 'broadcastTo', inputs: [[1, 'B']], run: (ts, x) => ts.broadcastTo(x, [4, x.shape[1]]) },
  { name: 'broadcastTo empty', inputs: [[1, 'B']], run: (ts, x) => ts.broadcastTo(x, [0, x.shape[1]]) },
  // Convolution and pooling: empty batch, spatial, channel or filter axes
  {
    name: 'conv2d',
    inputs: [
      ['N', 'H', 'H', 'C'],
      [2, 2, 'C', 'F'],
    ],
    run: (ts, x, f) => ts.conv2d(x, f, { padding: 'same' }),
  },
  {
    name: 'conv2d valid',
    inputs: [
      ['N', 4, 4, 2],
      [2, 2, 2, 'F'],
    ],
    run: (ts, x, f) => ts.conv2d(x, f),
  },
  {
    name: 'conv1d',
    inputs: [
      ['N', 'W', 2],
      [2, 2, 'F'],
    ],
    run: (ts, x, f) => ts.conv1d(x, f, { padding: 'same' }),
  },
  {
    name: 'conv2dTranspose',
    inputs: [
      ['N', 3, 3, 2],
      [2, 2, 'F', 2],
    ],
    run: (ts, x, f) => ts.conv2dTranspose(x, f, { strides: 2 }),
  },
  {
    name: 'depthwiseConv2d',
    inputs: [
      ['N', 4, 4, 2],
      [3, 3, 2, 'M'],
    ],
    run: (ts, x, f) => ts.depthwiseConv2d(x, f, { padding: 'same' }),
  },
  {
    name: 'separableConv2d',
    inputs: [
      ['N', 4, 4, 2],
      [3, 3, 2, 1],
      [1, 1, 2, 'F'],
    ],
    run: (ts, x, d, p) => ts.separableConv2d(x, d, p, { padding: 'same' }),
  },
  { name: 'maxPool2d', inputs: [['N', 'H', 'H', 'C']], run: (ts, x) => ts.maxPool2d(x, 2, { padding: 'same' }) },
  { name: 'avgPool2d', inputs: [['N', 'H', 'H', 'C']], run: (ts, x) => ts.avgPool2d(x, 2, { padding: 'same' }) },
  { name: 'maxPool1d', inputs: [['N', 'W', 'C']], run: (ts, x) => ts.maxPool1d(x, 2, { padding: 'same' }) },
  { name: 'avgPool1d', inputs: [['N', 'W', 'C']], run: (ts, x) => ts.avgPool1d(x, 2, { padding: 'same' }) },
  // Normalization
  {
    // Statistics of an empty batch do not exist (and would poison the moving averages).
    name: 'batchNormTraining',
    inputs: [['N', 'C'], ['C'], ['C'], ['C'], ['C']],
    run: (ts, x, g, b, m, v) => ts.batchNormTraining(x, g, b, m, v),
    noGrad: true,
    errorsWhenEmpty: { N: /batchNormTraining: expected a non-empty batch/ },
  },
  {
    name: 'batchNormTraining grad',
    inputs: [['N', 'C'], ['C'], ['C'], ['C'], ['C']],
    constants: [3, 4],
    errorsWhenEmpty: { N: /expected a non-empty batch/ },
    run: (ts, x, g, b, m, v) => ts.batchNormTraining(x, g, b, m, v).y,
  },
  {
    name: 'batchNormInference',
    inputs: [['N', 'C'], ['C'], ['C'], ['C'], ['C']],
    constants: [3, 4],
    run: (ts, x, g, b, m, v) => ts.batchNormInference(x, g, b, m, v),
  },
  { name: 'layerNorm', inputs: [['N', 4], [4], [4]], run: (ts, x, g, b) => ts.layerNorm(x, g, b) },
  // Recurrent cells: empty batch or units
  {
    name: 'simpleRnnCell',
    inputs: [
      ['B', 'U'],
      ['B', 'U'],
      ['U', 'U'],
    ],
    run: (ts, xw, h, k) => ts.simpleRnnCell(xw, h, k),
  },
  {
    name: 'lstmCell',
    inputs: [
      ['B', 8],
      ['B', 2],
      ['B', 2],
      [2, 8],
    ],
    run: (ts, xw, h, c, k) => ts.lstmCell(xw, h, c, k),
  },
  { name: 'gruCell', inputs: [['B', 6], ['B', 2], [2, 6], [6]], run: (ts, xw, h, k, b) => ts.gruCell(xw, h, k, b) },
  // ts.linalg: empty batches and 0 x 0 (or m x 0) matrices; inputs made invertible, symmetric or positive definite in run
  { name: 'linalg.inv', inputs: [['B', 'N', 'N']], run: (ts, x) => ts.linalg.inv(ts.add(x, ts.eye(x.shape[2]))) },
  { name: 'linalg.det', inputs: [['B', 'N', 'N']], run: (ts, x) => ts.linalg.det(x) },
  {
    name: 'linalg.solve',
    inputs: [
      ['B', 'N', 'N'],
      ['B', 'N', 'K'],
    ],
    run: (ts, a, b) => ts.linalg.solve(ts.add(a, ts.eye(a.shape[2])), b),
  },
  {
    name: 'linalg.solveTriangular',
    inputs: [
      ['B', 'N', 'N'],
      ['B', 'N', 'K'],
    ],
    run: (ts, a, b) => ts.linalg.solveTriangular(a, b, true),
  },
  { name: 'linalg.cholesky', inputs: [['B', 'N', 'N']], run: (ts, x) => ts.linalg.cholesky(ts.add(ts.matMul(x, x, false, true), ts.eye(x.shape[2]))) },
  { name: 'linalg.qr', inputs: [['B', 'M', 'N']], run: (ts, x) => ts.linalg.qr(x) },
  { name: 'linalg.eig', inputs: [['B', 'N', 'N']], run: (ts, x) => ts.linalg.eig(x), noGrad: true },
  { name: 'linalg.eigh values', inputs: [['B', 'N', 'N']], run: (ts, x) => ts.linalg.eigh(ts.add(x, ts.transpose(x, [0, 2, 1])))[0] },
  { name: 'linalg.svd values', inputs: [['B', 'M', 'N']], run: (ts, x) => ts.linalg.svd(x, false, false) },
  { name: 'linalg.norm nuc', inputs: [['B', 'M', 'N']], run: (ts, x) => ts.linalg.norm(x, 'nuc', [1, 2]) },
  { name: 'linalg.luFactor', inputs: [['B', 'N', 'N']], run: (ts, x) => ts.linalg.luFactor(x), noGrad: true },
  {
    name: 'linalg.lstsq',
    inputs: [
      ['B', 'M', 'N'],
      ['B', 'M', 'K'],
    ],
    run: (ts, a, b) => ts.linalg.lstsq(a, b),
    noGrad: true,
  },
  // Layers on an empty batch or empty features
  { name: 'layers.dense', inputs: [['N', 'F']], run: (ts, x) => ts.layers.dense({ units: 2 }).apply(x) },
  {
    name: 'layers.batchNormalization',
    inputs: [['N', 3]],
    run: (ts, x) => ts.layers.batchNormalization().apply(x, { training: true }),
    errorsWhenEmpty: { N: /expected a non-empty batch/ },
  },
  { name: 'layers.layerNormalization', inputs: [['N', 3]], run: (ts, x) => ts.layers.layerNormalization().apply(x) },
  { name: 'layers.conv2d', inputs: [['N', 4, 4, 2]], run: (ts, x) => ts.layers.conv2d({ filters: 2, kernelSize: 2 }).apply(x) },
  { name: 'layers.dropout', inputs: [['N', 'F']], run: (ts, x) => ts.layers.dropout({ rate: 0.5 }).apply(x, { training: true }), noGrad: true },
  { name: 'layers.globalAveragePooling1d', inputs: [['N', 'W', 2]], run: (ts, x) => ts.layers.globalAveragePooling1d().apply(x) },
  {
    // No steps: the output is the initial state, which does not depend on the input.
    name: 'layers.lstm',
    inputs: [['N', 'T', 2]],
    run: (ts, x) => ts.layers.lstm({ units: 2 }).apply(x),
    errorsWhenEmpty: { T: /grads: the function's result does not depend on its input/ },
  },
  {
    name: 'layers.embedding',
    inputs: [['N', 'T']],
    dtypes: ['int32'],
    run: (ts, x) => ts.layers.embedding({ inputDim: 4, outputDim: 2 }).apply(x),
    noGrad: true,
  },
];
