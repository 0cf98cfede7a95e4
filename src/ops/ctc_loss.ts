// keras.ops.ctc_loss: the connectionist temporal classification loss of logits against
// padded label sequences. The forward (alpha) and backward (beta) recursions run on the
// host in float64, in log space; the gradient with respect to the logits,
// softmax - state occupancy, is recorded as a custom gradient.
import { customGrad } from '../autograd/functional';
import { mul } from './binary';
import { reshape } from './reshape';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { isRecording } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { tooManyArguments } from '../options/arity';
import { toTensor } from './convert';
import { ctcLogits, integerOption, integerValues, logSoftmaxRows } from './ctc_inputs';

const logAdd = (a: number, b: number): number => {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
};

/** One sample's loss and, when `grad` is given, d loss / d logits written into it. */
interface Sample {
  /** log-softmax of the logits, [time, classes]. */
  logp: Float64Array;
  /** The labels, without padding. */
  labels: Int32Array;
  /** The valid time steps. */
  steps: number;
  classes: number;
  blank: number;
}

// The extended sequence: blank, l1, blank, l2, ..., blank; state s emits cls(s). A label
// state may be reached from two states back unless it repeats that label (the blank in
// between is then required).
function sampleLoss({ logp, labels, steps, classes, blank }: Sample, grad: Float64Array | null): number {
  const states = 2 * labels.length + 1;
  const cls = (s: number) => (s % 2 === 0 ? blank : labels[(s - 1) >> 1]);
  const canSkip = (s: number) => s % 2 === 1 && s >= 3 && labels[(s - 1) >> 1] !== labels[(s - 3) >> 1];
  if (steps === 0) return labels.length === 0 ? 0 : Infinity;
  const alpha = new Float64Array(steps * states).fill(-Infinity);
  alpha[0] = logp[blank];
  if (states > 1) alpha[1] = logp[cls(1)];
  for (let t = 1; t < steps; t++) {
    const prev = (t - 1) * states;
    for (let s = 0; s < states; s++) {
      let a = logAdd(alpha[prev + s], s > 0 ? alpha[prev + s - 1] : -Infinity);
      if (canSkip(s)) a = logAdd(a, alpha[prev + s - 2]);
      alpha[t * states + s] = a === -Infinity ? a : a + logp[t * classes + cls(s)];
    }
  }
  const last = (steps - 1) * states;
  const logZ = logAdd(alpha[last + states - 1], states > 1 ? alpha[last + states - 2] : -Infinity);
  // No alignment fits (labels too long for the steps): an infinite loss, as TensorFlow
  // and PyTorch give, with a zero gradient so one such sample leaves the others usable.
  if (logZ === -Infinity || grad === null) return -logZ;
  // beta[t, s]: log-probability of finishing from state s at step t, step t's emission excluded.
  const beta = new Float64Array(steps * states).fill(-Infinity);
  beta[last + states - 1] = 0;
  if (states > 1) beta[last + states - 2] = 0;
  for (let t = steps - 2; t >= 0; t--) {
    const next = (t + 1) * states;
    for (let s = 0; s < states; s++) {
      const emit = (r: number) => beta[next + r] + logp[(t + 1) * classes + cls(r)];
      let b = emit(s);
      if (s + 1 < states) b = logAdd(b, emit(s + 1));
      if (s + 2 < states && canSkip(s + 2)) b = logAdd(b, emit(s + 2));
      beta[t * states + s] = b;
    }
  }
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    for (let k = 0; k < classes; k++) grad[row + k] = Math.exp(logp[row + k]);
    for (let s = 0; s < states; s++) {
      const ab = alpha[t * states + s] + beta[t * states + s];
      if (ab !== -Infinity) grad[row + cls(s)] -= Math.exp(ab - logZ);
    }
  }
  return -logZ;
}

/**
 * The CTC loss per sample (as keras.ops.ctc_loss): -log p(target | output), summed over
 * every alignment of the target to the output's steps, blanks between labels.
 * @param target integer labels [batch, maxLabelLength], padded past targetLength
 * @param output logits [batch, maxTime, classes] (not softmax-normalized)
 * @param targetLength the labels of each sample [batch]
 * @param outputLength the valid steps of each sample [batch]
 * @param maskIndex the blank class (default 0)
 * @returns the losses [batch], of output's dtype; Infinity where no alignment fits
 * @example ctcLoss([[1, 2]], logits, [2], [4]) // logits [1, 4, 3]
 */
export function ctcLoss(target: TensorLike, output: TensorLike, targetLength: TensorLike, outputLength: TensorLike, maskIndex = 0): Tensor {
  if (arguments.length > 5) throw tooManyArguments('ctcLoss', 5, arguments.length);
  const op = 'ctcLoss';
  return tidy(() => {
    const logits = ctcLogits(op, 'output', output);
    const [batch, maxTime, classes] = logits.shape;
    const blank = integerOption(op, 'maskIndex', maskIndex, 0, classes - 1);
    const targets = toTensor(op, 'target', target);
    if (targets.rank !== 2 || targets.shape[0] !== batch)
      throw new Error(`${op}: expected target of shape [${batch}, maxLabelLength] (output's batch), got [${targets.shape.join(', ')}]`);
    const maxLabels = targets.shape[1];
    const labels = integerValues(op, 'target', targets, targets.shape, -(2 ** 31), 2 ** 31 - 1);
    const labelLengths = integerValues(op, 'targetLength', targetLength, [batch], 0, maxLabels);
    const steps = integerValues(op, 'outputLength', outputLength, [batch], 0, maxTime);
    // Only the labels within targetLength count: the padding past it may hold anything.
    for (let b = 0; b < batch; b++)
      for (let i = 0; i < labelLengths[b]; i++) {
        const c = labels[b * maxLabels + i];
        if (c < 0 || c >= classes) throw new Error(`${op}: target[${b}][${i}] is ${c}, not a class in [0, ${classes})`);
      }
    const logp = logSoftmaxRows(logits.dataSync(), batch * maxTime, classes);
    const recording = isRecording();
    const grad = recording ? new Float64Array(batch * maxTime * classes) : null;
    const losses = allocTypedArray(logits.dtype, batch);
    const stride = maxTime * classes;
    for (let b = 0; b < batch; b++) {
      const sample: Sample = {
        logp: logp.subarray(b * stride, (b + 1) * stride),
        labels: labels.subarray(b * maxLabels, b * maxLabels + labelLengths[b]),
        steps: steps[b],
        classes,
        blank,
      };
      losses[b] = sampleLoss(sample, grad && grad.subarray(b * stride, (b + 1) * stride));
    }
    if (!recording) return fromTypedArray(losses, [batch], logits.dtype, logits.device);
    const withGrad = customGrad((x: Tensor, save: (ts: Tensor[]) => void) => {
      const g = allocTypedArray(x.dtype, grad!.length);
      g.set(grad!);
      save([fromTypedArray(g, [batch, maxTime, classes], x.dtype, x.device)]);
      return {
        value: fromTypedArray(losses, [batch], x.dtype, x.device),
        gradFunc: (dy: Tensor, [g]: Tensor[]) => mul(reshape(dy, [batch, 1, 1]), g),
      };
    });
    return withGrad(logits);
  });
}
