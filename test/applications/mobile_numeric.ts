// Shared by the mobile families' numerical tests: the fixture's images and outputs, a model of
// a case built with the pattern weights (pattern_weights.ts), and the comparison.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { factory } from './mobile_layers';
import { setPatternWeights } from './pattern_weights';

/** One comparison: the function, its options, the input's range, Keras's outputs by format. */
export interface NumericCase {
  function: string;
  options: Record<string, unknown>;
  scale255: boolean;
  [output: string]: unknown;
}

export const FIX = join(__dirname, '../fixtures');
export const NUMERIC = JSON.parse(readFileSync(join(FIX, 'applications_mobile_numeric.json'), 'utf8')) as { size: number; cases: Record<string, NumericCase> };
export const SIZE = NUMERIC.size;

/** The fixture's images: two sine patterns, in [-1, 1] or [0, 255], channels last. */
export function image(scale255: boolean): ts.Tensor {
  const v = new Float32Array(2 * SIZE * SIZE * 3);
  let n = 0;
  for (let b = 0; b < 2; b++)
    for (let i = 0; i < SIZE; i++)
      for (let j = 0; j < SIZE; j++)
        for (let c = 0; c < 3; c++) {
          const s = Math.sin(0.37 * i + 0.23 * j * (c + 1) + 1.1 * b + 0.5 * c);
          v[n++] = scale255 ? 127.5 * (s + 1) : s;
        }
  return ts.tensor(v, [2, SIZE, SIZE, 3]);
}

// The pattern may give a negative variance (NaN on both sides); the fixture sets these instead.
function fixNormalization(model: ts.Functional): void {
  for (const layer of model.layers)
    if (layer instanceof ts.layers.Normalization)
      for (const { name, variable } of layer.ownWeights()) if (name === 'variance') variable.assign(ts.tensor([0.8, 1.0, 1.2]));
}

/** Expects `got` within 1e-4 of `want`'s largest magnitude, and no NaN on either side. */
export function expectClose(got: ts.Tensor, want: number[]): void {
  const g = Array.from(got.dataSync());
  expect(g.length).toBe(want.length);
  expect({ nanGot: g.findIndex(Number.isNaN), nanWant: want.findIndex((v) => typeof v !== 'number' || Number.isNaN(v)) }).toEqual({ nanGot: -1, nanWant: -1 });
  const scale = Math.max(...want.map(Math.abs));
  const worst = Math.max(...g.map((v, i) => Math.abs(v - want[i])));
  expect(worst / scale).toBeLessThan(1e-4);
}

/** The case's model in `format` (pooled features, or the top) with the pattern weights, applied to `x` (channels last). */
export async function runCase(c: NumericCase, format: 'channelsLast' | 'channelsFirst', top: boolean, x: ts.Tensor): Promise<ts.Tensor> {
  ts.config.setImageDataFormat(format);
  try {
    const noDropout = top && c.function.startsWith('MobileNetV3') ? { dropoutRate: 0 } : {};
    const inputShape = format === 'channelsLast' ? [SIZE, SIZE, 3] : [3, SIZE, SIZE];
    const options = { ...c.options, ...noDropout, inputShape, weights: null, includeTop: top, pooling: top ? null : 'avg' };
    const model = await factory(c.function)(options);
    setPatternWeights(model);
    fixNormalization(model);
    return model.predict(format === 'channelsLast' ? x : ts.transpose(x, [0, 3, 1, 2])) as ts.Tensor;
  } finally {
    ts.config.setImageDataFormat('channelsLast');
  }
}

/**
 * Case `key` against Keras: the pooled features and the top in each format the fixture has
 * (`firstTop` false leaves out the top channels-first: EfficientNet's is pooling and a Dense, the same in both).
 */
export function describeCase(key: string, firstTop = true): void {
  const c = NUMERIC.cases[key];
  const runs: ['channelsLast' | 'channelsFirst', 'avg' | 'top'][] = [
    ['channelsLast', 'avg'],
    ['channelsLast', 'top'],
  ];
  if ('channels_first_avg' in c) runs.push(['channelsFirst', 'avg']);
  if ('channels_first_top' in c && firstTop) runs.push(['channelsFirst', 'top']);
  test.each(runs)(`${key} %s, %s: the output matches Keras's`, async (format, output) => {
    const want = c[`${format === 'channelsLast' ? 'channels_last' : 'channels_first'}_${output}`] as number[];
    expectClose(await runCase(c, format, output === 'top', image(c.scale255)), want);
  });
}
