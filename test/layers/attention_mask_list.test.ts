// Attention and additiveAttention with Keras's mask=[queryMask, valueMask] in functional
// models: symbolic apply keeps the masks as named inputs of the node, predicts as eager,
// saves (.keras, TensorFlow.js folder) and loads back; Keras 3.15-written .keras files with
// such nodes predict Keras's values (fixtures: scripts/fixtures/make_keras_attention_mask_fixtures.py).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { input, layers, loadModel, model, tensor, type Model, type SymbolicTensor, type Tensor } from '../../src';
import { expectTensor } from '../helpers/reference';

const root = path.join(__dirname, '..', 'fixtures', 'keras', 'attention_masks');
type Fx = { shape: number[]; data: number[] };
type Case = { inputs: Record<string, Fx>; input_dtypes: Record<string, string>; outputs: Record<string, Fx> };
const fixture = JSON.parse(fs.readFileSync(path.join(root, 'attention_masks.json'), 'utf8')) as Record<string, Case>;
const feedOf = (c: Case) =>
  Object.entries(c.inputs).map(([n, x]) => {
    const dtype = c.input_dtypes[n] as 'bool' | 'int32' | 'float32';
    return tensor(dtype === 'bool' ? x.data.map(Boolean) : x.data, x.shape, dtype);
  });

describe('Keras 3.15 files whose attention nodes pass mask=[query_mask, value_mask]', () => {
  test.each(['ops_masks', 'input_masks'])("%s.keras predicts Keras's values (padded rows too)", async (name) => {
    const c = fixture[name];
    const m = (await loadModel(path.join(root, `${name}.keras`))) as Model;
    const out = m.predict(feedOf(c)) as unknown as Tensor[];
    Object.values(c.outputs).forEach((want, i) => expectTensor(out[i], want.shape, want.data, 2e-5, 2e-6));
  });
});
