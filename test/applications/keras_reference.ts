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

/**
 * The layer tables of a family's architectures against Keras's; `topParams(features)` is the
 * parameter count the top adds at the default size (Keras's count with the top, less the
 * small model's; not built here: the full models are large).
 */
export function describeLayers(family: string, factories: Record<string, Factory>, topParams: (features: number) => number): void {
  const fixture = readFamily(family);
  describe(`applications: ${family} layers as Keras builds them`, () => {
    for (const [name, factory] of Object.entries(factories)) {
      test(`${name}: names, classes, output shapes and parameter counts`, async () => {
        const fx = fixture.models[name];
        const model = await buildSmall(factory, fx);
        expect(model.name).toBe(fx.name);
        expect(layerRows(model)).toEqual(fx.layers);
        expect(model.countParams()).toBe(fx.params);
        const features = fx.layers[fx.layers.length - 1][2][1] as number;
        expect(fx.paramsWithTop - fx.params).toBe(topParams(features));
        model.dispose();
      });
    }
  });
}

/** The top of global average pooling and a 1000-class dense layer. */
export const denseTop = (features: number): number => features * 1000 + 1000;

/** The outputs of a family's numeric cases against Keras's under the pattern weights. */
export function describeNumeric(family: string, factories: Record<string, Factory>): void {
  const fixture = readFamily(family);
  describe(`applications: ${family} outputs match Keras under the same weights`, () => {
    for (const fx of fixture.numeric) {
      test(`${fx.model} ${fx.includeTop ? 'with the top (7 classes)' : "features, pooling 'avg'"} at ${fx.side}x${fx.side}`, async () => {
        const { model, output } = await runNumeric(factories[fx.model], fx);
        expect(output.shape).toEqual(fx.shape);
        expect(relativeError(output.dataSync() as Float32Array, fx.output)).toBeLessThan(1e-4);
        model.dispose();
      });
    }
  });
}

/** `factory`'s model built channels first (config.imageDataFormat) with `options`. */
export async function buildChannelsFirst(factory: Factory, options: ts.applications.ApplicationOptions): Promise<ts.Functional> {
  const previous = ts.config.imageDataFormat();
  ts.config.setImageDataFormat('channelsFirst');
  try {
    return await factory(options);
  } finally {
    ts.config.setImageDataFormat(previous);
  }
}

/**
 * Channels first against channels last: the channels-last model under the pattern weights,
 * the channels-first one given the same weights (Keras's kernels do not depend on the layout);
 * the outputs on the sine images (transposed for the second) must agree.
 */
export async function expectChannelsFirstAgrees(factory: Factory, side: number, options: ts.applications.ApplicationOptions = {}): Promise<void> {
  ts.backend.clearSession();
  const last = await factory({ weights: null, includeTop: false, pooling: 'avg', inputShape: [side, side, 3], ...options });
  setPattern(last);
  const first = await buildChannelsFirst(factory, { weights: null, includeTop: false, pooling: 'avg', inputShape: [3, side, side], ...options });
  expect(first.inputs[0].shape).toEqual([null, 3, side, side]);
  first.setWeights(last.getWeights());
  const x = sineImages(2, side);
  const want = (last.apply(x) as ts.Tensor).dataSync();
  const got = (first.apply(ts.transpose(x, [0, 3, 1, 2])) as ts.Tensor).dataSync();
  expect(relativeError(got as Float32Array, want)).toBeLessThan(1e-5);
  last.dispose();
  first.dispose();
}
