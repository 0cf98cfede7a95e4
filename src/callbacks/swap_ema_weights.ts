// SwapEMAWeights, Keras 3's: the model evaluates (and predicts) with the optimizer's moving
// averages of its weights (useEma), swapped in place and back; with swapOnEpoch the
// averages are also in the model between epochs, for callbacks after it (ModelCheckpoint).
import { Callback, type Logs } from './callback';
import { checkOptions } from '../options/check';
import { checkBoolean } from '../options/check_args';
import { tooManyArguments } from '../options/arity';
import { clone } from '../ops/cast';
import { tidy } from '../tensor/memory';
import type { Optimizer } from '../optimizers/optimizer';
import type { Variable } from '../tensor/tensor';

/** SwapEMAWeights's options. */
export interface SwapEMAWeightsOptions {
  /** Also swap at the end of each epoch (and back at the next one's start), so later callbacks see the averages (default false). */
  swapOnEpoch?: boolean;
}

/**
 * Swaps the model's weights with the optimizer's moving averages for evaluation (needs an
 * optimizer with useEma).
 * @example model.fit(x, y, { validationData, callbacks: [new callbacks.SwapEMAWeights({ swapOnEpoch: true }), checkpoint] })
 */
export class SwapEMAWeights extends Callback {
  /** Whether the averages are swapped in between epochs too. */
  readonly swapOnEpoch: boolean;
  private emaInModel = false;

  constructor(options: SwapEMAWeightsOptions = {}) {
    super();
    if (arguments.length > 1) throw tooManyArguments('SwapEMAWeights', 1, arguments.length);
    const { swapOnEpoch = false } = checkOptions('SwapEMAWeights', options, ['swapOnEpoch']);
    this.swapOnEpoch = checkBoolean('SwapEMAWeights', 'swapOnEpoch', swapOnEpoch);
  }

  // The optimizer's variables and their averages; a clear error without useEma.
  private pairs(hook: string): [Variable[], Variable[]] {
    const opt = (this.attachedModel(hook) as { optimizer?: Optimizer }).optimizer;
    if (opt === undefined || opt === null) throw new Error(`SwapEMAWeights.${hook}: the model has no optimizer; compile it with one created with useEma: true`);
    const vars = opt.variables;
    try {
      return [vars, opt.averagesOf(vars)];
    } catch (e) {
      throw new Error(`SwapEMAWeights.${hook}: needs an optimizer with useEma: true: ${(e as Error).message}`, { cause: e });
    }
  }

  private swap(hook: string): void {
    const [vars, averages] = this.pairs(hook);
    tidy(() =>
      vars.forEach((v, i) => {
        const old = clone(v);
        v.assign(averages[i]);
        averages[i].assign(old);
      }),
    );
  }

  /** Refuses, before training, an optimizer without useEma. */
  override onTrainBegin(): void {
    const opt = (this.attachedModel('onTrainBegin') as { optimizer?: Optimizer }).optimizer;
    if (opt !== undefined && opt !== null && !opt.useEma && !('innerOptimizer' in opt && (opt.innerOptimizer as Optimizer).useEma))
      throw new Error(`SwapEMAWeights: the model's optimizer (${opt.constructor.name}) keeps no moving averages; create it with useEma: true`);
  }

  /** With swapOnEpoch: the model's own weights back before training goes on. */
  override onEpochBegin(epoch: number, logs?: Logs): void {
    this.checkHook('onEpochBegin', epoch, logs);
    if (this.swapOnEpoch && this.emaInModel) {
      this.swap('onEpochBegin');
      this.emaInModel = false;
    }
  }

  /** With swapOnEpoch: the averages into the model for the callbacks after this one. */
  override onEpochEnd(epoch: number, logs?: Logs): void {
    this.checkHook('onEpochEnd', epoch, logs);
    if (this.swapOnEpoch && !this.emaInModel) {
      this.swap('onEpochEnd');
      this.emaInModel = true;
      // After the last epoch fit's finalizeVariableValues copies the averages into the
      // model: they must hold the averages again, not the swapped-out weights (as Keras).
      if (epoch === (this.params.epochs ?? 0) - 1) {
        const [vars, averages] = this.pairs('onEpochEnd');
        tidy(() => vars.forEach((v, i) => averages[i].assign(v)));
      }
    }
  }

  /** The averages into the model for evaluation. */
  override onTestBegin(): void {
    if (!this.emaInModel) {
      this.swap('onTestBegin');
      this.emaInModel = true;
    }
  }

  /** The model's own weights back. */
  override onTestEnd(): void {
    if (this.emaInModel) {
      this.swap('onTestEnd');
      this.emaInModel = false;
    }
  }

  /** The averages into the model for prediction. */
  override onPredictBegin(): void {
    this.onTestBegin();
  }

  /** The model's own weights back (Keras 3.15's on_predict_end tests the flag the wrong way and leaves them swapped). */
  override onPredictEnd(): void {
    this.onTestEnd();
  }
}
