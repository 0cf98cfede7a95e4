// TensorFlow.js's chained ops: `x.square().sum()`, `logits.argMax(-1)`, `t.reshape([2, 3])`.
// Each method is the op of the same name with the tensor as its first argument (so its
// checks, gradient and errors are the op's); added to Tensor's prototype here, so that
// tensor/ does not import ops/, with the module augmentation giving them their types.
// They exist once src/index.ts has loaded: the library's own code calls the ops, never these.
import * as ops from '../ops';
import { cast } from '../ops/cast';
import { concat, stack } from '../ops/concat';
import { reshape } from '../ops/reshape';
import { where } from '../ops/compare';
import { resizeBilinear, resizeNearestNeighbor } from '../ops/image';
import { rfft } from '../signal/spectral';
import type { DType } from './dtype';
import { onesLike, variable, zerosLike, type TensorLike } from './creation';
import { noGrad } from './run';
import { describe } from './shape';
import { TensorBuffer } from './tensor_buffer';
import { Tensor, Variable } from './tensor';
import { tooManyArguments } from '../options/arity';
// The types under another local name: with the module augmentation below in this file, the
// declaration emitter dropped the import of `Tensor` from the .d.ts its types referenced.
import type { Tensor as TensorType, Variable as VariableType } from './tensor';

/** The op's signature without its first argument (the tensor the method is called on). */
type Chained<F> = F extends (x: never, ...rest: infer R) => infer O ? (...rest: R) => O : never;

const CHAINED = {
  add: ops.add,
  sub: ops.sub,
  mul: ops.mul,
  div: ops.div,
  pow: ops.pow,
  atan2: ops.atan2,
  maximum: ops.maximum,
  minimum: ops.minimum,
  squaredDifference: ops.squaredDifference,
  sum: ops.sum,
  mean: ops.mean,
  max: ops.max,
  min: ops.min,
  prod: ops.prod,
  argMax: ops.argMax,
  argMin: ops.argMin,
  cumsum: ops.cumsum,
  neg: ops.neg,
  abs: ops.abs,
  exp: ops.exp,
  log: ops.log,
  sqrt: ops.sqrt,
  rsqrt: ops.rsqrt,
  square: ops.square,
  reciprocal: ops.reciprocal,
  sign: ops.sign,
  floor: ops.floor,
  ceil: ops.ceil,
  round: ops.round,
  relu: ops.relu,
  sigmoid: ops.sigmoid,
  tanh: ops.tanh,
  log1p: ops.log1p,
  expm1: ops.expm1,
  sin: ops.sin,
  cos: ops.cos,
  tan: ops.tan,
  asin: ops.asin,
  acos: ops.acos,
  atan: ops.atan,
  sinh: ops.sinh,
  cosh: ops.cosh,
  asinh: ops.asinh,
  acosh: ops.acosh,
  atanh: ops.atanh,
  erf: ops.erf,
  softplus: ops.softplus,
  isNaN: ops.isNaN,
  isFinite: ops.isFinite,
  elu: ops.elu,
  selu: ops.selu,
  leakyRelu: ops.leakyRelu,
  relu6: ops.relu6,
  equal: ops.equal,
  notEqual: ops.notEqual,
  less: ops.less,
  lessEqual: ops.lessEqual,
  greater: ops.greater,
  greaterEqual: ops.greaterEqual,
  logicalAnd: ops.logicalAnd,
  logicalOr: ops.logicalOr,
  logicalXor: ops.logicalXor,
  logicalNot: ops.logicalNot,
  matMul: ops.matMul,
  reshape: ops.reshape,
  expandDims: ops.expandDims,
  squeeze: ops.squeeze,
  flatten: ops.flatten,
  transpose: ops.transpose,
  slice: ops.slice,
  split: ops.split,
  unstack: ops.unstack,
  gather: ops.gather,
  oneHot: ops.oneHot,
  pad: ops.pad,
  tile: ops.tile,
  broadcastTo: ops.broadcastTo,
  cast: ops.cast,
  clone: ops.clone,
  softmax: ops.softmax,
  logSoftmax: ops.logSoftmax,
  logSumExp: ops.logSumExp,
  clipByValue: ops.clipByValue,
  norm: ops.norm,
  moments: ops.moments,
  all: ops.all,
  any: ops.any,
  floorDiv: ops.floorDiv,
  mod: ops.mod,
  reverse: ops.reverse,
  topk: ops.topk,
  logSigmoid: ops.logSigmoid,
  isInf: ops.isInf,
  divNoNan: ops.divNoNan,
  euclideanNorm: ops.euclideanNorm,
  dot: ops.dot,
  step: ops.step,
  conv1d: ops.conv1d,
  conv2d: ops.conv2d,
  conv2dTranspose: ops.conv2dTranspose,
  depthwiseConv2d: ops.depthwiseConv2d,
  separableConv2d: ops.separableConv2d,
  maxPool: ops.maxPool,
  avgPool: ops.avgPool,
  pool: ops.pool,
  dilation2d: ops.dilation2d,
  batchNorm: ops.batchNorm,
  localResponseNormalization: ops.localResponseNormalization,
  prelu: ops.prelu,
  cumprod: ops.cumprod,
  mirrorPad: ops.mirrorPad,
  stridedSlice: ops.stridedSlice,
  depthToSpace: ops.depthToSpace,
  spaceToBatchND: ops.spaceToBatchND,
  batchToSpaceND: ops.batchToSpaceND,
  unique: ops.unique,
  unsortedSegmentSum: ops.unsortedSegmentSum,
  resizeBilinear,
  resizeNearestNeighbor,
  rfft,
};

/** TensorFlow.js's methods that are not an op of the same name. */
const TFJS_METHODS = {
  /** `cast(x, dtype)`. */
  asType: (x: TensorType, dtype: DType): TensorType => cast(x, dtype),
  /** `cast(x, 'float32')`. */
  toFloat: (x: TensorType): TensorType => cast(x, 'float32'),
  /** `cast(x, 'int32')`. */
  toInt: (x: TensorType): TensorType => cast(x, 'int32'),
  /** `cast(x, 'bool')`. */
  toBool: (x: TensorType): TensorType => cast(x, 'bool'),
  /** As a rank-1 tensor. */
  as1D: (x: TensorType): TensorType => reshape(x, [x.size]),
  /** As a rank-2 tensor of rows x columns. */
  as2D: (x: TensorType, rows: number, columns: number): TensorType => reshape(x, [rows, columns]),
  /** As a rank-3 tensor. */
  as3D: (x: TensorType, rows: number, columns: number, depth: number): TensorType => reshape(x, [rows, columns, depth]),
  /** As a rank-4 tensor. */
  as4D: (x: TensorType, rows: number, columns: number, depth: number, depth2: number): TensorType => reshape(x, [rows, columns, depth, depth2]),
  /** As a rank-5 tensor. */
  as5D: (x: TensorType, rows: number, columns: number, depth: number, depth2: number, depth3: number): TensorType =>
    reshape(x, [rows, columns, depth, depth2, depth3]),
  /** Reshaped to another tensor's shape: `reshape(x, other.shape)`. */
  reshapeAs: (x: TensorType, other: TensorType): TensorType => {
    if (!(other instanceof Tensor)) throw new Error(`Tensor.reshapeAs: expected a Tensor whose shape to take, got ${describe(other)}`);
    return reshape(x, other.shape);
  },
  /** `where(condition, x, other)`: x where condition holds, other elsewhere (the tensor is the second argument, as in TensorFlow.js). */
  where: (x: TensorType, condition: TensorLike, other: TensorLike): TensorType => where(condition, x, other),
  /** As a scalar (the tensor must hold one value). */
  asScalar: (x: TensorType): TensorType => reshape(x, []),
  /** `concat([x, ...others], axis)`. */
  concat: (x: TensorType, others: TensorType | TensorType[], axis = 0): TensorType => concat([x, ...(Array.isArray(others) ? others : [others])], axis),
  /** `stack([x, ...others], axis)`. */
  stack: (x: TensorType, others: TensorType | TensorType[], axis = 0): TensorType => stack([x, ...(Array.isArray(others) ? others : [others])], axis),
  /** A TensorBuffer holding a copy of the values (TensorFlow.js's bufferSync). */
  bufferSync: (x: TensorType): TensorBuffer => new TensorBuffer(x.shape, x.dtype, x.dataSync()),
  /** A TensorBuffer holding a copy of the values, once read (TensorFlow.js's buffer). */
  buffer: async (x: TensorType): Promise<TensorBuffer> => new TensorBuffer(x.shape, x.dtype, await x.data()),
  /** The values' bytes, once read: a copy, 4 per int32 / float32 value, 1 per bool (TensorFlow.js's bytes). */
  bytes: async (x: TensorType): Promise<Uint8Array> => {
    const d = await x.data();
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  },
  /** Throws if the tensor was disposed (TensorFlow.js's throwIfDisposed). */
  throwIfDisposed: (x: TensorType): void => {
    x.liveHandle('Tensor.throwIfDisposed');
  },
  /** `onesLike(x)`. */
  onesLike: (x: TensorType): TensorType => onesLike(x),
  /** `zerosLike(x)`. */
  zerosLike: (x: TensorType): TensorType => zerosLike(x),
  /** A Variable holding a copy of the tensor: `variable(x, trainable, name, dtype)`. */
  variable: (x: TensorType, trainable?: boolean, name?: string, dtype?: DType): VariableType => variable(x, trainable, name, dtype),
};

// How many arguments each of those methods takes after the tensor: they are arrows, which
// would drop more without a word (`x.toFloat(5)`); the ops of CHAINED check their own.
const TFJS_METHOD_ARITY: { [K in keyof typeof TFJS_METHODS]: number } = {
  asType: 1,
  toFloat: 0,
  toInt: 0,
  toBool: 0,
  as1D: 0,
  as2D: 2,
  as3D: 3,
  as4D: 4,
  as5D: 5,
  reshapeAs: 1,
  where: 2,
  asScalar: 0,
  concat: 2,
  stack: 2,
  bufferSync: 0,
  buffer: 0,
  bytes: 0,
  throwIfDisposed: 0,
  onesLike: 0,
  zerosLike: 0,
  variable: 3,
};

type ChainedMethods = { [K in keyof typeof CHAINED]: Chained<(typeof CHAINED)[K]> } & {
  [K in keyof typeof TFJS_METHODS]: Chained<(typeof TFJS_METHODS)[K]>;
};

declare module './tensor' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the members come from ChainedMethods: merged into the class Tensor
  interface Tensor extends ChainedMethods {}
}

for (const [name, op] of Object.entries({ ...CHAINED, ...TFJS_METHODS })) {
  if (name in Tensor.prototype) throw new Error(`chained ops: Tensor already has a member '${name}'`);
  const max = (TFJS_METHOD_ARITY as Partial<Record<string, number>>)[name];
  Object.defineProperty(Tensor.prototype, name, {
    value: function (this: Tensor, ...args: unknown[]) {
      if (max !== undefined && args.length > max) throw tooManyArguments(`Tensor.${name}`, max, args.length);
      return (op as (...a: unknown[]) => unknown)(this, ...args);
    },
    writable: true,
    configurable: true,
  });
}

// Keras's variable.assign_add / assign_sub (a counter, a metric's state kept in variables):
// the variable becomes itself plus (minus) delta, which broadcasts as add does; the result
// must keep the variable's shape and dtype (assign checks). Not recorded on a tape.
declare module './tensor' {
  interface Variable {
    /** `v.assign(v + delta)`, returning v (Keras's assign_add). */
    assignAdd(delta: TensorLike): VariableType;
    /** `v.assign(v - delta)`, returning v (Keras's assign_sub). */
    assignSub(delta: TensorLike): VariableType;
  }
}

for (const [name, op] of [
  ['assignAdd', ops.add],
  ['assignSub', ops.sub],
] as const) {
  Object.defineProperty(Variable.prototype, name, {
    value: function (this: Variable, delta: TensorLike): Variable {
      if (arguments.length > 1) throw tooManyArguments(`Variable.${name}`, 1, arguments.length);
      const next = noGrad(() => op(this, delta));
      try {
        this.assign(next);
      } finally {
        next.dispose();
      }
      return this;
    },
    writable: true,
    configurable: true,
  });
}
