// stepsPerEpoch and validationSteps, as Keras 3 and TensorFlow.js read them: an epoch is
// that many batches, taken from where the last epoch stopped; when the data runs out the
// epoch ends early (with a warning) and the next one starts the data again (reshuffled).
// Before, tensor data ignored them, and a Dataset restarted every epoch, so an epoch
// shorter than the data trained on its first batches only, every time.
import type { Batch, BatchSource } from './data_adapter';

/** The batches of `inner`, `steps` at a time, continuing across epochs. */
export class EpochWindow implements BatchSource {
  readonly samples = null;
  readonly ownsBatches: boolean;
  private current: AsyncIterator<Batch> | Iterator<Batch> | null = null;
  private passes = 0; // times `inner` was started: its epoch argument (its shuffle seed)

  constructor(
    private readonly op: string,
    private readonly inner: BatchSource,
    readonly steps: number,
    private readonly what: string,
  ) {
    this.ownsBatches = inner.ownsBatches;
  }

  async *batches(): AsyncIterable<Batch> {
    for (let step = 0; step < this.steps; step++) {
      let next = await this.advance();
      if (next.done && step === 0) next = await this.advance(); // the last epoch ended the data exactly
      if (next.done) {
        if (step > 0)
          console.warn(
            `${this.op}: the data ran out after ${step} of ${this.what} ${this.steps} batches; this epoch ends here and the next starts the data again`,
          );
        return;
      }
      yield next.value;
    }
  }

  /** Ends the data's iteration where it stands (fit is over). */
  async close(): Promise<void> {
    const it = this.current;
    this.current = null;
    await it?.return?.();
  }

  private async advance(): Promise<IteratorResult<Batch>> {
    if (this.current === null) {
      const batches = this.inner.batches(this.passes++);
      this.current = Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : (batches as Iterable<Batch>)[Symbol.iterator]();
    }
    const next = await this.current.next();
    if (next.done) this.current = null;
    return next;
  }
}
