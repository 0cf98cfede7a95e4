// GradientTape: Keras's tf.GradientTape for TypeScript.
import { onScopeClose } from '../tensor/scope';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { backward, startTape, stopTape, type GradientReadyHook, type TapeRecording } from './tape';
import { classOptions } from '../options/check';

// A tape the user's code lost (an exception between construction and gradient(), a
// forgotten tape) must not record every later op and keep its inputs alive.
const lostTapes = new FinalizationRegistry<TapeRecording>((recording) => {
  stopTape(recording);
  recording.release();
});

/** Options of a GradientTape. */
export interface GradientTapeOptions {
  /** Allow several gradient() calls; call dispose() when done. Default false. */
  persistent?: boolean;
  /** Watch every trainable Variable an op reads. Default true. */
  watchAccessedVariables?: boolean;
}

/**
 * Records the ops run after its construction so that gradients can be taken.
 * Recording stops at the first gradient() call (or stop()); a non-persistent tape then
 * releases everything it kept. A tape created inside tidy() stops recording when that
 * tidy ends, and releases what it kept if the tidy's function threw; a tape that becomes
 * unreachable is stopped and released after garbage collection.
 * @example
 * const tape = new GradientTape();
 * const loss = mean(square(sub(matMul(x, w), y)));
 * const [dw] = tape.gradient(loss, [w]);
 */
export class GradientTape {
  private readonly recording: TapeRecording;
  private readonly persistent: boolean;

  constructor(options: GradientTapeOptions = {}) {
    options = classOptions('', GradientTape, new.target, options);
    this.persistent = options.persistent ?? false;
    const recording = startTape(options.watchAccessedVariables ?? true);
    this.recording = recording;
    lostTapes.register(this, recording, recording);
    // Created inside tidy(): recording ends with the tidy (what it recorded stays
    // available to gradient()); a tidy that threw releases everything.
    onScopeClose((threw) => {
      stopTape(recording);
      if (threw) recording.release();
    });
  }

  /** Also records ops on these tensors (Variables are watched automatically). */
  watch(tensors: Tensor | Tensor[]): void {
    if (this.recording.released) throw new Error('GradientTape.watch: the tape was released');
    for (const t of Array.isArray(tensors) ? tensors : [tensors]) {
      if (!(t instanceof Tensor)) throw new Error(`GradientTape.watch: expected Tensors, got ${typeof t}`);
      this.recording.tracked.add(t.id);
    }
  }

  /** Stops recording; the recorded ops stay available to gradient(). */
  stop(): void {
    stopTape(this.recording);
  }

  /**
   * d target / d source for each source (null where the target does not depend on it).
   * `outputGradient` weights a non-scalar target (default: ones for a scalar).
   */
  gradient(target: Tensor, sources: Tensor[], outputGradient?: Tensor): (Tensor | null)[];
  gradient(target: Tensor, sources: Tensor, outputGradient?: Tensor): Tensor | null;
  gradient(target: Tensor, sources: Tensor | Tensor[], outputGradient?: Tensor): (Tensor | null)[] | Tensor | null {
    this.stop();
    const list = Array.isArray(sources) ? sources : [sources];
    try {
      // Nothing to differentiate with respect to: say what goes there (Keras's tape.gradient(loss, model.trainable_variables)).
      if (sources === undefined || sources === null)
        throw new Error(
          `GradientTape.gradient: expected sources, the tensor or list of tensors to differentiate with respect to (such as model.trainableWeights), got ${describe(sources)}`,
        );
      const grads = backward(this.recording, 'GradientTape.gradient', target, list, outputGradient);
      return Array.isArray(sources) ? grads : grads[0];
    } finally {
      if (!this.persistent) this.recording.release();
    }
  }

  /**
   * @internal gradient(target, sources) that also calls `onReady` with each gradient as
   * soon as it is final, while the backward pass goes on (gradient all-reduce overlap).
   * `outputGradient` as in gradient() (data-parallel fit seeds 1/size: the ranks' sum is the mean).
   */
  gradientAsReady(target: Tensor, sources: Tensor[], onReady: GradientReadyHook, outputGradient?: Tensor): (Tensor | null)[] {
    this.stop();
    try {
      return backward(this.recording, 'GradientTape.gradient', target, sources, outputGradient, onReady);
    } finally {
      if (!this.persistent) this.recording.release();
    }
  }

  /** Stops recording and releases every tensor the tape kept. */
  dispose(): void {
    this.stop();
    this.recording.release();
    lostTapes.unregister(this.recording);
  }
}
