// Initializers: classes, TensorFlow.js-style factories, and lookup by name or config.
import { ClassRegistry, type Serialized } from '../serialization/registry';
import { Constant, Identity, Ones, Zeros, type ConstantArgs, type IdentityArgs } from './constant';
import { Initializer } from './initializer';
import { Orthogonal, type OrthogonalArgs } from './orthogonal';
import { RandomNormal, RandomUniform, TruncatedNormal, type RandomNormalArgs, type RandomUniformArgs } from './random';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
  type SeedArgs,
  type VarianceScalingArgs,
} from './variance_scaling';

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
]);
// Keras's short names.
registry.register('normal', RandomNormal);
registry.register('uniform', RandomUniform);

/** Makes a custom Initializer subclass available by name and in configs. */
export function registerInitializer(cls: new (config?: any) => Initializer, name?: string): void {
  registry.registerClass('initializers.registerInitializer', cls, name);
}

/** The initializer an identifier stands for. */
export function get(identifier: InitializerIdentifier, op = 'initializers.get'): Initializer {
  return registry.resolve(op, identifier);
}

/** `{className, config}` of an initializer. */
export function serialize(initializer: Initializer): Serialized {
  return registry.serialize(initializer, 'initializers.serialize');
}

/** Every element 0. */
export const zeros = (): Initializer => new Zeros();
/** Every element 1. */
export const ones = (): Initializer => new Ones();
/** Every element `value`. */
export const constant = (args: ConstantArgs): Initializer => new Constant(args);
/** Normal values (mean 0, stddev 0.05 by default). */
export const randomNormal = (args?: RandomNormalArgs): Initializer => new RandomNormal(args);
/** Uniform values in [-0.05, 0.05) by default. */
export const randomUniform = (args?: RandomUniformArgs): Initializer => new RandomUniform(args);
/** Normal values truncated at two standard deviations. */
export const truncatedNormal = (args?: RandomNormalArgs): Initializer => new TruncatedNormal(args);
/** Values with variance scale / fan. */
export const varianceScaling = (args?: VarianceScalingArgs): Initializer => new VarianceScaling(args);
/** Glorot (Xavier) uniform. */
export const glorotUniform = (args?: SeedArgs): Initializer => new GlorotUniform(args);
/** Glorot (Xavier) normal. */
export const glorotNormal = (args?: SeedArgs): Initializer => new GlorotNormal(args);
/** He uniform. */
export const heUniform = (args?: SeedArgs): Initializer => new HeUniform(args);
/** He normal. */
export const heNormal = (args?: SeedArgs): Initializer => new HeNormal(args);
/** LeCun uniform. */
export const lecunUniform = (args?: SeedArgs): Initializer => new LecunUniform(args);
/** LeCun normal. */
export const lecunNormal = (args?: SeedArgs): Initializer => new LecunNormal(args);
/** A (semi-)orthogonal matrix. */
export const orthogonal = (args?: OrthogonalArgs): Initializer => new Orthogonal(args);
/** gain times the identity matrix. */
export const identity = (args?: IdentityArgs): Initializer => new Identity(args);
