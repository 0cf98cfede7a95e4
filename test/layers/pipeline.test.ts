// pipeline: layers applied in sequence (Keras 3's Pipeline): on tensors, in training mode
// unless told, inside Dataset.map and models (masks passed along), config and .keras round
// trips, errors.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { input, layers, loadModel, model, ones, sequential, tensor, type SymbolicTensor, type Tensor } from '../../src';
import { fromTensors } from '../../src/data';
import { expectConfigRoundTrip } from '../helpers/layers';
import { expectClose } from '../helpers/reference';

const values = (t: unknown) => Array.from((t as Tensor).dataSync());

describe('pipeline', () => {
  it('applies its layers in order, from a list or {layers}', () => {
    const x = tensor([1, 2, 3], [1, 3]);
    const p = layers.pipeline([layers.rescaling({ scale: 2 }), layers.rescaling({ scale: 1, offset: 1 })]);
    expect(values(p.apply(x))).toEqual([3, 5, 7]);
    const q = layers.pipeline({ layers: [layers.rescaling({ scale: 1, offset: 1 }), layers.rescaling({ scale: 2 })], name: 'pre' });
    expect(values(q.apply(x))).toEqual([4, 6, 8]);
    expect(q.name).toBe('pre');
    expect(q.layers).toHaveLength(2);
  });

  it('runs in training mode unless told (as Keras), and inference inside predict', () => {
    const p = layers.pipeline([layers.dropout({ rate: 0.5, seed: 3 })]);
    const x = ones([1, 64]);
    expect(values(p.apply(x)).some((v) => v === 0)).toBe(true);
    expect(values(p.apply(x, { training: false }))).toEqual(values(x));
    const m = sequential({ layers: [layers.pipeline([layers.dropout({ rate: 0.5, seed: 3 })])] });
    expect(values(m.predict(x))).toEqual(values(x));
  });

  it('works inside Dataset.map', async () => {
    const p = layers.pipeline([layers.rescaling({ scale: 10 }), layers.centerCrop({ height: 1, width: 1 })]);
    const images = tensor(
      Array.from({ length: 2 * 3 * 3 }, (_, i) => i),
      [2, 3, 3, 1],
    );
    const out = await fromTensors(images)
      .batch(1)
      .map((x) => p.apply(x as Tensor) as Tensor)
      .toArray();
    expect(out.map((t) => values(t))).toEqual([[40], [130]]);
  });

  it('passes masks from layer to layer and on to the model', () => {
    const ids = input({ shape: [4], dtype: 'int32' });
    const embed = layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const plusOne = layers.dense({ units: 2, kernelInitializer: 'identity', biasInitializer: 'ones' });
    const scaled = layers.pipeline([embed, plusOne]).apply(ids) as SymbolicTensor;
    const m = model({ inputs: ids, outputs: layers.globalAveragePooling1d().apply(scaled) as SymbolicTensor });
    embed.setWeights([
      tensor([
        [10, 10],
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
      ]),
    ]);
    // Only the two unmasked steps count: each is 1 + 1 (the padding's 10 + 1 would make 6.5).
    const y = m.predict(tensor([[1, 2, 0, 0]], [1, 4], 'int32')) as Tensor;
    expectClose(values(y), [2, 2]);
  });

  it("has Keras's config ({name, layers}), round-trips and saves to .keras", async () => {
    const p = layers.pipeline({ layers: [layers.rescaling({ scale: 0.5 }), layers.dense({ units: 2 })], name: 'pre' });
    p.apply(tensor([[1, 2, 3]]));
    const config = p.getConfig();
    expect(Object.keys(config).sort()).toEqual(['layers', 'name']);
    expect((config.layers as { className: string }[]).map((l) => l.className)).toEqual(['Rescaling', 'Dense']);
    expectConfigRoundTrip(p);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
    try {
      const x = input({ shape: [3] });
      const m = model({ inputs: x, outputs: p.apply(x) as SymbolicTensor });
      const file = path.join(dir, 'p.keras');
      await m.save(file);
      const saved = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(fs.readFileSync(file)))['config.json']));
      const entry = saved.config.layers.find((l: { name: string }) => l.name === 'pre');
      expect(entry).toMatchObject({ module: 'keras.layers', class_name: 'Pipeline' });
      const loaded = await loadModel(file);
      const q = tensor([[1, -2, 0.5]]);
      expect(values(loaded.predict(q))).toEqual(values(m.predict(q)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong with its arguments', () => {
    const dense = layers.dense({ units: 1, name: 'd' });
    expect(() => layers.pipeline(dense as never)).toThrow(/expected a list of layers or \{layers: \[\.\.\.\]\}, got the layer d; write \[d\]/);
    expect(() => layers.pipeline({ layers: 'dense' } as never)).toThrow(/expected layers to be a list of layers, got/);
    expect(() => layers.pipeline([dense, 3 as never])).toThrow(/expected layers\[1\] to be a Layer, got 3/);
    expect(() => layers.pipeline({ layers: [], dtype: 'float64' } as never)).toThrow(/dtype/);
  });
});
