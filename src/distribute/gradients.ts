// Gradient averaging across ranks for data-parallel training, in buckets (buckets.ts):
// after the fact for a list of gradients (custom loops), or while the backward pass is
// still running (fit's train step: each bucket starts as soon as its gradients are final).
import type { GradientTape } from '../autograd/gradient_tape';
import { fill } from '../tensor/creation';
import { checkArray } from '../options/check_args';
import { isFloatDType } from '../tensor/dtype';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { currentWorld } from './backend';
import { GradientBuckets } from './buckets';
import { agreedOrder, recordOrder } from './ready_order';
import { tooManyArguments } from '../options/arity';

/**
 * Default bucket size: 1 MB. Small enough that a model of a few MB of gradients still
 * gets several buckets, so the later layers' all-reduce overlaps the earlier layers'
 * backward (PyTorch DDP's 25 MB, with its 1 MB first bucket, leaves such a model one
 * bucket sent after backward); a gradient larger than a bucket goes alone, without a copy.
 */
export const DEFAULT_BUCKET_BYTES = 1024 * 1024;

/**
 * The mean of each gradient across ranks (null stays null); the inputs are not disposed.
 * Every rank must pass the same list of shapes and dtypes in the same order (the same
 * model does).
 */
export function averageGradients(grads: (Tensor | null)[], bucketBytes = DEFAULT_BUCKET_BYTES): (Tensor | null)[] {
  if (arguments.length > 2) throw tooManyArguments('distribute.averageGradients', 2, arguments.length);
  const op = 'ts.distribute.averageGradients';
  checkArray(op, 'the gradients', grads).forEach((g, i) => {
    if (g !== null && !(g instanceof Tensor)) throw new Error(`${op}: expected a Tensor or null at index ${i}, got ${describe(g)}`);
    if (g?.isDisposed) throw new Error(`${op}: the gradient at index ${i} is disposed`);
  });
  if (typeof bucketBytes !== 'number' || !(bucketBytes > 0) || !Number.isFinite(bucketBytes)) {
    throw new Error(`${op}: expected bucketBytes to be a positive number, got ${describe(bucketBytes)}`);
  }
  if (currentWorld().size === 1) return grads.slice();
  const present = grads.filter((g): g is Tensor => g !== null);
  const buckets = new GradientBuckets('ts.distribute.averageGradients', present, bucketBytes);
  try {
    present.forEach((g, i) => buckets.ready(i, g));
  } catch (e) {
    buckets.abandon();
    throw e;
  }
  const means = buckets.finish();
  let k = 0;
  return grads.map((g) => (g === null ? null : means[k++]));
}

/**
 * tape.gradient(target, sources), each gradient averaged across ranks; the buckets are
 * all-reduced on the MPI thread while backward computes the rest (overlap). Backward is
 * seeded with 1/size instead of 1 (PyTorch DDP's pre-division), so each rank's gradients
 * arrive already divided and the all-reduce's sum is the mean: no pass over the result.
 * For a power-of-two size the scaling is exact (the same bits as dividing the sum).
 */
export function averagedGradientsOf(tape: GradientTape, target: Tensor, sources: Tensor[], bucketBytes = DEFAULT_BUCKET_BYTES): (Tensor | null)[] {
  const size = currentWorld().size;
  if (size === 1) return tape.gradient(target, sources);
  // Buckets filled in the order backward finished the first step's gradients, once
  // every rank agrees on it (ready_order.ts); the variables' order before that.
  const order = agreedOrder(sources);
  const buckets = new GradientBuckets('fit (data-parallel gradients)', sources, bucketBytes, true, order);
  // Not for a target that backward refuses (not a float scalar): it says why.
  const seed = target.size === 1 && isFloatDType(target.dtype) ? fill(target.shape, 1 / size, target.dtype, target.device) : undefined;
  let local: (Tensor | null)[];
  try {
    local = tape.gradientAsReady(target, sources, (i, g, sole) => buckets.ready(i, g, sole), seed);
  } catch (e) {
    buckets.abandon(); // buckets already on the wire still use their gradients' memory
    seed?.dispose();
    throw e;
  }
  let means: (Tensor | null)[] = [];
  try {
    means = buckets.finish();
    if (order === undefined) recordOrder(sources, buckets.arrival);
    return means;
  } finally {
    local.forEach((g, i) => g !== means[i] && g?.dispose()); // a mean is a fresh tensor, or the gradient reduced in place
    if (seed !== undefined && !local.includes(seed)) seed.dispose(); // a source that is the target gets the seed itself
  }
}
