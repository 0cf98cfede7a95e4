// Colour augmentation layers (grayscale, invert, solarization, posterization, colour
// degeneration, sharpness, saturation, hue): fixed draws against the numpy/torch references of
// test/fixtures/image/color_augmentation.json, random draws in range and repeatable, options.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { layers, tensor, type Tensor } from '../../src';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';
import { expectClose, randomTensor } from '../helpers/reference';

interface Fixture {
  name: string;
  layer: string;
  attrs: Record<string, unknown>;
  input: { shape: number[]; data: number[] };
  output: { shape: number[]; data: number[] };
  negative?: { shape: number[]; data: number[] };
}
const fixtures: Fixture[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'image', 'color_augmentation.json'), 'utf8')).cases;
const values = (t: Tensor) => Array.from(t.dataSync());
type Factory = (args: Record<string, unknown>) => ts.layers.Layer;
const make = (name: string, args: Record<string, unknown>) => (layers as unknown as Record<string, Factory>)[name](args);
// RGB images in [0, 255], float32.
const pixels = (shape: number[], seed: number) => ts.mul(randomTensor(shape, seed, 'float32', 0, 1), 255);

const every = () => [
  layers.randomGrayscale({ seed: 1 }),
  layers.randomInvert({ seed: 1 }),
  layers.solarization({ additionFactor: 0.2, thresholdFactor: 0.8, seed: 1 }),
  layers.randomPosterization({ factor: [2, 8], seed: 1 }),
  layers.randomColorDegeneration({ factor: 0.9, seed: 1 }),
  layers.randomSharpness({ factor: [0, 1], seed: 1 }),
  layers.randomSaturation({ factor: [0, 1], seed: 1 }),
  layers.randomHue({ factor: 0.9, seed: 1 }),
];

describe('colour augmentation layers', () => {
  test.each(fixtures.map((f) => [f.name, f] as const))('%s matches the reference', (_name, f) => {
    const x = tensor(f.input.data, f.input.shape, 'float32');
    const y = make(f.layer, f.attrs).apply(x, { training: true }) as Tensor;
    expect(y.shape).toEqual(f.output.shape);
    const scale = f.attrs.valueRange ? 1 : 255;
    if (!f.negative) {
      expectClose(values(y), f.output.data, 1e-5, 2e-6 * scale);
      return;
    }
    // A random sign per image: each image is the reference of one sign or the other.
    const per = f.output.data.length / f.output.shape[0];
    const got = values(y);
    for (let i = 0; i < f.output.shape[0]; i++) {
      const part = (data: number[]) => data.slice(i * per, (i + 1) * per);
      const close = (want: number[]) => part(got).every((v, k) => Math.abs(v - want[k]) <= 1e-5 * Math.abs(want[k]) + 2e-6 * scale);
      expect(close(part(f.output.data)) || close(part(f.negative.data))).toBe(true);
    }
  });

  it('are the identity in inference and change images in training, batched or not', () => {
    const x = pixels([8, 5, 6, 3], 2);
    for (const layer of every()) {
      expect(values(layer.apply(x) as Tensor)).toEqual(values(x));
      const y = layer.apply(x, { training: true }) as Tensor;
      expect(y.shape).toEqual(x.shape);
      expect(values(y)).not.toEqual(values(x));
      const one = layer.apply(ts.reshape(ts.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]), [5, 6, 3]), { training: true }) as Tensor;
      expect(one.shape).toEqual([5, 6, 3]);
    }
  });

  it('a seed repeats the sequence of draws; successive calls differ', () => {
    const x = pixels([6, 4, 4, 3], 3);
    const first = every(),
      second = every();
    for (let i = 0; i < first.length; i++) {
      const a1 = values(first[i].apply(x, { training: true }) as Tensor);
      const a2 = values(first[i].apply(x, { training: true }) as Tensor);
      expect(values(second[i].apply(x, { training: true }) as Tensor)).toEqual(a1);
      expect(values(second[i].apply(x, { training: true }) as Tensor)).toEqual(a2);
      expect(a2).not.toEqual(a1);
    }
  });

  it('randomGrayscale and randomInvert act on whole images, about factor of them', () => {
    const x = pixels([40, 2, 2, 3], 4);
    const grey = values(layers.randomGrayscale({ factor: 0.5, seed: 3 }).apply(x, { training: true }) as Tensor);
    const inverted = values(layers.randomInvert({ factor: [0.5, 0.5], seed: 3 }).apply(x, { training: true }) as Tensor);
    const xs = values(x);
    let greys = 0,
      inversions = 0;
    for (let i = 0; i < 40; i++) {
      const idx = Array.from({ length: 12 }, (_, k) => i * 12 + k);
      const same = (y: number[]) => idx.every((k) => y[k] === xs[k]);
      const isGrey = idx.every((k) => Math.abs(grey[k] - grey[k - (k % 3)]) < 1e-4);
      expect(same(grey) || isGrey).toBe(true);
      if (!same(grey)) greys++;
      const isInverted = idx.every((k) => Math.abs(inverted[k] - (255 - xs[k])) < 1e-4);
      expect(same(inverted) || isInverted).toBe(true);
      if (!same(inverted)) inversions++;
    }
    for (const n of [greys, inversions]) expect(n).toBeGreaterThan(8);
    for (const n of [greys, inversions]) expect(n).toBeLessThan(32);
    // factor 0: never; one-channel images are already grey.
    expect(values(layers.randomInvert({ factor: 0 }).apply(x, { training: true }) as Tensor)).toEqual(xs);
    const single = pixels([2, 3, 3, 1], 5);
    expect(values(layers.randomGrayscale({ factor: 1 }).apply(single, { training: true }) as Tensor)).toEqual(values(single));
  });

  it('random factors stay in their ranges', () => {
    const x = pixels([12, 3, 3, 3], 6);
    const xs = values(x);
    // Colour degeneration by f in [0, 0.4]: each image's (y - x) / (grey - x) is one f in range.
    const grey = values(ts.image.rgbToGrayscale(x));
    const y = values(layers.randomColorDegeneration({ factor: 0.4, seed: 2 }).apply(x, { training: true }) as Tensor);
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const k = i * 27;
      const f = (y[k] - xs[k]) / (grey[k / 3] - xs[k]);
      expect(f).toBeGreaterThanOrEqual(-1e-4);
      expect(f).toBeLessThanOrEqual(0.4001);
      seen.add(Math.round(f * 1000));
    }
    expect(seen.size).toBeGreaterThan(6);
    // Posterization keeps 2 to 4 bits ([2, 5) as Keras draws): multiples of 16, 32 or 64, not all of one.
    const p = values(layers.randomPosterization({ factor: [2, 5], seed: 4 }).apply(x, { training: true }) as Tensor);
    const steps = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const image = p.slice(i * 27, (i + 1) * 27);
      const step = [64, 32, 16].find((s) => image.every((v) => v % s === 0));
      expect(step).toBeDefined();
      steps.add(step!);
    }
    expect(steps.size).toBeGreaterThan(1);
    // Sharpness, saturation and hue stay within the value range.
    for (const layer of [
      layers.randomSharpness({ factor: 1, seed: 1 }),
      layers.randomSaturation({ factor: 1, seed: 1 }),
      layers.randomHue({ factor: 1, seed: 1 }),
    ]) {
      for (const v of values(layer.apply(x, { training: true }) as Tensor)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(255.001);
      }
    }
  });

  it("saturation and colour degeneration load Keras's saved [-f, f] pairs", () => {
    const x = tensor([200, 100, 50, 20, 40, 60], [1, 1, 2, 3]);
    // A negative saturation factor clips the saturation to 0: grey at each pixel's value (its largest channel).
    const grey = layers.randomSaturation({ factor: [-0.5, -0.5] }).apply(x, { training: true }) as Tensor;
    expectClose(values(grey), [200, 200, 200, 60, 60, 60], 1e-6, 1e-4);
    // A negative degeneration factor moves away from grey: x - 0.5 (grey - x), clipped.
    const g = [0.2989 * 200 + 0.587 * 100 + 0.114 * 50, 0.2989 * 20 + 0.587 * 40 + 0.114 * 60];
    const away = layers.randomColorDegeneration({ factor: [-0.5, -0.5] }).apply(x, { training: true }) as Tensor;
    const want = [200, 100, 50, 20, 40, 60].map((v, k) => Math.min(255, Math.max(0, v - 0.5 * (g[Math.floor(k / 3)] - v))));
    expectClose(values(away), want, 1e-5, 1e-3);
  });

  it('serialize under Keras class names, keep memory flat, take integer pixels', () => {
    for (const layer of every()) expectConfigRoundTrip(layer);
    expect(every().map((l) => layers.serializeLayer(l).className)).toEqual([
      'RandomGrayscale',
      'RandomInvert',
      'Solarization',
      'RandomPosterization',
      'RandomColorDegeneration',
      'RandomSharpness',
      'RandomSaturation',
      'RandomHue',
    ]);
    expect(layers.solarization({ thresholdFactor: [0.1, 0.4], valueRange: [0, 1] }).getConfig()).toMatchObject({
      additionFactor: 0,
      thresholdFactor: [0.1, 0.4],
      valueRange: [0, 1],
    });
    for (const layer of every()) expectFlatMemory(layer, pixels([2, 4, 4, 3], 1), 5);
    const ints = layers.randomInvert({ factor: [1, 1] }).apply(tensor([0, 10, 255], [1, 1, 1, 3], 'int32'), { training: true }) as Tensor;
    expect([ints.dtype, values(ints)]).toEqual(['float32', [255, 245, 0]]);
  });

  it('bad arguments name the layer and what was expected', () => {
    expect(() => layers.randomGrayscale({ factor: 1.5 })).toThrow(/random_grayscale.*factor a probability in \[0, 1\], got 1.5/);
    expect(() => layers.randomInvert({ factor: [0.2, 2] })).toThrow(
      /random_invert.*factor a number in \[0, 1\] or a \[lower, upper\] pair of such, got \[0.2, 2\]/,
    );
    expect(() => layers.solarization({ thresholdFactor: -0.1 })).toThrow(/solarization.*thresholdFactor a number in \[0, 1\]/);
    expect(() => layers.randomSaturation({ factor: -0.5 })).toThrow(
      /random_saturation.*factor a number in \[0, 1\] or a \[lower, upper\] pair in \[-1, 1\], got -0.5/,
    );
    expect(() => layers.randomColorDegeneration({ factor: [-2, 0] })).toThrow(/pair in \[-1, 1\], got \[-2, 0\]/);
    expect(() => layers.randomPosterization({ factor: 9 })).toThrow(/random_posterization.*factor an integer in \[1, 8\].*got 9/);
    expect(() => layers.randomPosterization({ factor: [2, 3.5] })).toThrow(/factor an integer in \[1, 8\]/);
    expect(() => layers.randomPosterization({} as never)).toThrow(/factor/);
    expect(() => layers.randomSaturation({ factor: 0.5, valueRange: [1, 1] })).toThrow(/valueRange \[low, high\] with low < high/);
    expect(() => layers.randomHue({ factor: 0.5, valueRnage: [0, 1] } as never)).toThrow(/valueRnage/);
    expect(() => layers.randomSharpness(0.5 as never)).toThrow(/RandomSharpness: expected an options object.*\{ factor: 0.5, \.\.\. \}/);
    const gray = pixels([1, 2, 2, 1], 1);
    for (const layer of [layers.randomSaturation({ factor: 0.5 }), layers.randomHue({ factor: 0.5 }), layers.randomColorDegeneration({ factor: 0.5 })])
      expect(() => layer.apply(gray, { training: true })).toThrow(/expected images with 3 channels \(RGB, channels-last\), got shape \[1, 2, 2, 1\]/);
    expect(() => layers.randomGrayscale().apply(pixels([1, 2, 2, 4], 1), { training: true })).toThrow(/images with 1 or 3 channels/);
  });
});
