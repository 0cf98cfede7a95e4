// Callbacks: hooks into fit / evaluate / predict (Keras 3's set: train, test and predict,
// each with begin / end and per-batch hooks, plus epochs). Hooks may be async; the loops
// await them.
import type { Tensor } from '../tensor/tensor';

/** Scalars a loop reports: 'loss', 'accuracy', 'val_loss', ... */
export type Logs = Record<string, number>;

/** What callbacks may touch of the model being trained. */
export interface CallbackModel {
  /** Set to true to end fit() after the current batch. */
  stopTraining: boolean;
  /** The compiled optimizer, when there is one. */
  optimizer?: { learningRate: unknown; setLearningRate?(lr: number): void; getLearningRate?(): number };
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  /** Saving, when the model supports it (model.save / saveWeights). */
  save?(path: string): Promise<unknown>;
  saveWeights?(path: string): Promise<unknown>;
}

/** What a loop tells its callbacks before it starts. */
export interface CallbackParams {
  epochs?: number;
  /** Batches per epoch, when known. */
  steps?: number;
  verbose?: number;
}

/** Base class: override the hooks you need. */
export abstract class Callback {
  model?: CallbackModel;
  params: CallbackParams = {};

  setModel(model: CallbackModel): void {
    this.model = model;
  }
  setParams(params: CallbackParams): void {
    this.params = params;
  }
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onTrainBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTrainBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTestBegin(_logs?: Logs): void | Promise<void> {}
  onTestEnd(_logs?: Logs): void | Promise<void> {}
  onTestBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTestBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  onPredictBegin(_logs?: Logs): void | Promise<void> {}
  onPredictEnd(_logs?: Logs): void | Promise<void> {}
  onPredictBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onPredictBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
}

type Hook = Exclude<keyof Callback, 'model' | 'params' | 'setModel' | 'setParams'>;

/** Calls one hook on each callback in order, awaiting the async ones. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}

  setModel(model: CallbackModel): void {
    for (const c of this.callbacks) c.setModel(model);
  }
  setParams(params: CallbackParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }
  async call(hook: Hook, ...args: unknown[]): Promise<void> {
    for (const c of this.callbacks) {
      const r = (c[hook] as (...a: unknown[]) => void | Promise<void>).apply(c, args);
      if (r instanceof Promise) await r;
    }
  }
}
