// Data the examples share: where Fashion-MNIST is, and small synthetic sets.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ts from '../../src';

/**
 * The folder to read Fashion-MNIST from: $TESSERA_FASHION_MNIST or Debian's folder when
 * the full set is installed there, else the repository's 6,000-image subset
 * (data/fashion-mnist-subset), found by walking up from this file (examples/ or dist/examples/).
 */
export function fashionMnistDir(): string {
  if (ts.datasets.fashionMnist.isAvailable()) return process.env.TESSERA_FASHION_MNIST ?? ts.datasets.fashionMnist.DEBIAN_FASHION_MNIST;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const subset = join(dir, 'data', 'fashion-mnist-subset');
    if (existsSync(subset)) return subset;
  }
  throw new Error('Fashion-MNIST not found: install it (apt-get install dataset-fashion-mnist) or set TESSERA_FASHION_MNIST');
}

/**
 * `n` points of `features` Gaussian numbers, each labelled by the largest of `classes`
 * fixed random projections (a task any small model can learn): x [n, features], y [n] int32.
 */
export function syntheticClasses(n: number, features: number, classes: number, seed: number): { x: ts.Tensor; y: ts.Tensor } {
  return ts.tidy(() => {
    const x = ts.randomNormal([n, features], 0, 1, 'float32', seed);
    const projections = ts.randomNormal([features, classes], 0, 1, 'float32', seed + 1);
    return { x, y: ts.argMax(ts.matMul(x, projections), 1) };
  });
}

/** Seeded uniform numbers in [0, 1) (mulberry32), for synthetic data made in plain JS. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` token sequences padded with 0 to `maxLength` (ids 1 .. vocabulary-1, lengths 2 ..
 * maxLength), as an int32 tensor [n, maxLength], with the tokens of each row in JS.
 */
export function randomSequences(n: number, maxLength: number, vocabulary: number, seed: number): { ids: ts.Tensor; rows: number[][] } {
  const random = seededRandom(seed);
  const rows = Array.from({ length: n }, () =>
    Array.from({ length: 2 + Math.floor(random() * (maxLength - 1)) }, () => 1 + Math.floor(random() * (vocabulary - 1))),
  );
  const padded = new Int32Array(n * maxLength);
  rows.forEach((row, i) => padded.set(row, i * maxLength));
  return { ids: ts.tensor(padded, [n, maxLength], 'int32'), rows };
}
