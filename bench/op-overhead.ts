// The JS-side cost of one small op end to end: add of two 1x1 tensors, with and without
// a recording tape, side by side with TensorFlow.js (cpu backend) in the same run.
//   npm run bench:ops
import * as ts from '../src';

const CALLS = 100_000;

function timeLoop(label: string, body: () => void): number {
  for (let i = 0; i < 2000; i++) body(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) body();
  const us = Number(process.hrtime.bigint() - start) / 1e3 / CALLS;
  console.log(`${label.padEnd(44)} ${us.toFixed(2).padStart(7)} us/op`);
  return us;
}

async function main(): Promise<void> {
  const a = ts.tensor([[1]]);
  const b = ts.tensor([[2]]);
  const plain = timeLoop('tessera add 1x1 (no tape)', () => ts.add(a, b).dispose());

  const w = ts.variable(ts.tensor([[1]]));
  let tape = new ts.GradientTape();
  let n = 0;
  const recorded = timeLoop('tessera add 1x1 (recording on a tape)', () => {
    ts.add(w, b).dispose();
    // Keep the tape's memory bounded: a fresh tape every 1,000 ops.
    if (++n % 1000 === 0) {
      tape.dispose();
      tape = new ts.GradientTape();
    }
  });
  tape.dispose();

  let tfjsUs: number | undefined;
  try {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const ta = tf.tensor([[1]]);
    const tb = tf.tensor([[2]]);
    tfjsUs = timeLoop('@tensorflow/tfjs cpu add 1x1', () => tf.add(ta, tb).dispose());
  } catch (e) {
    console.log(`@tensorflow/tfjs not available: ${(e as Error).message}`);
  }
  console.log(`\naim (issue #22): <= 1 us without recording (${plain.toFixed(2)}), <= 1.5 us with (${recorded.toFixed(2)})`);
  if (tfjsUs !== undefined) console.log(`tfjs / tessera (no tape): ${(tfjsUs / plain).toFixed(2)}x`);
}

void main();
