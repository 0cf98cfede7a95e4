// Callbacks that write files create the folders they write into (as Keras's do), for a
// real model trained by fit: CSVLogger, ModelCheckpoint in every save format, TensorBoard.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';
import { layers, tensor } from '../../src';
import { CSVLogger, ModelCheckpoint, TensorBoard, type Callback } from '../../src/callbacks';
import { randomData } from '../helpers/reference';

let root: string;
beforeAll(() => void (root = mkdtempSync(join(tmpdir(), 'tessera-folders-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Two epochs of a small model with validation, so val_loss exists. */
async function train(callbacks: Callback[]): Promise<void> {
  ts.setSeed(2);
  const model = ts.sequential({ layers: [layers.dense({ units: 3, activation: 'relu', inputShape: [2] }), layers.dense({ units: 1 })] });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = tensor(randomData(40, 1, -1, 1), [20, 2]);
  const y = tensor(randomData(20, 2, -1, 1), [20, 1]);
  await model.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0, validationSplit: 0.2, callbacks });
  ts.dispose([x, y]);
  model.dispose();
}

describe('callbacks create the folders they write into', () => {
  it('CSVLogger: a file in folders that do not exist yet (and appending to one)', async () => {
    const file = join(root, 'csv', 'run 1', 'log.csv');
    await train([new CSVLogger(file)]);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('epoch,loss,val_loss');
    const appended = join(root, 'csv-append', 'deeper', 'log.csv');
    await train([new CSVLogger(appended, ',', true)]);
    expect(readFileSync(appended, 'utf8').trim().split('\n')).toHaveLength(3); // header + two epochs
  });

  it("CSVLogger: options in an object (TensorFlow.js's habit) are read, not written out as the separator", async () => {
    const file = join(root, 'csv-options', 'log.csv');
    await train([new CSVLogger(file, { separator: ';', append: true })]);
    await train([new CSVLogger(file, { append: true })]);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('epoch;loss;val_loss');
    expect(lines).toHaveLength(5); // one header, two epochs of each fit
    expect(() => new CSVLogger(file, { apend: true } as never)).toThrow(/CSVLogger: unknown option 'apend'; did you mean 'append'/);
    expect(() => new CSVLogger(file, 1 as never)).toThrow(/CSVLogger: expected separator to be a non-empty string, got 1/);
    expect(() => new CSVLogger(file, ',', 'yes' as never)).toThrow(/CSVLogger: expected append to be a boolean, got 'yes'/);
  });

  it('CSVLogger: a folder that cannot be made is an error naming it', async () => {
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, 'not a folder');
    await expect(train([new CSVLogger(join(blocker, 'log.csv'))])).rejects.toThrow(/CSVLogger: cannot create the folder .*a-file for .*log\.csv/);
  });

  it.each([
    ['a TensorFlow.js folder', 'ckpt/{epoch:02d}/model', false, 'ckpt/02/model/model.json'],
    ['a .keras file', 'keras/run/model-{epoch:02d}.keras', false, 'keras/run/model-02.keras'],
    ['a .weights.h5 file', 'h5/run/epoch{epoch}.weights.h5', true, 'h5/run/epoch2.weights.h5'],
    ['a weights folder', 'weights/run/epoch{epoch}', true, 'weights/run/epoch2/weights.json'],
  ])('ModelCheckpoint: %s under folders that do not exist yet', async (_what, template, saveWeightsOnly, written) => {
    await train([new ModelCheckpoint({ filepath: join(root, 'checkpoint', template), saveWeightsOnly })]);
    expect(existsSync(join(root, 'checkpoint', written))).toBe(true);
  });

  it('ModelCheckpoint: a file name for the other kind of save is refused when the callback is made, as Keras does', () => {
    expect(() => new ModelCheckpoint({ filepath: 'w.keras', saveWeightsOnly: true })).toThrow(
      /ModelCheckpoint: saveWeightsOnly writes weights, but 'w.keras' names a whole-model file; end it in .weights.h5/,
    );
    expect(() => new ModelCheckpoint({ filepath: 'w.weights.h5' })).toThrow(/ModelCheckpoint: 'w.weights.h5' names a weights file; pass saveWeightsOnly: true/);
  });

  it('saveWeights refuses a whole-model file name instead of making a folder of that name', async () => {
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    await expect(m.saveWeights(join(root, 'w.keras'))).rejects.toThrow(
      /saveWeights: '.*w\.keras' names a whole-model file; weights go to a \.weights\.h5 file/,
    );
    expect(existsSync(join(root, 'w.keras'))).toBe(false);
    m.dispose();
  });

  it('TensorBoard: a log folder that does not exist yet', async () => {
    const logDir = join(root, 'tb', 'experiment', 'run1');
    await train([new TensorBoard({ logDir })]);
    expect(readdirSync(join(logDir, 'train'))[0]).toMatch(/^events\.out\.tfevents\./);
    expect(readdirSync(join(logDir, 'validation'))).toHaveLength(1);
  });
});
