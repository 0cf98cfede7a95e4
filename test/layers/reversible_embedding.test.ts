// reversibleEmbedding against Keras 3's ReversibleEmbedding with the same weights
// (test/fixtures/layers/reversible_embedding.json, written by
// scripts/fixtures/make_aug_layers_fixtures.py): embedded ids, reverse logits, and JAX's
// gradients; float64 gradients by finite differences. Keras-written files and saving:
// test/saving/keras_aug_layers.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dispose, input, layers, tensor, variableGrads, mul, sum, type Tensor } from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';
import { expectNoLeaks } from '../helpers/memory';
import { expectClose, randomTensor } from '../helpers/reference';

interface T {
  shape: number[];
  values: number[];
}
interface Case {
  name: string;
  config: Record<string, any>;
  weights: T[];
  ids: T;
  hidden: T;
  embedded: T;
  logits: T;
  upstream: T;
  grads: T[];
}
const fixtures = path.resolve(__dirname, '..', 'fixtures');
const cases = (JSON.parse(fs.readFileSync(path.join(fixtures, 'layers', 'reversible_embedding.json'), 'utf8')) as { cases: Case[] }).cases;
const t = (x: T, dtype: 'float32' | 'int32' | 'float64' = 'float32') => tensor(x.values, x.shape, dtype);

function fromCase(c: Case, dtype: 'float32' | 'float64' = 'float32') {
  const k = c.config;
  const layer = layers.reversibleEmbedding({
    inputDim: k.input_dim,
    outputDim: k.output_dim,
    tieWeights: k.tie_weights,
    logitSoftCap: k.logit_soft_cap,
    reverseDtype: dtype === 'float64' ? null : k.reverse_dtype,
    dtype,
  });
  layer.build();
  layer.setWeights(c.weights.map((w) => t(w, dtype)));
  return layer;
}

describe.each(cases)('Keras case $name', (c) => {
  test('embeds ids and reverses hidden states as Keras does', () => {
    const layer = fromCase(c);
    expect(layer.weights.map((w) => w.shape)).toEqual(c.weights.map((w) => w.shape));
    const e = layer.apply(t(c.ids, 'int32')) as Tensor;
    expect(e.shape).toEqual(c.embedded.shape);
    expectClose(e.dataSync(), c.embedded.values, 1e-6);
    const y = layer.apply(t(c.hidden), { reverse: true }) as Tensor;
    expect(y.shape).toEqual(c.logits.shape);
    expectClose(y.dataSync(), c.logits.values, 1e-5, 1e-6);
  });

  test("gradients of sum(logits * upstream) match JAX's", () => {
    const layer = fromCase(c);
    const h = t(c.hidden);
    const { value, grads } = variableGrads(() => sum(mul(layer.apply(h, { reverse: true }) as Tensor, t(c.upstream))));
    value.dispose();
    // Untied, the reverse call does not read the embedding table: JAX's gradient there is zero.
    layer.trainableWeights.forEach((w, i) => {
      const want = c.grads[i + 1].values;
      if (grads[w.name] === undefined) expect(want.every((v) => v === 0)).toBe(true);
      else expectClose(grads[w.name].dataSync(), want, 1e-5, 1e-5);
    });
  });
});

test('float64 gradients of the reverse projection by finite differences (tied and untied, capped)', () => {
  for (const c of [cases[1], cases[2]]) {
    const layer = fromCase(c, 'float64');
    gradcheck((h) => layer.apply(h, { reverse: true }) as Tensor, [t(c.hidden, 'float64')]);
    // The weights: central differences of the objective, moving one table entry at a time.
    const upstream = t(c.upstream, 'float64');
    const objective = () => sum(mul(layer.apply(t(c.hidden, 'float64'), { reverse: true }) as Tensor, upstream));
    const { value, grads } = variableGrads(objective);
    value.dispose();
    for (const w of layer.trainableWeights) {
      const base = Array.from(w.dataSync());
      if (grads[w.name] === undefined) continue; // untied: the table is not read
      const got = grads[w.name].dataSync();
      for (let k = 0; k < base.length; k += 3) {
        const at = (d: number) => {
          const moved = base.slice();
          moved[k] += d;
          w.assign(tensor(moved, w.shape, 'float64'));
          return objective().dataSync()[0];
        };
        const numeric = (at(1e-6) - at(-1e-6)) / 2e-6;
        w.assign(tensor(base, w.shape, 'float64'));
        expect(Math.abs(got[k] - numeric)).toBeLessThan(1e-6 + 1e-5 * Math.abs(numeric));
      }
    }
  }
});

describe('reversibleEmbedding', () => {
  test('tied: one weight; untied: reverse_embeddings [outputDim, inputDim] too', () => {
    const tied = layers.reversibleEmbedding({ inputDim: 9, outputDim: 3 });
    tied.apply(tensor([[1, 2]], [1, 2], 'int32'));
    expect(tied.weights.map((w) => [w.name, w.shape])).toEqual([[`${tied.name}/embeddings`, [9, 3]]]);
    const untied = layers.reversibleEmbedding({ inputDim: 9, outputDim: 3, tieWeights: false });
    untied.apply(tensor([[1, 2]], [1, 2], 'int32'));
    expect(untied.weights.map((w) => w.shape)).toEqual([
      [9, 3],
      [3, 9],
    ]);
  });

  test('maskZero masks embedded ids; reverse logits carry no mask', () => {
    const emb = layers.reversibleEmbedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const e = emb.apply(tensor([[0, 1, 2]], [1, 3], 'int32')) as Tensor;
    const y = emb.apply(randomTensor([1, 3, 2], 3), { reverse: true }) as Tensor;
    expect(emb.computeMask(tensor([[0, 1, 2]], [1, 3], 'int32'))!.dataSync()).toEqual(new Uint8Array([0, 1, 1]));
    expect(e.shape).toEqual([1, 3, 2]);
    expect(y.shape).toEqual([1, 3, 5]);
  });

  test('forward and reverse calls leave no tensors behind', () => {
    const emb = layers.reversibleEmbedding({ inputDim: 6, outputDim: 4, tieWeights: false, logitSoftCap: 3 });
    expectFlatMemory(emb, tensor([[1, 5, 0]], [1, 3], 'int32'), 5);
    const h = randomTensor([2, 3, 4], 2);
    expectNoLeaks(() => dispose(emb.apply(h, { reverse: true }) as Tensor), 5);
  });

  test('logitSoftCap bounds the logits by the cap', () => {
    const emb = layers.reversibleEmbedding({ inputDim: 6, outputDim: 4, logitSoftCap: 0.25, embeddingsInitializer: 'ones' });
    const y = emb.apply(tensor([[10, 10, 10, 10]], [1, 4]), { reverse: true }) as Tensor;
    expectClose(y.dataSync(), new Array(6).fill(0.25 * Math.tanh(40 / 0.25)), 1e-6);
  });

  test("getConfig round trip, with Keras's keys", () => {
    const emb = layers.reversibleEmbedding({ inputDim: 6, outputDim: 4, tieWeights: false, logitSoftCap: 30, reverseDtype: 'float32', maskZero: true });
    expectConfigRoundTrip(emb);
    expect(emb.getConfig()).toMatchObject({ inputDim: 6, outputDim: 4, tieWeights: false, logitSoftCap: 30, reverseDtype: 'float32', maskZero: true });
  });

  test('bad options and inputs are refused by name', () => {
    expect(() => layers.reversibleEmbedding({ inputDim: 6, outputDim: 4, tieWeights: 1 as any, name: 'r' })).toThrow(
      'r: expected tieWeights to be true or false, got 1',
    );
    expect(() => layers.reversibleEmbedding({ inputDim: 6, outputDim: 4, logitSoftCap: -1, name: 'r' })).toThrow(
      'r: expected logitSoftCap a positive number or null',
    );
    expect(() => layers.reversibleEmbedding({ inputDim: 6, outputDim: 4, reverseDtype: 'int32' as any, name: 'r' })).toThrow(
      "r: expected reverseDtype 'float32', 'float64' or null",
    );
    expect(() => layers.reversibleEmbedding({ inputDim: 6, outputDim: 4, tieWeight: true } as any)).toThrow(
      /unknown option 'tieWeight'; did you mean 'tieWeights'/,
    );
    const emb = layers.reversibleEmbedding({ inputDim: 6, outputDim: 4, name: 'r' });
    expect(() => emb.apply(randomTensor([2, 5], 1), { reverse: true })).toThrow('r: expected hidden states [..., outputDim = 4] to reverse, got shape [2, 5]');
    expect(() => emb.apply(randomTensor([2, 4], 1), { reverse: 'yes' as any })).toThrow("r.apply: expected reverse to be true or false, got 'yes'");
    expect(() => emb.apply(input({ shape: [3, 5] }), { reverse: true })).toThrow(
      'r: expected hidden states [..., outputDim = 4] to reverse, got shape [null, 3, 5]',
    );
  });
});
