// ts.applications' ConvNeXt family against Keras 3.15 (test/fixtures/applications/convnext.json,
// from scripts/fixtures/make_applications_convnext_fixtures.py): the layers of ConvNeXtTiny, the
// stage depths and widths of every variant, and ConvNeXtTiny's outputs with pattern weights.
import * as ts from '../../src';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeLayers, patternImage, relativeError, setPatternWeightsByLayer, type LayerRow } from './architecture';

interface Fixture {
  variants: Record<string, { layers: LayerRow[]; params_notop_32: number; params_top_224: number }>;
  numeric: Record<string, number[][]>;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'applications', 'convnext.json'), 'utf8')) as Fixture;
const app = ts.applications;
const small = { weights: null, includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] } as const;

// Each stage's number of blocks and width, read off a layer listing.
function stages(rows: LayerRow[]): [number, number][] {
  return [0, 1, 2, 3].map((i) => {
    const convs = rows.filter(([name]) => new RegExp(`_stage_${i}_block_\\d+_depthwise_conv$`).test(name));
    return [convs.length, convs[0][2][2] as number];
  });
}

describe('applications.ConvNeXt*', () => {
  beforeEach(() => ts.backend.clearSession());

  it('ConvNeXtTiny has Keras layers: names, classes, output shapes and parameters', async () => {
    const model = await app.ConvNeXtTiny(small);
    const expected = fixture.variants.ConvNeXtTiny;
    expect(describeLayers(model)).toEqual(expected.layers);
    expect(model.countParams()).toBe(expected.params_notop_32);
    expect(model.name).toBe('convnext_tiny');
  });

  it("every variant's stages have Keras's depths and widths (the same code path as ConvNeXtTiny)", async () => {
    // Building Small..XLarge allocates 50M..350M parameters: their configuration is checked instead.
    const { convNeXtStages } = await import('../../src/applications/convnext');
    for (const [fn, key] of [
      ['ConvNeXtTiny', 'tiny'],
      ['ConvNeXtSmall', 'small'],
      ['ConvNeXtBase', 'base'],
      ['ConvNeXtLarge', 'large'],
      ['ConvNeXtXLarge', 'xlarge'],
    ])
      expect([fn, convNeXtStages(key)]).toEqual([fn, stages(fixture.variants[fn].layers)]);
  });

  it('ConvNeXtTiny with its top at 224 has Keras parameter count', async () => {
    const model = await app.ConvNeXtTiny({ weights: null });
    expect(model.countParams()).toBe(fixture.variants.ConvNeXtTiny.params_top_224);
    expect(model.outputs[0].shape).toEqual([null, 1000]);
  });

  it("computes Keras's values with the same weights (stem, stages 0 and 1, two downsamplings)", async () => {
    // Setting the pattern on all 28M weights takes minutes here: the first half of the model is compared.
    const model = await app.ConvNeXtTiny(small);
    const sub = ts.model({ inputs: model.inputs, outputs: model.getLayer('convnext_tiny_downsampling_block_1').output as ts.SymbolicTensor });
    setPatternWeightsByLayer(sub);
    const out = sub.predict(patternImage([2, 32, 32, 3])) as ts.Tensor;
    expect(out.shape).toEqual([2, 2, 2, 384]);
    expect(relativeError(out, fixture.numeric.ConvNeXtTiny_downsampling_block_1)).toBeLessThan(1e-4);
  });

  it('normalizes only 3-channel images, as Keras', async () => {
    const gray = await app.ConvNeXtTiny({ weights: null, includeTop: false, inputShape: [32, 32, 1] });
    expect(gray.layers.some((l) => l.name.endsWith('prestem_normalization'))).toBe(false);
    const raw = await app.ConvNeXtTiny({ ...small, includePreprocessing: false, name: 'raw' });
    expect(raw.layers[1].name).toBe('raw_stem');
  });

  it('refuses what Keras refuses, naming the function', async () => {
    await expect(app.ConvNeXtSmall({ ...small, includePreprocessing: 'yes' as never })).rejects.toThrow(
      /applications\.ConvNeXtSmall: includePreprocessing must be true or false, got/,
    );
    await expect(app.ConvNeXtBase({ includeTop: false, name: 'mine' })).rejects.toThrow(
      /applications\.ConvNeXtBase: with 'imagenet' weights the model's name must contain 'convnext_base'/,
    );
    await expect(app.ConvNeXtLarge({ ...small, drop_path_rate: 0.1 } as never)).rejects.toThrow(/applications\.ConvNeXtLarge/);
    expect(() => (app.ConvNeXtXLarge as (...a: unknown[]) => unknown)(small, 1)).toThrow(/applications\.ConvNeXtXLarge/);
    ts.config.setImageDataFormat('channelsFirst');
    try {
      await expect(app.ConvNeXtTiny({ ...small, inputShape: [3, 32, 32] })).rejects.toThrow(
        /applications\.ConvNeXtTiny: ConvNeXt does not support channels-first/,
      );
    } finally {
      ts.config.setImageDataFormat('channelsLast');
    }
  });

  it('convnext.preprocessInput returns the images unchanged; decodePredictions names itself', async () => {
    const x = patternImage([1, 4, 4, 3]);
    expect(app.convnext.preprocessInput(x, { dataFormat: 'channels_last' })).toBe(x);
    expect(() => app.convnext.preprocessInput([1, 2] as never)).toThrow(/applications\.convnext\.preprocessInput: expected a tensor/);
    expect(() => app.convnext.preprocessInput(x, { mode: 'tf' } as never)).toThrow(/applications\.convnext\.preprocessInput/);
    await expect(app.convnext.decodePredictions(ts.zeros([2, 10]))).rejects.toThrow(
      /applications\.convnext\.decodePredictions: expected a batch of ImageNet predictions/,
    );
    expect(app.convnext.ConvNeXtTiny).toBe(app.ConvNeXtTiny);
  });
});
