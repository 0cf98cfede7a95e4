// ts.applications' NASNet family against Keras 3.15 (test/fixtures/applications/nasnet.json, from
// scripts/fixtures/make_applications_nasnet_fixtures.py): NASNetMobile's layers and values with
// pattern weights, and NASNetLarge's layer names and classes from a narrow twin of the same
// configuration (the real one, 85M parameters, takes too long to build here).
import * as ts from '../../src';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nasnet } from '../../src/applications/nasnet';
import { describeLayers, patternImage, relativeError, setPatternWeightsByLayer, type LayerRow } from './architecture';

interface Fixture {
  variants: Record<string, { layers: LayerRow[]; params_notop_32: number; params_top_default: number }>;
  numeric: Record<string, number[][]>;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'applications', 'nasnet.json'), 'utf8')) as Fixture;
const app = ts.applications;
const small = { weights: null, includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] } as const;

describe('applications.NASNet*', () => {
  beforeEach(() => ts.backend.clearSession());

  it('NASNetMobile has Keras layers: names, classes, output shapes and parameters', async () => {
    const model = await app.NASNetMobile(small);
    const expected = fixture.variants.NASNetMobile;
    expect(describeLayers(model)).toEqual(expected.layers);
    expect(model.countParams()).toBe(expected.params_notop_32);
    const dense = (expected.layers.at(-2)![2][2] as number) * 1000 + 1000;
    expect(model.countParams() + dense).toBe(expected.params_top_default);
  });

  it("NASNetLarge's configuration (6 cells per stage, skip_reduction) gives Keras's layer names, classes and sizes", async () => {
    // penultimate 96 and an 8-filter stem instead of 4032 and 96: only the channel counts differ.
    const spec = { op: 'applications.NASNetLarge', optionsEntry: 'applications.NASNetLarge', defaultName: 'nasnet_large', defaultSize: 331, minSize: 32 };
    const twin = await nasnet(spec, { penultimate: 96, blocks: 6, stemFilters: 8, skipReduction: true }, small);
    // The spatial sizes only: channel counts scale with the configuration.
    const strip = (rows: LayerRow[]) => rows.map(([name, cls, shape]) => [name, cls, shape.length === 3 ? shape.slice(0, 2) : []]);
    expect(strip(describeLayers(twin))).toEqual(strip(fixture.variants.NASNetLarge.layers));
  });

  it('NASNetMobile without the top defaults to 224x224, as Keras', async () => {
    const model = await app.NASNetMobile({ weights: null, includeTop: false });
    expect(model.inputs[0].shape).toEqual([null, 224, 224, 3]);
    expect(model.name).toBe('nasnet_mobile');
  });

  it("computes Keras's features and classifier output with the same weights", async () => {
    const image = app.nasnet.preprocessInput(patternImage([2, 32, 32, 3]));
    const top = await app.NASNetMobile({ weights: null, inputShape: [32, 32, 3], classes: 10 });
    setPatternWeightsByLayer(top);
    const both = ts.model({ inputs: top.inputs, outputs: [top.getLayer('global_average_pooling2d').output as ts.SymbolicTensor, top.outputs[0]] });
    const [avg, probs] = both.predict(image) as ts.Tensor[];
    expect(relativeError(avg, fixture.numeric.Mobile_avg)).toBeLessThan(1e-4);
    expect(relativeError(probs, fixture.numeric.Mobile_top10)).toBeLessThan(1e-4);
  });

  it('refuses what Keras refuses, naming the function', async () => {
    ts.config.setImageDataFormat('channelsFirst');
    try {
      await expect(app.NASNetMobile({ ...small, inputShape: [3, 32, 32] })).rejects.toThrow(
        /applications\.NASNetMobile: NASNet does not support channels-first/,
      );
    } finally {
      ts.config.setImageDataFormat('channelsLast');
    }
    await expect(app.NASNetLarge({ includeTop: false, inputShape: [null, null, 3] })).rejects.toThrow(
      /applications\.NASNetLarge: with 'imagenet' weights the inputShape must be static/,
    );
    await expect(app.NASNetMobile({ ...small, includePreprocessing: true } as never)).rejects.toThrow(/applications\.NASNetMobile/);
    expect(() => (app.NASNetLarge as (...a: unknown[]) => unknown)(small, 1)).toThrow(/applications\.NASNetLarge/);
  });

  it("nasnet.preprocessInput scales to [-1, 1] ('tf' mode); decodePredictions names itself", async () => {
    const x = ts.tensor([0, 127.5, 255], [1, 1, 1, 3]);
    expect(Array.from(app.nasnet.preprocessInput(x).dataSync())).toEqual([-1, 0, 1]);
    expect(() => app.nasnet.preprocessInput(x, { mode: 'caffe' } as never)).toThrow(/applications\.nasnet\.preprocessInput/);
    expect(() => app.nasnet.preprocessInput(ts.ones([1, 2, 2, 4]))).toThrow(/applications\.nasnet\.preprocessInput: expected RGB images/);
    await expect(app.nasnet.decodePredictions(ts.zeros([1, 5]))).rejects.toThrow(/applications\.nasnet\.decodePredictions/);
    expect(app.nasnet.NASNetMobile).toBe(app.NASNetMobile);
  });
});
