// The loops of fit, evaluate and predict: batches from a source, one step each inside
// tidy (so every intermediate is released), callbacks around them, and a yield to the
// event loop between batches so progress bars, timers and servers keep running.
import { describe } from '../tensor/shape';
import { CallbackList, type AnyCallback, type Logs } from '../callbacks/callback';
import { callbacksFrom, type CallbacksArg } from '../callbacks/custom';
import { History } from '../callbacks/history';
import { ProgbarLogger } from '../callbacks/progbar';
import { resumePointOf } from '../callbacks/backup_and_restore';
import { clone } from '../ops/cast';
import { concat } from '../ops/concat';
import { dispose, tidy } from '../tensor/memory';
import { checkOptions } from '../options/check';
import { Tensor, type Variable } from '../tensor/tensor';
import { PyDataset } from '../utils/py_dataset';
import { PyDatasetSource } from './py_dataset_source';
import { IterableSource, TensorSource, classSampleWeights, isBatchIterable, stepBatch, type Batch, type BatchIterable, type BatchSource } from './data_adapter';
import { compiledOf, metricResults, outputNamesOf, stepLogs, type TrainableModel } from './steps';
import { tensorsIn, type TensorsLike } from './structures';
import type { ArrayData } from '../tensor/creation';
import type { ModelInputs, ModelTargets } from './raw_inputs';
import {
  batchLogsRead,
  distributedRun,
  gatherPredictions,
  globalLogs,
  rankCallbacks,
  rankVerbose,
  releaseShards,
  shardData,
  syncInitialState,
} from './distributed';
import { activeDataParallel } from '../distribution/data_parallel';
import { nextTurn, YieldPolicy, type YieldEvery } from './yield_every';
import { EpochWindow } from './epoch_window';
import { evaluateLogs, type EvaluateLogs } from './evaluate_result';
import { checkClassWeight, checkValidationSplit, checkVerbose, optionalInteger } from './loop_args';
import { checkBoolean, checkInteger } from '../options/check_args';
import { cappedEpochs, cappedSteps } from './debug_caps';
import { enterLoop, isRunning, leaveLoop } from './running_loops';

/** fit's options (TensorFlow.js names). */
export interface FitArgs {
  /** Samples per batch for tensor data (default 32); a Dataset batches itself. */
  batchSize?: number;
  /** The epoch to stop before: fit runs epochs initialEpoch .. epochs - 1 (default 1; 0 trains nothing, as in Keras). */
  epochs?: number;
  /** 0 silent, 1 progress bar (default), 2 one line per epoch, or 'auto' (Keras's: 1). */
  verbose?: number | 'auto' | boolean;
  /**
   * Hooks run around each epoch and batch (before the History that fit returns): Callbacks,
   * or objects of hook functions (`{ onEpochEnd: (epoch, logs) => ... }`, TensorFlow.js's
   * habit), one or an array.
   */
  callbacks?: CallbacksArg;
  /** Fraction of the (tensor) data kept for validation: the last samples, as Keras takes them. */
  validationSplit?: number;
  /** [x, y], [x, y, sampleWeight] (tensors or plain arrays, as x and y), or a Dataset. */
  validationData?: [ModelInputs, ModelTargets] | [ModelInputs, ModelTargets, Tensor | ArrayData] | BatchIterable;
  /** Shuffle tensor data before each epoch (default true). */
  shuffle?: boolean;
  /** Class index -> weight (an object, or an array by class): multiplies each sample's loss by its class's weight. */
  classWeight?: Record<number, number> | number[];
  /** One weight per sample: a tensor or a plain array. */
  sampleWeight?: Tensor | ArrayData;
  /** The epoch to start from (resuming). */
  initialEpoch?: number;
  /**
   * Batches per epoch (needed for endless datasets), each epoch taking them from where the
   * last one stopped (as Keras 3 and TensorFlow.js); data that runs out starts again.
   */
  stepsPerEpoch?: number;
  /** Batches of validation data per evaluation, taken as stepsPerEpoch takes them. */
  validationSteps?: number;
  /** Samples per batch for tensor validationData (default: batchSize). */
  validationBatchSize?: number;
  /** Validate every N epochs (default 1). */
  validationFreq?: number;
  /** When fit gives the event loop a turn and calls the callbacks' onYield: 'auto' (default, every batch), 'batch', 'epoch', 'never', or milliseconds. */
  yieldEvery?: YieldEvery;
}

/** evaluate's options. */
export interface EvaluateArgs {
  /** Samples per batch for tensor data (default 32). */
  batchSize?: number;
  /** 0 silent (default, also 'auto'), 1 progress bar, 2 one final line. */
  verbose?: number | 'auto' | boolean;
  /** One weight per sample, for in-memory data: a tensor or a plain array. */
  sampleWeight?: Tensor | ArrayData;
  /** Batches to use (default: all of the data). */
  steps?: number;
  /** Hooks run around the evaluation and each batch (onTest*): as fit's. */
  callbacks?: CallbacksArg;
}

/**
 * evaluate's options with Keras 3's return_dict: true (the default) gives the values by
 * name, which also read in order (`const [loss, acc] = ...`); false gives Keras's list.
 */
export type EvaluateReturnArgs = EvaluateArgs & { returnDict?: boolean };

/** predict's options. */
export interface PredictArgs {
  /** Samples per batch for tensor data (default 32). */
  batchSize?: number;
  /** 0 silent (default, also 'auto'), 1 progress bar, 2 one final line. */
  verbose?: number | 'auto' | boolean;
  /** Batches to use (default: all of the data). */
  steps?: number;
  /** Hooks run around the prediction and each batch (onPredict*): as fit's. */
  callbacks?: CallbacksArg;
}

/** The batches of x and y; with `steps`, the first that many of each pass (evaluate's and predict's steps). */
function makeSource(
  op: string,
  x: unknown,
  y: unknown,
  sampleWeight: Tensor | undefined,
  batchSize: number | undefined,
  shuffle: boolean,
  steps?: number,
): BatchSource {
  if (isBatchIterable(x)) {
    // Read from the batches, never from options that would be ignored without a word.
    if (sampleWeight !== undefined) {
      throw new Error(`${op}: when x is a Dataset or an iterable of batches, sampleWeight must not be given (the batches carry it: [x, y, sampleWeight])`);
    }
    if (y !== undefined) throw new Error(`${op}: when x is a Dataset or an iterable of batches, y must not be given (the batches carry it)`);
    if (batchSize !== undefined) {
      // Keras ignores batch_size beside a PyDataset; here it is refused, as for a Dataset.
      const how = x instanceof PyDataset ? 'a PyDataset makes its batches in getItem' : 'batch it with ds.batch(n)';
      throw new Error(`${op}: batchSize (${describe(batchSize)}) does not apply to a Dataset or an iterable of batches, which is batched already: ${how}`);
    }
    if (x instanceof PyDataset) return new PyDatasetSource(op, x, shuffle, steps ?? null);
    return new IterableSource(op, x, steps ?? null);
  }
  // y null is Keras's y=None: no targets.
  const source = new TensorSource(op, x as TensorsLike, (y ?? undefined) as TensorsLike | undefined, sampleWeight, batchSize ?? 32, shuffle);
  return steps === undefined ? source : source.limitSteps(op, steps);
}

// Batches a source made are released after their step; a user's own stay the user's.
function releaseBatch(source: BatchSource, batch: Batch): void {
  if (source.ownsBatches) dispose([tensorsIn(batch.x), tensorsIn(batch.y), batch.sampleWeight ?? null] as never);
}

function withClassWeights(op: string, model: TrainableModel, batch: Batch, classWeight: Record<number, number> | undefined): Batch {
  if (!classWeight) return batch;
  if (!(batch.y instanceof Tensor)) throw new Error(`${op}: classWeight is supported for single-output models only (as in Keras); use sampleWeight`);
  const y = batch.y;
  return { ...batch, sampleWeight: classSampleWeights(op, classWeight, y, batch.sampleWeight) };
}

function runStep<T>(op: string, step: () => T): T {
  const out = tidy(step);
  if (out instanceof Promise) throw new Error(`${op}: trainStep / testStep must be synchronous (they run inside tidy)`);
  return out;
}

/** A train or test step, its logs read as numbers inside the step's tidy (see stepLogs). */
function runLoggedStep(op: string, model: TrainableModel, step: () => unknown): Logs {
  return runStep(op, () => stepLogs(op, model, step()));
}

// The name of a stateful layer (a stateful RNN) in the model, if any.
function statefulLayerOf(model: TrainableModel): string | undefined {
  const all = (model as { allLayers?: () => { name: string; stateful?: unknown }[] }).allLayers?.() ?? [];
  return all.find((l) => l.stateful === true)?.name;
}

/** One training step, through the compiled step's plans when compile() asked for jitCompile. */
function runTrainStep(op: string, model: TrainableModel, batch: Batch): Logs {
  const step = () => runLoggedStep(op, model, () => model.trainStep(stepBatch(batch)));
  const jit = model.compiled?.jit;
  if (!jit || (jit.mode === 'auto' && activeDataParallel() !== null)) return step();
  // A stateful layer's states move from step to step outside what a plan records.
  if (jit.fallbackReason === null) {
    const stateful = statefulLayerOf(model);
    if (stateful !== undefined) jit.fallBack(model, `layer ${stateful} is stateful: its states carry over from step to step, which a recorded plan cannot`);
  }
  return jit.run(model, model.compiled!.optimizer, batch, step);
}

/** Trains the model; resolves to the History of every epoch's logs. */
export async function fit(model: TrainableModel, x: unknown, y: unknown, args: FitArgs = {}): Promise<History> {
  const op = `${model.name}.fit`;
  args = checkOptions(op, args, 'Model.fit');
  // A second fit would interleave its steps with the first's (TensorFlow.js refuses it too).
  if (isRunning(model, 'fit')) throw new Error(`${op}: cannot start training because another fit() call is ongoing`);
  enterLoop(model, 'fit');
  try {
    // Under DataParallel each rank fits its shard (the same steps on every rank).
    // Plain arrays in x, y and the options are tensors by now (raw_inputs.ts).
    const shard = shardData(x, y, args.sampleWeight as Tensor | undefined, true);
    const vd = args.validationData;
    const valShard = Array.isArray(vd) && !isBatchIterable(vd) ? shardData(vd[0], vd[1], vd[2] as Tensor | undefined, false) : null;
    try {
      const shardedArgs = {
        ...args,
        sampleWeight: shard.sampleWeight,
        ...(valShard ? { validationData: [valShard.x, valShard.y, ...(valShard.sampleWeight ? [valShard.sampleWeight] : [])] as never } : {}),
      };
      if (distributedRun() && vd !== undefined && isBatchIterable(vd)) shardedArgs.validationData = shardData(vd, undefined, undefined, false).x as never;
      return await runFit(op, model, shard.x, shard.y, shardedArgs, valShard?.samples ?? 1);
    } finally {
      releaseShards(shard.owned);
      if (valShard) releaseShards(valShard.owned);
    }
  } finally {
    leaveLoop(model, 'fit');
  }
}

async function runFit(op: string, model: TrainableModel, x: unknown, y: unknown, args: FitArgs, validationSamples: number): Promise<History> {
  const userCallbacks = callbacksFrom(op, args.callbacks);
  const yielding = new YieldPolicy(op, args.yieldEvery, new CallbackList(userCallbacks).defines('onYield'));
  // 0 (or initialEpoch >= epochs) trains nothing, as in Keras 3: onTrainBegin / onTrainEnd, an empty History.
  const epochs = cappedEpochs(op, checkInteger(op, 'epochs', args.epochs ?? 1, 0));
  const initialEpoch = checkInteger(op, 'initialEpoch', args.initialEpoch ?? 0, 0);
  const validationFreq = checkInteger(op, 'validationFreq', args.validationFreq ?? 1, 1);
  const shuffle = args.shuffle === undefined ? true : checkBoolean(op, 'shuffle', args.shuffle);
  const stepsPerEpoch = cappedSteps(op, 'stepsPerEpoch', optionalInteger(op, 'stepsPerEpoch', args.stepsPerEpoch, 1));
  const validationSteps = optionalInteger(op, 'validationSteps', args.validationSteps, 1);
  const validationBatchSize = optionalInteger(op, 'validationBatchSize', args.validationBatchSize, 1);
  const classWeight = checkClassWeight(op, args.classWeight);
  const validationSplit = checkValidationSplit(op, args.validationSplit);
  const verbose = rankVerbose(checkVerbose(op, args.verbose, 1));
  activeDataParallel()?.checkVariables(op, (model as { weights?: Variable[] }).weights ?? []);
  syncInitialState(op, model as never, compiledOf(model, op));
  const batchSize = args.batchSize ?? 32;
  let train = makeSource(op, x, y, args.sampleWeight as Tensor | undefined, args.batchSize, shuffle);
  let validation: BatchSource | null = null;
  if (validationSplit !== undefined) {
    if (!(train instanceof TensorSource)) throw new Error(`${op}: validationSplit needs tensor data; with a Dataset pass validationData`);
    const [t, v] = train.split(op, validationSplit, validationBatchSize ?? batchSize);
    train = t;
    validation = v;
  } else if (args.validationData !== undefined) {
    const vd = args.validationData;
    validation = isBatchIterable(vd)
      ? vd instanceof PyDataset
        ? new PyDatasetSource(op, vd, false, null)
        : new IterableSource(op, vd, null)
      : new TensorSource(
          op,
          (vd as unknown[])[0] as TensorsLike,
          (vd as unknown[])[1] as TensorsLike,
          (vd as unknown[])[2] as Tensor | undefined,
          validationBatchSize ?? batchSize,
          false,
        );
  }
  if (stepsPerEpoch !== undefined) train = new EpochWindow(op, train, stepsPerEpoch, 'stepsPerEpoch');
  const valSteps = validation === null ? undefined : cappedSteps(op, 'validationSteps', validationSteps);
  if (validation !== null && valSteps !== undefined) validation = new EpochWindow(op, validation, valSteps, 'validationSteps');
  try {
    return await trainEpochs(
      op,
      model,
      train,
      validation,
      { ...args, epochs, initialEpoch, validationFreq, verbose, classWeight },
      userCallbacks,
      yielding,
      validationSamples,
    );
  } finally {
    // A data set that fails to close must not hide how training ended.
    await Promise.allSettled([train.close?.(), validation?.close?.()]);
  }
}

/** fit's epochs over checked options (runFit's), with their callbacks. */
async function trainEpochs(
  op: string,
  model: TrainableModel,
  train: BatchSource,
  validation: BatchSource | null,
  args: FitArgs & { epochs: number; initialEpoch: number; validationFreq: number; verbose: number },
  userCallbacks: AnyCallback[],
  yielding: YieldPolicy,
  validationSamples: number,
): Promise<History> {
  const { epochs, initialEpoch, verbose } = args;
  const history = new History();
  // As Keras orders them: the user's callbacks first, so History and the progress bar
  // see what they add to the logs (ReduceLROnPlateau's learning_rate).
  const callbacks = new CallbackList([...rankCallbacks(userCallbacks), ...(verbose > 0 ? [new ProgbarLogger({ verbose })] : []), history]);
  const userTestHooks = new CallbackList(rankCallbacks(userCallbacks));
  callbacks.setModel(model as never);
  callbacks.setParams({ epochs, steps: train.steps ?? undefined, verbose });
  // Data-parallel: every step's logs made global only when a callback reads them per batch.
  const reduceEachStep = batchLogsRead(callbacks.callbacks);
  const onYield = callbacks.defines('onYield');
  let batchesInAll = 0;
  model.stopTraining = false;
  await callbacks.call('onTrainBegin');
  // A BackupAndRestore that restored a backup says where to go on (Keras: `self._initial_epoch or initial_epoch`).
  const resume = resumePointOf(callbacks.callbacks);
  const startEpoch = resume !== null && resume.epoch > 0 ? resume.epoch : initialEpoch;
  try {
    for (let epoch = startEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      model.resetMetrics();
      await callbacks.call('onEpochBegin', epoch);
      let logs: Logs = {};
      let step = 0;
      // Batches of the resumed epoch trained before the backup: read past, not trained again.
      let skip = epoch === startEpoch && resume !== null ? resume.step : 0;
      for await (const raw of train.batches(epoch)) {
        if (skip > 0) {
          skip--;
          step++;
          releaseBatch(train, raw);
          continue;
        }
        await callbacks.call('onTrainBatchBegin', step);
        try {
          logs = runTrainStep(op, model, withClassWeights(op, model, raw, args.classWeight));
          if (reduceEachStep) logs = globalLogs(logs);
        } finally {
          releaseBatch(train, raw);
        }
        await callbacks.call('onTrainBatchEnd', step, logs);
        step++;
        if (model.stopTraining) break;
        if ((await yielding.afterBatch()) && onYield) {
          await callbacks.call('onYield', epoch, step - 1, logs);
          if (model.stopTraining) break;
        }
      }
      if (step === 0 && batchesInAll === 0) throw new Error(`${op}: the training data produced no batches in epoch ${epoch + 1}`);
      if (step === 0) {
        // A one-shot iterable used up: as Keras 3 and TensorFlow.js, stop with what was trained.
        console.warn(
          `${op}: the training data ran out at epoch ${epoch + 1} after ${batchesInAll} batches; training stops here (give a Dataset, which can be read again, or stepsPerEpoch x epochs batches)`,
        );
        break;
      }
      batchesInAll += step;
      // The last step's logs are the epoch's running means: global on every rank.
      const epochLogs: Logs = reduceEachStep ? { ...logs } : globalLogs(logs);
      if (validation && (epoch + 1 - initialEpoch) % args.validationFreq === 0) {
        // As Keras's fit evaluates with its callbacks: the user's see the test hooks (SwapEMAWeights swaps there).
        const val = globalLogs(await testLoop(model, validation, userTestHooks, op), validationSamples);
        for (const [k, v] of Object.entries(val)) epochLogs[`val_${k}`] = v;
      }
      await callbacks.call('onEpochEnd', epoch, epochLogs);
      if ((await yielding.afterEpoch()) && onYield) await callbacks.call('onYield', epoch, step - 1, epochLogs);
    }
  } finally {
    // Keras's fit ends with finalize_variable_values (with useEma: the averages into the
    // model), before onTrainEnd and even when training fails.
    if (epochs > 0) model.compiled?.optimizer.finalizeVariableValues(model.trainableWeights);
  }
  await callbacks.call('onTrainEnd');
  return history;
}

async function testLoop(model: TrainableModel, source: BatchSource, callbacks: CallbackList, op: string): Promise<Logs> {
  compiledOf(model, op);
  model.resetMetrics();
  await callbacks.call('onTestBegin');
  let logs: Logs;
  let step = 0;
  for await (const batch of source.batches(0)) {
    await callbacks.call('onTestBatchBegin', step);
    try {
      logs = runLoggedStep(op, model, () => model.testStep(stepBatch(batch)));
    } finally {
      releaseBatch(source, batch);
    }
    await callbacks.call('onTestBatchEnd', step, logs);
    step++;
    await nextTurn();
  }
  if (step === 0) throw new Error(`${op}: the evaluation data produced no batches`);
  logs = metricResults(model.metrics);
  await callbacks.call('onTestEnd', logs);
  return logs;
}

/** Loss and metrics over the data, by name and in order (evaluate_result.ts), or as Keras's list. */
export async function evaluate(model: TrainableModel, x: unknown, y: unknown, args: EvaluateReturnArgs = {}): Promise<EvaluateLogs | number[]> {
  const op = `${model.name}.evaluate`;
  args = checkOptions(op, args, 'Model.evaluate');
  const shard = shardData(x, y, args.sampleWeight as Tensor | undefined, false);
  enterLoop(model, 'evaluate');
  try {
    const verbose = rankVerbose(checkVerbose(op, args.verbose, 0));
    const returnDict = args.returnDict === undefined ? true : checkBoolean(op, 'returnDict', args.returnDict);
    const source = makeSource(
      op,
      shard.x,
      shard.y,
      shard.sampleWeight,
      args.batchSize,
      false,
      cappedSteps(op, 'steps', optionalInteger(op, 'steps', args.steps, 1)),
    );
    const callbacks = new CallbackList([...rankCallbacks(callbacksFrom(op, args.callbacks)), ...(verbose > 0 ? [new ProgbarLogger({ verbose })] : [])]);
    callbacks.setModel(model as never);
    callbacks.setParams({ steps: source.steps ?? undefined, verbose });
    const logs = globalLogs(await testLoop(model, source, callbacks, op), shard.samples);
    return returnDict ? evaluateLogs(logs) : Object.values(logs);
  } finally {
    leaveLoop(model, 'evaluate');
    releaseShards(shard.owned);
  }
}

/** predict's per-batch outputs, joined along the batch axis in the first batch's structure. */
class PredictionParts {
  private readonly parts: Tensor[][] = [];
  private structure: unknown;
  private names: string[] = [];

  add(out: unknown): void {
    if (this.structure === undefined) {
      this.structure = out;
      this.names = out instanceof Tensor ? ['output'] : Array.isArray(out) ? out.map((_, i) => String(i)) : Object.keys(out as object);
    }
    const list = out instanceof Tensor ? [out] : Array.isArray(out) ? (out as Tensor[]) : this.names.map((k) => (out as Record<string, Tensor>)[k]);
    list.forEach((t, i) => (this.parts[i] ??= []).push(t));
  }

  get empty(): boolean {
    return this.structure === undefined;
  }

  join(): unknown {
    const joined = this.parts.map((ps) => {
      if (ps.length === 1) return ps[0];
      const t = concat(ps, 0);
      dispose(ps);
      return t;
    });
    if (this.structure instanceof Tensor) return joined[0];
    if (Array.isArray(this.structure)) return joined;
    return Object.fromEntries(this.names.map((k, i) => [k, joined[i]]));
  }

  dispose(): void {
    dispose(this.parts as never);
  }
}

function predictLoop(
  model: TrainableModel,
  x: unknown,
  args: PredictArgs,
): { op: string; source: BatchSource; callbacks: CallbackList; parts: PredictionParts } {
  const op = `${model.name}.predict`;
  args = checkOptions(op, args, 'Model.predict');
  const verbose = checkVerbose(op, args.verbose, 0);
  const source = makeSource(op, x, undefined, undefined, args.batchSize, false, cappedSteps(op, 'steps', optionalInteger(op, 'steps', args.steps, 1)));
  const callbacks = new CallbackList([...callbacksFrom(op, args.callbacks), ...(verbose > 0 ? [new ProgbarLogger({ verbose })] : [])]);
  callbacks.setModel(model as never);
  callbacks.setParams({ steps: source.steps ?? undefined, verbose });
  return { op, source, callbacks, parts: new PredictionParts() };
}

function predictBatch(op: string, model: TrainableModel, source: BatchSource, batch: Batch): unknown {
  try {
    const out = runStep(op, () => model.predictStep(stepBatch(batch)));
    return source.ownsBatches ? copyBatchTensors(out, batch) : out;
  } finally {
    releaseBatch(source, batch);
  }
}

// An output that is one of the batch's own tensors (an identity model, such as augmentation
// layers at inference) is copied: the batch is released.
function copyBatchTensors(out: unknown, batch: Batch): unknown {
  const inputs = new Set(tensorsIn(batch.x));
  const copy = (t: unknown) => (t instanceof Tensor && inputs.has(t) ? clone(t) : t);
  if (Array.isArray(out)) return out.map(copy);
  if (out !== null && typeof out === 'object' && !(out instanceof Tensor)) return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, copy(v)]));
  return copy(out);
}

/**
 * The model's outputs for every sample of in-memory tensors, computed in batches and
 * joined; synchronous, as TensorFlow.js's and Keras's predict are.
 */
export function predict(model: TrainableModel, x: TensorsLike, args: PredictArgs = {}): unknown {
  // Under DataParallel each rank predicts its rows and the ranks' outputs are joined.
  const shard = shardData(x, undefined, undefined, false);
  enterLoop(model, 'predict');
  try {
    return gatherPredictions(predictLocal(model, shard.x as TensorsLike, args));
  } finally {
    leaveLoop(model, 'predict');
    releaseShards(shard.owned);
  }
}

function predictLocal(model: TrainableModel, x: TensorsLike, args: PredictArgs): unknown {
  const { op, source, callbacks, parts } = predictLoop(model, x, args);
  if (!(source instanceof TensorSource)) throw new Error(`${op}: expected tensors; a Dataset or iterable goes through predictDataset`);
  callbacks.callSync(op, 'onPredictBegin');
  let step = 0;
  try {
    for (const batch of source.batches()) {
      callbacks.callSync(op, 'onPredictBatchBegin', step);
      parts.add(predictBatch(op, model, source, batch));
      callbacks.callSync(op, 'onPredictBatchEnd', step);
      step++;
    }
    if (parts.empty) throw new Error(`${op}: the data has no samples`);
  } catch (e) {
    parts.dispose();
    throw e;
  }
  const out = parts.join();
  callbacks.callSync(op, 'onPredictEnd');
  return out;
}

/** The model's outputs for every element of a Dataset or (async) iterable, joined; resolves when the data ends. */
export async function predictDataset(model: TrainableModel, x: BatchIterable, args: PredictArgs = {}): Promise<unknown> {
  const { op, source, callbacks, parts } = predictLoop(model, x, args);
  enterLoop(model, 'predict');
  try {
    return await predictAll(op, source, callbacks, parts, model);
  } finally {
    leaveLoop(model, 'predict');
  }
}

async function predictAll(op: string, source: BatchSource, callbacks: CallbackList, parts: PredictionParts, model: TrainableModel): Promise<unknown> {
  await callbacks.call('onPredictBegin');
  let step = 0;
  try {
    for await (const batch of source.batches(0)) {
      await callbacks.call('onPredictBatchBegin', step);
      parts.add(predictBatch(op, model, source, batch));
      await callbacks.call('onPredictBatchEnd', step);
      step++;
      await nextTurn();
    }
    if (parts.empty) throw new Error(`${op}: the data produced no batches`);
  } catch (e) {
    parts.dispose();
    throw e;
  }
  const out = parts.join();
  await callbacks.call('onPredictEnd');
  return out;
}

/** One training step on one batch; returns the loss and metric values (by name, and in order as evaluate's). */
export function trainOnBatch(
  model: TrainableModel,
  x: TensorsLike,
  y: TensorsLike,
  options: { sampleWeight?: Tensor; classWeight?: Record<number, number> | number[] } = {},
): EvaluateLogs {
  const op = `${model.name}.trainOnBatch`;
  options = checkOptions(op, options, 'Model.trainOnBatch');
  compiledOf(model, op);
  model.resetMetrics();
  return evaluateLogs({
    ...runTrainStep(op, model, withClassWeights(op, model, { x, y, sampleWeight: options.sampleWeight }, checkClassWeight(op, options.classWeight))),
  });
}

/** The loss and metrics of one batch, without training. */
export function testOnBatch(model: TrainableModel, x: TensorsLike, y: TensorsLike, options: { sampleWeight?: Tensor } = {}): EvaluateLogs {
  const op = `${model.name}.testOnBatch`;
  options = checkOptions(op, options, 'Model.testOnBatch');
  compiledOf(model, op);
  model.resetMetrics();
  return evaluateLogs({ ...runLoggedStep(op, model, () => model.testStep(stepBatch({ x, y, sampleWeight: options.sampleWeight }))) });
}

/** The model's outputs for one batch. */
export function predictOnBatch(model: TrainableModel, x: TensorsLike): unknown {
  return runStep(`${model.name}.predictOnBatch`, () => model.predictStep(stepBatch({ x })));
}

export { outputNamesOf };
