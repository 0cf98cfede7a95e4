// ts.applications' EfficientNetV2 family against Keras 3.15 (test/fixtures/applications/
// efficientnet_v2.json, from scripts/fixtures/make_applications_efficientnet_v2_fixtures.py): the
// layers of B0..B3 and S, the blocks of M and L, and B0's outputs with pattern weights (features,
// a 10-class top, a 1-channel image, channels-first).
import * as ts from '../../src';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { efficientNetV2Blocks } from '../../src/applications/efficientnet_v2';
import { describeLayers, patternImage, relativeError, setPatternWeightsByLayer, type LayerRow } from './architecture';

interface Fixture {
  variants: Record<string, { layers: LayerRow[]; params_notop_32: number; params_top_default: number }>;
  numeric: Record<string, number[][]>;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'applications', 'efficientnet_v2.json'), 'utf8')) as Fixture;
const app = ts.applications;
const small = { weights: null, includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] } as const;
const VARIANTS = {
  EfficientNetV2B0: 'b0',
  EfficientNetV2B1: 'b1',
  EfficientNetV2B2: 'b2',
  EfficientNetV2B3: 'b3',
  EfficientNetV2S: 's',
  EfficientNetV2M: 'm',
  EfficientNetV2L: 'l',
};
type Fn = keyof typeof VARIANTS;
// The top's Dense: round_filters(1280) inputs (the variant's top_conv) and 1000 classes.
const topDense = (rows: LayerRow[]) => (rows.find(([name]) => name === 'top_conv')![2][2] as number) * 1000 + 1000;

describe('applications.EfficientNetV2*', () => {
  beforeEach(() => ts.backend.clearSession());

  it.each(['EfficientNetV2B0', 'EfficientNetV2B1', 'EfficientNetV2B2', 'EfficientNetV2B3', 'EfficientNetV2S'] as Fn[])(
    '%s has Keras layers: names, classes, output shapes and parameters',
    async (fn) => {
      const model = await app[fn](small);
      const expected = fixture.variants[fn];
      expect(describeLayers(model)).toEqual(expected.layers);
      expect(model.countParams()).toBe(expected.params_notop_32);
      expect(model.countParams() + topDense(expected.layers)).toBe(expected.params_top_default);
    },
  );

  it("M and L have Keras's blocks and widths (the same code path as the others; 54M and 119M parameters are not built here)", () => {
    for (const fn of ['EfficientNetV2M', 'EfficientNetV2L'] as Fn[]) {
      const rows = fixture.variants[fn].layers;
      const blocks = rows
        .filter(([name]) => name.endsWith('_project_bn'))
        .map(([name, , shape]): [string, number] => [name.slice(0, -'project_bn'.length), shape[2] as number]);
      expect([fn, efficientNetV2Blocks(VARIANTS[fn])]).toEqual([fn, blocks]);
    }
  });

  it('EfficientNetV2B0 with its top at 224 has Keras parameter count and names', async () => {
    const model = await app.EfficientNetV2B0({ weights: null });
    expect(model.countParams()).toBe(fixture.variants.EfficientNetV2B0.params_top_default);
    expect(model.name).toBe('efficientnetv2-b0');
    expect(model.layers.slice(-3).map((l) => l.name)).toEqual(['avg_pool', 'top_dropout', 'predictions']);
  });

  it("computes Keras's values with the same weights: features, the top, 1-channel images, channels-first", async () => {
    const image = patternImage([2, 32, 32, 3]);
    const top = await app.EfficientNetV2B0({ weights: null, inputShape: [32, 32, 3], classes: 10 });
    setPatternWeightsByLayer(top);
    const both = ts.model({ inputs: top.inputs, outputs: [top.getLayer('avg_pool').output as ts.SymbolicTensor, top.outputs[0]] });
    const [avg, probs] = both.predict(image) as ts.Tensor[];
    expect(relativeError(avg, fixture.numeric.B0_avg)).toBeLessThan(1e-4);
    expect(relativeError(probs, fixture.numeric.B0_top10)).toBeLessThan(1e-4);

    ts.backend.clearSession();
    const gray = await app.EfficientNetV2B0({ ...small, inputShape: [32, 32, 1] });
    expect(gray.layers[1].constructor.name).toBe('Rescaling'); // S, M and L's scaling to [-1, 1]
    setPatternWeightsByLayer(gray);
    expect(relativeError(gray.predict(patternImage([2, 32, 32, 1])) as ts.Tensor, fixture.numeric.B0_gray_avg)).toBeLessThan(1e-4);

    ts.backend.clearSession();
    ts.config.setImageDataFormat('channelsFirst');
    try {
      const first = await app.EfficientNetV2B0({ ...small, inputShape: [3, 32, 32] });
      setPatternWeightsByLayer(first);
      const out = first.predict(ts.transpose(image, [0, 3, 1, 2])) as ts.Tensor;
      expect(relativeError(out, fixture.numeric.B0_channels_first_avg)).toBeLessThan(1e-4);
    } finally {
      ts.config.setImageDataFormat('channelsLast');
    }
  });

  it('refuses bad options, naming the function', async () => {
    await expect(app.EfficientNetV2S({ ...small, includePreprocessing: 1 as never })).rejects.toThrow(
      /applications\.EfficientNetV2S: includePreprocessing must be true or false, got 1/,
    );
    await expect(app.EfficientNetV2M({ ...small, dropConnectRate: 0.1 } as never)).rejects.toThrow(/applications\.EfficientNetV2M/);
    await expect(app.EfficientNetV2L({ ...small, inputShape: [16, 16, 3] })).rejects.toThrow(/applications\.EfficientNetV2L: the image must be at least 32x32/);
    expect(() => (app.EfficientNetV2B1 as (...a: unknown[]) => unknown)(small, 1)).toThrow(/applications\.EfficientNetV2B1/);
  });

  it('efficientnetV2.preprocessInput returns the images unchanged; decodePredictions names itself', async () => {
    const x = patternImage([1, 4, 4, 3]);
    expect(app.efficientnetV2.preprocessInput(x)).toBe(x);
    expect(() => app.efficientnetV2.preprocessInput(x, { dataFormat: 'nhwc' as never })).toThrow(
      /applications\.efficientnetV2\.preprocessInput: expected 'channelsLast'/,
    );
    await expect(app.efficientnetV2.decodePredictions(ts.zeros([1, 5]))).rejects.toThrow(/applications\.efficientnetV2\.decodePredictions/);
    expect(app.efficientnetV2.EfficientNetV2B3).toBe(app.EfficientNetV2B3);
  });
});
