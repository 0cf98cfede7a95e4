// Tensors forgotten in synchronous code (no tidy, no dispose, no event-loop turn) are
// reclaimed by the GC, and the memory goes back to the system. Each case runs in its own
// process so that its RSS is its own.
import { runTsBody } from '../helpers/child';

function report(body: string, nodeArgs: string[] = []): Record<string, number> {
  const run = runTsBody(body, nodeArgs);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

it('a synchronous loop that forgets every tensor stays bounded in live tensors and RSS', () => {
  // 6,000 iterations forget 18,000 tensors of 40 KB (720 MB): all of it stayed live before.
  const r = report(`
    const step = () => { const a = ts.randomNormal([100, 100]); const b = ts.matMul(a, a); ts.add(b, 1); };
    for (let i = 0; i < 200; i++) step();
    const rss0 = process.memoryUsage().rss;
    let peakLive = 0, peakRss = 0;
    for (let i = 0; i < 6000; i++) {
      step();
      if (i % 100 === 0) {
        peakLive = Math.max(peakLive, ts.memory().numTensors);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    }
    console.log(JSON.stringify({ peakLive, growthMB: (peakRss - rss0) / 1e6, reclaimed: ts.memory().reclaimedByGC }));
  `);
  expect(r.peakLive).toBeLessThan(5000);
  expect(r.reclaimed).toBeGreaterThan(10000);
  expect(r.growthMB).toBeLessThan(300);
});

it('memory the GC reclaimed from small tensors goes back to the system', () => {
  // 5,000 tensors of 40 KB (below the block cache, in malloc's heap) held, then dropped.
  // The last few hundred are still young (src/tensor/young.ts): one event-loop turn
  // promotes them, as any code that yields does, so that the GC may free them too.
  const r = report(
    `
    (async () => {
      let held = [];
      for (let i = 0; i < 5000; i++) held.push(ts.randomNormal([100, 100]));
      const rssHeld = process.memoryUsage().rss;
      held = null;
      await new Promise((r) => setImmediate(r));
      gc(); gc();
      ts.ones([1]).dispose(); // the next call into the addon frees what the GC queued
      const live = ts.memory().numTensors;
      console.log(JSON.stringify({ live, droppedMB: (rssHeld - process.memoryUsage().rss) / 1e6 }));
    })();
  `,
    ['--expose-gc'],
  );
  expect(r.live).toBeLessThan(10);
  expect(r.droppedMB).toBeGreaterThan(150);
});
