// compile({loss: [fn, null]}): Keras 3's None loss for an output (keras.io's miniature GPT
// also outputs the Transformer's features). Against Keras 3 (JAX): test/fixtures/
// null_output_loss.json, from scripts/fixtures/make_null_output_loss.py.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'null_output_loss.json'), 'utf8')) as {
  x: number[][];
  y: number[][];
  history: Record<string, number[]>;
  evaluated: Record<string, number>;
};

/** The fixture's model: out = Dense(2)(h), h = Dense(4)(x), outputs [out, h], weights evenly spaced in [-1, 1]. */
function twoOutputs(): ts.Model<'list'> {
  const input = ts.input({ shape: [3] });
  const h = ts.layers.dense({ units: 4, name: 'h' }).apply(input);
  const out = ts.layers.dense({ units: 2, name: 'out' }).apply(h);
  const model = ts.model({ inputs: input, outputs: [out, h] });
  model.setWeights(model.getWeights().map((w) => ts.reshape(ts.linspace(-1, 1, w.size), w.shape)));
  return model;
}

describe('compile with a null loss for an output', () => {
  it("trains on the other outputs' targets alone, as Keras 3 (losses, metrics and their names)", async () => {
    const model = twoOutputs();
    model.compile({ optimizer: new ts.optimizers.SGD({ learningRate: 0.1 }), loss: [new ts.losses.MeanSquaredError(), null], metrics: [['mae'], []] });
    const x = ts.tensor(fixture.x);
    const y = ts.tensor(fixture.y);
    const history = await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(Object.keys(fixture.history).sort());
    for (const [k, values] of Object.entries(fixture.history)) values.forEach((v, i) => expect(history.history[k][i]).toBeCloseTo(v, 4));
    const evaluated = await model.evaluate(x, y, { verbose: 0 });
    for (const [k, v] of Object.entries(fixture.evaluated)) expect(evaluated[k]).toBeCloseTo(v, 4);
    // Targets for every output are taken too; the null output's are not read.
    const both = await model.evaluate(x, [y, ts.fill([8, 4], NaN)], { verbose: 0 });
    expect(both.loss).toBeCloseTo(fixture.evaluated.loss, 4);
    model.dispose();
  });

  it('is saved and loaded with the null in its compile configuration', async () => {
    const model = twoOutputs();
    model.compile({ optimizer: new ts.optimizers.SGD({ learningRate: 0.1 }), loss: [new ts.losses.MeanSquaredError(), null] });
    const dir = mkdtempSync(join(tmpdir(), 'null-loss-'));
    await model.save(join(dir, 'm.keras'));
    const loaded = (await ts.loadModel(join(dir, 'm.keras'))) as ts.Model<'list'>;
    const x = ts.tensor(fixture.x);
    const y = ts.tensor(fixture.y);
    const [a, b] = [await model.evaluate(x, y, { verbose: 0 }), await loaded.evaluate(x, y, { verbose: 0 })];
    expect(b.loss).toBe(a.loss);
    rmSync(dir, { recursive: true });
    ts.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  });

  it('says what is wrong: every loss null, or metrics on an output with no targets', async () => {
    const model = twoOutputs();
    expect(() => model.compile({ optimizer: 'sgd', loss: [null, null] })).toThrow(/compile: every output's loss is null; leave loss out/);
    const x = ts.ones([4, 3]);
    model.compile({ optimizer: 'sgd', loss: ['mse', null], metrics: [[], ['mae']] });
    await expect(model.fit(x, ts.ones([4, 2]), { verbose: 0 })).rejects.toThrow(/output 'h' has metrics \(h_mae\) but no targets \(its loss is null/);
    model.dispose();
  });
});
