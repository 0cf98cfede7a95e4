// End-to-end training and inference throughput of the standard models on
// Fashion-MNIST-shaped data (batch 128, Adam), side by side with TensorFlow.js (cpu
// backend) in the same run, as ratios, and the peak RSS of training each. Each model runs
// in a child process of its own, so one model's peak never shows in another's. PyTorch's
// figures: bench/pytorch_train.py.
//   npm run bench:train [-- --quick] [-- --models mlp,cnn] [-- --skip-tfjs] [-- --jit] [-- --batch 32]
// --jit trains with compile({ jitCompile: true }) (docs/COMPILED_STEP.md); --batch sets the batch size.
import { execFileSync } from 'node:child_process';
import * as ts from '../src';
import { BATCH as DEFAULT_BATCH, MODELS } from './models';

const batchArg = process.argv.indexOf('--batch');
const BATCH = batchArg > 0 ? Number(process.argv[batchArg + 1]) : DEFAULT_BATCH;
const JIT = process.argv.includes('--jit');

interface Figures {
  train: number;
  infer: number;
  /** Peak resident set of the process while Tessera trained and predicted (MB). */
  peakRssMB: number;
  /** What the host block cache held at the end of the timed passes (MB), a part of that peak. */
  cachedMB: number;
}

async function measure(name: string, steps: number): Promise<Figures> {
  const { build, sequence } = MODELS[name];
  ts.setSeed(1);
  const model = build();
  model.compile({ optimizer: 'adam', loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }), jitCompile: JIT });
  const n = BATCH * steps;
  const x = ts.randomUniform(sequence ? [n, 28, 28] : [n, 28, 28, 1]);
  const y = ts.cast(ts.floor(ts.randomUniform([n], 0, 10)), 'int32');
  // One untimed pass warms the JIT, the allocator and the caches; the figure is the median
  // of three timed passes (one pass after a single warm-up batch varied by 30%).
  const train = await medianRate(n, () => model.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0, shuffle: false }));
  const infer = await medianRate(n, async () => ts.dispose(model.predict(x, { batchSize: BATCH })));
  const cachedMB = ts.memory().numCachedBytes / 2 ** 20;
  ts.dispose([x, y]);
  model.dispose();
  return { train, infer, peakRssMB: process.resourceUsage().maxRSS / 1024, cachedMB };
}

/** Samples per second of `run` over n samples: the median of three runs after one untimed. */
async function medianRate(n: number, run: () => Promise<unknown>): Promise<number> {
  await run();
  const rates: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    await run();
    rates.push(n / (Number(process.hrtime.bigint() - t) / 1e9));
  }
  return rates.sort((a, b) => a - b)[1];
}

async function measureTfjs(name: string, steps: number): Promise<{ train: number; infer: number } | string> {
  let tf: typeof import('@tensorflow/tfjs');
  try {
    tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
  } catch (e) {
    return `tfjs unavailable (${(e as Error).message})`;
  }
  const seq = MODELS[name].sequence;
  const m = tf.sequential();
  if (name === 'mlp') {
    m.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
    m.add(tf.layers.dense({ units: 256, activation: 'relu' }));
    m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  } else if (name.startsWith('cnn')) {
    const bn = name === 'cnn_bn';
    for (const [filters, first] of [
      [32, true],
      [64, false],
    ] as const) {
      m.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: bn ? 'linear' : 'relu', ...(first ? { inputShape: [28, 28, 1] } : {}) }));
      if (bn) {
        m.add(tf.layers.batchNormalization());
        m.add(tf.layers.activation({ activation: 'relu' }));
      }
      m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    }
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
    m.add(tf.layers.dropout({ rate: 0.5 }));
  } else {
    m.add((name === 'lstm' ? tf.layers.lstm : tf.layers.gru)({ units: 128, inputShape: [28, 28] }));
  }
  m.add(tf.layers.dense({ units: 10 }));
  m.compile({ optimizer: 'adam', loss: tf.losses.softmaxCrossEntropy });
  const n = BATCH * steps;
  const x = tf.randomUniform(seq ? [n, 28, 28] : [n, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([n], 0, 10, 'int32'), 10);
  let t = process.hrtime.bigint();
  await m.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0, shuffle: false });
  const train = n / (Number(process.hrtime.bigint() - t) / 1e9);
  t = process.hrtime.bigint();
  (m.predict(x, { batchSize: BATCH }) as import('@tensorflow/tfjs').Tensor).dispose();
  const infer = n / (Number(process.hrtime.bigint() - t) / 1e9);
  tf.dispose([x, y]);
  return { train, infer };
}

// Batches per pass. The MLP's pass is one Fashion-MNIST epoch of full batches (60,000 / 128),
// as issue #22 measures it: 40 batches (the old pass, 70 ms) timed mostly V8 still
// optimizing the step. The others take 10 (a CNN epoch is about 20 s a pass here).
// `--steps N` sets every model's; bench/pytorch_train.py takes the same flag and defaults.
const MLP_EPOCH_STEPS = 468;
const STEPS_FLAG = process.argv.indexOf('--steps');
const STEPS = (name: string, quick: boolean): number => {
  if (STEPS_FLAG > 0) {
    const steps = Number(process.argv[STEPS_FLAG + 1]);
    if (!Number.isInteger(steps) || steps < 1) throw new Error(`bench:train: --steps expects a positive integer, got '${process.argv[STEPS_FLAG + 1]}'`);
    return steps;
  }
  return quick ? 3 : name === 'mlp' ? MLP_EPOCH_STEPS : 10;
};

// One model, in this (child) process: its figures as one JSON line.
async function child(name: string): Promise<void> {
  const steps = STEPS(name, process.argv.includes('--quick'));
  const ours = await measure(name, steps);
  // TensorFlow.js needs minutes per CNN batch; --skip-tfjs leaves it out. It runs after
  // ours, whose peak is read before.
  const peer = process.argv.includes('--skip-tfjs') ? 'skipped' : await measureTfjs(name, Math.max(2, Math.floor(steps / 5)));
  console.log(JSON.stringify({ ours, peer }));
}

async function main(): Promise<void> {
  const pick = process.argv.indexOf('--models');
  const names = pick > 0 ? process.argv[pick + 1].split(',') : Object.keys(MODELS);
  for (const name of names) if (!(name in MODELS)) throw new Error(`bench:train: unknown model '${name}'; expected one of ${Object.keys(MODELS).join(', ')}`);
  const info = ts.backendInfo();
  const device = ts.getDevice();
  const where = device === 'cpu' ? `cpu ${info.cpu.isa}, ${info.cpu.threads} threads` : `${device}, ${info.cuda.devices[0] ?? 'GPU'}`;
  console.log(`Tessera training throughput, batch ${BATCH}, Adam${JIT ? ', jitCompile' : ''} (${where}); peak RSS per model, each in its own process`);
  console.log('model    | train samples/s | infer samples/s | peak RSS MB | cached MB | tfjs-cpu train | tfjs-cpu infer | train ratio');
  const passOn = process.argv.slice(2).filter((a, i, all) => a !== '--models' && all[i - 1] !== '--models');
  for (const name of names) {
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', name, ...passOn], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const { ours, peer } = JSON.parse(out.trim().split('\n').pop()!) as { ours: Figures; peer: { train: number; infer: number } | string };
    const p = typeof peer === 'string' ? null : peer;
    const row = [
      name.padEnd(8),
      ours.train.toFixed(0).padStart(15),
      ours.infer.toFixed(0).padStart(15),
      ours.peakRssMB.toFixed(0).padStart(11),
      ours.cachedMB.toFixed(0).padStart(9),
      (p ? p.train.toFixed(0) : 'n/a').padStart(14),
      (p ? p.infer.toFixed(0) : 'n/a').padStart(14),
      (p ? `${(ours.train / p.train).toFixed(1)}x` : String(peer)).padStart(11),
    ];
    console.log(row.join(' | '));
  }
}

const childAt = process.argv.indexOf('--child');
(childAt > 0 ? child(process.argv[childAt + 1]) : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
