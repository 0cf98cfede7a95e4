// Reading the PyTorch-generated fixtures of test/fixtures (format: test/fixtures/nn/README.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor, type Tensor } from '../../src';

export interface FixtureTensor {
  shape: number[];
  data: number[];
}

export interface FixtureCase {
  name: string;
  attrs: Record<string, unknown>;
  inputs: Record<string, FixtureTensor>;
  outputs: Record<string, FixtureTensor>;
  upstream: Record<string, FixtureTensor>;
  grads: Record<string, FixtureTensor>;
}

/** The cases of test/fixtures/<folder>/<name>.json (folder nn: kernels; layers: layer-level; image: image ops). */
export function loadFixture(name: string, folder: 'nn' | 'layers' | 'image' = 'nn'): FixtureCase[] {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', folder, `${name}.json`), 'utf8')).cases;
}

/** A fixture tensor as a float64 tensor (int32 when asked). */
export function fromFixture(t: FixtureTensor, dtype: 'float64' | 'float32' | 'int32' = 'float64'): Tensor {
  return tensor(t.data, t.shape, dtype);
}
