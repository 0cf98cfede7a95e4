// A query whose keys are all masked, as Keras 3 treats it (keras/src/layers/attention/
// multi_head_attention.py and grouped_query_attention.py): through ops.dot_product_attention
// (no dropout, no scores returned, rank-3 inputs) masked logits get -1e9 and such a row
// attends uniformly; otherwise the Softmax layer zeroes the masked weights (keras#21149),
// so the row's weights are 0 and its output is the output projection's bias.
import { layers, tensor, type Tensor } from '../../src';
import { expectClose, randomTensor } from '../helpers/reference';

const q = randomTensor([2, 3, 4], 1);
const v = randomTensor([2, 5, 4], 2);
// Query 1 of the first example may attend no key; the others attend some.
const allowed = Array.from({ length: 2 * 3 * 5 }, (_, i) => (i >= 5 && i < 10 ? 0 : (i * 7) % 3 !== 0 ? 1 : 0));
const attentionMask = tensor(allowed, [2, 3, 5], 'int32');
const queryMask = tensor([1, 0, 1, 1, 1, 1], [2, 3], 'int32');
const rows = (t: Tensor) => Array.from({ length: 6 }, (_, r) => Array.from(t.dataSync().slice(r * 4, r * 4 + 4)));
const ones = [1, 1, 1, 1];

type Make = (extra: Record<string, unknown>) => ReturnType<typeof layers.multiHeadAttention>;
const kinds: [string, Make][] = [
  ['multiHeadAttention', (extra) => layers.multiHeadAttention({ numHeads: 2, keyDim: 3, biasInitializer: 'ones', ...extra })],
  [
    'groupQueryAttention',
    (extra) => layers.groupQueryAttention({ headDim: 3, numQueryHeads: 2, numKeyValueHeads: 1, biasInitializer: 'ones', ...extra }) as never,
  ],
];

describe.each(kinds)('%s: a query row with every key masked', (_, make) => {
  it('attends uniformly by default, and gets zero weights (output = bias) when the scores are returned', () => {
    const layer = make({});
    const plain = rows(layer.apply(q, { value: v, attentionMask }) as Tensor);
    const [y, scores] = layer.apply(q, { value: v, attentionMask, returnAttentionScores: true }) as Tensor[];
    const zeroed = rows(y);
    expectClose(zeroed[1], ones, 1e-6, 1e-6);
    expect(plain[1].some((x, i) => Math.abs(x - ones[i]) > 1e-3)).toBe(true);
    for (const r of [0, 2, 3, 4, 5]) expectClose(zeroed[r], plain[r], 1e-5, 1e-6);
    // Scores [2, heads, 3, 5]: the masked row is zeros, each live row sums to 1.
    const s = scores.dataSync();
    for (let h = 0; h < 2; h++) {
      expect(Array.from(s.slice((h * 3 + 1) * 5, (h * 3 + 2) * 5))).toEqual([0, 0, 0, 0, 0]);
      const live = Array.from(s.slice(h * 15, h * 15 + 5));
      expect(live.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('gets zero weights when the layer has dropout (in inference too), fused kernel or composite', () => {
    const reference = make({});
    const plain = rows(reference.apply(q, { value: v, mask: [queryMask, null] }) as Tensor);
    for (const flashAttention of [null, false]) {
      const layer = make({ dropout: 0.2, flashAttention });
      layer.apply(q, { value: v });
      layer.setWeights(reference.getWeights());
      const out = rows(layer.apply(q, { value: v, mask: [queryMask, null] }) as Tensor);
      expectClose(out[1], ones, 1e-6, 1e-6);
      for (const r of [0, 2, 3, 4, 5]) expectClose(out[r], plain[r], 1e-5, 1e-6);
      const byMask = rows(layer.apply(q, { value: v, attentionMask }) as Tensor);
      expectClose(byMask[1], ones, 1e-6, 1e-6);
    }
  });
});

test('multiHeadAttention over several axes (not the dot_product_attention path) zeroes a fully masked row', () => {
  const layer = layers.multiHeadAttention({ numHeads: 1, keyDim: 2, attentionAxes: [1, 2], biasInitializer: 'ones' });
  const x = randomTensor([1, 2, 2, 3], 3);
  // [batch, query axes (2, 2), key axes (2, 2)]: query position (0, 1) may attend nothing.
  const mask = tensor(
    Array.from({ length: 16 }, (_, i) => (i >= 4 && i < 8 ? 0 : 1)),
    [1, 2, 2, 2, 2],
    'int32',
  );
  const y = (layer.apply(x, { value: x, attentionMask: mask }) as Tensor).dataSync();
  expectClose(Array.from(y.slice(3, 6)), [1, 1, 1], 1e-6, 1e-6);
  expect(Array.from(y.slice(0, 3)).some((a) => Math.abs(a - 1) > 1e-3)).toBe(true);
});
