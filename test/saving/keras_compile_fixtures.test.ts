// Compiled models written by Keras 3.15.1 (test/fixtures/keras/compiled/make_fixtures.py),
// use_ema ones among them:
// they load compiled, with Keras's optimizer state, and one more epoch of training gives
// the weights Keras's next epoch gave. Saved again by Tessera, the optimizer's variables
// come out in Keras's order, value for value.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, optimizers, tensor, type Model } from '../../src';
import { childGroup, readH5 } from '../../src/saving/h5';
import { datasetValue } from '../../src/saving/keras_weights';
import { readZip } from '../../src/saving/zip';
import { expectClose } from '../helpers/reference';
import { tempDir } from './helpers';

const root = path.resolve(__dirname, '..', 'fixtures', 'keras', 'compiled');
const dir = tempDir();

interface Fixture {
  keras_version: string;
  x: number[];
  y: number[];
  optimizer_variables: number[][];
  weights_after_one_more_epoch: number[][];
}

function optimizerVars(file: string): Promise<number[][]> {
  return readH5(file, readZip(file, new Uint8Array(fs.readFileSync(file))).get('model.weights.h5')!, (h5file, module) => {
    const vars = childGroup(module, h5file, 'optimizer/vars')!;
    return vars.keys().map((_, i) => Array.from(datasetValue(file, String(i), vars.get(String(i)) as never).values));
  });
}

describe.each([
  ['adam', optimizers.Adam],
  ['nadam', optimizers.Nadam],
  ['sgd_momentum', optimizers.SGD],
  ['lion', optimizers.Lion],
  ['lamb', optimizers.Lamb],
  ['ftrl', optimizers.Ftrl],
  ['adafactor', optimizers.Adafactor],
  ['loss_scale', optimizers.LossScaleOptimizer],
  // use_ema (the averages after the iteration count and learning rate), Muon (no velocity for
  // its 2-D weights), ScheduleFreeAdamW with use_ema.
  ['adam_ema', optimizers.Adam],
  ['muon', optimizers.Muon],
  ['schedule_free_adamw', optimizers.ScheduleFreeAdamW],
])('%s', (name, cls) => {
  const file = path.join(root, `${name}.keras`);
  const fixture: Fixture = JSON.parse(fs.readFileSync(path.join(root, `${name}.json`), 'utf8'));

  test('loads compiled with the optimizer state Keras saved; saved again, the state is in the same order', async () => {
    const m = (await loadModel(file)) as Model<any>;
    expect(m.optimizer).toBeInstanceOf(cls);
    expect(m.optimizer!.iterations).toBe(4);
    const again = path.join(dir, `${name}.keras`);
    await m.save(again);
    const ours = await optimizerVars(again);
    expect(ours).toHaveLength(fixture.optimizer_variables.length);
    ours.forEach((v, i) => expectClose(v, fixture.optimizer_variables[i], 0));
  });

  test("one more epoch gives the weights Keras's next epoch gave", async () => {
    const m = (await loadModel(file)) as Model<any>;
    await m.fit(tensor(fixture.x, [8, 4]), tensor(fixture.y, [8, 2]), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    const weights = m.getWeights();
    expect(weights).toHaveLength(fixture.weights_after_one_more_epoch.length);
    weights.forEach((w, i) => expectClose(Array.from(w.dataSync()), fixture.weights_after_one_more_epoch[i], 1e-5));
  });
});

test("use_ema's options load from Keras's file and are written back as Keras writes them", async () => {
  const m = (await loadModel(path.join(root, 'adam_ema.keras'))) as Model<any>;
  const opt = m.optimizer!;
  expect([opt.useEma, opt.emaMomentum, opt.emaOverwriteFrequency]).toEqual([true, 0.9, 5]);
  const again = path.join(dir, 'adam_ema_config.keras');
  await m.save(again);
  const text = new TextDecoder().decode(readZip(again, new Uint8Array(fs.readFileSync(again))).get('config.json')!);
  // An integer, as Keras requires (not 5.0).
  expect(text).toMatch(/"use_ema": ?true, ?"ema_momentum": ?0.9, ?"ema_overwrite_frequency": ?5[,}]/);
});

test("a LossScaleOptimizer's inner optimizer with useEma: saved and loaded with its averages", async () => {
  const m = (await loadModel(path.join(root, 'loss_scale.keras'))) as Model<any>;
  m.compile({ optimizer: new optimizers.LossScaleOptimizer({ innerOptimizer: new optimizers.Adam({ useEma: true }), initialScale: 8 }), loss: 'mse' });
  const fixture: Fixture = JSON.parse(fs.readFileSync(path.join(root, 'loss_scale.json'), 'utf8'));
  await m.fit(tensor(fixture.x, [8, 4]), tensor(fixture.y, [8, 2]), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
  const file = path.join(dir, 'loss_scale_ema.keras');
  await m.save(file);
  const loaded = (await loadModel(file)) as Model<any>;
  const [a, b] = [m.optimizer!.getWeights(), loaded.optimizer!.getWeights()];
  const kinds = (ws: { name: string }[]) => ws.map((w) => w.name.slice(w.name.lastIndexOf('/') + 1));
  expect(kinds(b)).toEqual(kinds(a));
  expect(kinds(a).filter((k) => k === 'average')).toHaveLength(4);
  a.forEach((w, i) => expectClose(b[i].tensor.dataSync(), w.tensor.dataSync(), 0, 0));
});
