// Transformer blocks hold MultiHeadAttention, whose four projections hold weights named
// 'kernel' and 'bias': in TensorFlow.js format their names go as deep as it takes to tell
// them apart ('transformer_encoder/self_attention/query/kernel', tf.keras's scopes), and the
// model loads back bit for bit. Before, the save was refused for duplicate names.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { input, layers, loadModel, model, tensor, type Model, type Tensor } from '../../src';
import type { SymbolicTensor } from '../../src/layers/symbolic_tensor';
import { expectSameBits, tempDir } from './helpers';

const dir = tempDir();
const values = (shape: number[], phase: number) =>
  tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 + phase)),
    shape,
  );

async function roundTrip(m: Model, where: string, feed: Tensor[]): Promise<string[]> {
  await m.save(path.join(dir, where));
  const json = JSON.parse(fs.readFileSync(path.join(dir, where, 'model.json'), 'utf8'));
  const loaded = await loadModel(path.join(dir, where));
  const x = feed.length === 1 ? feed[0] : feed;
  expectSameBits(m.predict(x) as Tensor, loaded.predict(x) as Tensor);
  loaded.getWeights().forEach((w, i) => expectSameBits(m.getWeights()[i], w));
  return json.weightsManifest.flatMap((g: { weights: { name: string }[] }) => g.weights.map((w) => w.name));
}

test('a TransformerEncoder model saves in TensorFlow.js format with scoped names and loads back bit for bit', async () => {
  const x = input({ shape: [6, 8] });
  const enc = layers.transformerEncoder({ intermediateDim: 12, numHeads: 2, name: 'enc' });
  const names = await roundTrip(model({ inputs: x, outputs: enc.apply(x) as SymbolicTensor }), 'encoder', [values([2, 6, 8], 0)]);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual(
    expect.arrayContaining([
      'enc/self_attention/query/kernel',
      'enc/self_attention/key/bias',
      'enc/self_attention/attention_output/kernel',
      'enc/self_attention_layer_norm/gamma',
      'enc/feedforward_intermediate_dense/kernel',
    ]),
  );
});

test('a TransformerDecoder with cross-attention saves in TensorFlow.js format and loads back bit for bit', async () => {
  const x = input({ shape: [5, 8] });
  const memory = input({ shape: [7, 8] });
  const dec = layers.transformerDecoder({ intermediateDim: 12, numHeads: 2, name: 'dec' });
  const out = dec.apply(x, { encoderSequence: memory }) as SymbolicTensor;
  const names = await roundTrip(model({ inputs: [x, memory], outputs: out }), 'decoder', [values([2, 5, 8], 0), values([2, 7, 8], 1)]);
  expect(new Set(names).size).toBe(names.length);
  expect(names.filter((n) => n.endsWith('/query/kernel')).sort()).toEqual(['dec/cross_attention/query/kernel', 'dec/self_attention/query/kernel']);
});
