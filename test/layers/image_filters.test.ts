// autoContrast (applied in inference too), randomGaussianBlur, randomErasing and
// randomColorJitter: behaviour beyond the fixed-draw references of color_augmentation.test.ts.
import * as ts from '../../src';
import { layers, tensor, type Tensor } from '../../src';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';
import { expectClose, randomTensor } from '../helpers/reference';

const values = (t: Tensor) => Array.from(t.dataSync());
const pixels = (shape: number[], seed: number) => ts.mul(randomTensor(shape, seed, 'float32', 0, 1), 255);
const random = () => [
  layers.randomGaussianBlur({ factor: [0.5, 1], sigma: [0.5, 2], seed: 1 }),
  layers.randomErasing({ scale: [0.1, 0.5], seed: 1 }),
  layers.randomColorJitter({ brightnessFactor: 0.2, contrastFactor: 0.3, saturationFactor: [0.2, 0.8], hueFactor: 0.3, seed: 1 }),
];

describe('image filter layers', () => {
  it('autoContrast stretches each channel to the value range, in inference as in training', () => {
    const x = tensor([10, 0, 20, 5, 30, 10, 50, 5], [1, 2, 2, 2]);
    const layer = layers.autoContrast();
    const want = [0, 0, 63.75, 127.5, 127.5, 255, 255, 127.5];
    expectClose(values(layer.apply(x) as Tensor), want, 1e-6, 1e-4);
    expectClose(values(layer.apply(x, { training: true }) as Tensor), want, 1e-6, 1e-4);
    // [0, 1] images stay in [0, 1]; a constant channel is kept.
    const unit = layers.autoContrast({ valueRange: [0, 1] }).apply(tensor([0.2, 0.5, 0.4, 0.5], [1, 2, 2, 1]), { training: true }) as Tensor;
    expectClose(values(unit), [0, 1, 2 / 3, 1], 1e-5, 1e-6);
    const flat = tensor([7, 7, 7, 7], [2, 2, 1]);
    expect(values(layers.autoContrast().apply(flat) as Tensor)).toEqual([7, 7, 7, 7]);
  });

  it('equalization spreads each image channel over the range in training, and is the identity in inference', () => {
    // Four values in one channel: the lookup sends the lowest bin to 0 and the highest to 255.
    const x = tensor([10, 200, 10, 200, 40, 200, 90, 200], [2, 2, 2, 1]);
    const layer = layers.equalization();
    expect(values(layer.apply(x) as Tensor)).toEqual(values(x));
    // Image 0 counts 10 once, 40 once, 90 twice: round(255 * [0, 1, 3] / 3); image 1 is flat, kept.
    const y = values(layer.apply(tensor([10, 40, 90, 90, 7, 7, 7, 7], [2, 2, 2, 1]), { training: true }) as Tensor);
    expect(y).toEqual([0, 85, 255, 255, 7, 7, 7, 7]);
    // 4 bins on [0, 1]: counts [2, 1, 1, 0], the lookup round([0, 127.5, 255, 255]) (halves to even).
    const four = layers.equalization({ bins: 4, valueRange: [0, 1] }).apply(tensor([0.1, 0.3, 0.6, 0.9], [2, 2, 1]), { training: true }) as Tensor;
    expectClose(values(four), [0, 0, 128 / 255, 1], 1e-6, 1e-7);
  });

  it('the random ones are the identity in inference, change images in training and repeat with a seed', () => {
    const x = pixels([6, 6, 5, 3], 2);
    const first = random(),
      second = random();
    for (let i = 0; i < first.length; i++) {
      expect(values(first[i].apply(x) as Tensor)).toEqual(values(x));
      const a1 = values(first[i].apply(x, { training: true }) as Tensor);
      const a2 = values(first[i].apply(x, { training: true }) as Tensor);
      expect(a1).not.toEqual(values(x));
      expect(a2).not.toEqual(a1);
      expect(values(second[i].apply(x, { training: true }) as Tensor)).toEqual(a1);
      expect(values(second[i].apply(x, { training: true }) as Tensor)).toEqual(a2);
      expect((first[i].apply(ts.reshape(ts.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]), [6, 5, 3]), { training: true }) as Tensor).shape).toEqual([6, 5, 3]);
    }
  });

  it('randomGaussianBlur blurs all or none of each image, with probability factor', () => {
    const x = pixels([24, 4, 4, 1], 3);
    const always = layers.randomGaussianBlur({ factor: [1, 1], sigma: [1, 1] });
    const blurred = values(always.apply(x, { training: true }) as Tensor);
    const y = values(layers.randomGaussianBlur({ factor: [0.5, 0.5], sigma: [1, 1], seed: 4 }).apply(x, { training: true }) as Tensor);
    const xs = values(x);
    let count = 0;
    for (let i = 0; i < 24; i++) {
      const part = (v: number[]) => v.slice(i * 16, (i + 1) * 16);
      const isBlurred = part(y).every((v, k) => Math.abs(v - part(blurred)[k]) < 1e-3);
      expect(isBlurred || part(y).every((v, k) => v === part(xs)[k])).toBe(true);
      if (isBlurred) count++;
    }
    expect(count).toBeGreaterThan(4);
    expect(count).toBeLessThan(20);
  });

  it('randomErasing fills one rectangle of sqrt(scale) of each side', () => {
    const x = ts.add(pixels([5, 8, 8, 2], 5), 1);
    // scale 0.25: a 4 x 4 rectangle (at a fractional place, so 4 or 5 pixels wide) of the fill value -> clipped to 0.
    const y = values(layers.randomErasing({ factor: [1, 1], scale: [0.25, 0.25], fillValue: -3, seed: 2 }).apply(x, { training: true }) as Tensor);
    for (let i = 0; i < 5; i++) {
      const rows = new Set<number>(),
        cols = new Set<number>();
      for (let k = 0; k < 128; k++) {
        if (y[i * 128 + k] !== 0) continue;
        rows.add(Math.floor(k / 16));
        cols.add(Math.floor(k / 2) % 8);
      }
      const span = (s: Set<number>) => Math.max(...s) - Math.min(...s) + 1;
      expect([rows.size, cols.size]).toEqual([span(rows), span(cols)]);
      expect(rows.size).toBeGreaterThanOrEqual(3);
      expect(rows.size).toBeLessThanOrEqual(4);
      expect(cols.size).toBeGreaterThanOrEqual(3);
      expect(cols.size).toBeLessThanOrEqual(4);
    }
    // Keras's default factor 1 draws the probability from [0, 1]: some images are left.
    const some = values(
      layers.randomErasing({ scale: [1, 1], fillValue: 0, seed: 1 }).apply(ts.add(pixels([16, 2, 2, 1], 1), 1), { training: true }) as Tensor,
    );
    const erased = Array.from({ length: 16 }, (_, i) => some[i * 4] === 0).filter(Boolean).length;
    expect(erased).toBeGreaterThan(2);
    expect(erased).toBeLessThan(14);
    // The whole image, one value per channel; noise by default stays within valueRange.
    const whole = values(
      layers.randomErasing({ factor: [1, 1], scale: [1, 1], fillValue: [0.25, 0.75], valueRange: [0, 1] }).apply(x, { training: true }) as Tensor,
    );
    expect(whole).toEqual(Array.from({ length: 640 }, (_, k) => (k % 2 === 0 ? 0.25 : 0.75)));
    for (const v of values(layers.randomErasing({ scale: 1, seed: 3 }).apply(x, { training: true }) as Tensor)) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(256);
    }
    expect(values(layers.randomErasing({ factor: 0 }).apply(x, { training: true }) as Tensor)).toEqual(values(x));
  });

  it('randomColorJitter runs the factors given, in Keras order', () => {
    const x = randomTensor([3, 4, 4, 3], 6, 'float32', 0.1, 0.9);
    const jitter = layers.randomColorJitter({ valueRange: [0, 1], brightnessFactor: [0.1, 0.1], saturationFactor: [0.3, 0.3] });
    const bright = layers.randomBrightness({ factor: [0.1, 0.1], valueRange: [0, 1] }).apply(x, { training: true }) as Tensor;
    const want = layers.randomSaturation({ factor: [0.3, 0.3], valueRange: [0, 1] }).apply(bright, { training: true }) as Tensor;
    expectClose(values(jitter.apply(x, { training: true }) as Tensor), values(want), 1e-5, 1e-6);
    // No factors: nothing to do.
    expect(values(layers.randomColorJitter().apply(x, { training: true }) as Tensor)).toEqual(values(x));
  });

  it('serialize, keep memory flat and refuse bad arguments', () => {
    for (const layer of [
      ...random(),
      layers.autoContrast({ valueRange: [0, 1] }),
      layers.randomErasing({ fillValue: [1, 2, 3] }),
      layers.equalization({ bins: 64 }),
    ])
      expectConfigRoundTrip(layer);
    expect(layers.serializeLayer(layers.randomColorJitter({ hueFactor: 0.1 })).className).toBe('RandomColorJitter');
    for (const layer of [...random(), layers.autoContrast(), layers.equalization()]) expectFlatMemory(layer, pixels([2, 4, 4, 3], 1), 3);
    expect(() => layers.randomGaussianBlur({ kernelSize: 4 })).toThrow(/random_gaussian_blur.*kernelSize an odd positive integer or a pair of such, got 4/);
    expect(() => layers.randomGaussianBlur({ sigma: 2 })).toThrow(/sigma a number in \[0, 1\] or a \[lower, upper\] pair of non-negative numbers, got 2/);
    expect(() => layers.randomErasing({ scale: [0.1, 1.5] })).toThrow(/random_erasing.*scale a number in \[0, 1\]/);
    expect(() => layers.randomErasing({ fillValue: 'noise' as never })).toThrow(
      /fillValue a number, an array of numbers \(one per channel\) or null, got 'noise'/,
    );
    expect(() => layers.randomErasing({ fillValue: [1, 2] }).apply(pixels([1, 2, 2, 3], 1), { training: true })).toThrow(
      /fillValue with one number per channel \(3\), got 2 numbers/,
    );
    expect(() => layers.autoContrast({ valueRange: [0] as never })).toThrow(/auto_contrast.*valueRange \[low, high\]/);
    expect(() => layers.equalization({ bins: 1 })).toThrow(/equalization.*bins an integer of at least 2, got 1/);
    expect(() => layers.equalization({ seed: 1 } as never)).toThrow(/seed/);
    expect(() => layers.autoContrast({ seed: 1 } as never)).toThrow(/seed/);
    expect(layers.autoContrast().getConfig()).not.toHaveProperty('seed');
    expect(() => layers.randomColorJitter({ hueFactor: 2 })).toThrow(/random_color_jitter_\d+_hue: expected factor a number in \[0, 1\]/);
    expect(() => layers.randomColorJitter({ brightness: 0.2 } as never)).toThrow(/brightness/);
  });
});
