// A Transformer encoder block's training throughput (width 256, 4 heads, feed-forward
// 1024, sequence 128, batch 32) beside PyTorch's nn.TransformerEncoderLayer in the same
// run; the attention alone (forward + backward, [1, 4, T, 64]) fused and composite at
// T = 128, 512, 2048 beside PyTorch's composite; and the memory attention keeps for its
// backward at T = 4096 (fused: linear in T; composite: the [T, T] probabilities).
//   npm run build:ts && node dist/bench/transformer.js [--quick]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../src';

const quick = process.argv.includes('--quick');

function seconds(body: () => void, reps: number): number {
  body();
  const start = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) body();
  return Number(process.hrtime.bigint() - start) / 1e9 / reps;
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

function attentionMs(attend: Attend, t: number): number {
  const [q, k, v] = [0, 1, 2].map(() => ts.randomNormal([1, 4, t, 64]));
  const s = seconds(() => ts.dispose(ts.grads((a: ts.Tensor, b: ts.Tensor, c: ts.Tensor) => ts.sum(attend(a, b, c)))([q, k, v])), quick || t >= 2048 ? 1 : 3);
  ts.dispose([q, k, v]);
  return 1000 * s;
}

// Bytes live at the end of the forward pass while a tape records: what attention keeps for its backward.
function attentionBytes(attend: Attend, t: number): number {
  const [q, k, v] = [0, 1, 2].map(() => ts.randomNormal([1, 4, t, 64]));
  const before = ts.memory().numBytes;
  let held = 0;
  ts.dispose(
    ts.grads((a: ts.Tensor) => {
      const y = ts.sum(attend(a, k, v));
      held = ts.memory().numBytes - before;
      return y;
    })([q]),
  );
  ts.dispose([q, k, v]);
  return held;
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
      env: { ...process.env, OMP_NUM_THREADS: '2' },
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
  console.log('\n| attention memory kept for backward [1, 4, T, 64] | fused MiB | composite MiB |\n| --- | --- | --- |');
  for (const t of quick ? [1024, 2048] : [1024, 2048, 4096]) {
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    console.log(`| T = ${t} | ${mib(attentionBytes(fused, t))} | ${mib(attentionBytes(composite, t))} |`);
  }
}

main();
