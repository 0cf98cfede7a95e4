// augMix (Keras 3's AugMix): random streams cannot match Keras's, so this checks configs (the
// Keras-written file: test/saving/keras_aug_layers.test.ts) and properties: identity in inference, seeded
// repeatability, clipping to the value range, chains drawn from Keras's lists, the weights.
import * as ts from '../../src';
import { layers, type Tensor } from '../../src';
import { AUG_MIX_OPS } from '../../src/layers/aug_mix';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';
import { expectClose, randomTensor } from '../helpers/reference';

const values = (x: Tensor) => Array.from(x.dataSync());
const pixels = (shape: number[], seed: number) => ts.mul(randomTensor(shape, seed, 'float32', 0, 1), 255);

// Keras's AUGMENT_LAYERS_ALL and AUGMENT_LAYERS (aug_mix.py).
const KERAS_ALL = [
  'random_shear',
  'random_translation',
  'random_rotation',
  'random_posterization',
  'solarization',
  'auto_contrast',
  'equalization',
  'random_brightness',
  'random_color_degeneration',
  'random_contrast',
  'random_sharpness',
];
const KERAS_SOME = KERAS_ALL.slice(0, 7);

describe('augMix', () => {
  test("Keras's lists of operations", () => {
    expect(AUG_MIX_OPS).toEqual(KERAS_ALL);
  });

  test('the identity in inference; changes images in training; a seed repeats the calls', () => {
    const x = pixels([2, 8, 8, 3], 1);
    const a = layers.augMix({ seed: 5 });
    const b = layers.augMix({ seed: 5 });
    expect(values(a.apply(x) as Tensor)).toEqual(values(x));
    const runs = [0, 1].map(() => [values(a.apply(x, { training: true }) as Tensor), a.lastChains, a.lastWeights] as const);
    for (const [y, chains, weights] of runs) {
      expect(values(b.apply(x, { training: true }) as Tensor)).toEqual(y);
      expect([b.lastChains, b.lastWeights]).toEqual([chains, weights]);
    }
    expect(runs[0][0]).not.toEqual(values(x));
    expect(runs[1][0]).not.toEqual(runs[0][0]);
    expect((a.apply(ts.reshape(ts.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]), [8, 8, 3]), { training: true }) as Tensor).shape).toEqual([8, 8, 3]);
  });

  test("chains of up to chainDepth operations from Keras's list (allOps false: the seven); Dirichlet and Beta weights; outputs clipped to valueRange", () => {
    const x = randomTensor([1, 6, 6, 3], 4, 'float32', 0, 1);
    for (const [allOps, list] of [
      [true, KERAS_ALL],
      [false, KERAS_SOME],
    ] as const) {
      const layer = layers.augMix({ seed: 3, numChains: 2, chainDepth: 4, allOps, valueRange: [0, 1], factor: 0.8 });
      const seen = new Set<string>();
      const lengths = new Set<number>();
      for (let i = 0; i < 12; i++) {
        const y = values(layer.apply(x, { training: true }) as Tensor);
        expect(layer.lastChains).toHaveLength(2);
        for (const chain of layer.lastChains) {
          lengths.add(chain.length);
          for (const op of chain) {
            expect(list).toContain(op);
            seen.add(op);
          }
        }
        const { chains, original } = layer.lastWeights!;
        expect(chains).toHaveLength(2);
        expect(chains.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
        for (const w of [...chains, original]) expect(w >= 0 && w <= 1).toBe(true);
        expect(Math.min(...y)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...y)).toBeLessThanOrEqual(1);
      }
      expect([...lengths].every((n) => n <= 4)).toBe(true);
      expect(lengths.size).toBeGreaterThan(1);
      expect(seen.size).toBeGreaterThan(list.length / 2);
    }
  });

  test('chains that draw no operation give the images back (m x + (1 - m) x)', () => {
    const x = pixels([1, 4, 4, 3], 2);
    const layer = layers.augMix({ seed: 1, numChains: 2, chainDepth: 1 });
    let found = false;
    for (let i = 0; i < 60 && !found; i++) {
      const y = values(layer.apply(x, { training: true }) as Tensor);
      if (layer.lastChains.every((c) => c.length === 0)) {
        expectClose(y, values(x), 1e-5, 1e-3);
        found = true;
      }
    }
    expect(found).toBe(true);
  });

  test('training calls leave no tensors behind', () => {
    expectFlatMemory(layers.augMix({ seed: 1 }), pixels([1, 5, 5, 3], 7), 6);
  });

  test("getConfig round trip, with Keras's keys", () => {
    const layer = layers.augMix({
      valueRange: [0, 1],
      numChains: 2,
      chainDepth: 4,
      factor: [0.1, 0.4],
      alpha: 0.5,
      allOps: false,
      interpolation: 'nearest',
      seed: 4,
    });
    expectConfigRoundTrip(layer);
    expect(layer.getConfig()).toMatchObject({ numChains: 2, chainDepth: 4, factor: [0.1, 0.4], alpha: 0.5, allOps: false, interpolation: 'nearest', seed: 4 });
  });

  test('bad options and inputs are refused by name', () => {
    expect(() => layers.augMix({ numChains: 0, name: 'am' })).toThrow('am: expected numChains a positive integer, got 0');
    expect(() => layers.augMix({ chainDepth: 1.5, name: 'am' })).toThrow('am: expected chainDepth a positive integer, got 1.5');
    expect(() => layers.augMix({ alpha: 0, name: 'am' })).toThrow('am: expected alpha a positive number, got 0');
    expect(() => layers.augMix({ allOps: 'yes' as any, name: 'am' })).toThrow("am: expected allOps to be true or false, got 'yes'");
    expect(() => layers.augMix({ factor: -0.5, name: 'am' })).toThrow(/^am: expected factor a number in \[0, 1\]/);
    expect(() => layers.augMix({ allOpsAllowed: true } as any)).toThrow(/unknown option 'allOpsAllowed'/);
    expect(() => layers.augMix({ name: 'am' }).apply(randomTensor([2, 3], 1), { training: true })).toThrow('am: expected images of rank 3 or 4');
    expect(() => layers.augMix({ name: 'am' }).apply(randomTensor([1, 4, 4, 4], 1), { training: true })).toThrow(
      'am: expected images with 1 or 3 channels (RGB, channels-last), got shape [1, 4, 4, 4]',
    );
  });
});
