// Who takes the cores during bench:train's MLP steps (issue #22): per thread of this
// process, CPU time, time spent runnable but waiting for a core, and context switches;
// V8's garbage collections; and, in a child run under --trace-opt --trace-deopt, how many
// functions TurboFan deoptimizes and re-optimizes per epoch. Counts and CPU time, not wall
// time, so the figures hold on a machine that other work loads.
//   npm run bench:threads [-- --steps 400] [-- --warm-steps 400] [-- --threads 2] [-- --no-trace]
// --warm-steps: the untimed fit before (default: as many as --steps). bench:train's MLP times
// steps 40 to 160 of a model's life (--warm-steps 40 --steps 120), where TurboFan is busiest.
// Linux only (/proc/self/task). The pool's workers are named "tessera-pool"; the JS thread
// is the process's main thread and runs part 0 of every split kernel, so a preemption of
// either one stalls the other at the kernel's end.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeSync } from 'node:fs';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import * as ts from '../src';
import { arg } from './profile_common';
import { BATCH, MODELS } from './models';

const STEPS = Number(arg('steps', '400'));
const BATCHES = 40;
const EPOCHS = Math.max(1, Math.round(STEPS / BATCHES));
const WARM_EPOCHS = Math.max(1, Math.round(Number(arg('warm-steps', String(STEPS))) / BATCHES));
const CHILD = process.argv.includes('--child');

/** One thread's counters, from /proc/self/task/<tid>. */
interface ThreadSample {
  name: string;
  cpuNs: number; // on a core (schedstat)
  waitNs: number; // runnable, waiting for a core (schedstat)
  involuntary: number;
  voluntary: number;
}

function readThreads(): Map<number, ThreadSample> {
  const out = new Map<number, ThreadSample>();
  for (const entry of readdirSync('/proc/self/task')) {
    const tid = Number(entry);
    const dir = `/proc/self/task/${entry}`;
    try {
      const [run, wait] = readFileSync(`${dir}/schedstat`, 'utf8').split(' ').map(Number);
      const status = readFileSync(`${dir}/status`, 'utf8');
      const field = (key: string) => Number(new RegExp(`^${key}:\\s*(\\d+)`, 'm').exec(status)![1]);
      out.set(tid, {
        name: tid === process.pid ? 'JS thread (pool part 0)' : readFileSync(`${dir}/comm`, 'utf8').trim(),
        cpuNs: run,
        waitNs: wait,
        involuntary: field('nonvoluntary_ctxt_switches'),
        voluntary: field('voluntary_ctxt_switches'),
      });
    } catch {
      // The thread ended between readdir and the reads.
    }
  }
  return out;
}

// Busy and total jiffies of the whole machine (/proc/stat), to tell what other processes took.
function machineJiffies(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - cpu[3] - cpu[4], total };
}

const GC_KIND: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

function setup(): { model: ts.Model; x: ts.Tensor; y: ts.Tensor } {
  if (arg('threads', '') !== '') ts.setNumThreads(Number(arg('threads', '')));
  ts.setSeed(1);
  const model = MODELS.mlp.build();
  model.compile({ optimizer: 'adam', loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
  const x = ts.randomUniform([BATCH * BATCHES, 28, 28, 1]);
  const y = ts.cast(ts.floor(ts.randomUniform([BATCH * BATCHES], 0, 10)), 'int32');
  return { model, x, y };
}

const fitArgs = (callbacks: ts.callbacks.Callback[] = [], epochs = EPOCHS) => ({ batchSize: BATCH, epochs, verbose: 0 as const, shuffle: false, callbacks });

async function measure(): Promise<void> {
  const { model, x, y } = setup();
  await model.fit(x, y, fitArgs([], WARM_EPOCHS)); // warm: JIT, block cache, Adam's slots
  const gcs = new Map<string, { count: number; ms: number }>();
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = GC_KIND[(e as unknown as { detail: { kind: number } }).detail.kind] ?? 'other';
      const g = gcs.get(kind) ?? { count: 0, ms: 0 };
      g.count++;
      g.ms += e.duration;
      gcs.set(kind, g);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const before = readThreads();
  const machineBefore = machineJiffies();
  const cpuBefore = process.cpuUsage();
  const t = performance.now();
  await model.fit(x, y, fitArgs());
  const wallMs = performance.now() - t;
  const cpu = process.cpuUsage(cpuBefore);
  const machine = machineJiffies();
  const after = readThreads();
  await new Promise((r) => setImmediate(r)); // the observer's last entries
  observer.disconnect();

  const steps = EPOCHS * BATCHES;
  const info = ts.backendInfo();
  console.log(
    `MLP 784-256-128-10, batch ${BATCH}, Adam; cpu ${info.cpu.isa}, ${info.cpu.threads} threads; ${steps} steps after ${WARM_EPOCHS * BATCHES} untimed`,
  );
  const processMs = (cpu.user + cpu.system) / 1e3;
  const machineBusy = machine.busy - machineBefore.busy;
  const machineShare = machineBusy / (machine.total - machineBefore.total);
  // Jiffies to ms: /proc/stat counts in USER_HZ (100 on Linux).
  const othersMs = Math.max(0, machineBusy * 10 - processMs);
  console.log(
    `wall ${((1e3 * wallMs) / steps).toFixed(0)} us/step; process CPU ${((1e3 * processMs) / steps).toFixed(0)} us/step; ` +
      `machine busy ${(100 * machineShare).toFixed(0)}% (other processes about ${((1e3 * othersMs) / steps).toFixed(0)} us/step)`,
  );

  // Each thread that ran (V8's workers and libuv's are all "node"; the pool's "tessera-pool"), per step.
  console.log('\nper thread that ran, per step: CPU, runnable but waiting for a core, context switches (involuntary / voluntary)');
  const rows: ThreadSample[] = [];
  for (const [tid, a] of after) {
    const b = before.get(tid) ?? { cpuNs: 0, waitNs: 0, involuntary: 0, voluntary: 0 };
    const d = {
      name: a.name,
      cpuNs: a.cpuNs - b.cpuNs,
      waitNs: a.waitNs - b.waitNs,
      involuntary: a.involuntary - b.involuntary,
      voluntary: a.voluntary - b.voluntary,
    };
    if (d.cpuNs > 0) rows.push(d);
  }
  rows.sort((p, q) => q.cpuNs - p.cpuNs);
  const perStep = (ns: number) => (ns / 1e3 / steps).toFixed(1).padStart(7);
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(24)} cpu ${perStep(r.cpuNs)} us  wait ${perStep(r.waitNs)} us  switches ${(r.involuntary / steps).toFixed(3).padStart(6)} / ${(r.voluntary / steps).toFixed(2).padStart(5)}`,
    );
  }
  console.log('\ngarbage collections (count per 100 steps, ms per 100 steps)');
  for (const [kind, g] of gcs)
    console.log(`  ${kind.padEnd(20)} ${((100 * g.count) / steps).toFixed(2).padStart(6)}  ${((100 * g.ms) / steps).toFixed(2).padStart(7)} ms`);
  if (gcs.size === 0) console.log('  none');
  ts.dispose([x, y]);
  model.dispose();
}

// The child under --trace-opt --trace-deopt: an epoch marker on stdout (unbuffered, and V8's
// traces line-buffered by stdbuf, so the lines stay in order) after each epoch.
async function traced(): Promise<void> {
  const { model, x, y } = setup();
  const marker = new (class extends ts.callbacks.Callback {
    override async onEpochEnd(epoch: number): Promise<void> {
      writeSync(1, `@@epoch ${epoch}\n`);
    }
  })();
  writeSync(1, '@@fit warm\n');
  await model.fit(x, y, fitArgs([marker], WARM_EPOCHS));
  writeSync(1, '@@fit measured\n');
  await model.fit(x, y, fitArgs([marker]));
  ts.dispose([x, y]);
  model.dispose();
}

// Runs the traced child and counts, per epoch, deoptimizations and completed optimizations,
// then lists the measured fit's deoptimized functions with their reasons.
function deoptsPerEpoch(): void {
  const flags = ['--trace-opt', '--trace-deopt'];
  const args = ['-oL', process.execPath, ...flags, __filename, '--child', ...process.argv.slice(2)];
  const out = execFileSync('stdbuf', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const epochs: { label: string; deopts: number; opts: number; compileMs: number }[] = [];
  let fit = 'start';
  let current = { label: '', deopts: 0, opts: 0, compileMs: 0 };
  const sites = new Map<string, number>();
  const compiled = new Map<string, number>();
  for (const line of out.split('\n')) {
    if (line.startsWith('@@fit ')) fit = line.slice(6);
    if (line.startsWith('@@epoch ')) {
      epochs.push({ ...current, label: `${fit} fit, epoch ${line.slice(8)}` });
      current = { label: '', deopts: 0, opts: 0, compileMs: 0 };
    } else if (line.startsWith('[bailout (kind: deopt')) {
      // [bailout (kind: deopt-eager, reason: wrong map): begin. deoptimizing 0x.. <JSFunction name (sfi = ..)>, ..
      current.deopts++;
      if (fit === 'measured') {
        const m = /reason: ([^)]*)\): begin\. deoptimizing \S+ <JSFunction ([^ >]*)/.exec(line);
        const site = m ? `${m[2] || '(anonymous)'}: ${m[1]}` : line.slice(0, 120);
        sites.set(site, (sites.get(site) ?? 0) + 1);
      }
    } else if (line.startsWith('[completed compiling')) {
      // [completed compiling 0x.. <JSFunction name (sfi = ..)> (target TURBOFAN) - took 0.1, 2.3, 0.1 ms]:
      // the three phases (prepare, execute: off the JS thread, finalize).
      current.opts++;
      const took = /took ([\d.]+), ([\d.]+), ([\d.]+) ms/.exec(line);
      if (took) current.compileMs += Number(took[1]) + Number(took[2]) + Number(took[3]);
      if (fit === 'measured') {
        const name = /<JSFunction ([^ >]*)/.exec(line)?.[1] || '(anonymous)';
        compiled.set(name, (compiled.get(name) ?? 0) + 1);
      }
    }
  }
  console.log(`\nTurboFan, per epoch of ${BATCHES} steps (a child run under ${flags.join(' ')}): deoptimizations, optimizations, their compile time`);
  for (const e of epochs)
    console.log(`  ${e.label.padEnd(26)} ${String(e.deopts).padStart(5)}  ${String(e.opts).padStart(5)}  ${e.compileMs.toFixed(1).padStart(7)} ms`);
  console.log('measured fit: optimized functions (count)');
  for (const [name, n] of [...compiled].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${name}`);
  console.log('measured fit: deoptimized functions (count, reason)');
  for (const [site, n] of [...sites].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${site}`);
  if (sites.size === 0) console.log('  none');
}

async function main(): Promise<void> {
  if (CHILD) return traced();
  await measure();
  if (!process.argv.includes('--no-trace')) deoptsPerEpoch();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
