import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layers, optimizers, sequential, tensor, type Tensor } from '../../src';
import { BackupAndRestore, Callback } from '../../src/callbacks';
import { BACKUP_FILE } from '../../src/callbacks/backup_and_restore';

const x = tensor(
  Array.from({ length: 64 }, (_, i) => Math.sin(i)),
  [16, 4],
);
const y = tensor(
  Array.from({ length: 16 }, (_, i) => Math.cos(i)),
  [16, 1],
);

// The same architecture; `from` gives it another model's weights (else its own random ones).
function makeModel(from?: { getWeights(): Tensor[] }) {
  const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [4], activation: 'tanh' }), layers.dense({ units: 1 })] });
  if (from) m.setWeights(from.getWeights());
  m.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
  return m;
}

// Throws at a batch of an epoch: an interruption mid-fit.
class Interrupt extends Callback {
  constructor(
    private readonly epoch: number,
    private readonly batch: number,
  ) {
    super();
  }
  private current = -1;
  override onEpochBegin(epoch: number): void {
    this.current = epoch;
  }
  override onTrainBatchBegin(batch: number): void {
    if (this.current === this.epoch && batch === this.batch) throw new Error('interrupted');
  }
}

const values = (ts: Tensor[]) => ts.map((t) => Array.from(t.dataSync()));
const fitArgs = (callbacks: Callback[]) => ({ epochs: 4, batchSize: 4, shuffle: false, verbose: 0, callbacks });

describe('BackupAndRestore', () => {
  for (const [saveFreq, epoch, batch, epochsLeft] of [
    ['epoch', 2, 1, 2],
    [2, 1, 3, 3],
    // A backup after an epoch's last batch: the next fit starts at the next epoch.
    [4, 2, 0, 2],
  ] as const) {
    it(`resumes an interrupted fit exactly as an uninterrupted one (saveFreq ${saveFreq})`, async () => {
      const first = makeModel();
      const reference = makeModel(first);
      await reference.fit(x, y, fitArgs([]));
      const dir = join(mkdtempSync(join(tmpdir(), 'bnr-')), 'backup');
      const backup = new BackupAndRestore({ backupDir: dir, saveFreq });
      await expect(first.fit(x, y, fitArgs([backup, new Interrupt(epoch, batch)]))).rejects.toThrow('interrupted');
      expect(existsSync(join(dir, BACKUP_FILE))).toBe(true);
      // A fresh model and optimizer (another process would make them): the backup gives both their state.
      const again = makeModel();
      const history = await again.fit(x, y, fitArgs([backup]));
      expect(history.history.loss.length).toBe(epochsLeft);
      expect(values(again.getWeights())).toEqual(values(reference.getWeights()));
      expect(again.optimizer!.iterations).toBe(16);
      expect(values(again.optimizer!.getWeights().map((w) => w.tensor))).toEqual(values(reference.optimizer!.getWeights().map((w) => w.tensor)));
      // Deleted after a fit that ended well (deleteCheckpoint defaults to true).
      expect(existsSync(dir)).toBe(false);
    });
  }

  it('keeps the backup with deleteCheckpoint: false, and a finished backup trains nothing more', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnr-'));
    const model = makeModel();
    await model.fit(x, y, fitArgs([new BackupAndRestore({ backupDir: dir, deleteCheckpoint: false })]));
    expect(existsSync(join(dir, BACKUP_FILE))).toBe(true);
    const history = await model.fit(x, y, fitArgs([new BackupAndRestore({ backupDir: dir, deleteCheckpoint: false })]));
    expect(history.history.loss ?? []).toEqual([]);
  });

  it('refuses bad options and a folder holding something else', async () => {
    expect(() => new BackupAndRestore({ backupDir: '' })).toThrow(/BackupAndRestore: expected backupDir to be a non-empty folder path, got/);
    expect(() => new BackupAndRestore({ backupDir: 'b', saveFreq: 0 })).toThrow(/BackupAndRestore: invalid saveFreq: expected 'epoch' or an integer > 0/);
    expect(() => new BackupAndRestore({ backupDir: 'b', saveFreq: 'batch' as never })).toThrow(/invalid saveFreq/);
    expect(() => new BackupAndRestore({ backupDir: 'b', deleteCheckpoint: 1 as never })).toThrow(/expected deleteCheckpoint to be a boolean/);
    expect(() => new BackupAndRestore({ backupDir: 'b', saveFrequency: 2 } as never)).toThrow(/saveFrequency/);
    const dir = mkdtempSync(join(tmpdir(), 'bnr-'));
    writeFileSync(join(dir, BACKUP_FILE), 'not a backup');
    await expect(makeModel().fit(x, y, fitArgs([new BackupAndRestore({ backupDir: dir })]))).rejects.toThrow(/is not a BackupAndRestore backup/);
    // A backup of another model.
    const other = mkdtempSync(join(tmpdir(), 'bnr-'));
    const small = sequential({ layers: [layers.dense({ units: 1, inputShape: [4] })] });
    small.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await small.fit(x, y, fitArgs([new BackupAndRestore({ backupDir: other, deleteCheckpoint: false })]));
    await expect(makeModel().fit(x, y, fitArgs([new BackupAndRestore({ backupDir: other })]))).rejects.toThrow(/holds 2 weights, but the model has 4/);
  });
});
