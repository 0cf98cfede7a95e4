// What the applications' tests share: Keras's layer listing compared with Tessera's model, the
// sine-pattern image (twin of scripts/fixtures/applications_common.py) and a relative comparison.
import * as ts from '../../src';
import { patternWeight } from './pattern_weights';

/** [name, class, output shape without the batch axis, params], as the fixture scripts list Keras's layers. */
export type LayerRow = [string, string, (number | null)[], number];

/** Tessera's layers as Keras lists them: operation nodes (`x + y`) are not layers in Keras's list. */
export function describeLayers(model: ts.LayersModel<any>): LayerRow[] {
  return model.layers
    .filter((l) => l.constructor.name !== 'KerasOperation')
    .map((l) => {
      const out = l.output as ts.SymbolicTensor;
      return [l.name, (l.constructor as unknown as { className: string }).className, out.shape.slice(1), l.countParams()];
    });
}

/** 127.5 * (1 + sin(0.37 i + 0.5 c)) over the flat index i, c = i mod channels (last axis). */
export function patternImage(shape: number[]): ts.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const c = shape[shape.length - 1];
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = 127.5 * (1 + Math.sin(0.37 * i + 0.5 * (i % c)));
  return ts.tensor(v, shape);
}

/** The largest |a - b| / (|b| + scale), scale the mean |b|: relative to the output's size. */
export function relativeError(actual: ts.Tensor, expected: number[][]): number {
  const a = actual.dataSync() as Float32Array;
  const b = expected.flat();
  if (a.length !== b.length) throw new Error(`expected ${b.length} values, got ${a.length}`);
  const scale = b.reduce((s, x) => s + Math.abs(x), 0) / b.length;
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + scale));
  return worst;
}

/**
 * setPatternWeights by 'layer/weight' with the process-wide variable counter's suffix removed
 * ('conv/kernel_1' of a second model built in the same test is still 'conv/kernel').
 */
export function setPatternWeightsByLayer(model: ts.LayersModel<any>): void {
  for (const w of model.weights) {
    const cut = w.name.lastIndexOf('/');
    const key = `${w.name.slice(0, cut)}/${w.name.slice(cut + 1).replace(/_\d+$/, '')}`;
    w.assign(ts.tensor(patternWeight(key, w.shape), w.shape, w.dtype));
  }
}
