// Runs the zero-size cases (cases.ts) in this process, printing one JSON line before and
// one after each run, so the parent (test/zero_size.test.ts) can tell which case a crash
// (SIGFPE, SIGSEGV) killed and restart after it. Arguments: the index of the first run.
import * as ts from '../../src';
import type { Tensor } from '../../src';
import { CASES, SIZE, type Dim, type ZeroSizeCase } from './cases';

/** One run: a case with one named size emptied (or none, for cases without names). */
export interface ZeroSizeRun {
  id: string;
  c: ZeroSizeCase;
  emptied: string | null;
}

/** Every run of the sweep, in a fixed order. */
export function sweepRuns(): ZeroSizeRun[] {
  const runs: ZeroSizeRun[] = [];
  for (const c of CASES) {
    const names = [...new Set(c.inputs.flat().filter((d): d is string => typeof d === 'string'))];
    if (names.length === 0) runs.push({ id: c.name, c, emptied: null });
    for (const n of names) runs.push({ id: `${c.name} [${n}=0]`, c, emptied: n });
  }
  return runs;
}

function tensorsOf(result: unknown): Tensor[] {
  if (result instanceof ts.Tensor) return [result];
  if (Array.isArray(result)) return result.flatMap(tensorsOf);
  if (result && typeof result === 'object') return Object.values(result).flatMap(tensorsOf);
  return [];
}

function makeInputs(run: ZeroSizeRun): Tensor[] {
  return run.c.inputs.map((dims, i) => {
    const shape = dims.map((d: Dim) => (typeof d === 'number' ? d : d === run.emptied ? 0 : SIZE));
    const dtype = run.c.dtypes?.[i] ?? 'float32';
    if (dtype === 'float32') return ts.randomUniform(shape, 0.1, 1, 'float32', 7 + i);
    return ts.zeros(shape, dtype);
  });
}

/** Runs one case: the output shapes, and the gradient's shape per float input (or null). */
function runOne(run: ZeroSizeRun): { outputs: number[][]; grads: { input: number[]; grad: number[] }[] } {
  return ts.tidy(() => {
    const inputs = makeInputs(run);
    const outputs = tensorsOf(run.c.run(ts, ...inputs));
    for (const y of outputs) y.dataSync();
    const grads: { input: number[]; grad: number[] }[] = [];
    const floats = inputs.filter((x, i) => x.dtype === 'float32' && !run.c.constants?.includes(i));
    // (An op that returns no tensors, unstack of an empty axis, has nothing to differentiate.)
    if (!run.c.noGrad && floats.length > 0 && outputs.some((y) => y.dtype === 'float32')) {
      const f = (...xs: Tensor[]): Tensor => {
        const all = inputs.map((x) => (floats.includes(x) ? xs[floats.indexOf(x)] : x));
        const ys = tensorsOf(run.c.run(ts, ...all)).filter((y) => y.dtype === 'float32');
        return ys.map((y) => ts.sum(y)).reduce((a, b) => ts.add(a, b));
      };
      const gs = ts.grads(f)(floats);
      gs.forEach((g, i) => {
        g.dataSync();
        grads.push({ input: floats[i].shape, grad: g.shape });
      });
    }
    return { outputs: outputs.map((y) => y.shape), grads };
  });
}

if (require.main === module) {
  const runs = sweepRuns();
  const from = Number(process.argv[2] ?? 0);
  for (let i = from; i < runs.length; i++) {
    process.stdout.write(`${JSON.stringify({ start: i, id: runs[i].id })}\n`);
    let line: object;
    try {
      line = { done: i, ...runOne(runs[i]) };
    } catch (e) {
      line = { done: i, error: e instanceof Error ? e.message : String(e) };
    }
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
