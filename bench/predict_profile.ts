// Where one batch of model.predict goes on the bench MLP (784-256-128-10, batch 128): the
// whole predict against its parts, each timed alone over the same 40 batches, in process
// CPU time (robust on a shared machine, where wall time swings) and wall time.
//   npm run bench:predict [-- --threads 1] [-- --batch 32]
// Categories: GEMM (the three fused matMul + bias + relu kernels), the input batch (a row
// view today; a slice kernel copied it before), gathering outputs (one concat), the layer
// machinery (model.apply less its GEMMs: graph walk, tidy, checks, handles), the predict
// loop (predict less apply, batches and gathering: callbacks, options, steps).
import * as ts from '../src';
import { rowsView } from '../src/tensor/run';
import { MODELS } from './models';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const BATCH = arg('--batch', 128);
const STEPS = 40;
const ROUNDS = 15;
if (process.argv.includes('--threads')) ts.setNumThreads(arg('--threads', 2));

ts.setSeed(1);
const model = MODELS.mlp.build();
const n = BATCH * STEPS;
const x = ts.randomUniform([n, 28, 28, 1]);
const xb = ts.slice(x, [0], [BATCH]);
const rows = ts.reshape(xb, [BATCH, 784]);
const dense = model.layers.filter((l) => (l as unknown as { kernel?: unknown }).kernel) as unknown as { kernel: ts.Tensor; bias: ts.Tensor }[];
const outs = Array.from({ length: STEPS }, () => ts.zeros([BATCH, 10]));

const cases: Record<string, () => void> = {
  'predict (whole)': () => ts.dispose(model.predict(x, { batchSize: BATCH })),
  'GEMM + bias + relu': () => {
    for (let s = 0; s < STEPS; s++) {
      ts.tidy(() => {
        const h = ts.matMulBias(rows, dense[0].kernel, dense[0].bias, true);
        const h2 = ts.matMulBias(h, dense[1].kernel, dense[1].bias, true);
        ts.matMulBias(h2, dense[2].kernel, dense[2].bias, false);
      });
    }
  },
  'model.apply (layers + GEMM)': () => {
    for (let s = 0; s < STEPS; s++) ts.dispose(ts.tidy(() => model.apply(xb, { training: false }) as ts.Tensor));
  },
  'input batch: row view': () => {
    for (let s = 0; s < STEPS; s++) rowsView(x, s * BATCH, BATCH).dispose();
  },
  'input batch: slice copy': () => {
    for (let s = 0; s < STEPS; s++) ts.slice(x, [s * BATCH], [BATCH]).dispose();
  },
  'outputs: concat': () => ts.concat(outs, 0).dispose(),
};

for (const run of Object.values(cases)) for (let i = 0; i < 5; i++) run();
const cpu: Record<string, number[]> = {};
const wall: Record<string, number[]> = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, run] of Object.entries(cases)) {
    const c = process.cpuUsage();
    const t = process.hrtime.bigint();
    run();
    const used = process.cpuUsage(c);
    (wall[name] ??= []).push(Number(process.hrtime.bigint() - t) / 1e3 / STEPS);
    (cpu[name] ??= []).push((used.user + used.system) / STEPS);
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const m = (name: string) => median(cpu[name]);
console.log(`MLP predict, batch ${BATCH}, ${ts.getNumThreads()} thread(s), ${ts.backendInfo().cpu.isa}; µs per batch, median of ${ROUNDS}`);
console.log('part                           |   CPU µs |  wall µs');
for (const name of Object.keys(cases)) console.log(`${name.padEnd(30)} | ${m(name).toFixed(1).padStart(8)} | ${median(wall[name]).toFixed(1).padStart(8)}`);
const whole = m('predict (whole)');
const layers = m('model.apply (layers + GEMM)') - m('GEMM + bias + relu');
const loop = whole - m('model.apply (layers + GEMM)') - m('input batch: row view') - m('outputs: concat') / STEPS;
console.log(
  `derived (CPU): GEMM ${((100 * m('GEMM + bias + relu')) / whole).toFixed(0)}%, layer machinery ${layers.toFixed(1)} µs, predict loop ${loop.toFixed(1)} µs`,
);
ts.dispose([x, xb, rows, ...outs]);
model.dispose();
