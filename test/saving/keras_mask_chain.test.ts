// Keras 3 carries an Embedding(maskZero)'s mask implicitly through layers that pass masks on
// (Dense, Dropout, LayerNormalization, Normalization, TimeDistributed, Activation, an RNN's sequences) to a later LSTM / GRU /
// pooling, and writes it there as the mask kwarg. Keras 3.15-written files with such chains
// (scripts/fixtures/make_keras_mask_chain_fixtures.py) load and predict Keras's values;
// Tessera's own models built that way mask the same, and save the mask kwarg where Keras does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { input, layers, loadModel, model, tensor, type Model, type SymbolicTensor, type Tensor } from '../../src';
import { deserializeLayer } from '../../src/layers/serialization';
import { PASSES_MASK } from '../../src/models/mask_passing';
import { readZip } from '../../src/saving/zip';
import { expectClose } from '../helpers/reference';
import { tempDir } from './helpers';

const root = path.join(__dirname, '..', 'fixtures', 'keras', 'mask_chain');
type Case = { tokens: number[][] | number[][][]; output: { shape: number[]; data: (number | string)[] }; mask_kwargs: Record<string, unknown> };
const fixture = JSON.parse(fs.readFileSync(path.join(root, 'mask_chain.json'), 'utf8')) as Record<string, Case>;
const NAMES = ['dense_lstm', 'dropout_gru', 'dense_pool', 'deep_rnn', 'norm_lstm', 'td_lstm', 'td_inner_lstm'];
const shapeOf = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);
const tokensOf = (c: Case) => tensor(c.tokens.flat(2) as number[], shapeOf(c.tokens), 'int32');

// Tessera's twins of the Keras models (same layer names, so weights copy by name).
const BUILD: Record<string, (e: SymbolicTensor) => SymbolicTensor> = {
  dense_lstm: (e) =>
    on(
      on(on(e, layers.dense({ units: 5, activation: 'tanh', name: 'proj' })), layers.lstm({ units: 3, name: 'lstm' })),
      layers.dense({ units: 2, name: 'head' }),
    ),
  dropout_gru: (e) => on(on(e, layers.dropout({ rate: 0.3, name: 'drop' })), layers.gru({ units: 3, name: 'gru' })),
  dense_pool: (e) => on(on(e, layers.dense({ units: 3, name: 'proj' })), layers.globalAveragePooling1d({ name: 'pool' })),
  deep_rnn: (e) => {
    const h = on(
      on(on(e, layers.dense({ units: 5, activation: 'relu', name: 'proj' })), layers.layerNormalization({ name: 'norm' })),
      layers.activation({ activation: 'tanh', name: 'act' }),
    );
    return on(on(h, layers.simpleRNN({ units: 3, returnSequences: true, name: 'rnn' })), layers.globalAveragePooling1d({ name: 'pool' }));
  },
  norm_lstm: (e) =>
    on(on(e, layers.normalization({ mean: [0.1, -0.2, 0.3, 0], variance: [2, 0.5, 1, 4], name: 'norm' })), layers.lstm({ units: 3, name: 'lstm' })),
  td_lstm: (e) =>
    on(
      on(e, layers.timeDistributed({ layer: layers.dense({ units: 5, activation: 'tanh', name: 'proj' }), name: 'td' })),
      layers.lstm({ units: 3, name: 'lstm' }),
    ),
  td_inner_lstm: (e) => on(e, layers.timeDistributed({ layer: layers.lstm({ units: 3, name: 'lstm' }), name: 'td' })),
};
const on = (x: SymbolicTensor, layer: { apply(x: SymbolicTensor): unknown }) => layer.apply(x) as SymbolicTensor;
function tesseraTwin(name: string, keras: Model, c: Case): Model {
  const tokens = input({ shape: shapeOf(c.tokens).slice(1), dtype: 'int32', name: 'tokens' });
  const m = model({ inputs: tokens, outputs: BUILD[name](on(tokens, layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true, name: 'embed' }))), name });
  for (const l of m.layers) if (l.weights.length > 0) l.setWeights(keras.getLayer(l.name).getWeights());
  return m;
}
// Each layer's node kwargs as written in a .keras file's config.json.
function writtenKwargs(file: string): Record<string, Record<string, any>> {
  const config = JSON.parse(new TextDecoder().decode(readZip(file, new Uint8Array(fs.readFileSync(file))).get('config.json')));
  return Object.fromEntries((config.config.layers as any[]).map((l) => [l.name, l.inbound_nodes[0]?.kwargs ?? {}]));
}

describe.each(NAMES)('Keras 3.15 file %s', (name) => {
  const c = fixture[name];
  test("loads and predicts Keras's values, masked", async () => {
    const m = (await loadModel(path.join(root, `${name}.keras`))) as Model;
    const y = m.predict(tokensOf(c)) as Tensor;
    expect(y.shape).toEqual(c.output.shape);
    // A fully padded row's average is 0/0, NaN in Keras as here.
    expectClose(y.dataSync(), c.output.data.map(Number), 1e-5, 1e-5);
  });
});

describe.each(NAMES)("Tessera's own %s", (name) => {
  const c = fixture[name];
  const dir = process.env.KERAS_MASK_CHAIN_OUT ?? tempDir();
  test('carries the mask through Dense / Dropout as Keras; saved, it writes the mask kwarg where Keras does and loads back', async () => {
    const twin = tesseraTwin(name, (await loadModel(path.join(root, `${name}.keras`))) as Model, c);
    const y = twin.predict(tokensOf(c)) as Tensor;
    expectClose(y.dataSync(), c.output.data.map(Number), 1e-5, 1e-5);
    const file = path.join(dir, `${name}.keras`);
    await twin.save(file);
    // Keras names its mask nodes by session (not_equal_4); the reference is what matters.
    const written = writtenKwargs(file);
    for (const [layer, mask] of Object.entries(c.mask_kwargs)) {
      expect(written[layer].mask?.class_name).toBe('__keras_tensor__');
      expect(written[layer].mask.config.shape).toEqual((mask as any).config.shape);
      expect(written[written[layer].mask.config.keras_history[0]]).toBeDefined();
    }
    const back = (await loadModel(file)) as Model;
    expectClose((back.predict(tokensOf(c)) as Tensor).dataSync(), c.output.data.map(Number), 1e-5, 1e-5);
    if (process.env.KERAS_MASK_CHAIN_OUT) fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(c));
  });
});

// The reader drops a mask kwarg past these layers, trusting Tessera's to carry the mask on.
test("each layer class the reader and writer see through hands its input's mask on in Tessera, as in Keras", () => {
  const needs: Record<string, Record<string, unknown>> = {
    Activation: { activation: 'tanh' },
    Dense: { units: 2 },
    GaussianNoise: { stddev: 0.1 },
    GroupNormalization: { groups: 1 },
    TimeDistributed: { layer: { className: 'Dense', config: { units: 2 } } },
  };
  const mask = tensor([true, false, true], [1, 3], 'bool');
  for (const className of PASSES_MASK) {
    const rate = /Dropout/.test(className) ? { rate: 0.1 } : {};
    const layer = deserializeLayer({ className, config: { ...rate, ...needs[className] } });
    expect([className, layer.supportsMasking, layer.computeMask(tensor(new Array(6).fill(0), [1, 3, 2]), mask) === mask]).toEqual([className, true, true]);
  }
});
