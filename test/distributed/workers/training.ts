// Under mpirun (or plain node: a world of one), the scenarios of test/distributed:
//   (SYNC_BN=1 / 0: the model has a BatchNormalization with synchronized true / false)
//   equivalence <out.json> [bucketBytes]  20 Adam steps on 128 samples (2 ranks x batch
//                           64 or 1 x 128), gradients averaged in buckets of bucketBytes
//   dataset <out.json>      fit on a Dataset of 128 samples in batches of 64 / size, split
//                           by rank (every size-th batch): 2 global steps of 64 per epoch
//   customloop <out.json>   the same 20 steps in a GradientTape loop with distributedOptimizer
//   inplace <out.json>      which gradients fit's averaging reduces in place (only sole ones)
//   logs <out.json>         how often fit all-reduces its logs, with and without batch-end readers
//   (MODEL=wide / uneven: other models; TESSERA_DIST_INPLACE=0: every gradient out of place)
//   fit <dir>               fit with validation, EarlyStopping, ReduceLROnPlateau and a
//                           ModelCheckpoint, then a resume from the checkpoint
//   throw                   rank 1 throws in epoch 2; every rank must end non-zero
//   throwbackward           rank 1 throws inside backward with gradient buckets in flight
//   stall                   rank 1 never joins an all-reduce; the timeout must end the job
//   stallblocking sync|async  the same for a blocking (mid-size) all-reduce
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../../src';
import { GradientTape } from '../../../src/autograd/gradient_tape';
import { currentWorld } from '../../../src/distribute/backend';
import { GradientBuckets, IN_PLACE_MAX_BYTES } from '../../../src/distribute/buckets';
import { averagedGradientsOf } from '../../../src/distribute/gradients';
import { agreedOrder } from '../../../src/distribute/ready_order';

/**
 * Counts the gradient all-reduces the shim is handed while some gradient of the step is
 * not yet final (backward still has layers to walk: fit's overlap), and in all; and of the
 * tensors' (not typed arrays': logs, orders), those reduced in place (no `out`) or not.
 */
function countOverlap(): { during: number; all: number; inPlace: number; fresh: number; decisions: boolean[]; numbers: number } {
  const counts = { during: 0, all: 0, inPlace: 0, fresh: 0, decisions: [] as boolean[], numbers: 0 };
  let pending = 0; // gradients of the running backward not yet announced
  const gradientAsReady = GradientTape.prototype.gradientAsReady;
  GradientTape.prototype.gradientAsReady = function (this: GradientTape, target, sources, onReady, outputGradient) {
    pending = sources.length;
    try {
      return gradientAsReady.call(
        this,
        target,
        sources,
        (i, g, sole) => {
          pending--;
          onReady(i, g, sole);
        },
        outputGradient,
      );
    } finally {
      pending = 0;
    }
  };
  const w = currentWorld();
  if (w.shim) {
    const real = w.shim;
    const submit = real.submit.bind(real);
    w.shim = Object.create(real) as typeof real; // the addon's own properties are read-only
    Object.defineProperty(w.shim, 'submit', {
      value: (...args: Parameters<typeof submit>) => {
        if (args[0] === 0) {
          counts.all++;
          if (pending > 0) counts.during++;
          if (args[1] instanceof Float64Array) counts.numbers++; // logs, orders, flags (allReduceNumbers)
          if (!ArrayBuffer.isView(args[1])) {
            counts[args[6] === undefined ? 'inPlace' : 'fresh']++;
            counts.decisions.push(args[6] === undefined);
          }
        }
        return submit(...args);
      },
    });
  }
  return counts;
}

function mlp(): ts.Model {
  ts.setSeed(1234);
  if (process.env.MODEL === 'wide') {
    // A first kernel of 8 x 2053 floats (65,696 bytes: a blocking MPI_Allreduce, odd size).
    return ts.sequential({
      layers: [ts.layers.dense({ units: 2053, activation: 'relu', inputShape: [8] }), ts.layers.dense({ units: 3, activation: 'softmax' })],
    });
  }
  if (process.env.MODEL === 'uneven') {
    // Gradients of uneven sizes (a conv kernel, biases of 5 and 37, a 40 x 37 kernel...).
    return ts.sequential({
      layers: [
        ts.layers.reshape({ targetShape: [2, 4, 1], inputShape: [8] }),
        ts.layers.conv2d({ filters: 5, kernelSize: 2, padding: 'same', activation: 'relu' }),
        ts.layers.flatten(),
        ts.layers.dense({ units: 37, activation: 'relu' }),
        ts.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
  }
  if (process.env.SYNC_BN !== undefined) {
    return ts.sequential({
      layers: [
        ts.layers.dense({ units: 16, useBias: false, inputShape: [8] }), // BN cancels a bias: its gradient would be rounding noise that Adam amplifies
        ts.layers.batchNormalization({ synchronized: process.env.SYNC_BN === '1' }),
        ts.layers.activation({ activation: 'relu' }),
        ts.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
  }
  return ts.sequential({ layers: [ts.layers.dense({ units: 16, activation: 'relu', inputShape: [8] }), ts.layers.dense({ units: 3, activation: 'softmax' })] });
}

/** 256 fixed samples of a 3-class problem (the same on every rank). */
function data(n = 256): { x: ts.Tensor; y: ts.Tensor } {
  const xs = new Float32Array(n * 8);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 8; j++) xs[i * 8 + j] = Math.sin(i * 0.37 + j * 1.3) + (j % 3) * 0.1;
    ys[i] = (xs[i * 8] + xs[i * 8 + 1] > 0.2 ? 1 : 0) + (xs[i * 8 + 2] > 0.5 ? 1 : 0);
  }
  return { x: ts.tensor(xs, [n, 8]), y: ts.tensor(ys, [n], 'int32') };
}

function compile(model: ts.Model): void {
  model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
}

function weightsOf(model: ts.Model): number[][] {
  return model.weights.map((w) => Array.from(w.dataSync()));
}

async function equivalence(out: string, bucketBytes?: string): Promise<void> {
  const { rank, size } = ts.distribute.init();
  const allReduces = countOverlap();
  ts.distribution.setDistribution(new ts.distribution.DataParallel(bucketBytes ? { bucketBytes: Number(bucketBytes) } : {}));
  const model = mlp();
  // Ranks other than 0 start elsewhere: fit must broadcast rank 0's weights.
  if (rank > 0) for (const w of model.weights) w.assign(ts.randomNormal(w.shape));
  compile(model);
  const { x, y } = data(128);
  // 128 samples: one step per epoch, with batch 128 / size on each rank.
  const history = await model.fit(x, y, { batchSize: 128 / size, epochs: 20, shuffle: false, verbose: 0 });
  // The arrival order learned from the first step, agreed by the ranks (none in a world of one).
  const order = agreedOrder(model.trainableWeights) ?? null;
  writeFileSync(
    out.replace('.json', `.rank${rank}.json`),
    JSON.stringify({ rank, size, weights: weightsOf(model), loss: history.history.loss, allReduces, order }),
  );
}

async function datasetFit(out: string): Promise<void> {
  const { rank, size } = ts.distribute.init();
  ts.distribution.setDistribution(new ts.distribution.DataParallel());
  const model = mlp();
  compile(model);
  const { x, y } = data(128);
  const ds = ts.data.fromTensors({ xs: x, ys: y }).batch(64 / size);
  let steps = 0;
  const count = new ts.callbacks.LambdaCallback({
    onTrainBatchEnd: () => {
      steps++;
    },
  });
  const history = await model.fit(ds, { epochs: 5, verbose: 0, callbacks: [count] });
  writeFileSync(out.replace('.json', `.rank${rank}.json`), JSON.stringify({ rank, size, steps, weights: weightsOf(model), loss: history.history.loss }));
}

async function customLoop(out: string): Promise<void> {
  const { rank, size } = ts.distribute.init();
  const model = mlp();
  if (rank > 0) for (const w of model.weights) w.assign(ts.randomNormal(w.shape));
  ts.distribute.broadcastVariables(model.weights);
  const optimizer = ts.distribute.distributedOptimizer(new ts.optimizers.Adam({ learningRate: 0.01 }), { bucketBytes: 256 });
  const lossFn = new ts.losses.SparseCategoricalCrossentropy();
  const { x, y } = data(128);
  const rows = 128 / size;
  const xs = ts.slice(x, [rank * rows, 0], [rows, 8]);
  const ys = ts.slice(y, [rank * rows], [rows]);
  const loss: number[] = [];
  for (let step = 0; step < 20; step++) {
    ts.tidy(() => {
      const tape = new ts.GradientTape();
      const l = lossFn.apply(ys, model.apply(xs, { training: true }) as ts.Tensor);
      const grads = tape.gradient(l, model.trainableWeights);
      optimizer.applyGradients(model.trainableWeights.map((v, i): [ts.Tensor | null, ts.Variable] => [grads[i], v]));
      loss.push(l.dataSync()[0]);
    });
  }
  writeFileSync(out.replace('.json', `.rank${rank}.json`), JSON.stringify({ rank, size, weights: weightsOf(model), loss }));
}

/**
 * inplace: which gradients fit's averaging reduces into their own bytes, on a tape whose
 * gradients (odd sizes, 1001 floats, each in a bucket of its own) are: a and b one shared
 * tensor (add hands the same dy to both), e's a view of that tensor (reshape), c's its own.
 * Only c's may be overwritten; every mean must be right. Then a user's tensors passed to
 * averageGradients and allReduce stay as they were.
 */
async function inPlaceDecisions(out: string): Promise<void> {
  const { rank, size } = ts.distribute.init();
  const counts = countOverlap();
  const n = 1001;
  const xOf = (r: number) => Float32Array.from({ length: n }, (_, i) => ((i * 5 + r * 3) % 11) - 5);
  const x = ts.tensor(xOf(rank), [n]);
  const [a, b, c] = ['a', 'b', 'c'].map((name) => ts.variable(ts.zeros([n]), true, name));
  const e = ts.variable(ts.zeros([7, 143]), true, 'e');
  const tape = new GradientTape();
  const loss = ts.sum(ts.add(ts.mul(ts.add(ts.add(a, b), ts.reshape(e, [n])), x), ts.mul(c, x)));
  const means = averagedGradientsOf(tape, loss, [a, b, c, e], 64);
  // The mean of x over ranks (each rank's gradient is x / size): exact in float32 here.
  const want = Array.from({ length: n }, (_, i) => Math.fround(Array.from({ length: size }, (_, r) => xOf(r)[i] / size).reduce((s, v) => s + v, 0)));
  const wrong = means.flatMap((m, k) => (Array.from(m!.dataSync()).every((v, i) => v === want[i]) ? [] : [k]));
  // A user's tensors: reduced into fresh ones, left as they were.
  const mine = ts.tensor(xOf(rank), [n]);
  const [averaged] = ts.distribute.averageGradients([mine], 64);
  const reduced = ts.distribute.allReduceSync(mine, 'mean');
  const untouched = Array.from(mine.dataSync()).every((v, i) => v === xOf(rank)[i]);
  const userMeansRight = [averaged!, reduced].every((t) => Array.from(t.dataSync()).every((v, i) => v === want[i]));
  // A sole gradient of IN_PLACE_MAX_BYTES: a polled all-reduce, half as fast in place, so a fresh result.
  const big = ts.variable(ts.zeros([IN_PLACE_MAX_BYTES / 4]), true, 'big');
  const bigTape = new GradientTape();
  const [bigMean] = averagedGradientsOf(bigTape, ts.sum(ts.mul(big, 2)), [big], 64);
  const bigMeanRight = bigMean!.dataSync().every((v) => v === 2);
  writeFileSync(
    out.replace('.json', `.rank${rank}.json`),
    JSON.stringify({
      rank,
      submitted: counts.decisions,
      wrong,
      distinct: new Set(means).size,
      untouched,
      userMeansRight,
      userFresh: averaged !== mine && reduced !== mine,
      bigMeanRight,
      counts,
    }),
  );
}

/**
 * logs: how often fit all-reduces its logs (the small float64 all-reduces) over 2 epochs of
 * 8 steps: with nothing reading batch logs, with a batch-end callback on every rank (its
 * logs global at every step), and with one on rank 1 only (every rank must still join).
 */
async function logsReduction(out: string): Promise<void> {
  const { rank } = ts.distribute.init({ timeout: 20 });
  ts.distribution.setDistribution(new ts.distribution.DataParallel());
  const counts = countOverlap();
  const { x, y } = data(256);
  const fitWith = async (callbacks: ts.callbacks.Callback[]) => {
    const model = mlp();
    compile(model);
    const before = counts.numbers;
    const history = await model.fit(x, y, { batchSize: 16, epochs: 2, shuffle: false, verbose: 0, callbacks });
    return { numbers: counts.numbers - before, history: history.history };
  };
  const quiet = await fitWith([]);
  const batchLoss: number[] = [];
  const reader = () => new ts.callbacks.LambdaCallback({ onTrainBatchEnd: (_b: number, logs?: ts.callbacks.Logs) => void batchLoss.push(logs!.loss) });
  const read = await fitWith([reader()]);
  const oneRank = await fitWith(rank === 1 ? [reader()] : []);
  writeFileSync(out.replace('.json', `.rank${rank}.json`), JSON.stringify({ rank, quiet, read, oneRank, batchLoss: batchLoss.slice(0, 16) }));
}

class CountingCheckpoint extends ts.callbacks.ModelCheckpoint {
  saves = 0;
  override async onEpochEnd(epoch: number, logs?: ts.callbacks.Logs): Promise<void> {
    this.saves++;
    await super.onEpochEnd(epoch, logs);
  }
}

async function fit(dir: string): Promise<void> {
  const { rank } = ts.distribute.init();
  ts.distribution.setDistribution(new ts.distribution.DataParallel());
  const model = mlp();
  compile(model);
  const { x, y } = data(256);
  const [xt, xv] = [ts.slice(x, [0, 0], [200, 8]), ts.slice(x, [200, 0], [56, 8])];
  const [yt, yv] = [ts.slice(y, [0], [200]), ts.slice(y, [200], [56])];
  const checkpoint = new CountingCheckpoint({ filepath: join(dir, 'model.keras') });
  const early = new ts.callbacks.EarlyStopping({ monitor: 'val_loss', patience: 1 });
  const plateau = new ts.callbacks.ReduceLROnPlateau({ monitor: 'val_loss', patience: 1, factor: 0.5 });
  const history = await model.fit(xt, yt, {
    batchSize: 25,
    epochs: 4,
    validationData: [xv, yv],
    callbacks: [checkpoint, early, plateau],
    verbose: rank === 0 ? 1 : 0,
  });
  const evaluated = await model.evaluate(xv, yv);
  const predicted = model.predict(xv) as ts.Tensor;
  await ts.distribute.barrier(); // rank 0's checkpoint is on disk for every rank
  const resumed = await ts.loadModel(join(dir, 'model.keras'));
  const resumedWeights = weightsOf(resumed);
  compile(resumed);
  const more = await resumed.fit(xt, yt, { batchSize: 25, epochs: 6, initialEpoch: 4, validationData: [xv, yv], verbose: 0 });
  writeFileSync(
    join(dir, `rank${rank}.json`),
    JSON.stringify({
      rank,
      saves: checkpoint.saves,
      history: history.history,
      evaluated,
      predictedShape: predicted.shape,
      predicted: Array.from(predicted.dataSync()),
      finalWeights: weightsOf(model),
      resumedWeights,
      moreLoss: more.history.loss,
      afterResume: weightsOf(resumed),
    }),
  );
}

async function throwMidEpoch(): Promise<void> {
  const { rank } = ts.distribute.init({ timeout: 20 });
  ts.distribution.setDistribution(new ts.distribution.DataParallel());
  const model = mlp();
  compile(model);
  const { x, y } = data(256);
  const boom = new ts.callbacks.LambdaCallback({
    onTrainBatchEnd: (batch: number) => {
      if (rank === 1 && batch === 2) throw new Error('deliberate failure in a callback');
    },
  });
  await model.fit(x, y, { batchSize: 16, epochs: 3, callbacks: [boom], verbose: 0 });
  console.log(`rank ${rank}: fit finished (it should not have)`);
}

/** Rank 1 throws inside backward in its third step, once two buckets are on the wire. */
async function throwInBackward(): Promise<void> {
  const { rank } = ts.distribute.init({ timeout: 20 });
  ts.distribution.setDistribution(new ts.distribution.DataParallel({ bucketBytes: 64 }));
  if (rank === 1) {
    const gradientAsReady = GradientTape.prototype.gradientAsReady;
    let step = 0;
    GradientTape.prototype.gradientAsReady = function (this: GradientTape, target, sources, onReady) {
      const failing = step++ === 2;
      let announced = 0;
      return gradientAsReady.call(this, target, sources, (i, g, sole) => {
        onReady(i, g, sole);
        if (failing && ++announced === 2) throw new Error('deliberate failure in backward, buckets in flight');
      });
    };
  }
  const model = mlp();
  compile(model);
  const { x, y } = data(256);
  await model.fit(x, y, { batchSize: 16, epochs: 3, verbose: 0 });
  console.log(`rank ${rank}: fit finished (it should not have)`);
}

async function stall(): Promise<void> {
  const { rank } = ts.distribute.init({ timeout: 3 });
  if (rank === 1) {
    // Alive but never joins the collective (a deadlocked or runaway rank).
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }
  try {
    await ts.distribute.allReduce(ts.ones([4]), 'sum');
  } catch (e) {
    // The timed-out request may still use its buffers: the shim refuses any further MPI call.
    await ts.distribute.allReduce(ts.ones([4]), 'sum').catch((again: Error) => console.error(`rank ${rank} after the timeout: ${again.message}`));
    throw e;
  }
  console.log(`rank ${rank}: all-reduce finished (it should not have)`);
}

/**
 * stallblocking sync|async: rank 1 never joins a 256 KB gradient all-reduce (no checked
 * message before it: it is a blocking MPI_Allreduce from the start), which the JS thread
 * runs itself when it waits (sync), or the MPI thread runs while JS idles in the event
 * loop (async). A blocking call cannot be abandoned: the shim's deadline thread must end
 * the job.
 */
async function stallBlocking(mode: string): Promise<void> {
  const { rank } = ts.distribute.init({ timeout: 3 });
  if (rank === 1) await new Promise((resolve) => setTimeout(resolve, 60_000));
  const g = ts.ones([1 << 16]);
  if (mode === 'sync') {
    ts.distribute.averageGradients([g]);
  } else {
    const buckets = new GradientBuckets('stallblocking', [g], 1 << 20);
    buckets.ready(0, g); // launched on the MPI thread
    await new Promise((resolve) => setTimeout(resolve, 30_000));
  }
  console.log(`rank ${rank}: all-reduce finished (it should not have)`);
}

const [scenario, arg] = process.argv.slice(2);
const run = {
  equivalence: () => equivalence(arg, process.argv[4]),
  customloop: () => customLoop(arg),
  inplace: () => inPlaceDecisions(arg),
  logs: () => logsReduction(arg),
  dataset: () => datasetFit(arg),
  fit: () => fit(arg),
  throw: throwMidEpoch,
  throwbackward: throwInBackward,
  stall,
  stallblocking: () => stallBlocking(arg),
}[scenario];
if (!run) throw new Error(`training worker: unknown scenario '${scenario}'`);
run().catch((e) => {
  console.error(e);
  process.exit(1);
});
