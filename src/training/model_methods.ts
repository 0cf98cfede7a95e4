// compile / fit / evaluate / predict and the step methods on Model. They live here, added
// to Model's prototype, so that models/ holds the graph and training/ the loops; the
// module augmentation gives them their types.
import type { Callback, Logs } from '../callbacks/callback';
import type { OutputKind, Outputs } from '../layers/layer';
import type { Metric } from '../metrics/metric';
import type { History } from '../callbacks/history';
import { Model } from '../models/model';
import type { Optimizer } from '../optimizers/optimizer';
import type { EvaluateLogs } from './evaluate_result';
import { Tensor } from '../tensor/tensor';
import { CompiledState, type CompileArgs } from './compile';
import type { Batch, BatchIterable } from './data_adapter';
import { isBatchIterable } from './data_adapter';
import * as loops from './loops';
import { encodeX, withArrayTargets, withEncodedX } from './raw_inputs';
import { warnSquashedLogits } from './logits_check';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import { canonicalKey, checkNoHoles, checkOptions, optionKeys } from '../options/check';
import { computeLoss, computeMetrics, defaultPredictStep, defaultTestStep, defaultTrainStep, metricResults, type StepLogs } from './steps';
import type { TensorsLike } from './structures';
import type { ModelInputs, ModelTargets } from './raw_inputs';
import type { ArrayData } from '../tensor/creation';
import { tooManyArguments } from '../options/arity';
import { refuseWhileRunning } from './running_loops';
import { renameTfjsDatasetArgs, type TfjsEvaluateDatasetNames, type TfjsFitDatasetNames } from './tfjs_dataset_args';

declare module '../models/model' {
  interface Model<K extends OutputKind = 'single'> {
    /** @internal What compile() set up. */
    compiled: CompiledState | null;
    /** Set by a callback to end fit() after the current batch. */
    stopTraining: boolean;
    /** The compiled optimizer. */
    readonly optimizer: Optimizer | undefined;
    /**
     * Keras 3's model.metrics: the loss tracker ('loss') first, each output's loss tracker
     * for several outputs, then the compiled metrics; empty before compile. fit resets
     * them at each epoch and logs them. A subclass may list its own (`get metrics()`).
     * @example for (const m of this.metrics) m.name === 'loss' ? m.updateState(loss) : m.updateState(y, yPred);
     */
    readonly metrics: Metric[];
    /** The names of `metrics`, in order (Keras's metrics_names, TensorFlow.js's metricsNames). */
    readonly metricsNames: string[];
    /**
     * Sets the optimizer, loss(es) and metrics for fit / evaluate.
     * @example model.compile({optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy']})
     */
    compile(args?: CompileArgs): void;
    /**
     * Trains for `epochs` over x and y (tensors, lists or objects of tensors), or over a
     * Dataset / iterable of batches (then pass the options second). Resolves to History.
     * @example const history = await model.fit(x, y, {epochs: 5, batchSize: 128, validationSplit: 0.1});
     */
    fit(x: ModelInputs, y: ModelTargets, args?: loops.FitArgs): Promise<History>;
    fit(dataset: BatchIterable, args?: loops.FitArgs): Promise<History>;
    /** TensorFlow.js's name for fit on a Dataset. */
    fitDataset(dataset: BatchIterable, args?: loops.FitArgs & TfjsFitDatasetNames): Promise<History>;
    /**
     * The loss and metrics over the data, as Keras logs them: {loss, accuracy, ...}, which
     * also destructures in order as Keras's list does: `const [loss, acc] = await model.evaluate(x, y)`.
     * `returnDict: false` gives the list itself.
     */
    evaluate(x: ModelInputs, y: ModelTargets, args?: loops.EvaluateArgs & { returnDict?: true }): Promise<EvaluateLogs>;
    evaluate(x: ModelInputs, y: ModelTargets, args: loops.EvaluateArgs & { returnDict: false }): Promise<number[]>;
    evaluate(dataset: BatchIterable, args?: loops.EvaluateArgs & { returnDict?: true }): Promise<EvaluateLogs>;
    evaluate(dataset: BatchIterable, args: loops.EvaluateArgs & { returnDict: false }): Promise<number[]>;
    /** TensorFlow.js's name for evaluate on a Dataset. */
    evaluateDataset(dataset: BatchIterable, args?: loops.EvaluateArgs & TfjsEvaluateDatasetNames & { returnDict?: true }): Promise<EvaluateLogs>;
    evaluateDataset(dataset: BatchIterable, args: loops.EvaluateArgs & TfjsEvaluateDatasetNames & { returnDict: false }): Promise<number[]>;
    /**
     * The outputs for every sample, computed in batches and joined. Synchronous for
     * tensors (one, a list, or an object by input name), as in TensorFlow.js and Keras;
     * a Promise for a Dataset or (async) iterable of batches.
     * @example const probs = model.predict(x, {batchSize: 256}); probs.dataSync();
     */
    predict(x: ModelInputs, args?: loops.PredictArgs): Outputs<Tensor, K>;
    predict(dataset: BatchIterable, args?: loops.PredictArgs): Promise<Outputs<Tensor, K>>;
    /**
     * One training step on one batch; the loss and metrics of that batch, by name and, as
     * evaluate's result, in order: `const [loss, acc] = model.trainOnBatch(x, y)`.
     */
    trainOnBatch(x: ModelInputs, y: ModelTargets, options?: { sampleWeight?: Tensor | ArrayData; classWeight?: Record<number, number> }): EvaluateLogs;
    /** The loss and metrics of one batch, by name and in order (as trainOnBatch's). */
    testOnBatch(x: ModelInputs, y: ModelTargets, options?: { sampleWeight?: Tensor | ArrayData }): EvaluateLogs;
    /** The outputs for one batch. */
    predictOnBatch(x: ModelInputs): Outputs<Tensor, K>;
    /**
     * One training step (override to customize fit, Keras 3's train_step); runs inside
     * tidy. Returns the logs (numbers or scalar tensors by name), or nothing to log `metrics`.
     */
    trainStep(batch: Batch): StepLogs;
    /** One evaluation step (override to customize evaluate); returns logs as trainStep does. */
    testStep(batch: Batch): StepLogs;
    /** One prediction step (override to customize predict). */
    predictStep(batch: Batch): unknown;
    /** The batch's total loss: compiled losses (weighted) plus regularization losses. */
    computeLoss(args: { x?: TensorsLike; y: TensorsLike; yPred: unknown; sampleWeight?: Tensor }): Tensor;
    /** Updates the compiled metrics with a batch; returns every metric's value. */
    computeMetrics(args: { x?: TensorsLike; y: TensorsLike; yPred: unknown; sampleWeight?: Tensor }): Logs;
    /** The current values of `metrics`, by name. */
    getMetricsResult(): Logs;
    /** Clears the state of every metric in `metrics` (fit calls it at each epoch's start). */
    resetMetrics(): void;
  }
}

type Args<A> = A | undefined;
const isArgs = (v: unknown) =>
  v === undefined ||
  (v !== null &&
    typeof v === 'object' &&
    !(v instanceof Tensor) &&
    !Array.isArray(v) &&
    !ArrayBuffer.isView(v) &&
    !isBatchIterable(v) &&
    !Object.values(v as object).some((t) => t instanceof Tensor));

// A plain object of only `entry`'s option keys (fit's sampleWeight holds a tensor, so isArgs misses it).
function onlyOptionKeys(v: unknown, entry: string): boolean {
  if (v === null || typeof v !== 'object' || v instanceof Tensor || Array.isArray(v) || ArrayBuffer.isView(v) || isBatchIterable(v)) return false;
  const keys = Object.keys(v);
  const valid = optionKeys(entry);
  return keys.length > 0 && keys.every((k) => canonicalKey(k, valid) !== undefined);
}

// Keras's fit(x, epochs=2) without targets (an autoencoder, a VAE's train_step), written
// fit(x, { epochs: 2 }): x is tensors, so the options land where y goes. Said so, rather
// than 'expected y to be a Tensor'.
function refuseOptionsAsTargets(op: string, method: 'fit' | 'evaluate', y: unknown, given: number): void {
  if (given !== 2 || !onlyOptionKeys(y, method === 'fit' ? 'Model.fit' : 'Model.evaluate')) return;
  const keys = Object.keys(y as object);
  throw new Error(
    `${op}: got ${method}'s options ({ ${keys.join(', ')} }) where y goes; without targets (Keras's ${method}(x, ${keys[0]}=...)) write ${method}(x, null, { ... })`,
  );
}

const proto = Model.prototype as Model;
Object.defineProperty(proto, 'compiled', { value: null, writable: true });
Object.defineProperty(proto, 'stopTraining', { value: false, writable: true });
Object.defineProperty(proto, 'optimizer', {
  get(this: Model) {
    return this.compiled?.optimizer;
  },
});
Object.defineProperty(proto, 'metrics', {
  get(this: Model): Metric[] {
    return this.compiled?.allMetrics() ?? [];
  },
  configurable: true,
});
Object.defineProperty(proto, 'metricsNames', {
  get(this: Model): string[] {
    return this.metrics.map((m) => m.name);
  },
});

// Disposing a model also releases an optimizer that compile() made from a name.
const disposeLayers = proto.dispose;
proto.dispose = function (this: Model): void {
  if (arguments.length > 0) throw tooManyArguments(`${this.name}.dispose`, 0, arguments.length);
  disposeLayers.call(this);
  this.compiled?.jit?.dispose();
  if (this.compiled?.ownsOptimizer) this.compiled.optimizer.dispose();
};

proto.compile = function (this: Model, args: CompileArgs = {}): void {
  if (arguments.length > 1) throw tooManyArguments(`${this.name}.compile`, 1, arguments.length);
  args = checkOptions(`${this.name}.compile`, args, 'Model.compile');
  refuseWhileRunning(`${this.name}.compile`, this, 'compile the model');
  const names = (this as { outputNames?: string[] }).outputNames;
  this.compiled?.jit?.dispose();
  this.compiled = new CompiledState(args, Array.isArray(names) && names.length > 0 ? names : null);
  const outputs = (this as { outputs?: SymbolicTensor[] }).outputs;
  if (Array.isArray(outputs) && this.compiled.losses.length > 0) warnSquashedLogits(this.name, outputs, this.compiled.outputNames, this.compiled.losses);
};

// validationData takes raw strings like x does.
function withEncodedValidation<A, R>(model: Model, args: A, fn: (args: A) => Promise<R>): Promise<R> {
  const v = (args as { validationData?: unknown } | undefined)?.validationData;
  if (v === undefined || v === null) return fn(args);
  if (!Array.isArray(v)) return fn({ ...args, validationData: encodeX(model, v) });
  // Checked before slice() below turns a hole into undefined (fit's option check would see none).
  checkNoHoles(`${model.name}.fit`, "option 'validationData'", v, 'validationData');
  return withEncodedX(model, v[0], (x) => fn({ ...args, validationData: [x, ...v.slice(1)] }));
}

// The Promise-returning methods reject, never throw, on bad input (raw data included).
function rejecting<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return fn();
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

proto.fit = function (this: Model, x: unknown, y?: unknown, args?: loops.FitArgs): Promise<History> {
  if (arguments.length > 3) return Promise.reject(tooManyArguments(`${this.name}.fit`, 3, arguments.length));
  const given = arguments.length;
  return rejecting(() =>
    withEncodedX(this, x, (x) => {
      if (!isBatchIterable(x)) refuseOptionsAsTargets(`${this.name}.fit`, 'fit', y, given);
      const [targets, options] = isBatchIterable(x) && (isArgs(y) || onlyOptionKeys(y, 'Model.fit')) ? [undefined, y as Args<loops.FitArgs>] : [y, args];
      return withArrayTargets(this, targets, options, (y, a) => withEncodedValidation(this, a, (a) => loops.fit(this, x, y, a)));
    }),
  );
} as Model['fit'];

proto.fitDataset = function (this: Model, dataset: BatchIterable, args?: loops.FitArgs): Promise<History> {
  if (arguments.length > 2) return Promise.reject(tooManyArguments(`${this.name}.fitDataset`, 2, arguments.length));
  return rejecting(() =>
    withArrayTargets(this, undefined, renameTfjsDatasetArgs(`${this.name}.fitDataset`, 'fitDataset', args), (_, args) =>
      withEncodedValidation(this, args, (a) => loops.fit(this, encodeX(this, dataset) as BatchIterable, undefined, a)),
    ),
  );
};

proto.evaluate = function (this: Model, x: unknown, y?: unknown, args?: loops.EvaluateReturnArgs): Promise<EvaluateLogs | number[]> {
  if (arguments.length > 3) return Promise.reject(tooManyArguments(`${this.name}.evaluate`, 3, arguments.length));
  const given = arguments.length;
  return rejecting(() =>
    withEncodedX(this, x, (x) => {
      if (isBatchIterable(x) && (isArgs(y) || onlyOptionKeys(y, 'Model.evaluate'))) return loops.evaluate(this, x, undefined, y as Args<loops.EvaluateArgs>);
      refuseOptionsAsTargets(`${this.name}.evaluate`, 'evaluate', y, given);
      return withArrayTargets(this, y, args, (y, a) => loops.evaluate(this, x, y, a));
    }),
  );
} as Model['evaluate'];

proto.evaluateDataset = function (this: Model, dataset: BatchIterable, args?: loops.EvaluateReturnArgs): Promise<EvaluateLogs | number[]> {
  if (arguments.length > 2) return Promise.reject(tooManyArguments(`${this.name}.evaluateDataset`, 2, arguments.length));
  return rejecting(() => {
    const renamed = renameTfjsDatasetArgs(`${this.name}.evaluateDataset`, 'evaluateDataset', args);
    return withEncodedX(this, dataset, (x) => loops.evaluate(this, x, undefined, renamed));
  });
} as Model['evaluateDataset'];

proto.predict = function (this: Model, x: unknown, args?: loops.PredictArgs) {
  if (arguments.length > 2) throw tooManyArguments(`${this.name}.predict`, 2, arguments.length);
  return withEncodedX(this, x, (x) => {
    if (isBatchIterable(x)) return loops.predictDataset(this, x, args);
    return loops.predict(this, x as TensorsLike, args);
  });
} as Model['predict'];

proto.trainOnBatch = function (this: Model, x, y, options) {
  if (arguments.length > 3) throw tooManyArguments(`${this.name}.trainOnBatch`, 3, arguments.length);
  return withEncodedX(this, x, (x) =>
    withArrayTargets(this, y, options, (y, o) => loops.trainOnBatch(this, x as TensorsLike, y as TensorsLike, o as { sampleWeight?: Tensor })),
  );
};
proto.testOnBatch = function (this: Model, x, y, options) {
  if (arguments.length > 3) throw tooManyArguments(`${this.name}.testOnBatch`, 3, arguments.length);
  return withEncodedX(this, x, (x) =>
    withArrayTargets(this, y, options, (y, o) => loops.testOnBatch(this, x as TensorsLike, y as TensorsLike, o as { sampleWeight?: Tensor })),
  );
};
proto.predictOnBatch = function (this: Model, x) {
  if (arguments.length > 1) throw tooManyArguments(`${this.name}.predictOnBatch`, 1, arguments.length);
  return withEncodedX(this, x, (x) => loops.predictOnBatch(this, x as TensorsLike)) as Outputs<Tensor, 'single'>;
};

proto.trainStep = function (this: Model, batch: Batch): StepLogs {
  return defaultTrainStep(this, batch);
};
proto.testStep = function (this: Model, batch: Batch): StepLogs {
  return defaultTestStep(this, batch);
};
proto.predictStep = function (this: Model, batch: Batch): unknown {
  return defaultPredictStep(this, batch);
};
proto.computeLoss = function (this: Model, a) {
  return computeLoss(this, a.y, a.yPred, a.sampleWeight);
};
proto.computeMetrics = function (this: Model, a) {
  return computeMetrics(this, a.y, a.yPred, a.sampleWeight);
};
proto.getMetricsResult = function (this: Model): Logs {
  return metricResults(this.metrics);
};
proto.resetMetrics = function (this: Model): void {
  if (arguments.length > 0) throw tooManyArguments(`${this.name}.resetMetrics`, 0, arguments.length);
  for (const m of this.metrics) m.resetState();
};

export type { Callback };
