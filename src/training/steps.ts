// One step of training, testing or prediction (Keras 3's train_step, test_step,
// predict_step), and the loss and metric computations they share. Models may override
// the steps; these are the defaults.
import { LossScaleOptimizer } from '../optimizers/loss_scale_optimizer';
import { GradientTape } from '../autograd/gradient_tape';
import { averagedGradientsOf } from '../distribute/gradients';
import { activeDataParallel } from '../distribution/data_parallel';
import { noGrad } from '../tensor/run';
import { constraintOf } from '../constraints';
import type { Logs } from '../callbacks/callback';
import { add } from '../ops/binary';
import { describe } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import type { Metric } from '../metrics/metric';
import type { CompiledState } from './compile';
import type { Batch } from './data_adapter';
import { isTensor, toList, type TensorsLike } from './structures';
import { mapPacked } from '../tensor/packed_map';

/** What the training functions need of a model (Model implements it). */
export interface TrainableModel {
  readonly name: string;
  apply(inputs: TensorsLike, options?: { training?: boolean }): unknown;
  readonly trainableWeights: Variable[];
  readonly losses: Tensor[];
  stopTraining: boolean;
  /** @internal */
  compiled: CompiledState | null;
  /** The loss tracker and compiled metrics (or what a subclass lists). */
  readonly metrics: Metric[];
  resetMetrics(): void;
  trainStep(batch: Batch): StepLogs;
  testStep(batch: Batch): StepLogs;
  predictStep(batch: Batch): unknown;
}

/** The model's output names (graph models know them; others are numbered). */
export function outputNamesOf(model: TrainableModel, yPred?: unknown): string[] {
  const known = (model as { outputNames?: string[] }).outputNames;
  if (Array.isArray(known) && known.length > 0) return known;
  if (yPred === undefined || yPred instanceof Tensor) return ['output'];
  if (Array.isArray(yPred)) return yPred.map((_, i) => `output_${i + 1}`);
  return Object.keys(yPred as object);
}

export function compiledOf(model: TrainableModel, op: string): CompiledState {
  if (model.compiled === null) throw new Error(`${op}: the model must be compiled first: model.compile({optimizer, loss, metrics})`);
  return model.compiled;
}

/** Predictions as a list aligned with the output names. */
export function predictionList(model: TrainableModel, yPred: unknown, names: string[]): Tensor[] {
  return toList(model.name, 'output', yPred as TensorsLike, names, isTensor);
}

/** Batch size of a batch (the first input's first dimension). */
export function batchSizeOf(x: TensorsLike): number {
  const first = x instanceof Tensor ? x : Array.isArray(x) ? x[0] : Object.values(x)[0];
  return first.shape[0];
}

/**
 * The total loss of a batch: each output's loss weighted, plus the model's
 * regularization losses. Also feeds the per-output loss trackers.
 */
export function computeLoss(model: TrainableModel, y: TensorsLike, yPred: unknown, sampleWeight?: Tensor): Tensor {
  const compiled = compiledOf(model, 'computeLoss');
  compiled.bind(outputNamesOf(model, yPred));
  if (compiled.losses.every((l) => l === null)) {
    throw new Error(
      `${model.name}.computeLoss: the model was compiled without a loss; pass one to compile({optimizer, loss}), or compute the loss in your own trainStep / testStep`,
    );
  }
  const names = compiled.outputNames;
  const preds = predictionList(model, yPred, names);
  const targets = compiled.targetsOf('computeLoss', y);
  targets.forEach((t, i) => {
    if (t !== undefined && t.shape[0] !== preds[i].shape[0]) {
      throw new Error(`${model.name}: target '${names[i]}' has ${t.shape[0]} samples but the prediction has ${preds[i].shape[0]}`);
    }
  });
  const { total, perOutput } = compiled.totalLoss(targets, preds, sampleWeight);
  if (names.length > 1) {
    const n = preds[0].shape[0];
    noGrad(() => perOutput.forEach((l, i) => l !== null && compiled.outputLossTrackers[i]!.updateState(l.dataSync()[0], n)));
  }
  let loss = total;
  for (const r of model.losses) loss = add(loss, r);
  return loss;
}

/** Updates the compiled metrics with a batch and returns every metric's value. */
export function computeMetrics(model: TrainableModel, y: TensorsLike, yPred: unknown, sampleWeight?: Tensor): Logs {
  const compiled = compiledOf(model, 'computeMetrics');
  compiled.bind(outputNamesOf(model, yPred));
  const names = compiled.outputNames;
  const preds = predictionList(model, yPred, names);
  const targets = compiled.targetsOf('computeMetrics', y);
  noGrad(() =>
    preds.forEach((p, i) => {
      const metricsOf = [...compiled.metricsFor(i), ...compiled.weightedMetricsFor(i)];
      if (targets[i] === undefined && metricsOf.length > 0)
        throw new Error(
          `${model.name}: output '${names[i]}' has metrics (${metricsOf.map((m) => m.name).join(', ')}) but no targets (its loss is null and y holds none for it)`,
        );
      // As Keras 3: metrics unweighted, weightedMetrics with the sample weights.
      for (const m of compiled.metricsFor(i)) m.updateState(targets[i]!, p);
      for (const m of compiled.weightedMetricsFor(i)) m.updateState(targets[i]!, p, sampleWeight);
    }),
  );
  return metricResults(model.metrics);
}

/**
 * The current value of every metric, by name (Keras 3's get_metrics_result). A metric of
 * several values (F1Score per class) logs each under its index, `f1_score_0`, ...: logs
 * hold numbers, and its first value alone would pass for the whole.
 */
export function metricResults(metrics: Metric[]): Logs {
  const logs: Logs = {};
  for (const m of metrics) {
    const value = m.resultValue();
    if (typeof value === 'number') logs[m.name] = value;
    else value.forEach((v, i) => (logs[`${m.name}_${i}`] = v));
  }
  return logs;
}

/**
 * What a trainStep / testStep may return: logs by name, as numbers or scalar tensors
 * (Keras 3's `{m.name: m.result() for m in self.metrics}`), or nothing, to log the
 * model's metrics.
 */
export type StepLogs = { [name: string]: number | Tensor } | void;

/**
 * What a train or test step returned, as fit and evaluate log it (Keras 3's
 * pythonify_logs): numbers as they are, scalar tensors read as numbers. A step that
 * returns nothing logs the model's metrics, i.e. what the step updated. Runs inside the
 * step's tidy, which releases the tensors.
 */
export function stepLogs(op: string, model: TrainableModel, out: unknown): Logs {
  if (out instanceof Promise) throw new Error(`${op}: trainStep / testStep must be synchronous (they run inside tidy)`);
  if (out === undefined) return metricResults(model.metrics);
  if (out === null || typeof out !== 'object' || out instanceof Tensor || Array.isArray(out)) {
    throw new Error(
      `${op}: the step returned ${describe(out)}; expected its logs, an object of numbers or scalar tensors by name (e.g. return this.getMetricsResult())`,
    );
  }
  const logs: Logs = {};
  for (const [key, v] of Object.entries(out)) {
    if (typeof v === 'number') logs[key] = v;
    else if (v instanceof Tensor && v.size === 1) logs[key] = v.dataSync()[0];
    else throw new Error(`${op}: the step's log '${key}' is ${describe(v)}; expected a number or a scalar tensor (such as a metric's result())`);
  }
  return logs;
}

/** Keras 3's default train step: forward under a tape, loss, gradients, update, metrics. */
export function defaultTrainStep(model: TrainableModel, batch: Batch): Logs {
  const compiled = compiledOf(model, 'fit');
  if (batch.y === undefined) throw new Error(`${model.name}.fit: the data has no targets (y)`);
  // Trainable Variables are watched as ops read them, so layers built lazily by this
  // very forward pass (subclassed models) are differentiated too.
  const tape = new GradientTape();
  let loss: Tensor;
  let yPred: unknown;
  // The loss the gradients are taken of: scaled under a LossScaleOptimizer (Keras 3's
  // optimizer.scale_loss), which unscales the gradients; the tracker logs the loss itself.
  let target: Tensor;
  try {
    yPred = model.apply(batch.x, { training: true });
    loss = computeLoss(model, batch.y, yPred, batch.sampleWeight);
    target = compiled.optimizer instanceof LossScaleOptimizer ? compiled.optimizer.scaleLoss(loss) : loss;
  } catch (e) {
    tape.dispose();
    throw e;
  }
  const vars = model.trainableWeights;
  // Under DataParallel: the mean over ranks, in buckets all-reduced while backward runs.
  const dp = activeDataParallel();
  // Variables a lazily built model made in this step too (ModelParallel refuses sharded ones).
  dp?.checkVariables(`${model.name}.fit`, vars);
  const grads = dp ? averagedGradientsOf(tape, target, vars, dp.bucketBytes) : tape.gradient(target, vars);
  compiled.optimizer.applyGradients(mapPacked(vars, (v, i) => [grads[i], v] as [Tensor | null, Variable]));
  applyConstraints(vars);
  compiled.lossTracker.updateState(loss.dataSync()[0], batchSizeOf(batch.x));
  return computeMetrics(model, batch.y, yPred, batch.sampleWeight);
}

/** Projects each variable with a constraint back into its set (after every update). */
export function applyConstraints(vars: Variable[]): void {
  for (const v of vars) {
    const c = constraintOf(v);
    if (c) noGrad(() => v.assign(c.apply(v)));
  }
}

/** Keras 3's default test step: forward in inference mode, loss, metrics. */
export function defaultTestStep(model: TrainableModel, batch: Batch): Logs {
  const compiled = compiledOf(model, 'evaluate');
  if (batch.y === undefined) throw new Error(`${model.name}.evaluate: the data has no targets (y)`);
  return noGrad(() => {
    const yPred = model.apply(batch.x, { training: false });
    const loss = computeLoss(model, batch.y!, yPred, batch.sampleWeight);
    compiled.lossTracker.updateState(loss.dataSync()[0], batchSizeOf(batch.x));
    return computeMetrics(model, batch.y!, yPred, batch.sampleWeight);
  });
}

/** The default predict step: the model in inference mode. */
export function defaultPredictStep(model: TrainableModel, batch: Batch): unknown {
  return noGrad(() => model.apply(batch.x, { training: false }));
}
