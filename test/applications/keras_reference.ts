// Compares a Tessera application with the Keras fixtures of
// scripts/fixtures/make_applications_resnet_fixtures.py: the layer table (names, classes,
// output shapes, parameter counts) and the outputs under the pattern weights.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { patternWeight } from './pattern_weights';

export interface ArchitectureFixture {
  side: number;
  name: string;
  layers: [string, string, (number | null)[], number][];
  params: number;
  paramsWithTop: number;
  topInput: (number | null)[];
}
export interface NumericFixture {
  model: string;
  side: number;
  includeTop: boolean;
  output: number[];
  shape: number[];
}
export interface FamilyFixture {
  models: Record<string, ArchitectureFixture>;
  numeric: NumericFixture[];
}

export function readFamily(family: string): FamilyFixture {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'applications', `${family}.json`), 'utf8')) as FamilyFixture;
}

type Factory = (options?: ts.applications.ApplicationOptions) => Promise<ts.Functional>;

/** Tessera's layer table in the fixture's form. */
export function layerRows(model: ts.Functional): ArchitectureFixture['layers'] {
  return model.layers.map((l) => {
    const out = l.output as unknown as ts.SymbolicTensor;
    return [l.name, (l.constructor as unknown as { className: string }).className, [...out.shape], l.countParams()];
  });
}

/** Builds the fixture's small model (auto-names counted from a fresh session, as Keras's were). */
export async function buildSmall(factory: Factory, fx: ArchitectureFixture): Promise<ts.Functional> {
  ts.backend.clearSession();
  return factory({ weights: null, includeTop: false, inputShape: [fx.side, fx.side, 3], pooling: 'avg' });
}

/**
 * Every weight set to its pattern value under its Keras path, the layer's name and the
 * weight's own ('conv1_bn/gamma'): the variable's name may carry a counter when a test
 * builds a model twice.
 */
export function setPattern(model: ts.Functional): void {
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      const own = w.name.slice(w.name.lastIndexOf('/') + 1).replace(/_\d+$/, '');
      expect(w.name.startsWith(`${layer.name}/`)).toBe(true);
      w.assign(ts.tensor(patternWeight(`${layer.name}/${own}`, w.shape), w.shape, w.dtype));
    }
  }
}

/** The fixture's images: sin(0.013 i + 0.5 b) over each channels-last image. */
export function sineImages(batch: number, side: number): ts.Tensor {
  const n = side * side * 3;
  const v = new Float32Array(batch * n);
  for (let b = 0; b < batch; b++) for (let i = 0; i < n; i++) v[b * n + i] = Math.sin(0.013 * i + 0.5 * b);
  return ts.tensor(v, [batch, side, side, 3]);
}

/** Largest difference relative to the largest reference value. */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return diff / scale;
}

/** The fixture's numeric case built in Tessera (pattern weights set), with its output on the sine images. */
export async function runNumeric(factory: Factory, fx: NumericFixture): Promise<{ model: ts.Functional; output: ts.Tensor }> {
  ts.backend.clearSession();
  const shape = [fx.side, fx.side, 3];
  const model = fx.includeTop
    ? await factory({ weights: null, inputShape: shape, classes: 7 })
    : await factory({ weights: null, includeTop: false, inputShape: shape, pooling: 'avg' });
  setPattern(model);
  const output = model.apply(sineImages(2, fx.side)) as ts.Tensor;
  return { model, output };
}
