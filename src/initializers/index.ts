// Initializers: classes, TensorFlow.js-style factories, and lookup by name or config.
import { factory, noOptionsFactory } from '../options/factory';
import { ClassRegistry, type Serialized } from '../serialization/registry';
import { Constant, Identity, Ones, Zeros } from './constant';
import { Initializer } from './initializer';
import { Orthogonal } from './orthogonal';
import { STFTInitializer } from './stft';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random';
import { GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, VarianceScaling } from './variance_scaling';
import { tooManyArguments } from '../options/arity';
import { namespaceDeserialize } from '../serialization/keras_form';

export { Initializer } from './initializer';
export { Constant, Identity, Ones, Zeros, type ConstantArgs, type IdentityArgs } from './constant';
export { RandomNormal, RandomUniform, TruncatedNormal, type RandomNormalArgs, type RandomUniformArgs } from './random';
export {
  VarianceScaling,
  GlorotUniform,
  GlorotNormal,
  HeUniform,
  HeNormal,
  LecunUniform,
  LecunNormal,
  type VarianceScalingArgs,
  type SeedArgs,
  type FanMode,
  type Distribution,
} from './variance_scaling';
export { Orthogonal, type OrthogonalArgs } from './orthogonal';
/** Keras 3's other name of Identity. */
export const IdentityInitializer = Identity;
/** Keras 3's other name of Orthogonal. */
export const OrthogonalInitializer = Orthogonal;
export { STFTInitializer, type STFTArgs } from './stft';

/** An initializer given by name ('glorotUniform', 'glorot_uniform'), as an object, or as `{className, config}`. */
export type InitializerIdentifier = string | Initializer | Serialized;

const registry = new ClassRegistry<Initializer>('initializer', Initializer);
registry.registerClasses([
  Zeros,
  Ones,
  Constant,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  GlorotUniform,
  GlorotNormal,
  HeUniform,
  HeNormal,
  LecunUniform,
  LecunNormal,
  Orthogonal,
  Identity,
  STFTInitializer,
]);
// Keras's other name of the STFT initializer.
registry.register('STFT', STFTInitializer);
// Keras 3's other class names of Identity and Orthogonal (it writes the short ones).
registry.register('IdentityInitializer', Identity);
registry.register('OrthogonalInitializer', Orthogonal);
// Keras's short names.
registry.register('normal', RandomNormal);
registry.register('uniform', RandomUniform);

/** Makes a custom Initializer subclass available by name and in configs. */
export function registerInitializer(cls: new (config?: any) => Initializer, name?: string): void {
  if (arguments.length > 2) throw tooManyArguments('initializers.registerInitializer', 2, arguments.length);
  registry.registerClass('initializers.registerInitializer', cls, name);
}

/** The initializer an identifier stands for. */
export function get(identifier: InitializerIdentifier, op = 'initializers.get'): Initializer {
  if (arguments.length > 2) throw tooManyArguments('initializers.get', 2, arguments.length);
  return registry.resolve(op, identifier);
}

/** `{className, config}` of an initializer. */
export function serialize(initializer: Initializer): Serialized {
  if (arguments.length > 1) throw tooManyArguments('initializers.serialize', 1, arguments.length);
  return registry.serialize(initializer, 'initializers.serialize');
}

/** Every element 0. */
export const zeros = noOptionsFactory(Zeros);
/** Every element 1. */
export const ones = noOptionsFactory(Ones);
/** Every element `value`. */
export const constant = factory(Constant);
/** Normal values (mean 0, stddev 0.05 by default). */
export const randomNormal = factory(RandomNormal);
/** Uniform values in [-0.05, 0.05) by default. */
export const randomUniform = factory(RandomUniform);
/** Normal values truncated at two standard deviations. */
export const truncatedNormal = factory(TruncatedNormal);
/** Values with variance scale / fan. */
export const varianceScaling = factory(VarianceScaling);
/** Glorot (Xavier) uniform. */
export const glorotUniform = factory(GlorotUniform);
/** Glorot (Xavier) normal. */
export const glorotNormal = factory(GlorotNormal);
/** He uniform. */
export const heUniform = factory(HeUniform);
/** He normal. */
export const heNormal = factory(HeNormal);
/** LeCun uniform. */
export const lecunUniform = factory(LecunUniform);
/** LeCun normal. */
export const lecunNormal = factory(LecunNormal);
/** A (semi-)orthogonal matrix. */
export const orthogonal = factory(Orthogonal);
/** gain times the identity matrix. */
export const identity = factory(Identity);
/** Kernels of a windowed DFT for a 1-D convolution (Keras's STFTInitializer). @example initializers.stft({side: 'real', window: 'hann'}) */
export const stft = factory(STFTInitializer);

/**
 * Keras 3's keras.initializers.deserialize: an initializer from a name, a Keras config
 * {module, class_name, config, registered_name} or a {className, config}.
 * @example initializers.deserialize({module: 'keras.initializers', class_name: 'HeNormal', config: {seed: 1}, registered_name: null})
 */
export const deserialize = namespaceDeserialize<Initializer>('initializers.deserialize', get, (v) => v instanceof Initializer, 'an Initializer');
export type { DeserializeOptions } from '../serialization/keras_form';
/** Keras 3's keras.initializers.STFT, its other name of STFTInitializer (the same class). */
export const STFT = STFTInitializer;
