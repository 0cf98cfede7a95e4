// layers.contrastLimitedAdaptiveHistogramEqualization against Keras 3.15's
// ContrastLimitedAdaptiveHistogramEqualization on JAX (test/fixtures/image/image_ops_3_15.json and
// test/fixtures/keras/image_layers/clahe.keras, made by scripts/fixtures/make_image_ops_3_15_fixtures.py):
// values, dtypes, config round trip, the Keras-written file, and bad options refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from '../../src';
import type { Tensor } from '../../src';
import { loadFixture } from '../helpers/fixtures';
import { expectClose } from '../helpers/reference';

const { layers } = ts;
const cases = loadFixture('image_ops_3_15', 'image').filter((c) => (c as unknown as { op: string }).op === 'clahe');
const dir = path.resolve(__dirname, '..', 'fixtures', 'keras', 'image_layers');

describe('ContrastLimitedAdaptiveHistogramEqualization (Keras 3.15 JAX fixtures)', () => {
  it('has the cases', () => expect(cases.length).toBe(5));
  for (const c of cases) {
    it(c.name, () => {
      const dtype = (c as unknown as { dtype: string }).dtype === 'int32' ? 'int32' : 'float32';
      const x = ts.tensor(c.inputs.images.data, c.inputs.images.shape, dtype);
      const layer = layers.contrastLimitedAdaptiveHistogramEqualization(c.attrs as object);
      // Keras applies it in inference as in training.
      for (const training of [false, true]) {
        const y = layer.apply(x, { training }) as Tensor;
        expect([y.shape, y.dtype]).toEqual([c.outputs.y.shape, dtype]);
        if (dtype === 'int32') expect(Array.from(y.dataSync())).toEqual(c.outputs.y.data);
        else expectClose(y.dataSync(), c.outputs.y.data, 1e-6, 1e-4);
      }
    });
  }
});

describe('config and files', () => {
  it("serializes under Keras's class name and round-trips its config", () => {
    const layer = layers.contrastLimitedAdaptiveHistogramEqualization({ valueRange: [0, 1], clipLimit: 2.5, tileGridSize: [3, 5], name: 'eq' });
    const s = layers.serializeLayer(layer);
    expect(s.className).toBe('ContrastLimitedAdaptiveHistogramEqualization');
    const back = layers.deserializeLayer(JSON.parse(JSON.stringify(s))) as ts.layers.ContrastLimitedAdaptiveHistogramEqualization;
    expect(back).toBeInstanceOf(layers.ContrastLimitedAdaptiveHistogramEqualization);
    expect(back.getConfig()).toEqual(layer.getConfig());
    expect([back.valueRange, back.clipLimit, back.tileGridSize]).toEqual([[0, 1], 2.5, [3, 5]]);
  });

  it('a model Keras saved with the layer loads and predicts what Keras predicted', async () => {
    const io = JSON.parse(fs.readFileSync(path.join(dir, 'clahe.json'), 'utf8'));
    const m = (await ts.loadModel(path.join(dir, 'clahe.keras'))) as ts.Model<any>;
    const layer = m.getLayer('clahe') as ts.layers.ContrastLimitedAdaptiveHistogramEqualization;
    expect([layer.valueRange, layer.clipLimit, layer.tileGridSize]).toEqual([io.config.value_range, io.config.clip_limit, io.config.tile_grid_size]);
    const y = m.predict(ts.tensor(io.input.data, io.input.shape, 'float32')) as Tensor;
    expect(y.shape).toEqual(io.output.shape);
    expectClose(y.dataSync(), io.output.data, 1e-5, 1e-5);
  });
});

describe('checks', () => {
  it('one image (rank 3) and symbolic shapes', () => {
    const layer = layers.contrastLimitedAdaptiveHistogramEqualization({ tileGridSize: [2, 2] });
    expect((layer.apply(ts.zeros([5, 6, 1])) as Tensor).shape).toEqual([5, 6, 1]);
    expect((layer.apply(ts.input({ shape: [5, 6, 3] })) as ts.SymbolicTensor).shape).toEqual([null, 5, 6, 3]);
  });
  it.each([
    [{ tileGridSize: [0, 2] }, /tileGridSize/],
    [{ tileGridSize: [2] }, /tileGridSize/],
    [{ clipLimit: NaN }, /clipLimit/],
    [{ valueRange: [1, 0] }, /valueRange/],
    [{ dataFormat: 'NCHW' }, /expected dataFormat 'channelsLast' or 'channelsFirst', got 'NCHW'/],
    [{ clipLimt: 2 }, /unknown option 'clipLimt'/],
  ])('refuses %j', (options, message) => {
    expect(() => layers.contrastLimitedAdaptiveHistogramEqualization(options as object)).toThrow(message);
  });
  it('gives an empty batch back without sizing tiles by its height (2**31 rows, no pixels)', () => {
    const layer = layers.contrastLimitedAdaptiveHistogramEqualization({ tileGridSize: [2, 2] });
    expect((layer.apply(ts.zeros([0, 2 ** 31, 6, 1])) as ts.Tensor).shape).toEqual([0, 2 ** 31, 6, 1]);
  });
  it('refuses images of the wrong rank, naming the layer', () => {
    const layer = layers.contrastLimitedAdaptiveHistogramEqualization({ name: 'eq' });
    expect(() => layer.apply(ts.zeros([4, 4]))).toThrow(/eq.*rank 3 or 4/);
  });
});
