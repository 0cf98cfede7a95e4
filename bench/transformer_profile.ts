// Where one training step of bench/transformer.ts's encoder block (width 256, 4 heads,
// feed-forward 1024, sequence 128, batch 32, dropout 0.1, Adam, MSE) spends its time, by
// part of the block (issue #18; the figures and their reading: docs/PERFORMANCE.md).
//   npm run build:ts && node dist/bench/transformer_profile.js [--steps 6] [--threads 1] [--clock cpu] [--activation gelu] [--kernels]
// How: trainOnBatch runs as usual. Each sublayer's call is wrapped to name the part of the
// block it is (QKV projections, attention, output projection, layer norms, FFN, dropout);
// what the block itself runs outside them is its residual adds. Every op the tape records
// carries the part that ran it, and its gradient rule runs under that part again, so the
// backward is charged to the same parts; the tape's own work (gradient accumulation, fills)
// is 'tape'. Time is charged to the innermost part running (self time, on the chosen
// clock), and inside it split into addon calls (the step hook times each one) and the
// JavaScript around them (checks, dispatch, recording). Dense layers' matMul is told apart
// from their bias add and activation by kernel name.
import * as ts from '../src';
import { arg, KERNEL_NAME, now } from './profile_common';
import * as tape from '../src/autograd/tape';
import { native } from '../src/native/binding';
import { setStepHook, type StepHook } from '../src/compiled/step_hook';
import type { TransformerEncoder } from '../src/layers/transformer';

if (process.argv.includes('--help')) {
  console.log(
    'node dist/bench/transformer_profile.js [--steps N (6)] [--threads N] [--clock wall|cpu] [--activation relu|gelu] [--kernels (per-kernel detail)]',
  );
  process.exit(0);
}
const STEPS = Number(arg('steps', '6'));
// The feed-forward activation: bench/transformer.ts's relu (KerasHub's default) or gelu.
const ACTIVATION = arg('activation', 'relu') as 'relu' | 'gelu';

type Direction = 'forward' | 'backward';
type Row = { self: number; addon: Record<Direction, number>; kernels: Map<string, number> };
const rows = new Map<string, Row>();
const row = (part: string): Row => {
  let r = rows.get(part);
  if (!r) rows.set(part, (r = { self: 0, addon: { forward: 0, backward: 0 }, kernels: new Map() }));
  return r;
};
let part = 'outside the step';
let direction: Direction = 'forward';
let last = 0;

// Charges the time since the last switch to the part running, then runs fn as `next`.
function as<T>(next: string, fn: () => T, dir: Direction = direction): T {
  const t = now();
  row(part).self += t - last;
  last = t;
  const [outer, outerDir] = [part, direction];
  [part, direction] = [next, dir];
  try {
    return fn();
  } finally {
    const t2 = now();
    row(part).self += t2 - last;
    last = t2;
    [part, direction] = [outer, outerDir];
  }
}

// A Dense/EinsumDense's product apart from its bias and activation.
function partOf(kernel: string | undefined): string {
  if (part === 'FFN' || part === 'QKV projections' || part === 'output projection') {
    // matmul_bias is Dense's forward GEMM with its bias and activation fused in the epilogue.
    const product = kernel === 'matmul' || kernel === 'matmul_bias' || kernel === 'einsum' || kernel === 'batch_matmul';
    if (part === 'FFN') return product ? 'FFN GEMMs (forward: bias + activation fused in)' : 'FFN bias + activation (backward)';
    return product ? part : `${part}: bias`;
  }
  return part;
}

function timed<T>(fn: () => T, kernel?: string): T {
  const t = now();
  try {
    return fn();
  } finally {
    const us = now() - t;
    const r = row(part);
    r.addon[direction] += us;
    const name = `${direction === 'forward' ? 'fwd' : 'bwd'} ${kernel ?? 'views/frees'}`;
    r.kernels.set(name, (r.kernels.get(name) ?? 0) + us);
    if (kernel !== undefined && partOf(kernel) !== part) {
      // Moved to the sub-part: the kernel's time, and its share of self time.
      r.addon[direction] -= us;
      r.kernels.set(name, r.kernels.get(name)! - us);
      r.self -= us;
      const s = row(partOf(kernel));
      s.self += us;
      s.addon[direction] += us;
      s.kernels.set(name, (s.kernels.get(name) ?? 0) + us);
    }
  }
}

const hook: StepHook = {
  run: (op, h, a, s) => timed(() => native.run(op, h, a, s), KERNEL_NAME[op]),
  reshape: (h, shape) => timed(() => native.reshape(h, shape)),
  createTensor: (d, shape, dt, dev) => timed(() => native.createTensor(d, shape, dt, dev)),
  read: (h) => timed(() => native.read(h)),
  readAsync: (h) => native.readAsync(h),
  dispose: (h) => timed(() => native.dispose(h)),
  to: (h, d) => native.to(h, d),
};

// Runs every call of `layer` as `name`.
function tag(layer: object, name: string): void {
  const l = layer as unknown as { call: (...a: unknown[]) => unknown };
  const call = l.call.bind(layer);
  l.call = (...a: unknown[]) => as(name, () => call(...a));
}

// Every recorded op remembers its part; its gradient rule runs as that part.
function tagTape(): void {
  const mod = tape as unknown as Record<string, (...a: unknown[]) => unknown>;
  const start = mod.startTape;
  mod.startTape = (...a: unknown[]) => {
    const recording = start(...a) as { nodes: { rule: { grad: (...g: unknown[]) => unknown } }[] };
    recording.nodes.push = function (this: typeof recording.nodes, ...nodes) {
      const owner = part;
      for (const node of nodes) {
        const rule = node.rule;
        node.rule = Object.assign(Object.create(rule), { grad: (...g: unknown[]) => as(owner, () => rule.grad(...g), 'backward') });
      }
      return Array.prototype.push.apply(this, nodes);
    };
    return recording;
  };
}

function main(): void {
  if (arg('threads', '') !== '') ts.setNumThreads(Number(arg('threads', '')));
  ts.setSeed(1);
  const x = ts.input({ shape: [128, 256] });
  const block = ts.layers.transformerEncoder({ intermediateDim: 1024, numHeads: 4, dropout: 0.1, activation: ACTIVATION });
  const m = ts.model({ inputs: x, outputs: block.apply(x) });
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const [xs, ys] = [ts.randomNormal([32, 128, 256]), ts.randomNormal([32, 128, 256])];
  m.trainOnBatch(xs, ys); // warm: JIT, block cache, Adam's slots
  m.trainOnBatch(xs, ys);
  let t = now();
  for (let i = 0; i < STEPS; i++) m.trainOnBatch(xs, ys);
  const plainUs = (now() - t) / STEPS;

  const b = block as unknown as TransformerEncoder;
  const mha = b.selfAttentionLayer!;
  for (const d of [mha.queryDense!, mha.keyDense!, mha.valueDense!]) tag(d, 'QKV projections');
  tag(mha.outputDense!, 'output projection');
  tag(mha, 'attention (kernel, head transposes, dropout on the probabilities)');
  tag(b.selfAttentionLayerNorm!, 'layer norms');
  tag(b.feedforwardLayerNorm!, 'layer norms');
  tag(b.feedforwardIntermediateDense!, 'FFN');
  tag(b.feedforwardOutputDense!, 'FFN');
  tag(b.selfAttentionDropout!, 'dropout (residual branches)');
  tag(b.feedforwardDropout!, 'dropout (residual branches)');
  tag(b, 'residual adds');
  tag(m, 'loss, model plumbing');
  tagTape();
  const gradient = ts.GradientTape.prototype.gradient;
  (ts.GradientTape.prototype as unknown as { gradient: unknown }).gradient = function (this: ts.GradientTape, ...a: unknown[]) {
    return as('tape (gradient accumulation, fills)', () => (gradient as (...g: unknown[]) => unknown).apply(this, a), 'backward');
  };
  const opt = m.optimizer as unknown as { applyGradients: (...a: unknown[]) => unknown };
  const apply = opt.applyGradients.bind(opt);
  opt.applyGradients = (...a: unknown[]) => as('optimizer (Adam)', () => apply(...a), 'forward');

  setStepHook(hook);
  last = now();
  t = last;
  for (let i = 0; i < STEPS; i++) as('trainOnBatch (MSE loss, JS around the parts)', () => m.trainOnBatch(xs, ys));
  const stepUs = (now() - t) / STEPS;
  setStepHook(null);
  row(part).self += now() - last;
  rows.delete('outside the step');

  const info = ts.backendInfo();
  console.log(
    `Transformer encoder block 256/4 heads/ff 1024, T 128, batch 32, dropout 0.1, ${ACTIVATION}, Adam, MSE; cpu ${info.cpu.isa}, ${info.cpu.threads} threads; ${STEPS} steps`,
  );
  console.log(`${arg('clock', 'wall')} clock; step: ${(plainUs / 1e3).toFixed(1)} ms uninstrumented, ${(stepUs / 1e3).toFixed(1)} ms instrumented\n`);
  console.log(
    `${'part'.padEnd(66)} ${'total ms'.padStart(9)} ${'share'.padStart(6)} ${'fwd addon'.padStart(10)} ${'bwd addon'.padStart(10)} ${'JS'.padStart(7)}`,
  );
  const ms = (us: number) => (us / STEPS / 1e3).toFixed(2);
  const sorted = [...rows.entries()].sort((a, b) => b[1].self - a[1].self);
  for (const [name, r] of sorted) {
    const js = r.self - r.addon.forward - r.addon.backward;
    console.log(
      `${name.padEnd(66)} ${ms(r.self).padStart(9)} ${((100 * r.self) / (stepUs * STEPS)).toFixed(1).padStart(5)}% ${ms(r.addon.forward).padStart(10)} ${ms(r.addon.backward).padStart(10)} ${ms(js).padStart(7)}`,
    );
  }
  if (process.argv.includes('--kernels')) {
    console.log('\nkernels by part (ms per step)');
    for (const [name, r] of sorted) {
      const ks = [...r.kernels.entries()].filter(([, us]) => us / STEPS >= 20).sort((a, b) => b[1] - a[1]);
      if (ks.length) console.log(`  ${name}: ${ks.map(([k, us]) => `${k} ${ms(us)}`).join(', ')}`);
    }
  }
  ts.dispose([xs, ys]);
  m.dispose();
}

main();
