// The corrupted-file sweep's child process: loads each case named in the cases file and
// reports, on stdout, 'start <i>' before and 'done <i> <json>' after each one, so the
// parent can tell which case crashed or hung the process.
import * as fs from 'node:fs';
import { loadModel, type Model, type Tensor } from '../../../src';
import { sweepInput, sweepModel } from './sweep_model';

/** A case as the parent writes it. */
export interface SweepCase {
  id: number;
  load: 'model' | 'weights';
  path: string;
}

/** What a case did: threw, or loaded (with the same predictions or not). */
export type CaseOutcome = { kind: 'error'; message: string; stderrBytes: number } | { kind: 'loaded'; same: boolean; maxDiff: number; stderrBytes: number };

async function main(): Promise<void> {
  const [casesFile, first] = process.argv.slice(2);
  const { expected, weights, cases } = JSON.parse(fs.readFileSync(casesFile, 'utf8')) as { expected: number[]; weights: number[]; cases: SweepCase[] };
  const want = Float32Array.from(expected);
  const wantWeights = Buffer.from(Float32Array.from(weights).buffer);
  let stderrBytes = 0;
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderrBytes += chunk.length;
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  const x = sweepInput();
  for (const c of cases.slice(Number(first))) {
    fs.writeSync(1, `start ${c.id}\n`);
    stderrBytes = 0;
    let outcome: CaseOutcome;
    let model: Model<any> | null = null;
    try {
      if (c.load === 'model') model = (await loadModel(c.path)) as Model<any>;
      else {
        model = sweepModel();
        await model.loadWeights(c.path);
      }
      const got = (model.apply(x) as Tensor).dataSync() as Float32Array;
      const maxDiff = got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i])), 0);
      // The same model: the same predictions and, bit for bit, the same weights.
      const values = Float32Array.from(model.weights.flatMap((w) => Array.from(w.dataSync() as Float32Array)));
      const same =
        got.length === want.length &&
        Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(want.buffer)) &&
        Buffer.from(values.buffer).equals(wantWeights);
      outcome = { kind: 'loaded', same, maxDiff: Number.isNaN(maxDiff) ? Infinity : maxDiff, stderrBytes };
    } catch (e) {
      outcome = { kind: 'error', message: e instanceof Error ? e.message : String(e), stderrBytes };
    } finally {
      model?.dispose();
    }
    fs.writeSync(1, `done ${c.id} ${JSON.stringify(outcome)}\n`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`sweep child failed: ${(e as Error).stack}\n`);
    process.exit(3);
  },
);
