// randomShear, randomPerspective and randomElasticTransform (Keras 3): the identity in
// inference, seeded draws, the transforms they draw checked against the image ops, configs.
import * as ts from '../../src';
import { layers, type Tensor } from '../../src';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';
import { expectClose, randomTensor } from '../helpers/reference';

const values = (t: Tensor) => Array.from(t.dataSync());
const pixels = (shape: number[], seed: number) => ts.mul(randomTensor(shape, seed, 'float32', 0, 1), 255);
const random = () => [
  layers.randomShear({ xFactor: 0.4, yFactor: [0.1, 0.3], seed: 3 }),
  layers.randomPerspective({ factor: 1, scale: 0.6, seed: 3 }),
  layers.randomElasticTransform({ scale: [0.5, 1], fillMode: 'mirror', seed: 3 }),
];

describe('warp augmentation layers', () => {
  it('are the identity in inference, change images in training and repeat with a seed', () => {
    const x = pixels([3, 7, 6, 2], 1);
    const [first, second] = [random(), random()];
    for (let i = 0; i < first.length; i++) {
      expect(values(first[i].apply(x) as Tensor)).toEqual(values(x));
      const a1 = values(first[i].apply(x, { training: true }) as Tensor);
      const a2 = values(first[i].apply(x, { training: true }) as Tensor);
      expect(a1).not.toEqual(values(x));
      expect(a2).not.toEqual(a1);
      expect(values(second[i].apply(x, { training: true }) as Tensor)).toEqual(a1);
      expect(values(second[i].apply(x, { training: true }) as Tensor)).toEqual(a2);
      expect((first[i].apply(ts.reshape(ts.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]), [7, 6, 2]), { training: true }) as Tensor).shape).toEqual([7, 6, 2]);
    }
  });

  it('randomShear shears each image by +-(x, y) factors, as image.affineTransform', () => {
    const x = pixels([12, 5, 7, 1], 2);
    const y = layers.randomShear({ xFactor: [0.3, 0.3], yFactor: [0.2, 0.2], fillMode: 'wrap', seed: 1 }).apply(x, { training: true }) as Tensor;
    const plus = ts.image.affineTransform(x, [1, 0.3, 0, 0.2, 1, 0, 0, 0], { fillMode: 'wrap' });
    const minus = ts.image.affineTransform(x, [1, -0.3, 0, -0.2, 1, 0, 0, 0], { fillMode: 'wrap' });
    const signs = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const got = values(ts.slice(y, [i, 0, 0, 0], [1, -1, -1, -1]));
      const p = values(ts.slice(plus, [i, 0, 0, 0], [1, -1, -1, -1]));
      const m = values(ts.slice(minus, [i, 0, 0, 0], [1, -1, -1, -1]));
      const isPlus = got.every((v, j) => Math.abs(v - p[j]) < 1e-3);
      expect(isPlus || got.every((v, j) => Math.abs(v - m[j]) < 1e-3)).toBe(true);
      signs.add(isPlus ? '+' : '-');
    }
    expect(signs.size).toBe(2);
  });

  it('randomPerspective: scale 0 or factor 0 leave images as they are; (0, 0) never moves', () => {
    const x = pixels([2, 6, 5, 3], 3);
    expectClose(values(layers.randomPerspective({ scale: 0, seed: 1 }).apply(x, { training: true }) as Tensor), values(x), 1e-5, 1e-3);
    expect(values(layers.randomPerspective({ factor: 0, seed: 1 }).apply(x, { training: true }) as Tensor)).toEqual(values(x));
    const y = layers.randomPerspective({ scale: 1, seed: 2 }).apply(x, { training: true }) as Tensor;
    expectClose(values(ts.slice(y, [0, 0, 0, 0], [-1, 1, 1, -1])), values(ts.slice(x, [0, 0, 0, 0], [-1, 1, 1, -1])), 1e-4, 1e-3);
  });

  it('randomElasticTransform: scale 0 is the identity, outputs stay in valueRange', () => {
    const x = pixels([2, 9, 8, 1], 4);
    expect(values(layers.randomElasticTransform({ scale: 0, seed: 1 }).apply(x, { training: true }) as Tensor)).toEqual(values(x));
    const y = values(
      layers.randomElasticTransform({ fillMode: 'constant', fillValue: 1000, valueRange: [0, 255], seed: 5 }).apply(x, { training: true }) as Tensor,
    );
    expect(Math.max(...y)).toBeLessThanOrEqual(255);
    expect(Math.min(...y)).toBeGreaterThanOrEqual(0);
  });

  it('serialize with Keras class names, keep memory flat and refuse bad arguments', () => {
    for (const layer of random()) expectConfigRoundTrip(layer);
    expect(layers.serializeLayer(layers.randomShear({ xFactor: 0.1 })).className).toBe('RandomShear');
    expect(layers.serializeLayer(layers.randomPerspective()).className).toBe('RandomPerspective');
    expect(layers.serializeLayer(layers.randomElasticTransform()).className).toBe('RandomElasticTransform');
    for (const layer of random()) expectFlatMemory(layer, pixels([2, 5, 5, 3], 1), 3);
    expect(() => layers.randomShear({ xFactor: 1.5 })).toThrow(
      /random_shear.*expected xFactor a number or a \[lower, upper\] pair with values in \[0, 1\], got 1.5/,
    );
    expect(() => layers.randomShear({ fillMode: 'mirror' as 'wrap' })).toThrow(/random_shear.*fillMode/);
    expect(() => layers.randomPerspective({ scale: 2 })).toThrow(/random_perspective.*expected scale a number in \[0, 1\], got 2/);
    expect(() => layers.randomPerspective({ fillMode: 'wrap' } as never)).toThrow(/fillMode/);
    expect(() => layers.randomElasticTransform({ fillMode: 'edge' as 'wrap' })).toThrow(/random_elastic_transform.*fillMode one of/);
    expect(() => layers.randomElasticTransform({ scale: [0.2, 3] })).toThrow(/random_elastic_transform.*scale/);
  });
});
