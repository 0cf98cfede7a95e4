// compile's 'accuracy': Keras picks binary, sparse categorical or categorical accuracy from
// the loss and the first batch's shapes. This metric exists from compile on (so
// model.metrics lists it before any batch, as Keras 3 does) and makes that choice at its
// first update.
import type { Loss } from '../losses/loss';
import { resolveAccuracy } from '../metrics/accuracy_metrics';
import { Metric } from '../metrics/metric';
import { scalar } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';

/** 'accuracy' as compile resolves it: the kind is chosen from the first batch's shapes. */
export class CompiledAccuracy extends Metric {
  private resolved: Metric | null = null;

  constructor(
    name: string,
    private readonly loss: Loss | undefined,
  ) {
    super(name);
  }

  /** The accuracy chosen at the first update (null before it). */
  get metric(): Metric | null {
    return this.resolved;
  }

  override updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    if (!(yTrue instanceof Tensor) || !(yPred instanceof Tensor)) {
      throw new Error(`${this.name}.updateState: expected (yTrue, yPred, sampleWeight?) tensors of one output, got ${typeof yTrue} and ${typeof yPred}`);
    }
    this.resolved ??= resolveAccuracy(this.loss?.name, { yTrue: yTrue.shape, yPred: yPred.shape }, this.name);
    this.resolved.updateState(yTrue, yPred, sampleWeight);
  }

  override result(): Tensor {
    return this.resolved ? this.resolved.result() : scalar(0);
  }

  override resultValue(): number | number[] {
    return this.resolved ? this.resolved.resultValue() : 0;
  }

  override resetState(): void {
    this.resolved?.resetState();
  }

  override getConfig(): Record<string, unknown> {
    return this.resolved ? this.resolved.getConfig() : super.getConfig();
  }
}
