// The 3-D layers (conv3d, conv3dTranspose, maxPooling3d, averagePooling3d, the 3-D global
// poolings, upSampling3d, zeroPadding3d, cropping3d, spatialDropout3d): PyTorch fixtures,
// values by hand, output shapes, configs (Keras's too), a summary and a small fit.
import { input, layers, mul, sequential, sum, tensor, variableGrads, type Tensor } from '../../src';
import { layerFromDisk, layerToDisk } from '../../src/saving/model_config';
import { fromFixture, loadFixture, type FixtureCase } from '../helpers/fixtures';
import { expectConfigRoundTrip, expectFlatMemory, expectGradientsToAllWeights } from '../helpers/layers';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

type AnyLayer = InstanceType<typeof layers.Layer>;
const symbolic = (layer: AnyLayer, shape: (number | null)[]) => (layer.apply(input({ batchShape: shape })) as unknown as { shape: unknown }).shape;

// Sets the layer's kernel from the fixture, then checks y and the gradients of x and the kernel.
function expectMatchesFixture(layer: AnyLayer, c: FixtureCase): void {
  const x = fromFixture(c.inputs.x);
  layer.apply(x);
  layer.setWeights([fromFixture(c.inputs.filter)]);
  expectTensor(layer.apply(x) as Tensor, c.outputs.y.shape, c.outputs.y.data, 1e-6, 1e-7);
  const upstream = fromFixture(c.upstream.y);
  const { value, grads } = variableGrads(() => sum(mul(layer.apply(x) as Tensor, upstream)), layer.trainableWeights);
  value.dispose();
  expectClose(grads[layer.trainableWeights[0].name].dataSync(), c.grads.filter.data, 1e-6, 1e-7);
}

describe('conv3d and conv3dTranspose', () => {
  it.each(loadFixture('conv3d').map((c) => [c.name, c] as const))('conv3d matches the PyTorch fixture: %s', (_, c) => {
    const f = c.inputs.filter.shape;
    const layer = layers.conv3d({
      filters: f[4],
      kernelSize: f.slice(0, 3),
      strides: c.attrs.strides as number[],
      dilationRate: c.attrs.dilationRate as number[],
      padding: c.attrs.padding as 'same',
      groups: c.attrs.groups as number,
      useBias: false,
      dtype: 'float64',
    });
    expectMatchesFixture(layer, c);
    expect(layer.computeOutputShape(c.inputs.x.shape)).toEqual(c.outputs.y.shape);
  });

  it.each(loadFixture('conv3d_transpose').map((c) => [c.name, c] as const))('conv3dTranspose matches the PyTorch fixture: %s', (_, c) => {
    const f = c.inputs.filter.shape;
    const [strides, dilations, out] = [c.attrs.strides, c.attrs.dilationRate, c.attrs.outputShape] as number[][];
    const padding = c.attrs.padding as 'same' | 'valid';
    const size = c.inputs.x.shape.slice(1, 4);
    // Keras's outputPadding for the fixture's output size, where its default rule gives another.
    const byDefault = size.map((n, i) => (padding === 'same' ? n * strides[i] : n * strides[i] + Math.max(dilations[i] * (f[i] - 1) + 1 - strides[i], 0)));
    const outputPadding = byDefault.every((n, i) => n === out[i])
      ? null
      : size.map((n, i) => {
          const k = dilations[i] * (f[i] - 1) + 1;
          return out[i] - ((n - 1) * strides[i] + k - 2 * (padding === 'same' ? Math.floor(k / 2) : 0));
        });
    const layer = layers.conv3dTranspose({
      filters: f[3],
      kernelSize: f.slice(0, 3),
      strides,
      dilationRate: dilations,
      padding,
      outputPadding,
      useBias: false,
      dtype: 'float64',
    });
    expect(layer.computeOutputShape(c.inputs.x.shape)).toEqual(c.outputs.y.shape);
    expectMatchesFixture(layer, c);
  });

  it('adds the bias and activation; Keras layouts; shapes also for unknown sizes', () => {
    const conv = layers.conv3d({
      filters: 2,
      kernelSize: 1,
      kernelInitializer: 'ones',
      biasInitializer: { className: 'Constant', config: { value: -2 } },
      activation: 'relu',
    });
    // 1x1x1 kernel of ones: each output channel is the channel sum, minus 2, relu.
    expectTensor(conv.apply(tensor([1, 2, 0, 1], [1, 2, 1, 1, 2])) as Tensor, [1, 2, 1, 1, 2], [1, 1, 0, 0]);
    expect(conv.kernel!.shape).toEqual([1, 1, 1, 2, 2]);
    expect(symbolic(layers.conv3d({ filters: 8, kernelSize: 3 }), [null, 10, 9, 8, 1])).toEqual([null, 8, 7, 6, 8]);
    expect(symbolic(layers.conv3d({ filters: 4, kernelSize: [3, 1, 3], strides: 2, padding: 'same' }), [2, 7, null, 4, 3])).toEqual([2, 4, null, 2, 4]);
    const transpose = layers.conv3dTranspose({ filters: 3, kernelSize: 2, strides: 2 });
    expect(symbolic(transpose, [null, 2, 3, null, 4])).toEqual([null, 4, 6, null, 3]);
    expect(transpose.kernel!.shape).toEqual([2, 2, 2, 3, 4]);
  });

  it('configs round-trip, gradients reach every weight, memory stays flat', () => {
    const x = randomTensor([2, 4, 4, 3, 2]);
    for (const layer of [
      layers.conv3d({ filters: 2, kernelSize: [2, 3, 2], strides: [1, 2, 1], padding: 'same', activation: 'tanh', kernelRegularizer: 'l2' }),
      layers.conv3d({ filters: 4, kernelSize: 2, groups: 2, dilationRate: [1, 2, 1] }),
      layers.conv3dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', outputPadding: [1, 0, 1] }),
    ]) {
      expectGradientsToAllWeights(layer, x);
      expectConfigRoundTrip(layer);
      expect(layer.computeOutputShape(x.shape)).toEqual((layer.apply(x) as Tensor).shape);
      expectFlatMemory(layer, x, 10);
    }
    expect(layers.conv3d({ filters: 2, kernelSize: 3 }).getConfig()).toMatchObject({
      kernelSize: [3, 3, 3],
      strides: [1, 1, 1],
      dilationRate: [1, 1, 1],
      dataFormat: 'channelsLast',
    });
  });

  it('explains bad options and inputs', () => {
    expect(() => layers.conv3d({ filters: 2, kernelSize: [3, 3] })).toThrow('expected kernelSize to be a positive integer or an array of 3 of them');
    expect(() => layers.conv3d({ filters: 2, kernelSize: 3, padding: 'causal' })).toThrow("expected padding 'valid' or 'same', got 'causal'");
    expect(() => layers.conv3d({ filters: 2, kernelSize: 3, dataFormat: 'NCDHW' as never })).toThrow(
      "expected dataFormat 'channelsLast' or 'channelsFirst', got 'NCDHW'",
    );
    expect(() => layers.conv3d({ filters: 2, kernelSize: 3, name: 'c3' }).apply(randomTensor([1, 4, 4, 2]))).toThrow(
      'Input 0 of layer c3 is incompatible with the layer: expected ndim=5, found ndim=4',
    );
    expect(() => layers.conv3dTranspose({ filters: 1, kernelSize: 3, strides: 2, outputPadding: [0, 2, 0] })).toThrow(
      'outputPadding (2) must be less than the stride (2) on axis 2',
    );
    expect(() => (layers.conv3d as (...a: unknown[]) => unknown)(8, 3)).toThrow(
      /Conv3D: expected an options object, got 8.*\{ filters: 8, kernelSize: 3, \.\.\. \}/,
    );
  });
});

describe('3-D pooling', () => {
  it.each(loadFixture('pooling3d').map((c) => [c.name, c] as const))('matches the PyTorch fixture: %s', (_, c) => {
    const a = c.attrs as { kind: string; poolSize: number[]; strides: number[]; padding: 'same' };
    const make = a.kind === 'max' ? layers.maxPooling3d : layers.averagePooling3d;
    const layer = make({ poolSize: a.poolSize, strides: a.strides, padding: a.padding, dtype: 'float64' });
    const x = fromFixture(c.inputs.x);
    expectTensor(layer.apply(x) as Tensor, c.outputs.y.shape, c.outputs.y.data, 1e-6, 1e-7);
    expect(layer.computeOutputShape(x.shape)).toEqual(c.outputs.y.shape);
  });

  it('global pooling over voxels, with keepdims', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4, -5, -6, -7, -8], [1, 2, 2, 2, 2]);
    expectTensor(layers.globalAveragePooling3d().apply(x) as Tensor, [1, 2], [0, 0]);
    expectTensor(layers.globalMaxPooling3d().apply(x) as Tensor, [1, 2], [7, 8]);
    expect((layers.globalMaxPooling3d({ keepdims: true }).apply(x) as Tensor).shape).toEqual([1, 1, 1, 1, 2]);
    expect(symbolic(layers.globalAveragePooling3d({ keepdims: true }), [null, 3, null, 4, 5])).toEqual([null, 1, 1, 1, 5]);
  });

  it("TensorFlow.js's names, shapes, configs, errors", () => {
    expect(layers.maxPool3d).toBe(layers.maxPooling3d);
    expect(layers.avgPool3d).toBe(layers.averagePooling3d);
    expect(layers.avgPooling3d).toBe(layers.averagePooling3d);
    expect(layers.globalAvgPool3d).toBe(layers.globalAveragePooling3d);
    expect(layers.globalMaxPool3d).toBe(layers.globalMaxPooling3d);
    expect(symbolic(layers.maxPooling3d(), [null, 5, 4, null, 2])).toEqual([null, 2, 2, null, 2]);
    expect(symbolic(layers.averagePooling3d({ poolSize: [3, 2, 2], strides: 1, padding: 'same' }), [null, 5, 4, 3, 2])).toEqual([null, 5, 4, 3, 2]);
    const x = randomTensor([2, 4, 4, 4, 2]);
    for (const layer of [
      layers.maxPooling3d({ poolSize: [2, 1, 2] }),
      layers.averagePooling3d({ poolSize: 3, strides: 2, padding: 'same' }),
      layers.globalAveragePooling3d(),
      layers.globalMaxPooling3d({ keepdims: true }),
    ]) {
      expectConfigRoundTrip(layer);
      expect(layer.computeOutputShape(x.shape)).toEqual((layer.apply(x) as Tensor).shape);
      expectFlatMemory(layer, x, 10);
    }
    expect(layers.maxPooling3d().getConfig()).toMatchObject({ poolSize: [2, 2, 2], strides: [2, 2, 2], padding: 'valid', dataFormat: 'channelsLast' });
    expect(() => layers.maxPooling3d({ poolSize: [2, 2] })).toThrow('expected poolSize to be a positive integer or an array of 3 of them');
    expect(() => layers.averagePooling3d({ name: 'p' }).apply(randomTensor([1, 4, 4, 1]))).toThrow(
      'Input 0 of layer p is incompatible with the layer: expected ndim=5',
    );
  });
});

describe('upSampling3d, zeroPadding3d, cropping3d, spatialDropout3d', () => {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2, 1]);

  it('upSampling3d repeats voxels', () => {
    const y = layers.upSampling3d({ size: [1, 1, 2] }).apply(x) as Tensor;
    expectTensor(y, [1, 2, 2, 4, 1], [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8]);
    const z = layers.upSampling3d().apply(x) as Tensor;
    expect(z.shape).toEqual([1, 4, 4, 4, 1]);
    // Voxel [d, h, w] of the output is voxel [d / 2, h / 2, w / 2] of the input.
    expect(z.dataSync()[3 * 16 + 2 * 4 + 1]).toBe(7);
    expect(symbolic(layers.upSampling3d({ size: [2, 3, 1] }), [null, 2, null, 4, 3])).toEqual([null, 4, null, 4, 3]);
  });

  it('zeroPadding3d and cropping3d take every argument form and undo each other', () => {
    const padded = layers
      .zeroPadding3d({
        padding: [
          [1, 0],
          [0, 1],
          [0, 0],
        ],
      })
      .apply(x) as Tensor;
    expectTensor(padded, [1, 3, 3, 2, 1], [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 0, 0]);
    expect((layers.zeroPadding3d().apply(x) as Tensor).shape).toEqual([1, 4, 4, 4, 1]);
    expect((layers.zeroPadding3d({ padding: [1, 2, 0] }).apply(x) as Tensor).shape).toEqual([1, 4, 6, 2, 1]);
    const cropped = layers
      .cropping3d({
        cropping: [
          [1, 0],
          [0, 1],
          [0, 0],
        ],
      })
      .apply(padded) as Tensor;
    expectTensor(cropped, [1, 2, 2, 2, 1], [1, 2, 3, 4, 5, 6, 7, 8]);
    // Keras's default crops one slice on each side.
    expect((layers.cropping3d().apply(randomTensor([1, 4, 3, 5, 2])) as Tensor).shape).toEqual([1, 2, 1, 3, 2]);
    expect(symbolic(layers.cropping3d({ cropping: [1, 0, 2] }), [null, 4, null, 6, 1])).toEqual([null, 2, null, 2, 1]);
    expect(() => layers.cropping3d({ name: 'crop' }).apply(x)).toThrow(
      'crop: cropping [[1,1],[1,1],[1,1]] leaves nothing of an input of shape [1, 2, 2, 2, 1]',
    );
    expect(() => layers.zeroPadding3d({ padding: [[1, 1], [2]] })).toThrow(
      'expected padding to be a number, [depth, rows, cols] or [[front, back], [top, bottom], [left, right]], got [[1, 1], [2]]',
    );
    expect(() => layers.zeroPadding3d({ padding: [1, 2] })).toThrow('expected padding to be a non-negative integer or an array of 3 of them');
  });

  it('spatialDropout3d drops whole channels in training, nothing in inference', () => {
    const ones = tensor(new Array(2 * 3 * 3 * 3 * 8).fill(1), [2, 3, 3, 3, 8]);
    const layer = layers.spatialDropout3d({ rate: 0.5, seed: 3 });
    expect(layer.apply(ones)).toBe(ones);
    const y = (layer.apply(ones, { training: true }) as Tensor).dataSync();
    for (let b = 0; b < 2; b++) {
      for (let c = 0; c < 8; c++) {
        const values = new Set(Array.from({ length: 27 }, (_, v) => y[(b * 27 + v) * 8 + c]));
        expect(values.size).toBe(1);
        expect([0, 2]).toContain([...values][0]);
      }
    }
    expect(layer.getConfig()).toMatchObject({ rate: 0.5, seed: 3, dataFormat: 'channelsLast' });
  });

  it('configs round-trip, output shapes agree with apply, gradients flow', () => {
    const v = randomTensor([2, 4, 3, 4, 2]);
    for (const layer of [
      layers.upSampling3d({ size: [2, 1, 2] }),
      layers.zeroPadding3d({ padding: 1 }),
      layers.cropping3d({ cropping: [1, 0, 1] }),
      layers.spatialDropout3d({ rate: 0.3 }),
    ]) {
      expectConfigRoundTrip(layer);
      expect(layer.computeOutputShape(v.shape)).toEqual((layer.apply(v) as Tensor).shape);
      expectFlatMemory(layer, v, 10);
    }
  });
});

describe('3-D layers in models', () => {
  it("read Keras 3's configs (class names Conv3D, MaxPooling3D, ...) and write them back", () => {
    const dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const entries = [
      {
        class_name: 'Conv3D',
        config: {
          name: 'conv3d',
          trainable: true,
          dtype,
          filters: 4,
          kernel_size: [3, 3, 3],
          strides: [1, 1, 1],
          padding: 'same',
          data_format: 'channels_last',
          dilation_rate: [1, 1, 1],
          groups: 1,
          activation: 'relu',
          use_bias: true,
          kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
          bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
          kernel_regularizer: null,
          bias_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
        },
      },
      {
        class_name: 'Conv3DTranspose',
        config: {
          name: 'conv3d_transpose',
          dtype,
          filters: 2,
          kernel_size: [2, 2, 2],
          strides: [2, 2, 2],
          padding: 'valid',
          output_padding: null,
          data_format: 'channels_last',
        },
      },
      {
        class_name: 'MaxPooling3D',
        config: { name: 'max_pooling3d', dtype, pool_size: [2, 2, 2], padding: 'valid', strides: [2, 2, 2], data_format: 'channels_last' },
      },
      {
        class_name: 'AveragePooling3D',
        config: { name: 'average_pooling3d', dtype, pool_size: [1, 2, 2], padding: 'same', strides: null, data_format: 'channels_last' },
      },
      { class_name: 'GlobalAveragePooling3D', config: { name: 'gap3d', dtype, data_format: 'channels_last', keepdims: false } },
      { class_name: 'GlobalMaxPooling3D', config: { name: 'gmp3d', dtype, data_format: 'channels_last', keepdims: true } },
      { class_name: 'UpSampling3D', config: { name: 'up_sampling3d', dtype, size: [2, 2, 2], data_format: 'channels_last' } },
      {
        class_name: 'ZeroPadding3D',
        config: {
          name: 'zero_padding3d',
          dtype,
          padding: [
            [1, 1],
            [1, 1],
            [1, 1],
          ],
          data_format: 'channels_last',
        },
      },
      {
        class_name: 'Cropping3D',
        config: {
          name: 'cropping3d',
          dtype,
          cropping: [
            [1, 1],
            [1, 1],
            [1, 1],
          ],
          data_format: 'channels_last',
        },
      },
      { class_name: 'SpatialDropout3D', config: { name: 'spatial_dropout3d', dtype, rate: 0.2, seed: null, data_format: 'channels_last' } },
    ];
    for (const raw of entries) {
      const entry = layerFromDisk({ module: 'keras.layers', registered_name: null, ...raw }, 'keras', 'test');
      const layer = layers.deserializeLayer(entry);
      expect(layer.constructor.name).toBe(raw.class_name);
      const disk = layerToDisk(layers.serializeLayer(layer), 'keras');
      expect(disk.class_name).toBe(raw.class_name);
      const { dtype: written, ...config } = disk.config as Record<string, unknown>;
      expect(written).toEqual(dtype);
      // What Keras wrote comes back, spelled as Keras spells it.
      for (const [key, value] of Object.entries(raw.config)) if (key !== 'dtype' && value !== null) expect([key, config[key]]).toEqual([key, value]);
    }
  });

  it('a small 3-D model: summary, fit lowers the loss', async () => {
    const m = sequential({
      layers: [
        layers.conv3d({ filters: 2, kernelSize: 2, padding: 'same', activation: 'relu', inputShape: [4, 4, 4, 1] }),
        layers.maxPooling3d({ poolSize: 2 }),
        layers.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2 }),
        layers.averagePooling3d({ poolSize: 2 }),
        layers.globalAveragePooling3d(),
        layers.dense({ units: 1 }),
      ],
    });
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    const text = lines.join('\n');
    // Kernels 2x2x2x1x2 + 2 and 2x2x2x2x2 + 2.
    expect(text).toMatch(/\(Conv3D\)\s+\[null, 4, 4, 4, 2\]\s+18\n/);
    expect(text).toMatch(/\(MaxPooling3.*\[null, 2, 2, 2, 2\]\s+0\n/);
    expect(text).toMatch(/\(Conv3DTr.*\[null, 4, 4, 4, 2\]\s+34\n/);
    expect(text).toMatch(/global_average_pooling3d.*\[null, 2\]\s+0\n/);
    expect(text).toMatch(/Total params: 55/);
    const x = randomTensor([8, 4, 4, 4, 1]);
    const y = sum(x, [1, 2, 3]);
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const history = await m.fit(x, y, { epochs: 8, batchSize: 4, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
  });
});
