// mixUp and cutMix: the labels give away each image's partner and weight, which the images
// must agree with; Beta draws have the right shape; seeds repeat; inference is the identity.
import * as ts from '../../src';
import { layers, tensor, type Tensor } from '../../src';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';
import { randomTensor } from '../helpers/reference';

const values = (t: Tensor) => Array.from(t.dataSync());
const pixels = (shape: number[], seed: number) => ts.mul(randomTensor(shape, seed, 'float32', 0, 1), 255);
const oneHot = (n: number) =>
  ts.oneHot(
    tensor(
      Array.from({ length: n }, (_, i) => i),
      [n],
      'int32',
    ),
    n,
  );
// From one-hot labels mixed as w e_i + (1 - w) e_j: the partner j and the weight w of row i (null when j = i).
function partnerOf(labels: number[], n: number, i: number): { j: number; w: number } | null {
  const row = labels.slice(i * n, (i + 1) * n);
  const j = row.findIndex((v, k) => k !== i && v > 0);
  return j < 0 ? null : { j, w: row[i] };
}

describe('mixing layers', () => {
  it('mixUp mixes each image with its partner by the weight its labels carry', () => {
    const n = 6;
    const x = pixels([n, 3, 3, 2], 1);
    const [images, labels] = layers.mixUp({ alpha: 1, seed: 3 }).apply([x, oneHot(n)], { training: true }) as Tensor[];
    expect(images.shape).toEqual([n, 3, 3, 2]);
    const xs = values(x),
      ys = values(images),
      ls = values(labels);
    let mixed = 0;
    for (let i = 0; i < n; i++) {
      const p = partnerOf(ls, n, i);
      if (p === null) continue;
      mixed++;
      expect(ls.slice(i * n, (i + 1) * n).reduce((a, b) => a + b)).toBeCloseTo(1, 5);
      for (let k = 0; k < 18; k++) expect(ys[i * 18 + k]).toBeCloseTo(p.w * xs[i * 18 + k] + (1 - p.w) * xs[p.j * 18 + k], 3);
    }
    expect(mixed).toBeGreaterThan(2);
  });

  it('mixUp weights follow Beta(alpha, alpha): U-shaped for small alpha, flat for alpha 1', () => {
    const n = 200;
    const weights = (alpha: number) => {
      const labels = values((layers.mixUp({ alpha, seed: 5 }).apply([ts.zeros([n, 1, 1, 1]), oneHot(n)], { training: true }) as Tensor[])[1]);
      return Array.from({ length: n }, (_, i) => partnerOf(labels, n, i)?.w).filter((w): w is number => w !== undefined);
    };
    const extremes = (w: number[]) => w.filter((v) => v < 0.1 || v > 0.9).length / w.length;
    const small = weights(0.2);
    expect(extremes(small)).toBeGreaterThan(0.5);
    const mean = small.reduce((a, b) => a + b) / small.length;
    expect(mean).toBeGreaterThan(0.38);
    expect(mean).toBeLessThan(0.62);
    expect(extremes(weights(1))).toBeLessThan(0.4);
  });

  it('cutMix pastes a rectangle of the partner, its labels weighted by the area kept', () => {
    const n = 8,
      h = 10,
      w = 10;
    // Image i holds the value i + 1 everywhere: each pixel shows where it came from.
    const x = ts.mul(ts.ones([n, h, w, 1]), ts.reshape(ts.range(1, n + 1), [n, 1, 1, 1]));
    const [images, labels] = layers.cutMix({ seed: 2 }).apply([x, oneHot(n)], { training: true }) as Tensor[];
    const ys = values(images),
      ls = values(labels);
    for (let i = 0; i < n; i++) {
      const p = partnerOf(ls, n, i);
      const image = ys.slice(i * h * w, (i + 1) * h * w);
      if (p === null) {
        expect(new Set(image)).toEqual(new Set([i + 1]));
        continue;
      }
      const pasted = image.map((v, k) => (v === p.j + 1 ? k : -1)).filter((k) => k >= 0);
      expect(image.every((v) => v === i + 1 || v === p.j + 1)).toBe(true);
      if (pasted.length === 0) continue;
      const rows = pasted.map((k) => Math.floor(k / w)),
        cols = pasted.map((k) => k % w);
      const [rh, rw] = [Math.max(...rows) - Math.min(...rows) + 1, Math.max(...cols) - Math.min(...cols) + 1];
      expect(pasted.length).toBe(rh * rw);
      // The label weight is 1 - the continuous box's share; the pixel box is within one pixel of it per side.
      const share = 1 - p.w;
      expect(share * h * w).toBeGreaterThan((rh - 1) * (rw - 1) - 1e-6);
      expect(share * h * w).toBeLessThan((rh + 1) * (rw + 1) + 1e-6);
    }
  });

  it('are the identity in inference, repeat with a seed, and take images alone or unbatched', () => {
    const x = pixels([5, 4, 4, 3], 4);
    for (const make of [() => layers.mixUp({ seed: 9 }), () => layers.cutMix({ seed: 9 })]) {
      const a = make(),
        b = make();
      expect(values(a.apply(x) as Tensor)).toEqual(values(x));
      const [ix, lx] = a.apply([x, oneHot(5)]) as Tensor[];
      expect([values(ix), values(lx)]).toEqual([values(x), values(oneHot(5))]);
      const a1 = values(a.apply(x, { training: true }) as Tensor),
        a2 = values(a.apply(x, { training: true }) as Tensor);
      expect(values(b.apply(x, { training: true }) as Tensor)).toEqual(a1);
      expect(values(b.apply(x, { training: true }) as Tensor)).toEqual(a2);
      expect(a2).not.toEqual(a1);
      // One image mixes with itself only: unchanged.
      const one = ts.reshape(ts.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]), [4, 4, 3]);
      const [single, label] = a.apply([one, tensor([0, 1])], { training: true }) as Tensor[];
      expect([single.shape, label.shape]).toEqual([[4, 4, 3], [2]]);
      for (const [got, want] of [
        [values(single), values(one)],
        [values(label), [0, 1]],
      ])
        got.forEach((v, k) => expect(v).toBeCloseTo(want[k], 3));
    }
  });

  it('serialize, keep memory flat and refuse bad arguments', () => {
    for (const layer of [layers.mixUp({ alpha: 0.4, seed: 1 }), layers.cutMix({ factor: [0.2, 0.8] })]) expectConfigRoundTrip(layer);
    expect(layers.serializeLayer(layers.cutMix()).className).toBe('CutMix');
    for (const layer of [layers.mixUp({ seed: 1 }), layers.cutMix({ seed: 1 })]) expectFlatMemory(layer, pixels([3, 4, 4, 1], 1), 3);
    expect(() => layers.mixUp({ alpha: 0 })).toThrow(/mix_up.*alpha a positive number, got 0/);
    expect(() => layers.cutMix({ factor: 2 })).toThrow(/cut_mix.*factor a number in \[0, 1\]/);
    expect(() => layers.mixUp().apply([pixels([2, 2, 2, 1], 1), oneHot(3)], { training: true })).toThrow(
      /labels with one row per image \(2\), got shape \[3, 3\]/,
    );
    expect(() => layers.mixUp().apply([pixels([2, 2, 2, 1], 1), oneHot(2), oneHot(2)], { training: true })).toThrow(
      /images or \[images, labels\], got 3 tensors/,
    );
    expect(() => layers.cutMix().apply(tensor([1, 2], [2]), { training: true })).toThrow(/images of rank 3 or 4/);
  });
});
