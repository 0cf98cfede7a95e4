// Bidirectional and TimeDistributed models written by Keras 3.15.1 itself (see
// test/fixtures/keras/wrappers/make_fixtures.py) load and predict what Keras predicted:
// Keras's definition (the backward sequence flipped back into time order before the
// merge) is Tessera's. Saved again by Tessera, nested layers carry Keras's module, so
// Keras can find their classes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, tensor, type Model, type Tensor } from '../../src';
import { readZip } from '../../src/saving/zip';
import { expectClose } from '../helpers/reference';
import { tempDir } from './helpers';

const root = path.resolve(__dirname, '..', 'fixtures', 'keras', 'wrappers');
const names = fs
  .readdirSync(root)
  .filter((n) => n.endsWith('.keras'))
  .map((n) => n.slice(0, -'.keras'.length))
  .sort();
const dir = tempDir();

test('the fixtures are all there', () => {
  expect(names).toEqual(['gru-last-mul', 'gru-sequences-concat', 'lstm-sequences-sum', 'timedistributed-dense']);
});

describe.each(names)('%s', (name) => {
  const io = JSON.parse(fs.readFileSync(path.join(root, `${name}.json`), 'utf8')) as {
    input: { shape: number[]; values: number[] };
    output: { shape: number[]; values: number[] };
  };

  test('loads and predicts what Keras predicted', async () => {
    const m = (await loadModel(path.join(root, `${name}.keras`))) as Model<any>;
    const y = m.apply(tensor(io.input.values, io.input.shape)) as Tensor;
    expect(y.shape).toEqual(io.output.shape);
    expectClose(Array.from(y.dataSync()), io.output.values, 1e-5);
  });

  test("saved again by Tessera, every nested layer names Keras's module", async () => {
    const m = (await loadModel(path.join(root, `${name}.keras`))) as Model<any>;
    const file = path.join(dir, `${name}.keras`);
    await m.save(file);
    const config = new TextDecoder().decode(readZip(file, new Uint8Array(fs.readFileSync(file))).get('config.json'));
    const nested = [...config.matchAll(/"module":(null|"[^"]*"),"class_name":"(GRU|LSTM|Dense)"/g)].map((r) => r[1]);
    expect(nested.length).toBeGreaterThan(0);
    expect(new Set(nested)).toEqual(new Set(['"keras.layers"']));
  });
});
