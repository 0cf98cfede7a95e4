// GradientTape: Keras's tf.GradientTape for TypeScript.
import { Tensor } from '../tensor/tensor';
import { backward, startTape, stopTape, type TapeRecording } from './tape';
import { classOptions } from '../options/check';

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
 * releases everything it kept.
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
    this.recording = startTape(options.watchAccessedVariables ?? true);
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
      const grads = backward(this.recording, 'GradientTape.gradient', target, list, outputGradient);
      return Array.isArray(sources) ? grads : grads[0];
    } finally {
      if (!this.persistent) this.recording.release();
    }
  }

  /** Stops recording and releases every tensor the tape kept. */
  dispose(): void {
    this.stop();
    this.recording.release();
  }
}
