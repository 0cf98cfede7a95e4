// The safety net of DESIGN section 4: tensors nobody disposed are released after GC.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { memory, ones } from '../src';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('GC safety net', () => {
  it('reclaims forgotten tensors at the next op and counts them', async () => {
    const start = memory();
    (() => {
      for (let i = 0; i < 100; i++) ones([256]); // never disposed, never referenced
    })();
    expect(memory().numTensors).toBeGreaterThanOrEqual(start.numTensors + 100);
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
    ones([1]).dispose(); // the next op drains the queue
    const after = memory();
    expect(after.reclaimedByGC).toBeGreaterThanOrEqual(start.reclaimedByGC + 100);
    expect(after.numTensors).toBeLessThanOrEqual(start.numTensors);
  });
});
