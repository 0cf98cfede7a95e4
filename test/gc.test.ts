// The safety net: tensors nobody disposed are released after GC.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { memory, ones } from '../src';
import { howItEnded, runTsBody } from './helpers/child';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('GC safety net', () => {
  it('reclaims forgotten tensors at the next op and counts them', async () => {
    const start = memory();
    (() => {
      for (let i = 0; i < 100; i++) ones([256]); // never disposed, never referenced
    })();
    // Live plus reclaimed: the GC may already reclaim some of them during the loop.
    const made = memory();
    expect(made.numTensors + made.reclaimedByGC).toBeGreaterThanOrEqual(start.numTensors + start.reclaimedByGC + 100);
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
    ones([1]).dispose(); // the next op drains the queue
    const after = memory();
    expect(after.reclaimedByGC).toBeGreaterThanOrEqual(start.reclaimedByGC + 100);
    expect(after.numTensors).toBeLessThanOrEqual(start.numTensors);
  });

  it('bounds a loop that forgets every CPU tensor by GC pressure alone', () => {
    // 1500 forgotten 4 MB tensors (6 GB in all), yielding to the event loop as async code
    // does: the bytes reported to V8 must keep the GC collecting them (about 0.2-0.5 GB
    // live at the peak; without the reports, all 6 GB). Only CPU bytes are reported. In a
    // fresh process: a jest worker's heap, grown by the files it ran before, makes V8's
    // marking slower and the peak depend on test order (1.3 GB beside 3 million objects).
    const r = runTsBody(`
      ts.setDevice('cpu');
      (async () => {
        let peak = 0;
        for (let i = 0; i < 1500; i++) {
          ts.ones([1 << 20]);
          if (i % 10 === 0) await new Promise((r) => setImmediate(r));
          if (i % 50 === 0) peak = Math.max(peak, ts.memory().numBytes);
        }
        console.log('peak', peak);
      })();
    `);
    expect(howItEnded(r)).toBe('exit 0');
    const peak = Number(/peak (\d+)/.exec(r.stdout)?.[1]);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(1.5e9);
  });
});
