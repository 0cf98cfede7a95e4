// Data-parallel benchmarks on this machine (Open MPI, localhost):
//   scaling:   N ranks x 1 thread against 1 rank x 1 thread, MLP and CNN of bench:train
//              (batch 128 per rank: weak scaling, efficiency = rate(N) / (N x rate(1))),
//              against N ranks of the same work trained apart (no all-reduce: the
//              machine's ceiling for N such processes; efficiency against it = rate(N) /
//              rate(N apart)), and against 1 rank x N threads (the same cores used by
//              one process); with --pytorch, PyTorch's DistributedDataParallel on the same
//              models the same three ways (bench/pytorch_ddp.py), interleaved round by round;
//   allreduce: Tessera's all-reduce (the public allReduceSync, fit's gradient buckets,
//              which sum pre-divided gradients in place when the gradient is fit's own
//              and, for comparison, into a fresh tensor, and averageGradients, which
//              divides the sum) against a plain C MPI_Allreduce of the same sizes, in
//              place and out of place, same run;
//   overlap:   an MLP and a CNN step on N ranks with gradient averaging against the same N
//              ranks training without it (same CPU contention): averaging's share of a step.
//   npm run bench:distributed [-- --quick] [-- --ranks 2] [-- --bucket-bytes N]
//       [-- --rounds R] [-- --pytorch] [-- --only scaling,allreduce,overlap]
//   (TESSERA_DIST_BLOCKING=0 in front: every all-reduce polled, the shim's earlier path;
//   bench/native/allreduce_variants.c compares the MPI calls themselves in C)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../src';
import { GradientBuckets } from '../src/distribute/buckets';
import { DEFAULT_BUCKET_BYTES } from '../src/distribute/gradients';
import { BATCH, MODELS } from './models';
import { median } from './median';
import { peerEnv } from './peer_env';

// The plain-MPI program beside this file (bench/native/), also when run from dist/bench/.
const ALLREDUCE_C = join(__dirname, __dirname.endsWith(join('dist', 'bench')) ? join('..', '..', 'bench') : '.', 'native', 'allreduce.c');

const SIZES = [1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20, 1 << 22, 1 << 24, 1 << 26];

function data(model: string, rows: number): { x: ts.Tensor; y: ts.Tensor } {
  const x = ts.randomUniform(MODELS[model].sequence ? [rows, 28, 28] : [rows, 28, 28, 1], 0, 1, 'float32', 3);
  const y = ts.cast(ts.floor(ts.randomUniform([rows], 0, 10, 'float32', 4)), 'int32');
  return { x, y };
}

/**
 * Seconds per epoch of `steps` steps: the median of epochs 2-4 of one fit, each epoch's
 * time the slowest rank's (ranks training apart drift; the epoch ends for the machine when
 * the last one ends). Epochs, not whole fit() calls: fit's one-off start (rank 0's weights
 * and optimizer state broadcast, the data sharded) is not a step's cost. `distributed`
 * false: every rank trains its own copy on its own `steps` batches, with no collective
 * inside an epoch (the ranks still meet before each one, outside the timed span).
 */
async function epochSeconds(model: string, steps: number, distributed: boolean): Promise<number> {
  const size = ts.distribute.size();
  const bucketBytes = process.env.BENCH_BUCKET_BYTES ? Number(process.env.BENCH_BUCKET_BYTES) : undefined;
  ts.distribution.setDistribution(distributed ? new ts.distribution.DataParallel(bucketBytes ? { bucketBytes } : {}) : null);
  ts.setSeed(1);
  const m = MODELS[model].build();
  m.compile({ optimizer: 'adam', loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
  const { x, y } = data(model, BATCH * steps * (distributed ? size : 1));
  const times: number[] = [];
  let start = 0;
  const clock = new ts.callbacks.LambdaCallback({
    onEpochBegin: () => {
      ts.distribute.barrierSync(); // the ranks start each epoch together (also when training apart)
      start = performance.now();
    },
    onEpochEnd: (epoch: number) => {
      if (epoch > 0) times.push((performance.now() - start) / 1000);
    },
  });
  await m.fit(x, y, { batchSize: BATCH, epochs: 4, verbose: 0, shuffle: false, callbacks: [clock] });
  ts.dispose([x, y]);
  m.dispose();
  ts.distribution.setDistribution(null);
  const local = ts.tensor(times, [times.length], 'float64');
  const slowest = ts.distribute.allReduceSync(local, 'max');
  const perEpoch = Array.from(slowest.dataSync());
  ts.dispose([local, slowest]);
  return median(perEpoch);
}

const MAX_WARMUPS = 10;

/** The most of `n` on any rank. */
function mostAnywhere(n: number): number {
  const mine = ts.tensor([n], [1], 'float64');
  const most = ts.distribute.allReduceSync(mine, 'max');
  const v = most.dataSync()[0];
  ts.dispose([mine, most]);
  return v;
}

/** Runs `f` once; the most minor page faults it took on any rank. */
function faultsAnywhere(f: () => void): number {
  const f0 = process.resourceUsage().minorPageFault;
  f();
  return mostAnywhere(process.resourceUsage().minorPageFault - f0);
}

async function worker(kind: string, args: string[]): Promise<void> {
  const { rank, size } = ts.distribute.init({ timeout: 600 });
  const report = (o: object) => {
    if (rank === 0) console.log(`RESULT ${JSON.stringify(o)}`);
  };
  if (kind === 'scaling') {
    // mode 'together': data-parallel fit (all-reduces every step); 'apart': the same work
    // per rank with no collective inside an epoch (the machine's ceiling for `size` ranks).
    const [model, steps, mode] = [args[0], Number(args[1]), args[2] ?? 'together'];
    if (mode !== 'together' && mode !== 'apart') throw new Error(`bench/distributed: scaling mode must be 'together' or 'apart', got '${mode}'`);
    const seconds = await epochSeconds(model, steps, mode === 'together');
    report({ model, mode, ranks: size, samplesPerSecond: (BATCH * steps * size) / seconds, stepSeconds: seconds / steps });
  } else if (kind === 'allreduce') {
    for (const bytes of SIZES) {
      const t = ts.randomUniform([bytes / 4]);
      const reps = bytes <= 1 << 20 ? 30 : 5;
      // Warmed up until steady, as bench/native/allreduce.c: until a call faults on no
      // rank. Open MPI's in-place 16 MB all-reduce mallocs an 8 MB scratch buffer per call,
      // whose pages are fresh in the first two calls per malloc arena, and here the
      // blocking call runs on the MPI thread or the JS thread (two arenas): after a single
      // warm-up, most of 5 timed calls had a rank touching fresh pages.
      const faults: Record<string, number> = {};
      const time = (name: string, f: () => void) => {
        for (let w = 0; w < MAX_WARMUPS && faultsAnywhere(f) > 0; w++);
        const xs: number[] = [];
        const f0 = process.resourceUsage().minorPageFault;
        for (let r = 0; r < reps; r++) {
          ts.distribute.barrierSync();
          const t0 = performance.now();
          f();
          xs.push((performance.now() - t0) / 1000);
        }
        faults[name] = mostAnywhere(process.resourceUsage().minorPageFault - f0);
        return median(xs);
      };
      const publicApi = time('publicApi', () => ts.distribute.allReduceSync(t, 'sum').dispose());
      // What fit's step does with a gradient of this size (backward seeded with 1/size):
      // `t` stands for a gradient backward made (its tape's only, `sole`), reduced into its
      // own bytes; and, for comparison, the same into a fresh tensor (a gradient shared).
      const fitBucket = (sole: boolean) => () => {
        const buckets = new GradientBuckets('bench', [t], DEFAULT_BUCKET_BYTES, true);
        buckets.ready(0, t, sole);
        buckets.finish().forEach((g) => g !== t && g?.dispose());
      };
      const fitPath = time('fitPath', fitBucket(true));
      const fitOutOfPlace = time('fitOutOfPlace', fitBucket(false));
      const averageGradients = time('averageGradients', () => ts.distribute.averageGradients([t]).forEach((g) => g?.dispose()));
      report({ bytes, publicApi, fitPath, fitOutOfPlace, averageGradients, faults });
      t.dispose();
    }
  } else if (kind === 'overlap') {
    const [model, steps] = [args[0], Number(args[1])];
    const without = await epochSeconds(model, steps, false);
    const withAveraging = await epochSeconds(model, steps, true);
    report({ model, ranks: size, stepWithout: without / steps, stepWith: withAveraging / steps });
  } else {
    throw new Error(`bench/distributed: unknown worker '${kind}'`);
  }
}

// ---- the orchestrator ----

const MPI_ENV = { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1', TESSERA_NUM_THREADS: '1' };

function mpirun(np: number, command: string[], threads = 1): string {
  // Forwarded explicitly (mpirun across hosts passes no environment); the shim's settings must match on every rank.
  const optional = ['BENCH_BUCKET_BYTES', 'TESSERA_DIST_BLOCKING', 'TESSERA_DIST_INPLACE'].filter((k) => process.env[k] !== undefined);
  const forward = ['TESSERA_NUM_THREADS', ...optional].flatMap((k) => ['-x', k]);
  const r = spawnSync('mpirun.openmpi', ['-np', String(np), '--oversubscribe', '--bind-to', 'none', ...forward, ...command], {
    env: { ...MPI_ENV, TESSERA_NUM_THREADS: String(threads) },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`mpirun ${command.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function results<T>(out: string): T[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('RESULT ') || l.startsWith('{'))
    .map((l) => JSON.parse(l.replace(/^RESULT /, '')) as T);
}

const self = (kind: string, ...args: string[]) => [process.execPath, ...process.execArgv, __filename, '--worker', kind, ...args];
const fmt = (x: number, d = 1) => x.toFixed(d);
const human = (b: number) => (b >= 1 << 20 ? `${b >> 20} MB` : `${b >> 10} KB`);

/** The median of the rounds, with their range when there are several. */
function spread(xs: number[], f: (x: number) => string): string {
  if (xs.length === 1) return f(xs[0]);
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return `${f(mid)} (${f(Math.min(...xs))}-${f(Math.max(...xs))})`;
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  if (at < 0) return undefined;
  const v = process.argv[at + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`bench/distributed: ${name} needs a value`);
  return v;
}

const PARTS = ['allreduce', 'scaling', 'overlap'];

/** Steps per epoch: the MLP's 2.5 ms step needs more of them than the CNN's 70 ms for an epoch to outlast the scheduler's slices. */
function stepsOf(model: string, quick: boolean): number {
  return model === 'mlp' ? (quick ? 16 : 64) : quick ? 3 : 8;
}

// PyTorch's side of the scaling table (bench/pytorch_ddp.py), beside this file also when run from dist/bench/.
const PYTORCH_DDP = join(__dirname, __dirname.endsWith(join('dist', 'bench')) ? join('..', '..', 'bench') : '.', 'pytorch_ddp.py');

interface Rates {
  one: number[];
  apart: number[];
  together: number[];
  threaded: number[];
}

function pytorchRound(model: string, steps: number, ranks: number): { one: number; apart: number; ddp: number } {
  const r = spawnSync('/usr/bin/python3', [PYTORCH_DDP, '--json', '--ranks', String(ranks), '--models', model, '--steps', `${model}=${steps}`], {
    env: peerEnv(), // each child sets its own OMP_NUM_THREADS=1
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`bench/pytorch_ddp.py failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const rows = results<{ mode: string; samplesPerSecond: number }>(r.stdout);
  const rate = (mode: string) => rows.find((x) => x.mode === mode)!.samplesPerSecond;
  return { one: rate('one'), apart: rate('apart'), ddp: rate('ddp') };
}

async function orchestrate(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const ranks = Number(option('--ranks') ?? 2);
  const rounds = Number(option('--rounds') ?? 1);
  const pytorch = process.argv.includes('--pytorch');
  const only = (option('--only') ?? PARTS.join(',')).split(',');
  for (const p of only) if (!PARTS.includes(p)) throw new Error(`bench/distributed: --only takes ${PARTS.join(', ')}; got '${p}'`);
  if (!(Number.isInteger(ranks) && ranks >= 2)) throw new Error(`bench/distributed: --ranks must be an integer >= 2, got ${ranks}`);
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`bench/distributed: --rounds must be an integer >= 1, got ${rounds}`);
  const bucketBytes = option('--bucket-bytes');
  if (bucketBytes !== undefined) process.env.BENCH_BUCKET_BYTES = bucketBytes;
  // The load average says how far other processes skew the figures (medians of each timing).
  console.log(
    `bench/distributed: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}, Open MPI, ${ranks} ranks x 1 thread, fit's buckets ${process.env.BENCH_BUCKET_BYTES ?? 'default'} bytes\n`,
  );

  if (only.includes('allreduce')) {
    // All-reduce bandwidth: a plain C program and Tessera, same sizes, same run.
    const exe = join(tmpdir(), `tessera-allreduce-${process.pid}`);
    execFileSync('mpicc.openmpi', ['-O2', ALLREDUCE_C, '-o', exe]);
    const plain = new Map(results<{ bytes: number; seconds: number; outOfPlace: number; faults: number }>(mpirun(ranks, [exe])).map((r) => [r.bytes, r]));
    const tessera = results<{
      bytes: number;
      publicApi: number;
      fitPath: number;
      fitOutOfPlace: number;
      averageGradients: number;
      faults: Record<string, number>;
    }>(mpirun(ranks, self('allreduce')));
    // Bus bandwidth as nccl-tests define it: 2(N-1)/N x bytes / time.
    const bus = (bytes: number, s: number) => (((2 * (ranks - 1)) / ranks) * bytes) / s / 1e9;
    const us = (bytes: number, s: number) => `${fmt(s * 1e6)} us, ${fmt(bus(bytes, s), 2)} GB/s`;
    console.log(
      "| size | plain MPI_Allreduce in place | plain out of place | Tessera allReduceSync | fit's gradient buckets (in place) | fit path / plain in place | fit's buckets out of place | averageGradients (divides) | page faults in the timed calls: plain in place / fit's path |",
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of tessera) {
      const p = plain.get(r.bytes)!;
      console.log(
        `| ${human(r.bytes)} | ${us(r.bytes, p.seconds)} | ${us(r.bytes, p.outOfPlace)} | ${us(r.bytes, r.publicApi)} | ${us(r.bytes, r.fitPath)} | ${fmt(r.fitPath / p.seconds, 2)}x | ${fmt(r.fitOutOfPlace * 1e6)} us | ${fmt(r.averageGradients * 1e6)} us | ${p.faults} / ${r.faults.fitPath} |`,
      );
    }
  }

  if (only.includes('scaling')) {
    // Weak scaling at batch 128 per rank, every configuration once per round, interleaved.
    const models = ['mlp', 'cnn'];
    const tessera = new Map<string, Rates>(models.map((m) => [m, { one: [], apart: [], together: [], threaded: [] }]));
    const torch = new Map<string, Rates>(models.map((m) => [m, { one: [], apart: [], together: [], threaded: [] }]));
    const rate = (out: string) => results<{ samplesPerSecond: number }>(out)[0].samplesPerSecond;
    for (let round = 0; round < rounds; round++) {
      for (const model of models) {
        const steps = String(stepsOf(model, quick));
        const t = tessera.get(model)!;
        t.one.push(rate(mpirun(1, self('scaling', model, steps))));
        t.apart.push(rate(mpirun(ranks, self('scaling', model, steps, 'apart'))));
        t.together.push(rate(mpirun(ranks, self('scaling', model, steps, 'together'))));
        t.threaded.push(rate(mpirun(1, self('scaling', model, steps), ranks)));
        const line = (name: string, one: number, apart: number, together: number) =>
          console.log(
            `round ${round + 1} ${name} ${model}: 1 rank ${fmt(one)}, ${ranks} apart ${fmt(apart)}, ${ranks} ranks ${fmt(together)} samples/s (${fmt((100 * together) / (ranks * one))}% of ideal, ${fmt((100 * together) / apart)}% of apart); load average ${loadavg()[0].toFixed(1)}`,
          );
        line('Tessera', t.one[round], t.apart[round], t.together[round]);
        if (pytorch) {
          const p = pytorchRound(model, stepsOf(model, quick), ranks);
          const q = torch.get(model)!;
          q.one.push(p.one);
          q.apart.push(p.apart);
          q.together.push(p.ddp);
          line('PyTorch DDP', p.one, p.apart, p.ddp);
        }
      }
    }
    const k = (x: number) => `${fmt(x / 1000, 2)}k`;
    const pct = (x: number) => `${fmt(100 * x)}%`;
    const per = (a: number[], b: number[], f: (x: number, y: number) => number) => a.map((x, i) => f(x, b[i]));
    console.log(
      `\nScaling, samples/s${rounds > 1 ? `: median (range) of ${rounds} interleaved rounds; ratios per round` : ''}. "apart": ${ranks} processes of the same work started together with no communication inside an epoch (the machine's ceiling); efficiency = ${ranks} ranks / (${ranks} x 1 rank), and against the ceiling = ${ranks} ranks / apart.\n`,
    );
    console.log(
      `| model | 1 rank x 1 thread | ${ranks} apart (ceiling) | ceiling / ideal | ${ranks} ranks x 1 thread | efficiency | against the ceiling | 1 rank x ${ranks} threads |`,
    );
    console.log('|---|---|---|---|---|---|---|---|');
    const row = (name: string, r: Rates) =>
      console.log(
        `| ${name} | ${spread(r.one, k)} | ${spread(r.apart, k)} | ${spread(
          per(r.apart, r.one, (a, o) => a / (ranks * o)),
          pct,
        )} | ${spread(r.together, k)} | ${spread(
          per(r.together, r.one, (t, o) => t / (ranks * o)),
          pct,
        )} | ${spread(
          per(r.together, r.apart, (t, a) => t / a),
          pct,
        )} | ${r.threaded.length ? spread(r.threaded, k) : '-'} |`,
      );
    for (const model of models) {
      row(`Tessera ${model}`, tessera.get(model)!);
      if (pytorch) row(`PyTorch DDP ${model}`, torch.get(model)!);
    }
  }

  if (only.includes('overlap')) {
    // Gradient averaging's share of a step, at equal contention (the same ranks train without it).
    console.log(`\n| step, ${ranks} ranks | without averaging (s) | with averaging (s) | cost |`);
    console.log('|---|---|---|---|');
    for (const model of ['mlp', 'cnn']) {
      const steps = stepsOf(model, quick);
      const [o] = results<{ stepWithout: number; stepWith: number }>(mpirun(ranks, self('overlap', model, String(steps))));
      console.log(`| ${model} | ${fmt(o.stepWithout, 4)} | ${fmt(o.stepWith, 4)} | ${fmt(100 * (o.stepWith / o.stepWithout - 1))}% |`);
    }
  }
}

const w = process.argv.indexOf('--worker');
(w > 0 ? worker(process.argv[w + 1], process.argv.slice(w + 2)) : orchestrate()).catch((e) => {
  console.error(e);
  process.exit(1);
});
