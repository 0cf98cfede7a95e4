// Keras's positional ModelCheckpoint(filepath, ...), as the image classification tutorial
// writes it: keras.callbacks.ModelCheckpoint("save_at_{epoch}.keras").
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';

describe('new ModelCheckpoint(filepath, options)', () => {
  test('saves each epoch to the formatted path, as the named form', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-ckpt-'));
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const callbacks = [new ts.callbacks.ModelCheckpoint(join(dir, 'save_at_{epoch}.keras'))];
    await model.fit(ts.ones([4, 2]), ts.zeros([4, 1]), { epochs: 2, verbose: 0, callbacks });
    expect([1, 2].map((e) => existsSync(join(dir, `save_at_${e}.keras`)))).toEqual([true, true]);
    // Options after the path; the same checks as the named form.
    const best = new ts.callbacks.ModelCheckpoint(join(dir, 'best.weights.h5'), { saveWeightsOnly: true, saveBestOnly: true, monitor: 'loss' });
    await model.fit(ts.ones([4, 2]), ts.zeros([4, 1]), { epochs: 1, verbose: 0, callbacks: [best] });
    expect(existsSync(join(dir, 'best.weights.h5'))).toBe(true);
  });

  test('bad arguments are errors naming ModelCheckpoint', () => {
    const C = ts.callbacks.ModelCheckpoint as unknown as new (...a: unknown[]) => unknown;
    expect(() => new C('a.keras', { filepath: 'b.keras' })).toThrow(/ModelCheckpoint: filepath was given both positionally and in the options/);
    expect(() => new C('a.keras', { saveBestOnyl: true })).toThrow(/ModelCheckpoint: unknown option 'saveBestOnyl'/);
    expect(() => new C('a.keras', 5)).toThrow(/ModelCheckpoint: expected an options object, got 5/);
    expect(() => new C('a.keras', {}, 1)).toThrow(/callbacks.ModelCheckpoint: expected at most 2 arguments/);
    expect(() => new C({ filepath: 'a.keras' }, {})).toThrow(/callbacks.ModelCheckpoint: expected at most 1 argument/);
    expect(() => new C('a.weights.h5')).toThrow(/names a weights file; pass saveWeightsOnly: true/);
  });
});
