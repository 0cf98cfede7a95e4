// A PyDataset read as fit / evaluate / predict read batches (Keras's PyDatasetAdapter):
// every pass calls onEpochBegin, reads getItem(0 .. numBatches - 1) (in a seeded random
// order when shuffling), then onEpochEnd; an endless data set (numBatches null) is read
// from 0 on until the loop stops, unshuffled.
import { shuffleInPlace } from '../data/dataset';
import { seededRandom } from '../tensor/seeded_random';
import { batchCountOf, checkPyDataset, type PyDataset } from '../utils/py_dataset';
import { toBatch, type Batch, type BatchSource } from './data_adapter';

export class PyDatasetSource implements BatchSource {
  readonly samples = null;
  /** getItem makes each batch's tensors: released after their step, as a Dataset's. */
  readonly ownsBatches = true;
  readonly steps: number | null;
  private readonly count: number | null;

  constructor(
    private readonly op: string,
    private readonly data: PyDataset,
    private readonly shuffle: boolean,
    steps: number | null,
  ) {
    checkPyDataset(op, data);
    this.count = batchCountOf(op, data);
    if (this.count === null && shuffle) {
      console.warn(`${op}: shuffle true is ignored for an endless PyDataset (numBatches null); it is expected to be shuffled already (as Keras warns)`);
    }
    this.steps = steps === null ? this.count : this.count === null ? steps : Math.min(steps, this.count);
  }

  async *batches(): AsyncIterable<Batch> {
    await this.data.onEpochBegin();
    try {
      const order = this.order();
      const n = this.steps ?? Infinity;
      for (let i = 0; i < n; i++) {
        const index = order ? order[i] : i;
        yield this.batch(index, await this.data.getItem(index));
      }
    } finally {
      await this.data.onEpochEnd();
    }
  }

  private order(): Int32Array | null {
    if (!this.shuffle || this.count === null) return null;
    const order = Int32Array.from({ length: this.count }, (_, i) => i);
    shuffleInPlace(order, seededRandom('fit'));
    return order;
  }

  // Keras's tuple of one, two or three (inputs, targets, sample weights), or what toBatch reads.
  private batch(index: number, item: unknown): Batch {
    if (Array.isArray(item) && item.length === 1) return { x: item[0] };
    return toBatch(`${this.op}: ${this.data.constructor.name}.getItem(${index})`, item);
  }
}
