// The JS-side cost of one small op end to end: add of two 1x1 tensors, with and without
// a recording tape, side by side with TensorFlow.js (cpu backend) in the same run.
//   npm run bench:ops
// Each loop is warmed up until V8 has optimized it and the young generation has reached its
// steady size (about 70,000 calls here: before that a call costs 1-5 us), then timed in
// ROUNDS rounds whose median is the figure; both libraries get the same treatment.
import * as ts from '../src';

const CALLS = 100_000;
const WARMUP_CALLS = 150_000;
const ROUNDS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeLoop(label: string, body: () => void): number {
  for (let i = 0; i < WARMUP_CALLS; i++) body();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) body();
    rounds.push(Number(process.hrtime.bigint() - start) / 1e3 / CALLS);
  }
  const us = median(rounds);
  const range = `${Math.min(...rounds).toFixed(2)}-${Math.max(...rounds).toFixed(2)}`;
  console.log(`${label.padEnd(44)} ${us.toFixed(2).padStart(7)} us/op (median of ${ROUNDS} rounds, ${range})`);
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
