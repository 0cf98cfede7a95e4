// The fused attention's dropout mask, word for word against the Philox stream itself:
// randomUniform with the same (seed, offset) draws philox_word one block at a time, so
// entry e = (n Tq + i) Tk + j is kept iff its word's uniform, 1 - randomUniform(...)[e],
// is above float(rate). The kernel takes its words 8 blocks at a time in AVX2 lanes (the
// composite's dropout too, so the comparisons with the composite would not see a wrong
// word there): rows of every length (causal), starting anywhere in a block, across two
// key tiles, forward and both backwards. (The counter's low-word wrap needs 2^34 entries:
// not reachable by an attention call.)
import { fusedAttention, grads, mul, randomUniform, sum, tensor, zeros, type Tensor } from '../src';
import { setKeptProbabilitiesLimit } from '../src/ops/attention';
import { randomTensor } from './helpers/reference';

// [batch, t, t]: an identity per row of the batch.
function identities(batch: number, t: number, dtype: 'float32' | 'float64'): Tensor {
  const data = new Float64Array(batch * t * t);
  for (let b = 0; b < batch; b++) for (let i = 0; i < t; i++) data[(b * t + i) * t + i] = 1;
  return tensor(data, [batch, t, t], dtype);
}

// kept[e] for entry e of the [batch, t, t] probabilities, from the scalar Philox stream.
function streamMask(batch: number, t: number, rate: number, seed: number): boolean[] {
  const u = randomUniform([batch * t * t], 0, 1, 'float64', seed).dataSync();
  return Array.from(u, (x) => 1 - x > Math.fround(rate));
}

describe("fusedAttention's dropout words are the Philox stream's", () => {
  const rate = 0.3;
  const seed = 4321;
  const cases = [
    { t: 75, causal: false }, // 75 keys: rows start at every word of a block, 18 blocks (2 x 8 + 2)
    { t: 75, causal: true }, // rows of every length 1..75
    { t: 200, causal: true }, // a second key tile (keys 128..199)
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const { t, causal } of cases) {
      it(`${dtype}, T = ${t}${causal ? ', causal' : ''}: the forward and the backward (kept and recomputed) drop exactly the stream's entries`, () => {
        const batch = 2;
        // q = 0: row i's probabilities are 1 / (its key count), all positive; v = I makes
        // the output the dropped probabilities, and dO = I makes dV their transpose.
        const q = zeros([batch, t, 8], dtype);
        const k = randomTensor([batch, t, 8], 1, dtype);
        const eye = identities(batch, t, dtype);
        const up = identities(batch, t, dtype); // not eye: its gradient would add the output's
        const kept = streamMask(batch, t, rate, seed);
        const attention = (a: Tensor, b: Tensor, c: Tensor) => fusedAttention(a, b, c, { causal, dropoutRate: rate, seed, training: true });
        // Entry (n, i, j) as the mask should have it; zero beyond a causal row's keys.
        const expected = (e: number) => {
          const [i, j] = [Math.floor(e / t) % t, e % t];
          return (!causal || j <= i) && kept[e];
        };
        const mismatches = (got: boolean[]) => got.flatMap((g, e) => (g === expected(e) ? [] : [e]));
        const output = Array.from(attention(q, k, eye).dataSync(), (x) => x !== 0);
        expect(mismatches(output)).toEqual([]);
        for (const limit of [batch * t * t, 0]) {
          const previous = setKeptProbabilitiesLimit(limit);
          try {
            const dv = grads((a: Tensor, b: Tensor, c: Tensor) => sum(mul(attention(a, b, c), up)))([q, k, eye])[2].dataSync();
            // dV[n, j, i] = dropped P[n, i, j].
            const transposed = Array.from({ length: batch * t * t }, (_, e) => {
              const [n, i, j] = [Math.floor(e / (t * t)), Math.floor(e / t) % t, e % t];
              return dv[(n * t + j) * t + i] !== 0;
            });
            expect(mismatches(transposed)).toEqual([]);
          } finally {
            setKeptProbabilitiesLimit(previous);
          }
        }
      });
    }
  }
});
