// One optimizer update over the MLP of bench:train's 6 weight tensors (dense 784-256-128-10:
// kernels and biases), multi-tensor (one kernel call) against per tensor (one call and one
// thread-pool fork/join each), interleaved in one run, for Adam and the other optimizers
// with a multi-tensor kernel; then Adam over 200 small tensors, where the fork/joins dominate.
//   npm run bench:optimizer
import * as ts from '../src';

const MLP = [[784, 256], [256], [256, 128], [128], [128, 10], [10]];
const SMALL = Array.from({ length: 200 }, () => [64]);
const ROUNDS = 11;
const UPDATES = 100;

type Make = () => ts.optimizers.Optimizer;

// Microseconds per applyGradients, the median of ROUNDS rounds for each path, the paths
// alternating round by round so that load on a shared machine hits both alike.
function compare(label: string, make: Make, shapes = MLP): void {
  const vars = shapes.map((s, i) => ts.variable(ts.randomNormal(s, 0, 0.05), true, `w${i}`));
  const grads = shapes.map((s) => ts.randomNormal(s, 0, 0.01));
  const pairs = grads.map((g, i): [ts.Tensor, ts.Variable] => [g, vars[i]]);
  const paths = [true, false].map((multiTensor) => {
    const opt = make();
    opt.multiTensor = multiTensor;
    for (let i = 0; i < 20; i++) opt.applyGradients(pairs); // slots, warm-up
    return { opt, times: [] as number[] };
  });
  for (let r = 0; r < ROUNDS; r++)
    for (const p of paths) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < UPDATES; i++) p.opt.applyGradients(pairs);
      p.times.push(Number(process.hrtime.bigint() - start) / 1e3 / UPDATES);
    }
  const median = (t: number[]) => [...t].sort((a, b) => a - b)[t.length >> 1];
  const [many, each] = paths.map((p) => median(p.times));
  console.log(
    `${label.padEnd(24)} multi-tensor ${many.toFixed(1).padStart(7)} us   per tensor ${each.toFixed(1).padStart(7)} us   ratio ${(each / many).toFixed(2)}x`,
  );
  paths.forEach((p) => p.opt.dispose());
  [...vars, ...grads].forEach((t) => t.dispose());
}

compare('Adam', () => new ts.optimizers.Adam());
compare('AdamW amsgrad', () => new ts.optimizers.AdamW({ amsgrad: true }));
compare('SGD momentum', () => new ts.optimizers.SGD({ momentum: 0.9 }));
compare('RMSprop centered', () => new ts.optimizers.RMSprop({ centered: true }));
compare('Adagrad', () => new ts.optimizers.Adagrad());
compare('Adam, 200 x [64]', () => new ts.optimizers.Adam(), SMALL);
