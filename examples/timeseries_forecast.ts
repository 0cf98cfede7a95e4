// Forecasting a real series: this machine's own /proc counters, recorded for a minute by
// scripts/record-proc-series.mjs into data/proc-series.csv (every 50 ms: the CPU's busy
// fraction, the processes running, the memory available). The target is the number of
// running processes (procs_running: the load, which on a shared machine swings from a few
// to dozens) averaged over the next half second; ts.data.timeseriesDatasetFromArray cuts
// the windows of the last two seconds, an LSTM forecasts from them, and the naive
// forecast (the average of the last half second) is the baseline to beat.
//   node dist/examples/timeseries_forecast.js [--quick]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import * as ts from '../src';
import { runAsScript, type ExampleOptions } from './common/main';

const HORIZON = 10; // samples: half a second ahead, and the width of the average
const WINDOW = 40; // samples: two seconds of history

function seriesFile(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, 'data', 'proc-series.csv');
    if (existsSync(path)) return path;
  }
  throw new Error('data/proc-series.csv not found: record one with node scripts/record-proc-series.mjs');
}

/** Columns of the CSV: busy fraction, running processes, available memory. */
function readSeries(path: string): number[][] {
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => l.split(',').slice(1).map(Number));
}

// Trailing mean over `width` samples (the first ones average what exists).
function trailingMean(v: number[], width: number): number[] {
  let sum = 0;
  return v.map((x, i) => {
    sum += x - (i >= width ? v[i - width] : 0);
    return sum / Math.min(i + 1, width);
  });
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(19);
  const rows = readSeries(seriesFile());
  const smooth = trailingMean(
    rows.map((r) => r[1]),
    HORIZON,
  );
  // Features per step: the smoothed and raw running processes, the busy fraction, memory; standardized on the training part.
  const features = rows.map((r, i) => [smooth[i], r[1], r[0], r[2]]);
  const n = features.length;
  const trainEnd = Math.floor(n * 0.7);
  const means = [0, 1, 2, 3].map((k) => features.slice(0, trainEnd).reduce((a, f) => a + f[k], 0) / trainEnd);
  const stds = [0, 1, 2, 3].map((k) => Math.sqrt(features.slice(0, trainEnd).reduce((a, f) => a + (f[k] - means[k]) ** 2, 0) / trainEnd) || 1);
  const scaled = features.map((f) => f.map((v, k) => (v - means[k]) / stds[k]));
  // Window i covers steps i .. i + WINDOW - 1; its target is the average of running processes
  // HORIZON steps after its last step, i.e. smooth[i + WINDOW - 1 + HORIZON].
  const targets = smooth.slice(WINDOW - 1 + HORIZON).map((v) => [v]);
  const scaledTargets = targets.map(([v]) => [(v - means[0]) / stds[0]]); // standardized like feature 0
  const data = scaled.slice(0, targets.length);
  const x = ts.tensor(data);
  const y = ts.tensor(scaledTargets);
  const batchSize = 32;
  const train = ts.data.timeseriesDatasetFromArray(x, y, { sequenceLength: WINDOW, batchSize, shuffle: true, seed: 19, endIndex: trainEnd });
  const test = ts.data.timeseriesDatasetFromArray(x, y, { sequenceLength: WINDOW, batchSize: 256, startIndex: trainEnd });

  // The naive forecast of window i: the average of its last HORIZON samples, smooth[i + WINDOW - 1].
  let naiveError = 0,
    count = 0;
  for (let i = trainEnd; i + WINDOW <= data.length; i++) {
    naiveError += Math.abs(smooth[i + WINDOW - 1] - targets[i][0]);
    count++;
  }
  naiveError /= count;

  const model = ts.sequential({
    layers: [ts.layers.lstm({ units: 16, inputShape: [WINDOW, 4] }), ts.layers.dense({ units: 1 })],
  });
  model.compile({ optimizer: new ts.optimizers.Adam({ learningRate: 0.005 }), loss: 'mae' });
  const history = await model.fit(quick ? train.take(6) : train, { epochs: quick ? 2 : 15, verbose: 0 });
  const lstmError = (await model.evaluate(test)).loss * stds[0]; // back in processes
  console.log(`series: ${n} samples of ${seriesFile()}; ${count} test windows`);
  console.log(`mean absolute error of the running processes half a second ahead: LSTM ${lstmError.toFixed(4)}, naive last value ${naiveError.toFixed(4)}`);

  ts.dispose([x, y]);
  model.optimizer!.dispose();
  model.dispose();
  const losses = history.history.loss;
  return { firstLoss: losses[0], lastLoss: losses.at(-1)!, lstmError, naiveError };
}

runAsScript(module, main);
