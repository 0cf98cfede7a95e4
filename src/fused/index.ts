// ts.fused: TensorFlow.js's tf.fused ops, matMul / conv2d / depthwiseConv2d followed by a
// bias add and an activation. Composed of the plain ops (so their gradients flow); the
// object argument is checked against its keys like any options object.
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { add } from '../ops/binary';
import { conv2d as plainConv2d, depthwiseConv2d as plainDepthwiseConv2d } from '../ops/conv';
import { matMul as plainMatMul } from '../ops/matmul';
import { asOp } from '../ops/op_name';
import type { DimRoundingMode } from '../ops/op_options';
import type { ExplicitPadding } from '../ops/padding';
import { prelu } from '../ops/tfjs_nn';
import { elu, leakyRelu, relu, relu6, sigmoid } from '../ops/unary';

/** TensorFlow.js's fused activations. */
export type FusedActivation = 'linear' | 'relu' | 'prelu' | 'elu' | 'relu6' | 'leakyrelu' | 'sigmoid';

/** The bias and activation every fused op takes. */
export interface FusedEpilogue {
  /** Added to the result (broadcast), before the activation. */
  bias?: TensorLike;
  /** Applied last (default 'linear': none). */
  activation?: FusedActivation;
  /** prelu's slopes (required for 'prelu'). */
  preluActivationWeights?: TensorLike;
  /** leakyrelu's slope (default 0.2). */
  leakyreluAlpha?: number;
}

/** Arguments of fused.matMul. */
export interface FusedMatMulArgs extends FusedEpilogue {
  /** Left operand. */
  a: TensorLike;
  /** Right operand. */
  b: TensorLike;
  /** Transpose a's last two axes first. */
  transposeA?: boolean;
  /** Transpose b's last two axes first. */
  transposeB?: boolean;
}

/** Arguments of fused.conv2d and fused.depthwiseConv2d. */
export interface FusedConv2DArgs extends FusedEpilogue {
  /** NHWC images. */
  x: TensorLike;
  /** The filter, as conv2d's (depthwiseConv2d's). */
  filter: TensorLike;
  /** Step of the window, one number or [height, width]. */
  strides: number | [number, number];
  /** 'valid', 'same', a number of pixels per side, or explicit pads. */
  pad: 'valid' | 'same' | number | ExplicitPadding;
  /** Only 'NHWC'. */
  dataFormat?: 'NHWC';
  /** Spacing between kernel taps (default 1). */
  dilations?: number | [number, number];
  /** Rounding of a numeric pad's output size. */
  dimRoundingMode?: DimRoundingMode;
}

const ACTIVATIONS: readonly FusedActivation[] = ['linear', 'relu', 'prelu', 'elu', 'relu6', 'leakyrelu', 'sigmoid'];

function epilogue(op: string, y: Tensor, args: FusedEpilogue): Tensor {
  const activation = args.activation ?? 'linear';
  if (!ACTIVATIONS.includes(activation)) throw new Error(`${op}: expected activation to be one of ${ACTIVATIONS.join(', ')}, got ${describe(activation)}`);
  if (activation !== 'prelu' && args.preluActivationWeights !== undefined)
    throw new Error(`${op}: preluActivationWeights is for activation 'prelu', got activation ${describe(activation)}`);
  if (activation !== 'leakyrelu' && args.leakyreluAlpha !== undefined)
    throw new Error(`${op}: leakyreluAlpha is for activation 'leakyrelu', got activation ${describe(activation)}`);
  const z = args.bias === undefined ? y : add(y, args.bias);
  switch (activation) {
    case 'linear':
      return z;
    case 'relu':
      return relu(z);
    case 'relu6':
      return relu6(z);
    case 'elu':
      return elu(z);
    case 'sigmoid':
      return sigmoid(z);
    case 'leakyrelu':
      return leakyRelu(z, args.leakyreluAlpha ?? 0.2);
    case 'prelu':
      if (args.preluActivationWeights === undefined) throw new Error(`${op}: activation 'prelu' needs preluActivationWeights`);
      return prelu(z, args.preluActivationWeights);
  }
}

const fusedOp = <A extends FusedEpilogue>(op: string, args: A, run: (a: A) => Tensor): Tensor =>
  asOp(op, () => {
    const checked = checkOptions(op, args, op);
    return tidy(() => epilogue(op, run(checked), checked));
  });

/**
 * `activation(matMul(a, b) + bias)`, as TensorFlow.js's tf.fused.matMul.
 * @example fused.matMul({ a, b, bias, activation: 'relu' })
 */
export function matMul(args: FusedMatMulArgs): Tensor {
  if (arguments.length > 1) throw tooManyArguments('fused.matMul', 1, arguments.length);
  return fusedOp('fused.matMul', args, (a) => plainMatMul(a.a, a.b, a.transposeA ?? false, a.transposeB ?? false));
}

/**
 * `activation(conv2d(x, filter, ...) + bias)`, as TensorFlow.js's tf.fused.conv2d.
 * @example fused.conv2d({ x, filter, strides: 1, pad: 'same', bias, activation: 'relu' })
 */
export function conv2d(args: FusedConv2DArgs): Tensor {
  if (arguments.length > 1) throw tooManyArguments('fused.conv2d', 1, arguments.length);
  return fusedOp('fused.conv2d', args, (a) => plainConv2d(a.x, a.filter, a.strides, a.pad, a.dataFormat, a.dilations, a.dimRoundingMode));
}

/**
 * `activation(depthwiseConv2d(x, filter, ...) + bias)`, as TensorFlow.js's tf.fused.depthwiseConv2d.
 * @example fused.depthwiseConv2d({ x, filter, strides: 1, pad: 'same', activation: 'relu6' })
 */
export function depthwiseConv2d(args: FusedConv2DArgs): Tensor {
  if (arguments.length > 1) throw tooManyArguments('fused.depthwiseConv2d', 1, arguments.length);
  return fusedOp('fused.depthwiseConv2d', args, (a) => plainDepthwiseConv2d(a.x, a.filter, a.strides, a.pad, a.dataFormat, a.dilations, a.dimRoundingMode));
}
