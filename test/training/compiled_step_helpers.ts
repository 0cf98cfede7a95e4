// Shared by the compiled-step tests: the same training run eager and compiled.
import * as ts from '../../src';
import type { Tensor } from '../../src';
import { randomData } from '../helpers/reference';

export interface RunResult {
  weights: number[][];
  slots: number[][];
  loss: number[];
  accuracy: number[];
  stats: { eager: number; recorded: number; replayed: number; diverged: number } | null;
}

export function fashionLike(n: number, sequence: boolean, seed: number): { x: Tensor; y: Tensor } {
  const x = ts.tensor(randomData(n * 28 * 28, seed, 0, 1), sequence ? [n, 28, 28] : [n, 28, 28, 1]);
  const y = ts.tensor(
    Array.from({ length: n }, (_, i) => (i * 7 + seed) % 10),
    [n],
    'int32',
  );
  return { x, y };
}

/** Trains a fresh model (same seed, so same initial weights and dropout streams) and reads everything back. */
export async function trainRun(
  build: () => ts.Model,
  jitCompile: boolean,
  x: Tensor,
  y: Tensor,
  fit: { epochs: number; batchSize: number },
  optimizer: () => ts.optimizers.Optimizer = () => new ts.optimizers.Adam({ learningRate: 0.001 }),
): Promise<RunResult> {
  ts.setSeed(11);
  const model = build();
  model.compile({ optimizer: optimizer(), loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }), metrics: ['accuracy'], jitCompile });
  const h = await model.fit(x, y, { ...fit, shuffle: false, verbose: 0 });
  const result = readBack(model, h.history as Record<string, number[]>);
  model.dispose();
  return result;
}

export function readBack(model: ts.Model, history: Record<string, number[]>): RunResult {
  const compiled = (model as unknown as { compiled: { optimizer: ts.optimizers.Optimizer; jit: { stats: NonNullable<RunResult['stats']> } | null } }).compiled;
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const slots = compiled.optimizer.getWeights().map((w) => Array.from(w.tensor.dataSync()));
  return { weights, slots, loss: history.loss, accuracy: history.accuracy, stats: compiled.jit ? { ...compiled.jit.stats } : null };
}

/** Equal to float rounding (the same kernels on the same inputs: in practice bit for bit). */
export function expectSame(a: number[][], b: number[][]): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => {
    expect(row.length).toBe(b[i].length);
    let worst = 0;
    for (let j = 0; j < row.length; j++) worst = Math.max(worst, Math.abs(row[j] - b[i][j]) / (1e-6 + Math.abs(b[i][j])));
    expect(worst).toBeLessThan(1e-5);
  });
}
