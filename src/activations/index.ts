// Activation functions by name, over the existing ops: what `activation: 'relu'` in a
// layer config resolves to. Extra parameters (softmax's axis, leakyRelu's slope) take
// Keras's defaults when an activation is named by string.
import { tooManyArguments } from '../options/arity';
import { namespaceDeserialize } from '../serialization/keras_form';
import * as ops from '../ops';
import { Registry } from '../serialization/registry';
import { isClass } from '../serialization/custom_objects';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/** An activation: one tensor in, one tensor of the same shape out. */
export type ActivationFn = (x: Tensor) => Tensor;

/** An activation given by name ('relu', 'leaky_relu', ...) or as a function. */
export type ActivationIdentifier = string | ActivationFn;

// Each refuses arguments past its own, which JavaScript would drop (`activations.relu(x, 5)`).
function activation<F extends (...args: never[]) => Tensor>(name: string, fn: F, max = 1): F {
  const checked = (...args: Parameters<F>): Tensor => {
    if (args.length > max) throw tooManyArguments(`activations.${name}`, max, args.length);
    return fn(...args);
  };
  return checked as F;
}

/** x unchanged (Keras's 'linear'). */
export const linear = activation('linear', (x: Tensor): Tensor => x);
/** max(x, 0). */
export const relu = activation('relu', (x: Tensor): Tensor => ops.relu(x));
/** min(max(x, 0), 6). */
export const relu6 = activation('relu6', (x: Tensor): Tensor => ops.relu6(x));
/** x for x > 0, alpha (e^x - 1) otherwise. */
export const elu = activation('elu', (x: Tensor, alpha = 1): Tensor => ops.elu(x, alpha), 2);
/** Scaled ELU. */
export const selu = activation('selu', (x: Tensor): Tensor => ops.selu(x));
/** Gaussian error linear unit (exact unless `approximate`). */
export const gelu = activation('gelu', (x: Tensor, approximate = false): Tensor => ops.gelu(x, approximate), 2);
/** 1 / (1 + e^-x). */
export const sigmoid = activation('sigmoid', (x: Tensor): Tensor => ops.sigmoid(x));
/** Keras 3's hard sigmoid: relu6(x + 3) / 6. */
export const hardSigmoid = activation('hardSigmoid', (x: Tensor): Tensor => ops.hardSigmoid(x));
/**
 * Keras 2's and TensorFlow.js's hard sigmoid: clip(0.2 x + 0.5, 0, 1). Their files call it
 * 'hard_sigmoid'; loading such a file maps the name here.
 */
export const legacyHardSigmoid = activation('legacyHardSigmoid', (x: Tensor): Tensor => tidy(() => ops.clipByValue(ops.add(ops.mul(x, 0.2), 0.5), 0, 1)));
/** Hyperbolic tangent. */
export const tanh = activation('tanh', (x: Tensor): Tensor => ops.tanh(x));
/** e^x / sum(e^x) along `axis` (default the last). */
export const softmax = activation('softmax', (x: Tensor, axis = -1): Tensor => ops.softmax(x, axis), 2);
/** log(softmax(x)) along `axis`. */
export const logSoftmax = activation('logSoftmax', (x: Tensor, axis = -1): Tensor => ops.logSoftmax(x, axis), 2);
/** log(1 + e^x). */
export const softplus = activation('softplus', (x: Tensor): Tensor => ops.softplus(x));
/** x / (1 + |x|). */
export const softsign = activation('softsign', (x: Tensor): Tensor => ops.softsign(x));
/** x sigmoid(x). */
export const silu = activation('silu', (x: Tensor): Tensor => ops.silu(x));
/** Alias of silu. */
export const swish: ActivationFn = silu;
/** x tanh(softplus(x)). */
export const mish = activation('mish', (x: Tensor): Tensor => ops.mish(x));
/** x for x > 0, negativeSlope x otherwise (Keras's default slope 0.2). */
export const leakyRelu = activation('leakyRelu', (x: Tensor, negativeSlope = 0.2): Tensor => ops.leakyRelu(x, negativeSlope), 2);
/** e^x. */
export const exponential = activation('exponential', (x: Tensor): Tensor => ops.exp(x));

/** Continuously differentiable ELU (alpha default 1). */
export const celu = activation('celu', (x: Tensor, alpha = 1): Tensor => ops.celu(x, alpha), 2);
/** Gated linear unit: halves a, b of `axis` (default the last), a sigmoid(b). */
export const glu = activation('glu', (x: Tensor, axis = -1): Tensor => ops.glu(x, axis), 2);
/** x where |x| > threshold (default 0.5), else 0. */
export const hardShrink = activation('hardShrink', (x: Tensor, threshold = 0.5): Tensor => ops.hardShrink(x, threshold), 2);
/** x relu6(x + 3) / 6. */
export const hardSilu = activation('hardSilu', (x: Tensor): Tensor => ops.hardSilu(x));
/** Alias of hardSilu. */
export const hardSwish: ActivationFn = hardSilu;
/** x clipped to [-1, 1]. */
export const hardTanh = activation('hardTanh', (x: Tensor): Tensor => ops.hardTanh(x));
/** log(sigmoid(x)). */
export const logSigmoid = activation('logSigmoid', (x: Tensor): Tensor => ops.logSigmoid(x));
/** x shrunk toward 0 by threshold (default 0.5), 0 within it. */
export const softShrink = activation('softShrink', (x: Tensor, threshold = 0.5): Tensor => ops.softShrink(x, threshold), 2);
/** 0, (x + 1)^2 / 4, x on x <= -1, (-1, 1), >= 1. */
export const sparsePlus = activation('sparsePlus', (x: Tensor): Tensor => ops.sparsePlus(x));
/** 0, (x + 1) / 2, 1 on x <= -1, (-1, 1), >= 1. */
export const sparseSigmoid = activation('sparseSigmoid', (x: Tensor): Tensor => ops.sparseSigmoid(x));
/** Projection onto the probability simplex along `axis` (default the last). */
export const sparsemax = activation('sparsemax', (x: Tensor, axis = -1): Tensor => ops.sparsemax(x, axis), 2);
/** (x + sqrt(x^2 + b)) / 2 (b default 4). */
export const squareplus = activation('squareplus', (x: Tensor, b = 4): Tensor => ops.squareplus(x, b), 2);
/** x - tanh(x). */
export const tanhShrink = activation('tanhShrink', (x: Tensor): Tensor => ops.tanhShrink(x));
/**
 * x where x > threshold, defaultValue elsewhere. By name ('threshold') both are 0, so that a
 * layer can use it; keras.ops.threshold (ts.threshold) requires them.
 */
export const threshold = activation('threshold', (x: Tensor, threshold = 0, defaultValue = 0): Tensor => ops.threshold(x, threshold, defaultValue), 3);

// A load's customObjects may give an activation: any plain function (classes are layers, losses, ...).
const registry = new Registry<ActivationFn>('activation', (v) => !isClass(v));
const builtIns: Record<string, ActivationFn> = {
  linear,
  relu,
  relu6,
  elu,
  selu,
  gelu,
  sigmoid,
  hardSigmoid,
  tanh,
  softmax,
  logSoftmax,
  softplus,
  softsign,
  silu,
  swish,
  mish,
  leakyRelu,
  exponential,
  legacyHardSigmoid,
  celu,
  glu,
  hardShrink,
  hardSilu,
  hardSwish,
  hardTanh,
  logSigmoid,
  softShrink,
  sparsePlus,
  sparseSigmoid,
  sparsemax,
  squareplus,
  tanhShrink,
  threshold,
};
for (const [name, fn] of Object.entries(builtIns)) registry.register(name, fn);

/**
 * Makes a custom activation available by name, so layers using it can be serialized.
 * @example registerActivation('squareplus', (x) => mul(add(x, sqrt(add(square(x), 4))), 0.5));
 */
export function registerActivation(name: string, fn: ActivationFn): void {
  if (arguments.length > 2) throw tooManyArguments('activations.registerActivation', 2, arguments.length);
  if (typeof fn !== 'function') throw new Error(`registerActivation: expected a function for ${describe(name)}, got ${describe(fn)}`);
  registry.register(name, fn);
}

/** The activation a name or function stands for (undefined and null: linear). */
export function get(identifier: ActivationIdentifier | null | undefined, op = 'activations.get'): ActivationFn {
  if (arguments.length > 2) throw tooManyArguments('activations.get', 2, arguments.length);
  if (identifier === undefined || identifier === null) return linear;
  if (typeof identifier === 'function') return identifier;
  // Layers call activations with one argument, so softmax's axis and the like keep their defaults.
  return registry.get(op, identifier);
}

/** The registered name of an activation; throws for an unregistered function (it cannot be saved by name). */
export function serialize(identifier: ActivationIdentifier | null | undefined, op = 'activations.serialize'): string {
  if (arguments.length > 2) throw tooManyArguments('activations.serialize', 2, arguments.length);
  if (identifier === undefined || identifier === null) return 'linear';
  if (typeof identifier === 'string') {
    if (!registry.savesAs(identifier)) registry.get(op, identifier); // the error naming the valid names
    return identifier;
  }
  const name = registry.nameOf(identifier);
  if (name === undefined) {
    throw new Error(
      `${op}: the activation function '${identifier.name || '(anonymous)'}' is not registered; call registerActivation(name, fn) so configs can refer to it by name`,
    );
  }
  return name;
}

/**
 * Keras 3's keras.activations.deserialize: the activation function a name or a Keras
 * config ({module: 'builtins', class_name: 'function', config: 'relu', registered_name: 'function'}) names.
 * @example activations.deserialize('relu') // activations.relu
 */
export const deserialize = namespaceDeserialize<ActivationFn>('activations.deserialize', get, (v) => typeof v === 'function', 'an activation function');
export type { DeserializeOptions } from '../serialization/keras_form';
