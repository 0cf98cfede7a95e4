// What fit, evaluate and predict do under ts.distribution's DataParallel: shard the data
// by rank, start every rank from rank 0's weights and optimizer state, average gradients
// (steps.ts), reduce logs so every rank sees (and decides on) the global values, keep
// progress output and files to rank 0, and gather predictions.
import { BackupAndRestore } from '../callbacks/backup_and_restore';
import { Callback, type AnyCallback, type Logs } from '../callbacks/callback';
import { ModelCheckpoint } from '../callbacks/model_checkpoint';
import { ProgbarLogger } from '../callbacks/progbar';
import { CSVLogger } from '../callbacks/simple';
import { TensorBoard } from '../callbacks/tensorboard';
import { currentWorld } from '../distribute/backend';
import { allGatherSync, allReduceNumbers } from '../distribute/collectives';
import { broadcastOptimizerState, broadcastVariables } from '../distribute/variables';
import { activeDataParallel } from '../distribution/data_parallel';
import { shardIterable, shardRange, shardTensors, tensorsOf } from '../distribution/sharding';
import { dispose } from '../tensor/memory';
import { Tensor, Variable } from '../tensor/tensor';
import { isBatchIterable } from './data_adapter';
import { PyDataset } from '../utils/py_dataset';
import type { CompiledState } from './compile';
import type { TensorsLike } from './structures';

/** True when fit/evaluate/predict run data-parallel across more than one rank. */
export function distributedRun(): boolean {
  return activeDataParallel() !== null && currentWorld().size > 1;
}

function rowsOf(x: TensorsLike): number {
  return tensorsOf(x)[0].shape[0];
}

/**
 * This rank's share of the data. Training drops the remainder (every rank must run the
 * same number of steps); evaluation and prediction keep every sample.
 */
export function shardData(
  x: unknown,
  y: unknown,
  sampleWeight: Tensor | undefined,
  dropRemainder: boolean,
): { x: unknown; y: unknown; sampleWeight: Tensor | undefined; owned: Tensor[]; samples: number } {
  if (!distributedRun()) return { x, y, sampleWeight, owned: [], samples: 1 };
  if (x instanceof PyDataset) throw new Error('a PyDataset cannot be sharded for data-parallel training yet: give each rank its own PyDataset or a Dataset');
  if (isBatchIterable(x)) return { x: shardIterable(x as AsyncIterable<unknown>), y, sampleWeight, owned: [], samples: 1 };
  const { start, count } = shardRange(rowsOf(x as TensorsLike), dropRemainder);
  const sx = shardTensors(x as TensorsLike, start, count);
  const sy = shardTensors(y as TensorsLike | undefined, start, count);
  const sw = sampleWeight === undefined ? undefined : shardTensors(sampleWeight, start, count);
  return { x: sx, y: sy, sampleWeight: sw, owned: [...tensorsOf(sx), ...tensorsOf(sy), ...(sw ? [sw] : [])], samples: count };
}

export function releaseShards(owned: Tensor[]): void {
  dispose(owned);
}

/** Every rank starts from rank 0's weights and optimizer state. */
export function syncInitialState(op: string, model: { weights?: Variable[] }, compiled: CompiledState): void {
  if (!distributedRun()) return;
  const weights = model.weights ?? [];
  if (weights.length === 0) {
    throw new Error(
      `${op}: data-parallel training needs a built model so rank 0's weights can be broadcast before the first step; give the first layer an inputShape or call model.build(shape) before fit`,
    );
  }
  broadcastVariables(weights);
  if (compiled.optimizer.variables.length > 0) broadcastOptimizerState(compiled.optimizer);
}

/** Callbacks that write files run on rank 0 only; the others run everywhere (BackupAndRestore too: every rank restores, rank 0 writes). */
export function rankCallbacks(callbacks: AnyCallback[]): AnyCallback[] {
  if (!distributedRun() || currentWorld().rank === 0) return callbacks;
  return callbacks.filter((c) => !(c instanceof ModelCheckpoint || c instanceof TensorBoard || c instanceof CSVLogger));
}

/** Progress output on rank 0 only. */
export function rankVerbose(verbose: number): number {
  return distributedRun() && currentWorld().rank !== 0 ? 0 : verbose;
}

/**
 * Whether any rank's callbacks read the logs at a training batch's end, the same answer on
 * every rank (one small all-reduce at the start of fit): a callback whose onTrainBatchEnd,
 * onBatchEnd or onYield is its own (a user's, LambdaCallback's, TerminateOnNaN's), or a built-in one that uses
 * them per batch (a progress bar drawn on a terminal, a checkpoint or TensorBoard with a
 * batch frequency). When none does, fit reduces the logs once per epoch instead of at
 * every step (a meeting point of the ranks per step fewer): Keras 3 reads them at its
 * batch-end callbacks and at the epoch's end, and the last step's logs are the epoch's.
 */
export function batchLogsRead(callbacks: AnyCallback[]): boolean {
  if (!distributedRun()) return true;
  const reads = callbacks.some((c) => {
    const builtIn = (c as { readsBatchLogs?: unknown }).readsBatchLogs;
    if (c instanceof ProgbarLogger || c instanceof ModelCheckpoint || c instanceof TensorBoard || c instanceof BackupAndRestore) return builtIn === true;
    return (['onTrainBatchEnd', 'onBatchEnd', 'onYield'] as const).some((hook) => c[hook] !== Callback.prototype[hook]);
  });
  return allReduceNumbers([reads ? 1 : 0], 'max')[0] > 0;
}

/**
 * The logs every rank sees: each value averaged over ranks, weighted by each rank's
 * sample count (mean metrics over unequal shards stay exact).
 */
export function globalLogs(logs: Logs, weight = 1): Logs {
  if (!distributedRun()) return logs;
  const keys = Object.keys(logs); // the same order on every rank (the same metrics)
  const sums = allReduceNumbers([...keys.map((k) => (logs[k] as number) * weight), weight]);
  const total = sums[keys.length];
  return Object.fromEntries(keys.map((k, i) => [k, sums[i] / total]));
}

/** Every rank's predictions joined in rank order (so in the order of the original rows). */
export function gatherPredictions(out: unknown): unknown {
  if (!distributedRun()) return out;
  const gather = (t: Tensor) => {
    const g = allGatherSync(t);
    t.dispose();
    return g;
  };
  if (out instanceof Tensor) return gather(out);
  if (Array.isArray(out)) return out.map((t) => gather(t as Tensor));
  return Object.fromEntries(
    Object.keys(out as object)
      .sort()
      .map((k) => [k, gather((out as Record<string, Tensor>)[k])]),
  );
}
