// keras.ops's cross-entropies: the backend ops under Keras's losses, one value per element
// (binary) or per sample (categorical), never reduced over the batch. They run the losses'
// formulas (clipping probabilities to [epsilon, 1 - epsilon], stable forms for logits).
import * as losses from '../losses/crossentropy';
import { tooManyArguments } from '../options/arity';
import { toTensor } from '../ops/convert';
import { asOp } from '../ops/op_name';
import { expandDims } from '../ops/reshape';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

function checkFromLogits(op: string, fromLogits: unknown): boolean {
  if (typeof fromLogits !== 'boolean') throw new Error(`${op}: expected fromLogits to be true or false, got ${describe(fromLogits)}`);
  return fromLogits;
}

/** Keras's ops.binary_crossentropy: the elementwise binary cross-entropy of output (probabilities, or logits). */
export function binaryCrossentropy(target: TensorLike, output: TensorLike, fromLogits = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('binaryCrossentropy', 3, arguments.length);
  const op = 'binaryCrossentropy';
  const logits = checkFromLogits(op, fromLogits);
  // The loss averages over the last axis: over a new axis of 1 it is the elementwise value.
  return asOp(op, () =>
    tidy(() =>
      losses.binaryCrossentropy(expandDims(toTensor(op, 'target', target), -1), expandDims(toTensor(op, 'output', output), -1), { fromLogits: logits }),
    ),
  );
}

/** Keras's ops.categorical_crossentropy: -sum(target * log(output)) along `axis`, one value per sample. */
export function categoricalCrossentropy(target: TensorLike, output: TensorLike, fromLogits = false, axis = -1): Tensor {
  if (arguments.length > 4) throw tooManyArguments('categoricalCrossentropy', 4, arguments.length);
  const op = 'categoricalCrossentropy';
  const logits = checkFromLogits(op, fromLogits);
  return asOp(op, () => losses.categoricalCrossentropy(target, output, { fromLogits: logits, axis }));
}

/** Keras's ops.sparse_categorical_crossentropy: categorical cross-entropy of integer class labels, one value per sample. */
export function sparseCategoricalCrossentropy(target: TensorLike, output: TensorLike, fromLogits = false, axis = -1): Tensor {
  if (arguments.length > 4) throw tooManyArguments('sparseCategoricalCrossentropy', 4, arguments.length);
  const op = 'sparseCategoricalCrossentropy';
  const logits = checkFromLogits(op, fromLogits);
  // Keras's backends also take only the last axis as the classes.
  if (axis !== -1) throw new Error(`${op}: expected axis -1 (the classes last), got ${describe(axis)}`);
  return asOp(op, () => losses.sparseCategoricalCrossentropy(target, output, { fromLogits: logits }));
}
