// randAugment (Keras 3's RandAugment): random streams cannot match Keras's, so this checks what
// is deterministic — its shear (RandomShear's transform) against Keras's RandomShear transform, configs (the
// Keras-written file: test/saving/keras_aug_layers.test.ts) — and properties: identity in inference, seeded
// repeatability, the value range, every chosen operation one of Keras's list.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from '../../src';
import { layers, tensor, type Tensor } from '../../src';
import { RAND_AUGMENT_OPS } from '../../src/layers/rand_augment';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';
import { expectClose, randomTensor } from '../helpers/reference';

interface T {
  shape: number[];
  values: number[];
}
const saved = path.resolve(__dirname, '..', 'fixtures', 'keras', 'aug_layers');
const json = (name: string) => JSON.parse(fs.readFileSync(path.join(saved, `${name}.json`), 'utf8'));
const t = (x: T) => tensor(x.values, x.shape);
const values = (x: Tensor) => Array.from(x.dataSync());
const pixels = (shape: number[], seed: number) => ts.mul(randomTensor(shape, seed, 'float32', 0, 1), 255);

// Keras's list, as its RandAugment._AUGMENT_LAYERS spells it.
const KERAS_OPS = [
  'random_shear',
  'random_translation',
  'random_rotation',
  'random_brightness',
  'random_color_degeneration',
  'random_contrast',
  'random_sharpness',
  'random_posterization',
  'solarization',
  'auto_contrast',
  'equalization',
];

test("the shear (RandomShear's affine transform) gives Keras's RandomShear transform for given factors (bilinear and nearest, reflected edges)", () => {
  const s = json('shear');
  // Output (x, y) reads the input at (x + sx y, sy x + y): [1, sx, 0, sy, 1, 0, 0, 0] per image.
  const f = s.factors.values as number[];
  const matrices = tensor(
    [0, 1].flatMap((i) => [1, f[2 * i], 0, f[2 * i + 1], 1, 0, 0, 0]),
    [2, 8],
  );
  for (const interpolation of ['bilinear', 'nearest'] as const) {
    const y = ts.image.affineTransform(t(s.images), matrices, { interpolation, fillMode: 'reflect' });
    expect(y.shape).toEqual(s[interpolation].shape);
    expectClose(y.dataSync(), s[interpolation].values, 1e-4, 1e-3);
  }
});

describe('randAugment', () => {
  test("Keras's list of operations", () => {
    expect(RAND_AUGMENT_OPS).toEqual(KERAS_OPS);
  });

  test('the identity in inference; changes images in training; a seed repeats the calls', () => {
    const x = pixels([2, 8, 8, 3], 1);
    const a = layers.randAugment({ seed: 5, numOps: 3 });
    const b = layers.randAugment({ seed: 5, numOps: 3 });
    expect(values(a.apply(x) as Tensor)).toEqual(values(x));
    const runs = [0, 1, 2].map(() => [values(a.apply(x, { training: true }) as Tensor), a.lastOps]);
    for (const [y, ops] of runs) {
      expect(values(b.apply(x, { training: true }) as Tensor)).toEqual(y);
      expect(b.lastOps).toEqual(ops);
    }
    expect(runs[0][0]).not.toEqual(values(x));
    expect(runs[1][0]).not.toEqual(runs[0][0]);
    // One image ([h, w, c]) as a batch of one.
    expect((a.apply(ts.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]).reshape([8, 8, 3]), { training: true }) as Tensor).shape).toEqual([8, 8, 3]);
  });

  test("chooses numOps operations of Keras's list per call, all of them over many calls; outputs stay in valueRange", () => {
    const layer = layers.randAugment({ seed: 2, numOps: 3, factor: 0.9, valueRange: [0, 1] });
    const x = randomTensor([1, 6, 6, 3], 4, 'float32', 0, 1);
    const seen = new Set<string>();
    for (let i = 0; i < 25; i++) {
      const y = values(layer.apply(x, { training: true }) as Tensor);
      expect(layer.lastOps).toHaveLength(3);
      for (const op of layer.lastOps) {
        expect(KERAS_OPS).toContain(op);
        seen.add(op);
      }
      expect(Math.min(...y)).toBeGreaterThanOrEqual(-1e-5);
      expect(Math.max(...y)).toBeLessThanOrEqual(1 + 1e-5);
    }
    expect([...seen].sort()).toEqual([...KERAS_OPS].sort());
  });

  test("each name is its operation: one autoContrast or equalization step gives those layers' output", () => {
    const x = pixels([1, 6, 6, 3], 6);
    const layer = layers.randAugment({ seed: 9, numOps: 1 });
    const want: Record<string, number[]> = {
      auto_contrast: values(layers.autoContrast().apply(x) as Tensor),
      equalization: values(layers.equalization().apply(x, { training: true }) as Tensor),
    };
    const checked = new Set<string>();
    for (let i = 0; i < 40 && checked.size < 2; i++) {
      const y = values(layer.apply(x, { training: true }) as Tensor);
      const op = layer.lastOps[0];
      if (op in want) {
        expectClose(y, want[op], 1e-6, 1e-4);
        checked.add(op);
      }
    }
    expect(checked.size).toBe(2);
  });

  test('grey images (one channel) go through every operation', () => {
    const layer = layers.randAugment({ seed: 3, numOps: 4, factor: 0.8 });
    const x = pixels([2, 5, 5, 1], 8);
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < KERAS_OPS.length; i++) {
      const y = layer.apply(x, { training: true }) as Tensor;
      expect(y.shape).toEqual([2, 5, 5, 1]);
      layer.lastOps.forEach((op) => seen.add(op));
    }
    expect(seen.size).toBe(KERAS_OPS.length);
  });

  test('numOps 0 leaves images as they are; integer images compute in float32', () => {
    const x = pixels([1, 4, 4, 3], 3);
    expect(values(layers.randAugment({ numOps: 0 }).apply(x, { training: true }) as Tensor)).toEqual(values(x));
    const y = layers.randAugment({ seed: 1 }).apply(ts.cast(x, 'int32'), { training: true }) as Tensor;
    expect(y.dtype).toBe('float32');
  });

  test('training calls leave no tensors behind', () => {
    expectFlatMemory(layers.randAugment({ seed: 1, numOps: 3 }), pixels([1, 5, 5, 3], 7), 6);
  });

  test("getConfig round trip, with Keras's keys", () => {
    const layer = layers.randAugment({ valueRange: [0, 1], numOps: 3, factor: [0.2, 0.6], interpolation: 'nearest', seed: 4 });
    expectConfigRoundTrip(layer);
    expect(layer.getConfig()).toMatchObject({
      valueRange: [0, 1],
      numOps: 3,
      factor: [0.2, 0.6],
      interpolation: 'nearest',
      seed: 4,
      dataFormat: 'channelsLast',
    });
  });

  test('bad options and inputs are refused by name', () => {
    expect(() => layers.randAugment({ numOps: -1, name: 'ra' })).toThrow('ra: expected numOps a non-negative integer, got -1');
    expect(() => layers.randAugment({ factor: 1.5, name: 'ra' })).toThrow(/^ra: expected factor a number in \[0, 1\]/);
    expect(() => layers.randAugment({ interpolation: 'cubic' as any, name: 'ra' })).toThrow(/ra: .*interpolation/);
    expect(() => layers.randAugment({ valueRange: [1, 0], name: 'ra' })).toThrow('ra: expected valueRange [low, high] with low < high');
    expect(() => layers.randAugment({ numOp: 2 } as any)).toThrow(/unknown option 'numOp'; did you mean 'numOps'/);
    expect(() => layers.randAugment({ name: 'ra' }).apply(randomTensor([2, 3], 1), { training: true })).toThrow('ra: expected images of rank 3 or 4');
    expect(() => layers.randAugment({ name: 'ra' }).apply(randomTensor([1, 4, 4, 4], 1), { training: true })).toThrow(
      'ra: expected images with 1 or 3 channels (RGB, channels-last), got shape [1, 4, 4, 4]',
    );
  });
});
