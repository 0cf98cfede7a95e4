// The Metric base class: state accumulated over an epoch by updateState, read by
// result(), cleared by resetState(). Tessera's metrics keep their state in JS numbers:
// each update reads back a few per-batch sums, so state never churns tensors.
import type { TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { snakeCase } from '../losses/loss';

/**
 * A stateful metric (Keras 3's keras.metrics.Metric).
 * @example
 * const m = new metrics.Precision();
 * m.updateState(yTrue, yPred); m.updateState(yTrue2, yPred2);
 * m.result().print(); m.resetState();
 */
export abstract class Metric {
  /** The name logs use, as Keras 3 logs it ('accuracy', 'precision', 'auc', ...). */
  name: string;

  constructor(name?: string) {
    this.name = name ?? snakeCase(new.target.name);
  }

  /** Accumulates one batch: (yTrue, yPred, sampleWeight?) for most metrics, (values, sampleWeight?) for Mean and Sum. */
  abstract updateState(...inputs: (TensorLike | undefined)[]): void;

  /** The value so far, as a new tensor the caller owns. */
  abstract result(): Tensor;

  /**
   * @internal The value so far as a number (what logs hold): result() read back; a list
   * for a metric of several values (F1Score's per class, with average null). Metrics
   * whose state is JS numbers override it to skip the tensor.
   */
  resultValue(): number | number[] {
    const r = this.result();
    try {
      const values = r.dataSync();
      return r.size === 1 ? values[0] : Array.from(values);
    } finally {
      r.dispose();
    }
  }

  /** Clears the state, as at the start of an epoch. */
  abstract resetState(): void;

  /** The options that recreate this metric. */
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/** Keras's divide_no_nan on numbers. */
export function divNoNan(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
