// Image augmentation layers: training vs inference, seeds, hand-worked results, bad arguments.
import * as ts from '../../src';
import { layers, sequential, tensor, type Tensor } from '../../src';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';
import { expectClose, randomTensor } from '../helpers/reference';

const values = (t: Tensor) => Array.from(t.dataSync());
// A [1, 3, 3, 1] image 1..9, row-major.
const square = () => tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
// [n, h, w, 1] images whose pixel (r, c) of image i is 100 i + 10 r + c: linear, so bilinear is exact.
const ramp = (n: number, h: number, w: number) =>
  tensor(
    Array.from({ length: n * h * w }, (_, k) => 100 * Math.floor(k / (h * w)) + 10 * Math.floor((k % (h * w)) / w) + (k % w)),
    [n, h, w, 1],
  );

const every = () => [
  layers.randomFlip({ seed: 1 }),
  layers.randomRotation({ factor: 0.2, seed: 1 }),
  layers.randomZoom({ heightFactor: 0.3, seed: 1 }),
  layers.randomTranslation({ heightFactor: 0.2, widthFactor: 0.2, seed: 1 }),
  layers.randomContrast({ factor: 0.5, seed: 1 }),
  layers.randomBrightness({ factor: 0.3, seed: 1 }),
];

describe('augmentation layers', () => {
  it('are the identity in inference and change images in training', () => {
    const x = ts.mul(randomTensor([4, 6, 5, 2], 2, 'float32', 0, 1), 255);
    for (const layer of every()) {
      expect(values(layer.apply(x) as Tensor)).toEqual(values(x));
      expect(values(layer.apply(x, { training: false }) as Tensor)).toEqual(values(x));
      const y = layer.apply(x, { training: true }) as Tensor;
      expect(y.shape).toEqual(x.shape);
      expect(values(y)).not.toEqual(values(x));
    }
  });

  it('a seed repeats the sequence of draws; successive calls differ', () => {
    const x = ts.mul(randomTensor([4, 6, 5, 2], 3, 'float32', 0, 1), 255);
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

  it('randomFlip flips each image whole or not at all, per image', () => {
    const x = ramp(16, 3, 4);
    const y = layers.randomFlip({ mode: 'horizontal', seed: 5 }).apply(x, { training: true }) as Tensor;
    let flips = 0;
    for (let i = 0; i < 16; i++) {
      const got = values(ts.slice(y, [i, 0, 0, 0], [1, 3, 4, 1]));
      const image = values(ts.slice(x, [i, 0, 0, 0], [1, 3, 4, 1]));
      const mirrored = image.map((_, k) => image[Math.floor(k / 4) * 4 + 3 - (k % 4)]);
      const same = got.every((v, k) => v === image[k]);
      expect(same || got.every((v, k) => v === mirrored[k])).toBe(true);
      if (!same) flips++;
    }
    expect(flips).toBeGreaterThan(2);
    expect(flips).toBeLessThan(14);
    // 'vertical' mirrors rows; both modes at once can do both.
    const v = layers.randomFlip({ mode: 'vertical', seed: 2 }).apply(ramp(8, 2, 2), { training: true }) as Tensor;
    for (let i = 0; i < 8; i++) {
      const got = values(ts.slice(v, [i, 0, 0, 0], [1, 2, 2, 1]));
      const base = 100 * i;
      expect([
        [base, base + 1, base + 10, base + 11],
        [base + 10, base + 11, base, base + 1],
      ]).toContainEqual(got);
    }
    // 'horizontal_and_vertical' draws once per image, as Keras 3: half a turn or nothing.
    const both = layers.randomFlip({ seed: 3 }).apply(ramp(16, 2, 2), { training: true }) as Tensor;
    let turned = 0;
    for (let i = 0; i < 16; i++) {
      const got = values(ts.slice(both, [i, 0, 0, 0], [1, 2, 2, 1]));
      const base = 100 * i;
      const halfTurn = [base + 11, base + 10, base + 1, base];
      expect([[base, base + 1, base + 10, base + 11], halfTurn]).toContainEqual(got);
      if (got[0] === halfTurn[0]) turned++;
    }
    expect(turned).toBeGreaterThan(2);
    expect(turned).toBeLessThan(14);
  });

  it('randomRotation by exactly a quarter turn moves each pixel (counter-clockwise)', () => {
    const nearest = layers.randomRotation({ factor: [0.25, 0.25], interpolation: 'nearest' });
    expect(values(nearest.apply(square(), { training: true }) as Tensor)).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
    const bilinear = layers.randomRotation({ factor: [-0.25, -0.25] });
    expectClose(values(bilinear.apply(square(), { training: true }) as Tensor), [7, 4, 1, 8, 5, 2, 9, 6, 3], 1e-5, 1e-5);
    // A half turn.
    const half = layers.randomRotation({ factor: [0.5, 0.5], interpolation: 'nearest' });
    expect(values(half.apply(square(), { training: true }) as Tensor)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('randomZoom and randomTranslation on hand-worked cases', () => {
    // Zoom in 2x about the centre of a 5-wide ramp: output column x reads input 0.5 x + 1.
    const zoom = layers.randomZoom({ heightFactor: [-0.5, -0.5] });
    const z = zoom.apply(ramp(1, 5, 5), { training: true }) as Tensor;
    expectClose(values(ts.slice(z, [0, 2, 0, 0], [1, 1, 5, 1])), [21, 21.5, 22, 22.5, 23], 1e-6, 1e-5);
    // widthFactor apart: zoom out 1.5x horizontally only, constant fill outside.
    const wide = layers.randomZoom({ heightFactor: [0, 0], widthFactor: [0.5, 0.5], fillMode: 'constant', fillValue: -1 });
    expectClose(values(ts.slice(wide.apply(ramp(1, 5, 5), { training: true }) as Tensor, [0, 0, 0, 0], [1, 1, 5, 1])), [-1, 0.5, 2, 3.5, -1], 1e-6, 1e-5);
    // Shift right by a fifth of 5 columns: the first column is filled.
    const shift = layers.randomTranslation({ heightFactor: 0, widthFactor: [0.2, 0.2], fillMode: 'constant', fillValue: -1, interpolation: 'nearest' });
    expect(values(shift.apply(ramp(1, 2, 5), { training: true }) as Tensor)).toEqual([-1, 0, 1, 2, 3, -1, 10, 11, 12, 13]);
    const down = layers.randomTranslation({ heightFactor: [-0.5, -0.5], widthFactor: 0, fillMode: 'wrap', interpolation: 'nearest' });
    expect(values(down.apply(ramp(1, 2, 2), { training: true }) as Tensor)).toEqual([10, 11, 0, 1]);
  });

  it('randomContrast scales deviations from the per-image, per-channel mean within the factor', () => {
    const x = ts.mul(randomTensor([3, 4, 4, 2], 4, 'float64', 0.3, 0.7), 255);
    const y = layers.randomContrast({ factor: [0.5, 0.25], seed: 9 }).apply(x, { training: true }) as Tensor;
    const m = values(ts.mean(x, [1, 2], true));
    const xs = values(x),
      ys = values(y);
    for (let i = 0; i < 3; i++) {
      let scale: number | null = null;
      for (let k = i * 32; k < (i + 1) * 32; k++) {
        const mu = m[i * 2 + (k % 2)];
        const s = (ys[k] - mu) / (xs[k] - mu);
        scale ??= s;
        // Layers compute in float32: compare where the deviation is not tiny.
        if (Math.abs(xs[k] - mu) > 1) expect(s).toBeCloseTo(scale, 4);
      }
      expect(scale!).toBeGreaterThanOrEqual(0.5);
      expect(scale!).toBeLessThanOrEqual(1.25);
    }
    // Clipped to valueRange.
    const big = layers.randomContrast({ factor: [0, 5], valueRange: [0, 1], seed: 1 }).apply(tensor([0, 1, 0, 1], [1, 2, 2, 1]), { training: true }) as Tensor;
    for (const v of values(big)) expect(v === 0 || v === 1).toBe(true);
  });

  it('randomBrightness adds a fraction of valueRange per image, then clips', () => {
    const x = tensor([0.1, 0.5, 0.95, 0.2], [1, 2, 2, 1]);
    const y = layers.randomBrightness({ factor: [0.1, 0.1], valueRange: [0, 1] }).apply(x, { training: true }) as Tensor;
    expectClose(values(y), [0.2, 0.6, 1, 0.3], 1e-6, 1e-6);
    const z = layers.randomBrightness({ factor: [-0.1, -0.1] }).apply(ts.mul(x, 255), { training: true }) as Tensor;
    expectClose(values(z), [0, 102, 216.75, 25.5], 1e-5, 1e-4);
  });

  it('randomCrop: one random window per batch in training; the centred aspect window, resized, in inference', () => {
    const x = ramp(2, 6, 6);
    const crop = layers.randomCrop({ height: 3, width: 4, seed: 7 });
    const y = crop.apply(x, { training: true }) as Tensor;
    expect(y.shape).toEqual([2, 3, 4, 1]);
    const v = values(y);
    const top = Math.floor(v[0] / 10),
      left = v[0] % 10;
    expect(v).toEqual(Array.from({ length: 24 }, (_, k) => 100 * Math.floor(k / 12) + 10 * (top + Math.floor((k % 12) / 4)) + left + (k % 4)));
    // Inference: crop 4x6 from row 1 (4:3 is taller than 3:4 fits), resized with half-pixel centres.
    const inferred = values(crop.apply(x) as Tensor);
    const want: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) want.push(100 * i + 10 * (1 + (r + 0.5) * (4 / 3) - 0.5) + (c + 0.5) * 1.5 - 0.5);
    expectClose(inferred, want, 1e-5, 1e-4);
    // Exactly the crop's size: the images themselves; smaller in training: resized as in inference.
    expect(values(crop.apply(ramp(1, 3, 4)) as Tensor)).toEqual(values(ramp(1, 3, 4)));
    const small = ramp(1, 2, 2);
    expect(values(crop.apply(small, { training: true }) as Tensor)).toEqual(values(crop.apply(small) as Tensor));
    // One side as long as the crop's (Keras 3 crops at random only when both are longer): the centred window.
    const wide = ramp(1, 3, 10);
    for (let i = 0; i < 4; i++) expect(values(crop.apply(wide, { training: true }) as Tensor)).toEqual(values(ts.slice(wide, [0, 0, 3, 0], [1, 3, 4, 1])));
    expect(crop.computeOutputShape([null, 6, 6, 1])).toEqual([null, 3, 4, 1]);
  });

  it('take one unbatched image [h, w, c] too', () => {
    const image = ts.reshape(square(), [3, 3, 1]);
    const y = layers.randomRotation({ factor: [0.25, 0.25], interpolation: 'nearest' }).apply(image, { training: true }) as Tensor;
    expect(y.shape).toEqual([3, 3, 1]);
    expect(values(y)).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
  });

  it('serialize, appear in summary() and keep memory flat', () => {
    for (const layer of [...every(), layers.randomCrop({ height: 2, width: 2 })]) expectConfigRoundTrip(layer);
    const m = sequential({
      layers: [
        layers.randomFlip({ inputShape: [8, 8, 1] }),
        layers.randomRotation({ factor: 0.1 }),
        layers.randomCrop({ height: 6, width: 6 }),
        layers.flatten(),
        layers.dense({ units: 2 }),
      ],
    });
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    const text = lines.join('\n');
    for (const name of ['(RandomFlip)', '(RandomRot', '(RandomCrop)']) expect(text).toContain(name);
    expect(text).toContain('[null, 6, 6, 1]');
    for (const layer of every()) expectFlatMemory(layer, randomTensor([2, 5, 5, 1], 1), 5);
  });

  it('bad arguments name the layer and what was expected', () => {
    expect(() => layers.randomFlip({ mode: 'diagonal' as never })).toThrow(
      /random_flip.*mode one of 'horizontal', 'vertical', 'horizontal_and_vertical', got 'diagonal'/,
    );
    expect(() => layers.randomRotation({ factor: 'a lot' as never })).toThrow(/factor a number or a \[lower, upper\] pair/);
    expect(() => layers.randomRotation({ factor: [0, Infinity] })).toThrow(/factor a number or a \[lower, upper\] pair of finite values, got \[0, Infinity\]/);
    expect(() => layers.randomRotation({ factor: 0.1, fillMode: 'mirror' as never })).toThrow(/fillMode one of/);
    expect(() => layers.randomRotation({ factor: 0.1, interpolation: 'bicubic' as never })).toThrow(/interpolation one of/);
    expect(() => layers.randomZoom({ heightFactor: 1.5 })).toThrow(/heightFactor .* values in \[-1, 1\], got 1.5/);
    expect(() => layers.randomZoom({ heightFactor: 0.1, widthFactor: [0.1, 0.2, 0.3] as never })).toThrow(/widthFactor/);
    expect(() => layers.randomTranslation({ heightFactor: 0.1 } as never)).toThrow(/widthFactor/);
    expect(() => layers.randomCrop({ height: 0, width: 3 })).toThrow(/height a positive integer, got 0/);
    expect(() => layers.randomCrop({ height: 2, width: 2.5 })).toThrow(/width a positive integer, got 2.5/);
    expect(() => layers.randomContrast({ factor: -0.1 })).toThrow(/factor a number in \[0, 1\]/);
    expect(() => layers.randomBrightness({ factor: 0.1, valueRange: [1, 0] })).toThrow(/valueRange \[low, high\] with low < high/);
    expect(() => layers.randomBrightness({ factor: 2 })).toThrow(/factor .* values in \[-1, 1\], got 2/);
    expect(() => layers.randomFlip({ seed: -1 })).toThrow(/seed to be a non-negative integer/);
    expect(() => layers.randomFlip({ dataFormat: 'NCHW' as 'channelsFirst' })).toThrow(/expected dataFormat 'channelsLast' or 'channelsFirst', got 'NCHW'/);
    expect(() => layers.randomFlip({ modes: 'horizontal' } as never)).toThrow(/modes/);
    expect(() => layers.randomFlip().apply(tensor([1, 2, 3, 4], [2, 2]), { training: true })).toThrow(/images of rank 3 or 4/);
    // Integer pixels are not an error: they compute in float32, as in Keras.
    const ints = layers
      .randomRotation({ factor: [0.25, 0.25], interpolation: 'nearest' })
      .apply(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1], 'int32'), { training: true }) as Tensor;
    expect([ints.dtype, values(ints)]).toEqual(['float32', [3, 6, 9, 2, 5, 8, 1, 4, 7]]);
  });
});
