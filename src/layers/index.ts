// The layers namespace: `layers.dense({units: 64})` factories (TensorFlow.js style), the
// classes for subclassing and instanceof, and the base machinery.
import { Activation, Identity, Lambda, Masking, type ActivationArgs, type LambdaArgs, type MaskingArgs } from './core';
import { Dense, type DenseArgs } from './dense';
import { Embedding, type EmbeddingArgs } from './embedding';
import { InputLayer } from './input_layer';
import type { LayerArgs, OutputKind } from './layer';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, type ConcatenateArgs, type DotArgs } from './merging';
import { Dropout, type DropoutArgs } from './regularization';
import { Flatten, Permute, RepeatVector, Reshape, type PermuteArgs, type RepeatVectorArgs, type ReshapeArgs } from './reshaping';
import { registerLayer } from './serialization';

export { Layer, type LayerArgs, type CallOptions, type Mask, type OutputKind, type Outputs, type LayerOutput } from './layer';
export { InputSpec, type InputSpecArgs } from './input_spec';
export { SymbolicTensor, type SymbolicShape, type TensorSpec } from './symbolic_tensor';
export { Node } from './node';
export type { Nested } from './structure';
export { registerLayer, serializeLayer, deserializeLayer, type LayerClass } from './serialization';
export { InputLayer, type InputArgs } from './input_layer';
export { Dense, type DenseArgs } from './dense';
export { Activation, Identity, Lambda, Masking, type ActivationArgs, type LambdaArgs, type LambdaFunction, type MaskingArgs } from './core';
export { Dropout, type DropoutArgs } from './regularization';
export { Flatten, Reshape, Permute, RepeatVector, type ReshapeArgs, type PermuteArgs, type RepeatVectorArgs } from './reshaping';
export { Embedding, type EmbeddingArgs } from './embedding';
export { Merge, Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, type ConcatenateArgs, type DotArgs } from './merging';

// The table of built-in layer classes that deserializeLayer knows.
for (const cls of [
  InputLayer, Dense, Activation, Identity, Lambda, Masking, Dropout, Flatten, Reshape, Permute, RepeatVector,
  Embedding, Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot,
]) registerLayer(cls);

/** A fully connected layer: activation(x W + b). @example layers.dense({units: 64, activation: 'relu'}) */
export const dense = (args: DenseArgs): Dense => new Dense(args);
/** Applies an activation function. */
export const activation = (args: ActivationArgs): Activation => new Activation(args);
/** Randomly zeroes inputs at `rate` during training. */
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
/** [batch, ...] -> [batch, product of the rest]. */
export const flatten = (args?: LayerArgs): Flatten => new Flatten(args);
/** Reshapes each example to targetShape (one entry may be -1). */
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
/** Permutes the non-batch dimensions (1-based dims). */
export const permute = (args: PermuteArgs): Permute => new Permute(args);
/** [batch, features] -> [batch, n, features]. */
export const repeatVector = (args: RepeatVectorArgs): RepeatVector => new RepeatVector(args);
/** Returns its input unchanged. */
export const identity = (args?: LayerArgs): Identity => new Identity(args);
/** A TypeScript function as a layer (not serializable). */
export const lambda = <K extends OutputKind = 'single'>(args: LambdaArgs): Lambda<K> => new Lambda<K>(args);
/** Masks timesteps whose features all equal maskValue. */
export const masking = (args?: MaskingArgs): Masking => new Masking(args);
/** Integer ids -> dense vectors; maskZero makes id 0 padding. */
export const embedding = (args: EmbeddingArgs): Embedding => new Embedding(args);
/** Sums a list of inputs. */
export const add = (args?: LayerArgs): Add => new Add(args);
/** inputs[0] - inputs[1]. */
export const subtract = (args?: LayerArgs): Subtract => new Subtract(args);
/** Multiplies a list of inputs elementwise. */
export const multiply = (args?: LayerArgs): Multiply => new Multiply(args);
/** The mean of a list of inputs. */
export const average = (args?: LayerArgs): Average => new Average(args);
/** The elementwise maximum of a list of inputs. */
export const maximum = (args?: LayerArgs): Maximum => new Maximum(args);
/** The elementwise minimum of a list of inputs. */
export const minimum = (args?: LayerArgs): Minimum => new Minimum(args);
/** Joins a list of inputs along an axis (default -1). */
export const concatenate = (args?: ConcatenateArgs): Concatenate => new Concatenate(args);
/** The per-example dot product of two inputs along `axes`. */
export const dot = (args: DotArgs): Dot => new Dot(args);
