// A gradient tape the user's code lost must stop recording: otherwise every later op's
// inputs stay alive on it (live tensor counts grow without bound).
import * as ts from '../../src';
import { runTsBody } from '../helpers/child';
import { liveTensors } from '../helpers/memory';

const x = ts.keep(ts.randomNormal([4, 3]));
const w = ts.variable(ts.randomNormal([3, 2]));

function tidiedWork(): void {
  ts.tidy(() => {
    ts.sum(ts.relu(ts.matMul(x, w)));
  });
}

it('a tape inside a tidy that threw stops recording and releases what it kept', () => {
  const start = liveTensors();
  for (let i = 0; i < 100; i++) {
    try {
      ts.tidy(() => {
        new ts.GradientTape();
        ts.matMul(x, w);
        throw new Error('boom');
      });
    } catch {
      // the tape is lost here
    }
    tidiedWork();
  }
  expect(liveTensors()).toBe(start);
});

it('a training loop after a lost tape stays flat', () => {
  try {
    ts.tidy(() => {
      new ts.GradientTape();
      throw new Error('boom');
    });
  } catch {
    // lost
  }
  const opt = new ts.optimizers.SGD({ learningRate: 0.01 });
  const step = (): void =>
    ts.tidy(() => {
      const tape = new ts.GradientTape();
      const loss = ts.mean(ts.square(ts.matMul(x, w)));
      const [g] = tape.gradient(loss, [w]);
      opt.applyGradients([[g!, w]]);
    });
  step();
  const start = liveTensors();
  for (let i = 0; i < 50; i++) step();
  expect(liveTensors()).toBe(start);
});

it('a tape created inside a tidy still differentiates what the tidy computed', () => {
  let tape: ts.GradientTape | undefined;
  const loss = ts.tidy(() => {
    tape = new ts.GradientTape();
    return ts.sum(ts.square(ts.matMul(x, w)));
  });
  // recording ended with the tidy: later ops are not recorded
  const before = liveTensors();
  tidiedWork();
  expect(liveTensors()).toBe(before);
  const [g] = tape!.gradient(loss, [w]) as ts.Tensor[];
  const expected = ts.tidy(() => ts.mul(2, ts.matMul(ts.transpose(x), ts.matMul(x, w))));
  const got = g.dataSync();
  Array.from(expected.dataSync()).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
});

// In a process of its own: whether the GC collects an unreachable object, and when its
// FinalizationRegistry callback runs, depends on the whole heap, which a long jest run shares.
it('a tape lost outside any tidy is stopped after garbage collection', () => {
  const run = runTsBody(
    `
    const x = ts.keep(ts.randomNormal([4, 3]));
    const w = ts.variable(ts.randomNormal([3, 2]));
    const live = () => { const m = ts.memory(); return m.numTensors + m.reclaimedByGC; };
    const tidiedWork = () => ts.tidy(() => { ts.sum(ts.relu(ts.matMul(x, w))); });
    (() => {
      try { new ts.GradientTape(); throw new Error('boom'); } catch { /* lost */ }
    })();
    const grows = () => { const before = live(); tidiedWork(); return live() !== before; };
    const recordingBefore = grows();
    (async () => {
      for (let i = 0; i < 100 && grows(); i++) {
        gc();
        await new Promise((r) => setTimeout(r, 10));
      }
      const start = live();
      for (let i = 0; i < 20; i++) tidiedWork();
      console.log(JSON.stringify({ recordingBefore, growth: live() - start }));
    })();
  `,
    ['--expose-gc'],
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const r = JSON.parse(run.stdout.trim().split('\n').pop()!);
  expect(r.recordingBefore).toBe(true); // the lost tape did record until the GC found it
  expect(r.growth).toBe(0);
});
