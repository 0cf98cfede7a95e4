// Callbacks: hooks into fit / evaluate / predict (Keras 3's set: train, test and predict,
// each with begin / end and per-batch hooks, plus epochs). Hooks may be async; the loops
// await them.
import type { Tensor } from '../tensor/tensor';
import { checkLogs } from '../options/check_args';
import { checkNoHoles, describe } from '../tensor/shape';
import type { Model } from '../models/model';

/** Scalars a loop reports: 'loss', 'accuracy', 'val_loss', ... */
export type Logs = Record<string, number>;

/**
 * The least of a model that the loops attach and the built-in callbacks use: a stand-in
 * model (a test's fake) need only have this. A callback's own `this.model` is the whole
 * Model (see Callback's type parameter).
 */
export interface CallbackModel {
  /** Set to true to end fit() after the current batch. */
  stopTraining: boolean;
  /** The compiled optimizer, when there is one. */
  optimizer?: { learningRate: unknown; setLearningRate?(lr: number): void; getLearningRate?(): number } | undefined;
  /** The model's current weights, in the order setWeights takes them. */
  getWeights(): Tensor[];
  /** Replaces the model's weights (same order and shapes as getWeights returns). */
  setWeights(weights: Tensor[]): void;
  /** Saving, when the model supports it (model.save / saveWeights). */
  save?(path: string): Promise<unknown>;
  /** Saves only the weights, when the model supports it. */
  saveWeights?(path: string): Promise<unknown>;
}

/** What a loop tells its callbacks before it starts. */
export interface CallbackParams {
  /** Epochs fit will run; absent for evaluate and predict. */
  epochs?: number;
  /** Batches per epoch, when known. */
  steps?: number;
  /** The loop's verbosity: 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose?: number;
}

/**
 * Base class: override the hooks you need. Every hook may return a promise; the loop
 * awaits it before going on. `M` is the type of `this.model` (Keras's self.model): a
 * single-output Model by default; name the model's type for more, as
 * `Callback<Model<'list'>>` for a model with a list of outputs (predict gives Tensor[]) or
 * `Callback<MyGan>` for a subclassed model's own members.
 * @example class StopAtLoss extends callbacks.Callback { override onEpochEnd(_: number, logs?: callbacks.Logs) { if (logs!.loss < 0.1) this.model!.stopTraining = true; } }
 * @example class Sampler extends callbacks.Callback<Model<'list'>> { override onEpochEnd() { const [logits, features] = this.model!.predict(prompt, { verbose: 0 }); } }
 */
export abstract class Callback<M extends CallbackModel = Model> {
  /** The model being trained, evaluated or run; set by the loop before the first hook. */
  model?: M;
  /** The loop's epochs, steps and verbosity; set by the loop before the first hook. */
  params: CallbackParams = {};

  /** Called by the loop to attach the model; override to capture more of it. */
  setModel(model: M): void {
    this.model = model;
  }
  /** Called by the loop with its epochs, steps and verbosity. */
  setParams(params: CallbackParams): void {
    this.params = params;
  }

  /**
   * @internal A hook's arguments as a loop passes them (an epoch or batch number from 0,
   * logs of numbers), checked for a hook called by hand; returns the logs ({} for none).
   */
  protected checkHook(hook: string, index: unknown, logs: unknown): Logs {
    const op = `${this.constructor.name}.${hook}`;
    if (!Number.isSafeInteger(index) || (index as number) < 0) {
      throw new Error(`${op}: expected the ${hook.includes('Epoch') ? 'epoch' : 'batch'} to be an integer >= 0, got ${describe(index)}`);
    }
    return logs === undefined ? {} : checkLogs(op, logs);
  }

  /** @internal The model the loop attached; an error naming the hook when there is none. */
  protected attachedModel(hook: string): M {
    if (this.model === undefined) throw new Error(`${this.constructor.name}.${hook}: no model attached (fit attaches it; or call setModel first)`);
    return this.model;
  }
  /** Once, when fit starts. */
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  /** Once, when fit ends (also after an early stop). */
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  /** At the start of each epoch; `epoch` counts from 0. */
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  /** At the end of each epoch, with the epoch's loss and metrics (and `val_*` ones when validating). */
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  /** Before each training batch; `batch` counts from 0 within the epoch. By default it calls onBatchBegin (as Keras's). */
  onTrainBatchBegin(batch: number, logs?: Logs): void | Promise<void> {
    return this.onBatchBegin(batch, logs);
  }
  /** After each training batch, with the epoch's running loss and metrics so far. By default it calls onBatchEnd (as Keras's). */
  onTrainBatchEnd(batch: number, logs?: Logs): void | Promise<void> {
    return this.onBatchEnd(batch, logs);
  }
  /** Before each training batch: TensorFlow.js's name (Keras's on_batch_begin), called by the default onTrainBatchBegin. */
  onBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  /** After each training batch: TensorFlow.js's name (Keras's on_batch_end), called by the default onTrainBatchEnd. */
  onBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  /**
   * Each time fit yields to the event loop (fit's `yieldEvery`: after every batch by
   * default), with the epoch, the batch just done and its logs (TensorFlow.js's hook).
   */
  onYield(_epoch: number, _batch: number, _logs?: Logs): void | Promise<void> {}
  /** When evaluate starts. */
  onTestBegin(_logs?: Logs): void | Promise<void> {}
  /** When evaluate ends, with the final loss and metrics. */
  onTestEnd(_logs?: Logs): void | Promise<void> {}
  /** Before each evaluation batch. */
  onTestBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  /** After each evaluation batch, with the running loss and metrics so far. */
  onTestBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  /** When predict starts. */
  onPredictBegin(_logs?: Logs): void | Promise<void> {}
  /** When predict ends. */
  onPredictEnd(_logs?: Logs): void | Promise<void> {}
  /** Before each prediction batch. */
  onPredictBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  /** After each prediction batch. */
  onPredictBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
}

/** The name of a loop's hook on a Callback ('onEpochEnd', 'onTrainBatchEnd', ...). */
export type Hook = Exclude<keyof Callback, 'model' | 'params' | 'setModel' | 'setParams'>;

/** Any callback, whatever its model type: what lists of callbacks hold. */
export type AnyCallback = Callback<CallbackModel>;

// Every hook, once: a Record so that a hook added to Callback and not here fails to compile.
const HOOK_NAMES: Record<Hook, true> = {
  onTrainBegin: true,
  onTrainEnd: true,
  onEpochBegin: true,
  onEpochEnd: true,
  onTrainBatchBegin: true,
  onTrainBatchEnd: true,
  onBatchBegin: true,
  onBatchEnd: true,
  onYield: true,
  onTestBegin: true,
  onTestEnd: true,
  onTestBatchBegin: true,
  onTestBatchEnd: true,
  onPredictBegin: true,
  onPredictEnd: true,
  onPredictBatchBegin: true,
  onPredictBatchEnd: true,
};

/** Every hook a loop calls, by name: what a callback made of plain functions may define. */
export const HOOKS = Object.keys(HOOK_NAMES) as readonly Hook[];

/** Calls one hook on each callback in order, awaiting the async ones. */
export class CallbackList {
  constructor(
    /** The callbacks, called in this order for every hook. */
    readonly callbacks: AnyCallback[],
  ) {
    if (!Array.isArray(callbacks)) throw new Error(`CallbackList: expected an array of callbacks, got ${describe(callbacks)}`);
    // Every hook walks the list with for-of: a hole would be an undefined callback (a TypeError mid-fit).
    checkNoHoles('CallbackList', 'callbacks', callbacks);
  }

  /** Attaches the model to every callback. */
  setModel(model: CallbackModel): void {
    for (const c of this.callbacks) c.setModel(model);
  }
  /** Gives every callback the loop's params. */
  setParams(params: CallbackParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }
  /** Whether some callback has its own `hook` (not Callback's empty one): a loop may skip calling it. */
  defines(hook: Hook): boolean {
    return this.callbacks.some((c) => c[hook] !== Callback.prototype[hook]);
  }

  /**
   * Calls `hook` with `args` on each callback in turn, awaiting each one's promise.
   * @example await list.call('onEpochEnd', epoch, logs);
   */
  async call(hook: Hook, ...args: unknown[]): Promise<void> {
    for (const c of this.callbacks) {
      const r = (c[hook] as (...a: unknown[]) => void | Promise<void>).apply(c, args);
      if (r instanceof Promise) await r;
    }
  }

  /**
   * Calls `hook` on each callback for a synchronous loop (predict on tensors); a hook
   * that returns a promise is an error, since nothing could wait for it.
   * @example list.callSync('onPredictBatchEnd', step);
   */
  callSync(op: string, hook: Hook, ...args: unknown[]): void {
    for (const c of this.callbacks) {
      const r = (c[hook] as (...a: unknown[]) => void | Promise<void>).apply(c, args);
      if (r instanceof Promise) {
        r.catch(() => undefined); // reported by the error below, not as an unhandled rejection
        throw new Error(
          `${op}: ${c.constructor.name}.${hook} returned a promise, but predict on tensors is synchronous (as in TensorFlow.js and Keras) and cannot wait for it; make the hook synchronous, or pass the data as a Dataset to get a Promise`,
        );
      }
    }
  }
}
