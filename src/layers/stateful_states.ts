// The states a stateful recurrent layer carries from one call to the next (Keras's
// stateful=True): zeros at first, then each call's final states, copied out of the call's
// graph (no gradient flows from one batch into the previous one). They are plain tensors
// the layer owns, not weights: Keras 3 does not save them either. A replaced copy is
// released at once: a gradient tape keeps its own copies of what it needs.
import { cast, clone } from '../ops/cast';
import { keep } from '../tensor/memory';
import { noGrad, viewOf } from '../tensor/run';
import { zeros } from '../tensor/creation';
import type { DType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { formatShape } from './symbolic_tensor';

/** @internal One stateful layer's states between calls. */
export class HeldStates {
  private states: Tensor[];
  private readonly batch: number;

  constructor(
    private readonly layer: string,
    batch: number | null,
    private readonly sizes: number[],
    private readonly dtype: DType,
  ) {
    if (batch === null) {
      throw new Error(
        `${layer}: a stateful RNN needs a fixed batch size, got an input whose batch size is unknown; give the model's first layer batchInputShape ` +
          `(or batchSize with inputShape), or use input({batchShape}) / input({shape, batchSize}), and feed batches of exactly that size`,
      );
    }
    this.batch = batch;
    this.states = this.zeros();
  }

  private zeros(): Tensor[] {
    return this.sizes.map((u) => keep(zeros([this.batch, u], this.dtype)));
  }

  /** Refuses a batch of another size than the states hold, as Keras does. */
  checkBatch(batch: number): void {
    if (batch !== this.batch) {
      throw new Error(
        `${this.layer}: the layer is stateful, and its states hold batches of ${this.batch}, got a batch of ${batch}; feed batches of exactly ${this.batch} ` +
          `(fit, evaluate and predict: batchSize ${this.batch} and a sample count that is a multiple of it)`,
      );
    }
  }

  /** The states a call starts from: views, so that a call returning them as they are (no steps) returns tensors of its own. */
  start(): Tensor[] {
    return this.states.map((s) => viewOf(s, [...s.shape]));
  }

  /** Keeps copies of a call's final states, outside any gradient, and releases the previous ones. */
  update(next: Tensor[]): void {
    this.replace(noGrad(() => next.map((s) => keep(clone(s)))));
  }

  /** Zeros, or copies of `values` (one [batch, size] tensor per state). */
  reset(values?: Tensor | Tensor[]): void {
    if (values === undefined) {
      this.replace(this.zeros());
      return;
    }
    const list = Array.isArray(values) ? values : [values];
    const want = this.sizes.map((u) => formatShape([this.batch, u])).join(', ');
    if (
      list.length !== this.sizes.length ||
      list.some((t, i) => !(t instanceof Tensor) || t.shape.length !== 2 || t.shape[0] !== this.batch || t.shape[1] !== this.sizes[i])
    ) {
      const got = list.map((t) => (t instanceof Tensor ? formatShape(t.shape) : describe(t))).join(', ');
      throw new Error(`${this.layer}.resetStates: expected ${this.sizes.length} state(s) of shape ${want}, got ${list.length}: ${got}`);
    }
    this.replace(noGrad(() => list.map((t) => keep(t.dtype === this.dtype ? clone(t) : cast(t, this.dtype)))));
  }

  /** Copies of the states (the caller owns them). */
  copies(): Tensor[] {
    return noGrad(() => this.states.map((s) => clone(s)));
  }

  private replace(next: Tensor[]): void {
    for (const s of this.states) s.dispose();
    this.states = next;
  }

  /** Releases the states. */
  dispose(): void {
    this.replace([]);
  }
}
