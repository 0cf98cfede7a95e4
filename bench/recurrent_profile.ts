// Where an LSTM / GRU training step's time goes (bench:train's recurrent models: batch 128,
// 28 steps of 28 features, 128 units): the whole-sequence forward kernel alone, forward and
// backward (grads of a sum), and a whole fit step, in ms per call, median of the rounds.
//   node dist/bench/recurrent_profile.js [--models lstm,gru] [--rounds 15] [--threads 2] [--clock cpu]
// --clock cpu times with the process's CPU time instead of the wall clock: with --threads 1
// it gives the kernels' own cost on a machine that other work shares.
import * as ts from '../src';
import * as sequenceOps from '../src/ops/recurrent_sequence';
import { BATCH, MODELS } from './models';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const ROUNDS = Number(arg('--rounds', '15'));
const CALLS = 10;
const CPU_CLOCK = arg('--clock', 'wall') === 'cpu';
/** Milliseconds on the chosen clock. */
const now = () => {
  if (!CPU_CLOCK) return Number(process.hrtime.bigint()) / 1e6;
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
};
const TIME = 28;
const FEATURES = 28;
const UNITS = 128;
if (process.argv.includes('--threads')) ts.setNumThreads(Number(arg('--threads', '2')));

/** Median ms per call of fn over ROUNDS rounds of CALLS calls, after one untimed round. */
function msPerCall(fn: () => void): number {
  const round = () => {
    const t = now();
    for (let i = 0; i < CALLS; i++) fn();
    return (now() - t) / CALLS;
  };
  round();
  const times = Array.from({ length: ROUNDS }, round).sort((a, b) => a - b);
  return times[ROUNDS >> 1];
}

function sequenceCall(kind: 'lstm' | 'gru'): (...xs: ts.Tensor[]) => ts.Tensor {
  return kind === 'lstm'
    ? (x, w, u, b, h, c) => ts.sum(sequenceOps.lstmSequence(x, w, u, b, h, c, false).outputs)
    : (x, w, u, b, rb, h) => ts.sum(sequenceOps.gruSequence(x, w, u, b, rb, h, true, false).outputs);
}

async function profile(kind: 'lstm' | 'gru'): Promise<void> {
  const gates = kind === 'lstm' ? 4 : 3;
  const shapes = [
    [BATCH, TIME, FEATURES],
    [FEATURES, gates * UNITS],
    [UNITS, gates * UNITS],
    [gates * UNITS],
    ...(kind === 'gru' ? [[gates * UNITS]] : []),
    [BATCH, UNITS],
  ];
  if (kind === 'lstm') shapes.push([BATCH, UNITS]);
  const inputs = shapes.map((s) => ts.randomUniform(s, -0.1, 0.1));
  const f = sequenceCall(kind);
  const forward = msPerCall(() => ts.tidy(() => f(...inputs)));
  const g = ts.grads(f);
  const both = msPerCall(() => ts.dispose(g(inputs)));

  const model = MODELS[kind].build();
  model.compile({ optimizer: 'adam', loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
  const steps = 20;
  const x = ts.randomUniform([BATCH * steps, TIME, FEATURES]);
  const y = ts.cast(ts.floor(ts.randomUniform([BATCH * steps], 0, 10)), 'int32');
  const fit = () => model.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0, shuffle: false });
  await fit();
  const stepTimes: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = now();
    await fit();
    stepTimes.push((now() - t) / steps);
  }
  const step = stepTimes.sort((a, b) => a - b)[2];
  console.log(
    `${kind}: forward ${forward.toFixed(2)} ms, forward+backward ${both.toFixed(2)} ms (backward ~${(both - forward).toFixed(2)}), ` +
      `fit step ${step.toFixed(2)} ms (${Math.round((BATCH * 1000) / step)} samples/s; rest of the step ~${(step - both).toFixed(2)} ms)`,
  );
  ts.dispose([...inputs, x, y]);
  model.dispose();
}

async function main() {
  for (const kind of arg('--models', 'lstm,gru').split(',')) await profile(kind as 'lstm' | 'gru');
}
void main();
