// Which built-in callbacks read the logs at a training batch's end: data-parallel fit
// all-reduces a step's logs only when some rank's callbacks do (src/training/distributed.ts),
// once per epoch otherwise.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelCheckpoint, ProgbarLogger, TensorBoard } from '../../src/callbacks';

describe('readsBatchLogs', () => {
  test('the progress bar: only when it draws per batch (verbose 1 on a terminal)', () => {
    expect(new ProgbarLogger({ verbose: 1, isTTY: true }).readsBatchLogs).toBe(true);
    expect(new ProgbarLogger({ verbose: 1, isTTY: false }).readsBatchLogs).toBe(false);
    expect(new ProgbarLogger({ verbose: 2, isTTY: true }).readsBatchLogs).toBe(false);
    expect(new ProgbarLogger({ verbose: 0, isTTY: true }).readsBatchLogs).toBe(false);
  });

  test('ModelCheckpoint and TensorBoard: only with a batch frequency', () => {
    const filepath = join(tmpdir(), 'never-written.keras');
    expect(new ModelCheckpoint({ filepath }).readsBatchLogs).toBe(false);
    expect(new ModelCheckpoint({ filepath, saveFreq: 'epoch' }).readsBatchLogs).toBe(false);
    expect(new ModelCheckpoint({ filepath, saveFreq: 5 }).readsBatchLogs).toBe(true);
    expect(new TensorBoard({ logDir: join(tmpdir(), 'never-written') }).readsBatchLogs).toBe(false);
    expect(new TensorBoard({ updateFreq: 'batch' }).readsBatchLogs).toBe(true);
    expect(new TensorBoard({ updateFreq: 10 }).readsBatchLogs).toBe(true);
  });
});
