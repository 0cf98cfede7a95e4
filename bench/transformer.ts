// A Transformer encoder block's training throughput (width 256, 4 heads, feed-forward
// 1024, sequence 128, batch 32) beside PyTorch's nn.TransformerEncoderLayer in the same
// run; the attention alone (forward + backward, [1, 4, T, 64]) fused and composite at
// T = 128, 512, 2048 beside PyTorch's composite (each after warm-up runs, the median of
// several); and the attention's memory at T = 1024, 2048, 4096: the bytes it keeps for its
// backward and the peak over forward + backward (fused: linear in T; composite: the [T, T]
// probabilities, quadratic).
//   npm run build:ts && node dist/bench/transformer.js [--quick]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../src';
import { setStepHook, type StepHook } from '../src/compiled/step_hook';
import { native } from '../src/native/binding';

const quick = process.argv.includes('--quick');

function seconds(body: () => void, reps: number): number {
  body();
  const start = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) body();
  return Number(process.hrtime.bigint() - start) / 1e9 / reps;
}

// The median seconds of `reps` timed runs after `warm` untimed ones (the first runs pay for
// page faults and the block cache filling).
function medianSeconds(body: () => void, warm: number, reps: number): number {
  for (let i = 0; i < warm; i++) body();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = process.hrtime.bigint();
    body();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function encoderSamplesPerSecond(): number {
  const x = ts.input({ shape: [128, 256] });
  const block = ts.layers.transformerEncoder({ intermediateDim: 1024, numHeads: 4, dropout: 0.1 });
  const m = ts.model({ inputs: x, outputs: block.apply(x) });
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const [xs, ys] = [ts.randomNormal([32, 128, 256]), ts.randomNormal([32, 128, 256])];
  m.trainOnBatch(xs, ys);
  const s = seconds(() => m.trainOnBatch(xs, ys), quick ? 1 : 4);
  ts.dispose([xs, ys]);
  m.dispose();
  return 32 / s;
}

type Attend = (q: ts.Tensor, k: ts.Tensor, v: ts.Tensor) => ts.Tensor;
const fused: Attend = (q, k, v) => ts.fusedAttention(q, k, v);
const composite: Attend = (q, k, v) => ts.dotProductAttention(q, k, v).output;

// In a tidy, so no garbage is left for the collector to reclaim in a later measurement.
function attentionMs(attend: Attend, t: number): number {
  const [q, k, v] = [0, 1, 2].map(() => ts.randomNormal([1, 4, t, 64]));
  const step = () => ts.tidy(() => void ts.grads((a: ts.Tensor, b: ts.Tensor, c: ts.Tensor) => ts.sum(attend(a, b, c)))([q, k, v]));
  const s = quick ? seconds(step, 1) : medianSeconds(step, t >= 2048 ? 1 : 3, t >= 2048 ? 3 : 9);
  ts.dispose([q, k, v]);
  return 1000 * s;
}

// Runs body with every addon call that makes a tensor followed by a sample of the live
// tensor bytes (a step hook that forwards to the addon); returns the most seen.
function peakLiveBytes(body: () => void): number {
  let peak = ts.memory().numBytes;
  const sample =
    <A extends unknown[], R>(f: (...args: A) => R) =>
    (...args: A): R => {
      const out = f(...args);
      peak = Math.max(peak, ts.memory().numBytes);
      return out;
    };
  const hook: StepHook = {
    run: sample(native.run.bind(native)),
    reshape: sample(native.reshape.bind(native)),
    createTensor: sample(native.createTensor.bind(native)),
    to: sample(native.to.bind(native)),
    read: native.read.bind(native),
    readAsync: native.readAsync.bind(native),
    dispose: native.dispose.bind(native),
  };
  const previous = setStepHook(hook);
  try {
    body();
  } finally {
    setStepHook(previous);
  }
  return peak;
}

// The attention's memory beyond its inputs [1, 4, T, 64] x 3: `held`, the bytes live at the
// end of the forward while a tape records (the forward runs in a tidy of its own, so what
// stays is what the tape saved for the backward, and the output), and `peak`, the most live
// over forward + backward (the gradients included). numBytes counts live storage only, not
// the host block cache's free blocks; every tensor is disposed by a tidy, so no collector
// reclaim can land inside the measurement (checked: a run that sees one is repeated).
function attentionMemory(attend: Attend, t: number): { held: number; peak: number } {
  for (let attempt = 0; ; attempt++) {
    const [q, k, v] = [0, 1, 2].map(() => ts.randomNormal([1, 4, t, 64]));
    const { numBytes: before, reclaimedByGC } = ts.memory();
    let held = 0;
    const peak = peakLiveBytes(() =>
      ts.tidy(() => {
        ts.grads((a: ts.Tensor) => {
          const y = ts.tidy(() => ts.sum(attend(a, k, v)));
          held = ts.memory().numBytes - before;
          return y;
        })([q]);
      }),
    );
    const clean = ts.memory().reclaimedByGC === reclaimedByGC && ts.memory().numBytes === before;
    ts.dispose([q, k, v]);
    if (clean) return { held, peak: peak - before };
    if (attempt === 2) throw new Error(`attention memory at T = ${t}: the collector reclaimed tensors during three runs`);
  }
}

function main(): void {
  const cpu =
    execFileSync('lscpu')
      .toString()
      .match(/Model name:\s*(.*)/)?.[1] ?? 'unknown CPU';
  console.log(`CPU: ${cpu}; threads ${ts.getNumThreads()}`);
  // Beside this file when run from bench/, two folders up from dist/bench.
  const script = [join(__dirname, 'pytorch_transformer.py'), join(__dirname, '..', '..', 'bench', 'pytorch_transformer.py')].find(existsSync)!;
  const torch = JSON.parse(
    execFileSync('/usr/bin/python3', [script, ...(quick ? ['--quick'] : [])], {
      // PASSIVE: OpenMP's spinning barriers, on a busy machine, made PyTorch's small attention
      // (T = 128) several times slower than its T = 512 (a descheduled thread holds every barrier).
      env: { ...process.env, OMP_NUM_THREADS: '2', OMP_WAIT_POLICY: 'PASSIVE' },
    }).toString(),
  ) as { encoderSamplesPerSecond: number; attentionMs: Record<string, number> };
  const ours = encoderSamplesPerSecond();
  console.log('\n| encoder block training (32 x 128 x 256) | samples/s |\n| --- | --- |');
  console.log(
    `| tessera | ${ours.toFixed(1)} |\n| PyTorch nn.TransformerEncoderLayer | ${torch.encoderSamplesPerSecond.toFixed(1)} |\n| ratio | ${(ours / torch.encoderSamplesPerSecond).toFixed(2)}x |`,
  );
  console.log('\n| attention fwd+bwd [1, 4, T, 64] | tessera fused ms | tessera composite ms | PyTorch composite ms |\n| --- | --- | --- | --- |');
  for (const t of [128, 512, 2048]) {
    console.log(`| T = ${t} | ${attentionMs(fused, t).toFixed(1)} | ${attentionMs(composite, t).toFixed(1)} | ${torch.attentionMs[t].toFixed(1)} |`);
  }
  console.log(
    '\n| attention memory [1, 4, T, 64] float32, MiB (x: growth over T/2) | fused kept for backward | fused peak | composite kept for backward | composite peak |\n| --- | --- | --- | --- | --- |',
  );
  const mib = (b: number, last?: number) => `${(b / 2 ** 20).toFixed(1)}${last ? ` (${(b / last).toFixed(2)}x)` : ''}`;
  let last: number[] = [];
  for (const t of quick ? [1024, 2048] : [1024, 2048, 4096]) {
    const [f, c] = [attentionMemory(fused, t), attentionMemory(composite, t)];
    const now = [f.held, f.peak, c.held, c.peak];
    console.log(`| T = ${t} | ${now.map((b, i) => mib(b, last[i])).join(' | ')} |`);
    last = now;
  }
}

main();
