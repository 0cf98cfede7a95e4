// Where one training step of bench:train's MLP (784-256-128-10, batch 128, Adam, sparse
// cross-entropy from logits) spends its time, by category (issue #22; the figures and
// their reading: docs/PERFORMANCE.md).
//   npm run bench:profile [-- --steps 400] [-- --threads 1] [-- --metrics accuracy] [-- --clock cpu]
// --clock cpu times with the process's CPU time (getrusage) instead of the wall clock: on a
// machine other work shares, `--threads 1 --clock cpu` still gives each category's own cost
// (with two threads it would count the pool's idle spin).
// How: fit() runs as usual while the compiled step's hook (src/compiled/step_hook.ts)
// times every addon call (kernels, views, frees, reads) and wrappers mark the step's
// phases (forward, loss, backward, optimizer, loss tracker and metrics, the fit loop
// around the step). A kernel's time goes to its category by kernel and phase; the rest
// of each phase's time is JavaScript (ops' checks and dispatch, the tape, tidy). The
// fused bias + relu share of the forward GEMMs comes from timing matMul against
// matMulBias at the same shapes. Each GEMM's time in the step is set beside the same call
// back to back (its operands in cache, on the threads that read them last), which gives
// what the step's memory traffic costs each product. Thread-pool spin and allocator time
// sit inside the kernels: perf shows them (docs/PERFORMANCE.md says how).
import { PerformanceObserver } from 'node:perf_hooks';
import * as ts from '../src';
import { arg, KERNEL_NAME, now } from './profile_common';
import { native } from '../src/native/binding';
import { setStepHook, type StepHook } from '../src/compiled/step_hook';
import { matMulBias } from '../src/ops/matmul';
import { BATCH, MODELS } from './models';

const STEPS = Number(arg('steps', '400'));
const METRICS = arg('metrics', '') === '' ? [] : arg('metrics', '').split(',');

type Phase = 'fit loop' | 'forward' | 'loss' | 'backward' | 'optimizer' | 'metrics';
let phase: Phase = 'fit loop';
const phaseTime = new Map<Phase, number>();
const nativeTime = new Map<Phase, number>();
const category = new Map<string, { us: number; calls: number }>();
// Each GEMM of the step by its output shape (unique in this MLP), in-step time.
const gemmInStep = new Map<string, { us: number; calls: number }>();

function add<K>(m: Map<K, number>, k: K, v: number): void {
  m.set(k, (m.get(k) ?? 0) + v);
}

// The category of one addon call made in `phase`.
function categoryOf(p: Phase, call: string, kernel?: string, attrs?: Float64Array, spec?: Float64Array): string {
  if (call === 'dispose') return 'tensor free (dispose)';
  if (call === 'reshape') return 'views (reshape, tape saves)';
  if (call === 'read' || call === 'createTensor') return p === 'fit loop' || p === 'metrics' ? 'metrics and logs' : `${p}: reads and constants`;
  if (p === 'fit loop') return kernel === 'slice' || kernel === 'gather' ? 'batch slicing (fit loop)' : 'metrics and logs';
  if (p === 'forward') return kernel === 'matmul_bias' ? 'forward GEMMs (+ fused bias, relu)' : `forward: ${kernel}`;
  if (p === 'loss') return 'softmax-CE forward';
  if (p === 'backward') {
    if (kernel === 'matmul') return attrs![0] === 1 ? 'backward GEMMs dW' : 'backward GEMMs dX';
    // A bias gradient sums to [1, units]; the loss's reductions' gradients to one element.
    if (kernel === 'reduce_sum' && outputSize(spec!) > 1) return 'bias gradients (reduce_sum)';
    if (kernel === 'relu_backward') return 'relu backward';
    if (kernel === 'bias_relu_backward') return 'relu backward + bias gradients (fused)';
    return 'softmax-CE backward (incl. the seed)';
  }
  if (p === 'optimizer') return kernel === 'multi_adam_update' ? 'Adam update' : `optimizer: ${kernel}`;
  return 'metrics and logs';
}

// Elements of a kernel's first output, from its spec [device, dtype, rank, dims...].
function outputSize(spec: Float64Array): number {
  let n = 1;
  for (let i = 0; i < spec[2]; i++) n *= spec[3 + i];
  return n;
}

function timed<T>(call: string, fn: () => T, kernel?: string, attrs?: Float64Array, spec?: Float64Array): T {
  const t = now();
  try {
    return fn();
  } finally {
    const us = now() - t;
    add(nativeTime, phase, us);
    const c = categoryOf(phase, call, kernel, attrs, spec);
    const entry = category.get(c) ?? { us: 0, calls: 0 };
    entry.us += us;
    entry.calls++;
    category.set(c, entry);
    if (kernel === 'matmul_bias' || (kernel === 'matmul' && phase === 'backward')) {
      const name = gemmName(kernel, attrs!, spec!);
      const g = gemmInStep.get(name) ?? { us: 0, calls: 0 };
      g.us += us;
      g.calls++;
      gemmInStep.set(name, g);
    }
  }
}

// 'fwd 128x256', 'dW 784x256', 'dX 128x128': the role and the output's shape.
function gemmName(kernel: string, attrs: Float64Array, spec: Float64Array): string {
  const role = kernel === 'matmul_bias' ? 'fwd' : attrs[0] === 1 ? 'dW' : 'dX';
  return `${role} ${spec[3]}x${spec[4]}`;
}

const hook: StepHook = {
  run: (op, h, a, s) => timed('run', () => native.run(op, h, a, s), KERNEL_NAME[op], a, s),
  reshape: (h, shape) => timed('reshape', () => native.reshape(h, shape)),
  createTensor: (d, shape, dt, dev) => timed('createTensor', () => native.createTensor(d, shape, dt, dev)),
  read: (h) => timed('read', () => native.read(h)),
  readAsync: (h) => native.readAsync(h),
  dispose: (h) => timed('dispose', () => native.dispose(h)),
  to: (h, d) => native.to(h, d),
};

// Runs fn as phase p (nested phases give their time back to the enclosing one).
function inPhase<T>(p: Phase, fn: () => T): T {
  const outer = phase;
  phase = p;
  const t = now();
  try {
    return fn();
  } finally {
    const us = now() - t;
    add(phaseTime, p, us);
    if (outer !== 'fit loop') add(phaseTime, outer, -us);
    phase = outer;
  }
}

function instrument(model: ts.Model): void {
  const m = model as unknown as Record<string, (...a: unknown[]) => unknown>;
  const compiled = (
    model as unknown as { compiled: { optimizer: Record<string, (...a: unknown[]) => unknown>; lossTracker: Record<string, (...a: unknown[]) => unknown> } }
  ).compiled;
  const wrap = (obj: Record<string, (...a: unknown[]) => unknown>, key: string, p: Phase) => {
    const original = obj[key];
    obj[key] = function (this: unknown, ...a: unknown[]) {
      return inPhase(p, () => original.apply(this, a));
    };
  };
  // The step: its time before apply is 'forward', between apply and gradient 'loss', after
  // applyGradients 'metrics' (the loss tracker and computeMetrics).
  const trainStep = m.trainStep;
  m.trainStep = function (this: unknown, ...a: unknown[]) {
    return inPhase('metrics', () => trainStep.apply(this, a));
  };
  const apply = m.apply;
  m.apply = function (this: unknown, ...a: unknown[]) {
    const out = inPhase('forward', () => apply.apply(this, a));
    phase = 'loss';
    lossStart = now();
    return out;
  };
  const tapeProto = ts.GradientTape.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const gradient = tapeProto.gradient;
  tapeProto.gradient = function (this: unknown, ...a: unknown[]) {
    if (phase === 'loss') {
      const us = now() - lossStart;
      add(phaseTime, 'loss', us);
      add(phaseTime, 'metrics', -us);
      phase = 'metrics';
    }
    return inPhase('backward', () => gradient.apply(this, a));
  };
  wrap(compiled.optimizer, 'applyGradients', 'optimizer');
}
let lossStart = 0;

async function main(): Promise<void> {
  if (arg('threads', '') !== '') ts.setNumThreads(Number(arg('threads', '')));
  ts.setSeed(1);
  const model = MODELS.mlp.build();
  model.compile({ optimizer: 'adam', loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }), metrics: METRICS });
  const batches = 40;
  const x = ts.randomUniform([BATCH * batches, 28, 28, 1]);
  const y = ts.cast(ts.floor(ts.randomUniform([BATCH * batches], 0, 10)), 'int32');
  const epochs = Math.max(1, Math.round(STEPS / batches));
  const fitArgs = { batchSize: BATCH, epochs, verbose: 0, shuffle: false };
  await model.fit(x, y, fitArgs); // warm: JIT, block cache, Adam's slots

  // The step's wall time without any instrumentation, then the instrumented run.
  let t = now();
  await model.fit(x, y, fitArgs);
  const plainUs = (now() - t) / (epochs * batches);
  let gcUs = 0;
  const gc = new PerformanceObserver((list) => list.getEntries().forEach((e) => (gcUs += e.duration * 1e3)));
  gc.observe({ entryTypes: ['gc'] });
  instrument(model);
  setStepHook(hook);
  t = now();
  await model.fit(x, y, fitArgs);
  const fitUs = now() - t;
  setStepHook(null);
  gc.disconnect();
  const inSteps = [...phaseTime.entries()].reduce((s, [, v]) => s + v, 0);
  phaseTime.set('fit loop', fitUs - inSteps);

  // bias + relu inside the forward GEMMs: matMulBias against matMul at the MLP's shapes.
  const fused = ts.noGrad(() => epilogueShare());
  const alone = ts.noGrad(() => gemmsAlone());

  const steps = epochs * batches;
  const per = (us: number) => us / steps;
  const info = ts.backendInfo();
  console.log(
    `MLP 784-256-128-10, batch ${BATCH}, Adam${METRICS.length ? `, metrics ${METRICS.join(',')}` : ''}; cpu ${info.cpu.isa}, ${info.cpu.threads} threads; ${steps} steps`,
  );
  console.log(
    `${arg('clock', 'wall')} clock; step: ${plainUs.toFixed(0)} us uninstrumented, ${per(fitUs).toFixed(0)} us instrumented; GC ${per(gcUs).toFixed(1)} us/step (wall)`,
  );
  console.log('\nby category (addon calls; us per step, calls per step, share of the instrumented step)');
  const rows: [string, number, number][] = [...category.entries()].map(([k, v]) => [k, per(v.us), v.calls / steps]);
  for (const p of ['fit loop', 'forward', 'loss', 'backward', 'optimizer', 'metrics'] as Phase[]) {
    rows.push([`JS: ${p} (phase time minus its addon calls)`, per((phaseTime.get(p) ?? 0) - (nativeTime.get(p) ?? 0)), 0]);
  }
  rows.sort((a, b) => b[1] - a[1]);
  for (const [name, us, calls] of rows) {
    console.log(
      `  ${name.padEnd(52)} ${us.toFixed(1).padStart(8)} us ${calls ? calls.toFixed(1).padStart(6) : '      '} ${((100 * us) / per(fitUs)).toFixed(1).padStart(5)}%`,
    );
  }
  console.log(
    `\nforward GEMMs: bias + relu epilogue ${fused.epilogueUs.toFixed(1)} us of ${fused.fusedUs.toFixed(1)} us (matMul alone ${fused.plainUs.toFixed(1)} us)`,
  );
  console.log('\neach GEMM: in the step against the same call back to back (us per call)');
  for (const [name, v] of [...gemmInStep.entries()].sort()) {
    const a = alone.get(name);
    const inStep = v.us / v.calls;
    console.log(
      `  ${name.padEnd(14)} in step ${inStep.toFixed(1).padStart(7)}  alone ${a === undefined ? '      -' : a.toFixed(1).padStart(7)}  ${a === undefined ? '' : `+${(100 * (inStep / a - 1)).toFixed(0)}%`}`,
    );
  }
  ts.dispose([x, y]);
  model.dispose();
}

// Median microseconds of fn over 7 rounds of 50 calls, after 20 warm ones.
function medianUs(fn: () => void): number {
  for (let i = 0; i < 20; i++) fn();
  const samples: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = now();
    for (let i = 0; i < 50; i++) fn();
    samples.push((now() - t) / 50);
  }
  return samples.sort((a, b) => a - b)[3];
}

// Each of the step's GEMMs alone, back to back, by the names gemmName gives them in the step.
function gemmsAlone(): Map<string, number> {
  const dense = [
    [784, 256, true],
    [256, 128, true],
    [128, 10, false],
  ] as const;
  const out = new Map<string, number>();
  dense.forEach(([k, n, relu], layer) => {
    const x = ts.randomUniform([BATCH, k]);
    const w = ts.randomUniform([k, n]);
    const b = ts.randomUniform([n]);
    const dy = ts.randomUniform([BATCH, n]);
    out.set(
      `fwd ${BATCH}x${n}`,
      medianUs(() => matMulBias(x, w, b, relu).dispose()),
    );
    out.set(
      `dW ${k}x${n}`,
      medianUs(() => ts.matMul(x, dy, true, false).dispose()),
    );
    if (layer > 0)
      out.set(
        `dX ${BATCH}x${k}`,
        medianUs(() => ts.matMul(dy, w, false, true).dispose()),
      );
    ts.dispose([x, w, b, dy]);
  });
  return out;
}

// Microseconds per forward pass of the three Dense products with and without the fused epilogue.
function epilogueShare(): { fusedUs: number; plainUs: number; epilogueUs: number } {
  const shapes = [
    [784, 256, true],
    [256, 128, true],
    [128, 10, false],
  ] as const;
  const operands = shapes.map(([k, n, relu]) => ({ a: ts.randomUniform([BATCH, k]), w: ts.randomUniform([k, n]), b: ts.randomUniform([n]), relu }));
  let fusedUs = 0;
  let plainUs = 0;
  // Interleaved, so that load on a shared machine hits both alike.
  for (let round = 0; round < 3; round++) {
    fusedUs += medianUs(() => operands.forEach((o) => matMulBias(o.a, o.w, o.b, o.relu).dispose()));
    plainUs += medianUs(() => operands.forEach((o) => ts.matMul(o.a, o.w).dispose()));
  }
  operands.forEach((o) => ts.dispose([o.a, o.w, o.b]));
  return { fusedUs: fusedUs / 3, plainUs: plainUs / 3, epilogueUs: (fusedUs - plainUs) / 3 };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
