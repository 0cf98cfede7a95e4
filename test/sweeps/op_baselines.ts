// One valid call of every public function of src/index.ts that the bad-input sweep mutates
// (the sweep checks that each of these succeeds, so the mutations start from a real call),
// and the few public functions it leaves alone, each with the reason.
import { F, T, arg, type Arg } from './args';
import { MODEL_BASELINES } from './model_baselines';
import { NAMESPACE_BASELINES } from './namespace_baselines';

/**
 * A valid call: its arguments, and for functions that return functions, the second call;
 * or a method called on what it returns (the key 'ns.fn#label' names such a call).
 */
export interface Baseline {
  args: Arg[];
  thenCall?: Arg[];
  /** Methods called first, with valid arguments (compile before fit). */
  setup?: [string, Arg[]][];
  method?: string;
  methodArgs?: Arg[];
}

const x23 = T([2, 3]);
const b = (...args: unknown[]): Baseline => ({ args: args.map(arg) });
const unary = b(x23);
const binary = b(x23, T([2, 3]));
const bool2 = b(T([2, 3], 'bool'), T([2, 3], 'bool'));
const reduce = b(x23, 1, false);
const nhwc = T([1, 5, 5, 2]);
const grad1 = (fn: string): Baseline => ({ args: [F(fn, (ts) => (x: Tessera) => ts.sum(ts.square(x)))], thenCall: [T([2, 3])] });
const gradN = (fn: string): Baseline => ({
  args: [F(fn, (ts) => (a: Tessera, c: Tessera) => ts.sum(ts.mul(a, c)))],
  thenCall: [arg([T([2, 3]), T([2, 3])])],
});
type Tessera = import('../../src').Tensor;

export const BASELINES: Record<string, Baseline> = {
  // creation and state
  getDevice: b(),
  setDevice: b('cpu'),
  tensor: b([1, 2, 3, 4], [2, 2], 'float32'),
  scalar: b(1, 'float32'),
  tensor1d: b([1, 2, 3], 'float32'),
  tensor2d: b([1, 2, 3, 4], [2, 2], 'float32'),
  tensor3d: b([1, 2, 3, 4], [1, 2, 2], 'float32'),
  tensor4d: b([1, 2, 3, 4], [1, 1, 2, 2], 'float32'),
  tensor5d: b([1, 2, 3, 4], [1, 1, 1, 2, 2], 'float32'),
  tensor6d: b([1, 2, 3, 4], [1, 1, 1, 1, 2, 2], 'float32'),
  fill: b([2, 3], 7, 'float32'),
  zeros: b([2, 3], 'float32'),
  ones: b([2, 3], 'float32'),
  zerosLike: unary,
  onesLike: unary,
  eye: b(3, 3, 'float32'),
  range: b(0, 5, 1, 'float32'),
  linspace: b(0, 1, 5),
  randomUniform: b([2, 3], 0, 1, 'float32', 1),
  randomNormal: b([2, 3], 0, 1, 'float32', 1),
  truncatedNormal: b([2, 3], 0, 1, 'float32', 1),
  setSeed: b(42),
  variable: b(x23, true, 'v', 'float32'),
  tidy: b(F('() => ones([2])', (ts) => () => ts.ones([2]))),
  keep: unary,
  dispose: unary,
  memory: b(),
  emptyCache: b(),
  backendInfo: b(),
  setNumThreads: b(2),
  getNumThreads: b(),
  sequential: b({ layers: [] }),
  input: b({ shape: [3] }),
  // elementwise
  add: binary,
  sub: binary,
  mul: binary,
  div: binary,
  pow: binary,
  atan2: binary,
  divNoNan: binary,
  logSigmoid: unary,
  isInf: unary,
  step: b(x23, 0.1),
  euclideanNorm: b(x23, 1, false),
  dot: b(T([2, 3]), T([3, 4])),
  print: b(x23, false),
  maximum: binary,
  minimum: binary,
  squaredDifference: binary,
  equal: binary,
  notEqual: binary,
  less: binary,
  lessEqual: binary,
  greater: binary,
  greaterEqual: binary,
  logicalAnd: bool2,
  logicalOr: bool2,
  logicalXor: bool2,
  logicalNot: b(T([2, 3], 'bool')),
  where: b(T([2, 3], 'bool'), x23, T([2, 3])),
  neg: unary,
  abs: unary,
  exp: unary,
  log: unary,
  sqrt: unary,
  rsqrt: unary,
  square: unary,
  reciprocal: unary,
  sign: unary,
  floor: unary,
  ceil: unary,
  round: unary,
  relu: unary,
  sigmoid: unary,
  tanh: unary,
  log1p: unary,
  expm1: unary,
  sin: unary,
  tan: unary,
  asin: unary,
  acos: unary,
  atan: unary,
  sinh: unary,
  cosh: unary,
  asinh: unary,
  acosh: unary,
  atanh: unary,
  cos: unary,
  erf: unary,
  softplus: unary,
  isNaN: unary,
  isFinite: unary,
  selu: unary,
  relu6: unary,
  silu: unary,
  swish: unary,
  mish: unary,
  hardSigmoid: unary,
  softsign: unary,
  elu: b(x23, 1),
  leakyRelu: b(x23, 0.2),
  gelu: b(x23, false),
  clipByValue: b(x23, 0, 1),
  cast: b(x23, 'int32'),
  // reductions and normalizations
  sum: reduce,
  mean: reduce,
  max: reduce,
  min: reduce,
  prod: reduce,
  argMax: b(x23, 1),
  argMin: b(x23, 1),
  cumsum: b(x23, 1, false, false),
  softmax: b(x23, -1),
  logSoftmax: b(x23, -1),
  logSumExp: reduce,
  norm: b(x23, 'euclidean', 1, false),
  l2Normalize: b(x23, 1, 1e-12),
  moments: b(x23, [0], false),
  batchNormTraining: b(T([4, 3]), T([3]), T([3]), T([3]), T([3]), { axis: -1, epsilon: 1e-3, momentum: 0.99 }),
  batchNormInference: b(T([4, 3]), T([3]), T([3]), T([3]), T([3]), { axis: -1, epsilon: 1e-3 }),
  layerNorm: b(x23, T([3]), T([3]), 1e-3),
  // shapes and indexing
  matMul: b(x23, T([3, 4]), false, false),
  matMulBias: b(x23, T([3, 4]), T([4]), false),
  einsum: b('ij,jk->ik', x23, T([3, 4])),
  reshape: b(x23, [3, 2]),
  expandDims: b(x23, 0),
  squeeze: b(T([1, 3]), [0]),
  flatten: unary,
  transpose: b(x23, [1, 0]),
  slice: b(x23, [0, 1], [2, 2]),
  split: b(T([2, 4]), 2, 1),
  unstack: b(x23, 0),
  concat: b([x23, T([2, 3])], 0),
  stack: b([x23, T([2, 3])], 0),
  addN: b([x23, T([2, 3])]),
  gather: b(T([3, 2]), T([2], 'int32'), 0),
  unsortedSegmentSum: b(T([4, 2]), T([4], 'int32'), 2),
  oneHot: b(T([3], 'int32'), 4, 1, 0),
  pad: b(
    x23,
    [
      [1, 1],
      [0, 2],
    ],
    0,
  ),
  mirrorPad: b(
    x23,
    [
      [1, 1],
      [0, 2],
    ],
    'reflect',
  ),
  tile: b(x23, [2, 1]),
  broadcastTo: b(T([1, 3]), [2, 3]),
  dropout: b(x23, 0.5, [2, 3], 1),
  // nn
  conv2d: b(nhwc, T([3, 3, 2, 4]), { strides: 1, padding: 'same', dilations: 1, groups: 1 }),
  conv1d: b(T([1, 5, 2]), T([3, 2, 4]), { stride: 1, padding: 'valid', dilation: 1, groups: 1 }),
  conv2dTranspose: b(T([1, 4, 4, 2]), T([3, 3, 3, 2]), { strides: 2, padding: 'same', dilations: 1, outputShape: [8, 8] }),
  depthwiseConv2d: b(nhwc, T([3, 3, 2, 1]), { strides: 1, padding: 'valid', dilations: 1 }),
  separableConv2d: b(nhwc, T([3, 3, 2, 1]), T([1, 1, 2, 4]), { strides: 1, padding: 'valid', dilations: 1 }),
  maxPool2d: b(T([1, 4, 4, 2]), 2, { strides: 2, padding: 'valid' }),
  avgPool2d: b(T([1, 4, 4, 2]), 2, { strides: 2, padding: 'valid' }),
  maxPool: b(T([1, 4, 4, 2]), 2, 2, 'valid'),
  avgPool: b(T([1, 4, 4, 2]), 2, 2, 'valid'),
  maxPool1d: b(T([1, 4, 2]), 2, { strides: 2, padding: 'valid' }),
  avgPool1d: b(T([1, 4, 2]), 2, { strides: 2, padding: 'valid' }),
  conv3d: b(T([1, 3, 4, 4, 2]), T([2, 3, 3, 2, 3]), { strides: 1, padding: 'same', dilations: 1, groups: 1 }),
  conv3dTranspose: b(T([1, 2, 2, 2, 2]), T([2, 2, 2, 3, 2]), { strides: 2, padding: 'same', dilations: 1, outputShape: [4, 4, 4] }),
  maxPool3d: b(T([1, 4, 4, 4, 2]), 2, { strides: 2, padding: 'valid' }),
  avgPool3d: b(T([1, 4, 4, 4, 2]), 2, 2, 'same'),
  // TensorFlow.js's nn and space ops
  depthToSpace: b(T([1, 2, 3, 8]), 2, 'NHWC'),
  spaceToDepth: b(T([1, 4, 2, 3]), 2, 'NHWC'),
  spaceToBatchND: b(
    T([1, 3, 4, 2]),
    [2, 2],
    [
      [1, 0],
      [0, 0],
    ],
  ),
  batchToSpaceND: b(
    T([4, 2, 2, 1]),
    [2, 2],
    [
      [1, 0],
      [0, 1],
    ],
  ),
  batchNorm: b(x23, T([3]), T([3]), T([3]), T([3]), 0.001),
  batchNorm2d: b(x23, T([3]), T([3]), T([3]), T([3]), 0.001),
  batchNorm3d: b(T([2, 2, 3]), T([3]), T([3]), T([3]), T([3]), 0.001),
  batchNorm4d: b(T([1, 2, 2, 3]), T([3]), T([3]), T([3]), T([3]), 0.001),
  localResponseNormalization: b(T([1, 2, 2, 5]), 2, 1, 1, 0.5),
  prelu: b(x23, T([3])),
  pool: b(T([1, 5, 5, 2]), [2, 2], 'max', 'same', [2, 2], 1),
  maxPoolWithArgmax: b(T([1, 4, 5, 2]), 2, 2, 'same', true),
  // TensorFlow.js's ranked aliases
  concat1d: b([T([2]), T([3])]),
  concat2d: b([x23, T([2, 3])], 1),
  concat3d: b([T([1, 2, 3]), T([1, 2, 3])], 2),
  concat4d: b([T([1, 1, 2, 3]), T([1, 1, 2, 3])], 3),
  pad1d: b(T([3]), [1, 2], 0),
  pad2d: b(
    x23,
    [
      [1, 0],
      [0, 2],
    ],
    0,
  ),
  pad3d: b(
    T([1, 2, 3]),
    [
      [0, 0],
      [1, 0],
      [0, 2],
    ],
    0,
  ),
  pad4d: b(
    T([1, 1, 2, 3]),
    [
      [0, 0],
      [0, 0],
      [1, 0],
      [0, 2],
    ],
    0,
  ),
  reverse1d: b(T([3])),
  reverse2d: b(x23, 1),
  reverse3d: b(T([1, 2, 3]), 2),
  reverse4d: b(T([1, 1, 2, 3]), 3),
  slice1d: b(T([4]), 1, 2),
  slice2d: b(x23, [0, 1], [2, 2]),
  slice3d: b(T([1, 2, 3]), [0, 0, 1], [1, 2, 2]),
  slice4d: b(T([1, 1, 2, 3]), [0, 0, 0, 1], [1, 1, 2, 2]),
  // Fourier transforms: [real, imag] pairs, or a real signal
  fft: b([x23, T([2, 3])]),
  ifft: b([x23, T([2, 3])]),
  fft2: b([x23, T([2, 3])]),
  ifft2: b([x23, T([2, 3])]),
  rfft: b(T([2, 8]), 8),
  irfft: b([T([2, 5]), T([2, 5])], 8),
  sparseSoftmaxCrossEntropyWithLogits: b(T([2], 'int32'), x23),
  ctcLoss: b(T([2, 3], 'int32'), T([2, 4, 3]), T([2], 'int32'), T([2], 'int32'), 0),
  ctcDecode: b(T([2, 4, 3]), T([2], 'int32'), { strategy: 'beam_search', beamWidth: 4, topPaths: 2, mergeRepeated: true, maskIndex: 0 }),
  softmaxCrossEntropyWithLogits: binary,
  sigmoidCrossEntropyWithLogits: binary,
  simpleRnnCell: b(x23, T([2, 3]), T([3, 3])),
  lstmCell: b(T([2, 12]), T([2, 3]), T([2, 3]), T([3, 12])),
  gruCell: b(T([2, 9]), T([2, 3]), T([3, 9]), T([9]), true),
  // autograd
  grad: grad1('x => sum(square(x))'),
  valueAndGrad: grad1('x => sum(square(x))'),
  grads: gradN('(a, b) => sum(mul(a, b))'),
  valueAndGrads: gradN('(a, b) => sum(mul(a, b))'),
  variableGrads: b(
    F('() => sum(square(variable))', (ts) => {
      const v = ts.variable(ts.ones([2]));
      return () => ts.sum(ts.square(v));
    }),
  ),
  stopGradient: unary,
  customGrad: {
    args: [
      F('(x, save) => ({value: x, gradFunc: dy => dy})', () => (x: Tessera, save: (t: Tessera[]) => void) => {
        save([x]);
        return { value: x, gradFunc: (dy: Tessera) => dy };
      }),
    ],
    thenCall: [T([2, 3])],
  },
  noGrad: b(F('() => ones([2])', (ts) => () => ts.ones([2]))),
  ...NAMESPACE_BASELINES,
  ...MODEL_BASELINES,
};

/** Public functions the sweep does not call, and why. */
export const EXCLUDED: Record<string, string> = {
  model: 'takes SymbolicTensors wired by input() and layers, not tensors: a layer-graph API, not an op',
  loadModel: "reads model files: hostile files are the corrupted-file sweep's subject (issue #16)",
  loadLayersModel: "reads model files: hostile files are the corrupted-file sweep's subject (issue #16)",
  'distribute.abort': 'ends the process (and every rank of a job) by design, whatever its arguments',
  complex: 'always refuses: there is no complex dtype (a complex tensor is a [real, imag] pair), whatever its arguments',
  real: 'always refuses: there is no complex dtype (a complex tensor is a [real, imag] pair), whatever its arguments',
  imag: 'always refuses: there is no complex dtype (a complex tensor is a [real, imag] pair), whatever its arguments',
};
