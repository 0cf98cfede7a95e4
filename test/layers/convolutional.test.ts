// Convolution layers and the spatial reshaping layers (upsampling, zero padding, cropping):
// shapes, PyTorch fixtures, configs, gradients, errors, memory.
import { grads, input, layers, mul, reshape, sum, tensor, variableGrads, type Tensor } from '../../src';
import { fromFixture, loadFixture, type FixtureCase } from '../helpers/fixtures';
import { expectConfigRoundTrip, expectFlatMemory, expectGradientsToAllWeights } from '../helpers/layers';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

const symbolic = (layer: { apply: (x: any) => any }, shape: (number | null)[]) => layer.apply(input({ batchShape: shape })).shape;

// Sets the layer's weights from the fixture (names in order), then checks y and every gradient.
function expectMatchesFixture(layer: InstanceType<typeof layers.Layer>, c: FixtureCase, weightNames: string[]): void {
  const x = fromFixture(c.inputs.x);
  layer.apply(x);
  layer.setWeights(weightNames.map((n) => fromFixture(c.inputs[n])));
  expectTensor(layer.apply(x) as Tensor, c.outputs.y.shape, c.outputs.y.data, 1e-6, 1e-7);
  const upstream = fromFixture(c.upstream.y);
  const weights = layer.trainableWeights;
  const { value, grads } = variableGrads(() => sum(mul(layer.apply(x) as Tensor, upstream)), weights);
  value.dispose();
  weightNames.forEach((n, i) => expectClose(grads[weights[i].name].dataSync(), c.grads[n].data, 1e-6, 1e-7));
}

describe('conv2d', () => {
  it.each(loadFixture('conv2d').map((c) => [c.name, c] as const))('matches the PyTorch fixture: %s', (_, c) => {
    const f = c.inputs.filter.shape;
    const layer = layers.conv2d({
      filters: f[3],
      kernelSize: [f[0], f[1]],
      strides: c.attrs.strides as number[],
      dilationRate: c.attrs.dilationRate as number[],
      padding: c.attrs.padding as 'same',
      groups: c.attrs.groups as number,
      useBias: false,
      dtype: 'float64',
    });
    expectMatchesFixture(layer, c, ['filter']);
    expect(layer.computeOutputShape(c.inputs.x.shape)).toEqual(c.outputs.y.shape);
  });

  it('adds the bias and the activation, with Keras layouts', () => {
    const layer = layers.conv2d({
      filters: 2,
      kernelSize: 1,
      kernelInitializer: 'ones',
      biasInitializer: { className: 'Constant', config: { value: -2 } },
      activation: 'relu',
    });
    // 1x1 kernel of ones: each output channel is the channel sum, minus 2, relu.
    expectTensor(layer.apply(tensor([1, 2, 0, 1], [1, 2, 1, 2])), [1, 2, 1, 2], [1, 1, 0, 0]);
    expect(layer.kernel!.shape).toEqual([1, 1, 2, 2]);
    expect(layer.weights.map((w) => w.name.split('/')[1])).toEqual(['kernel', 'bias']);
  });

  it('computes output shapes, also for unknown sizes', () => {
    expect(symbolic(layers.conv2d({ filters: 8, kernelSize: 3 }), [null, 28, 28, 1])).toEqual([null, 26, 26, 8]);
    expect(symbolic(layers.conv2d({ filters: 8, kernelSize: [3, 5], strides: 2, padding: 'same' }), [4, 9, null, 3])).toEqual([4, 5, null, 8]);
    expect(symbolic(layers.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2 }), [null, 10, 10, 2])).toEqual([null, 6, 6, 4]);
  });

  it('rejects wrong ranks, channel counts, bad dataFormats and bad options with clear messages', () => {
    const c = layers.conv2d({ filters: 2, kernelSize: 3, name: 'conv2d' });
    expect(() => c.apply(randomTensor([4, 8, 3]))).toThrow(
      'Input 0 of layer conv2d is incompatible with the layer: expected ndim=4, found ndim=3. Full shape received: [4, 8, 3]',
    );
    c.apply(randomTensor([1, 5, 5, 3]));
    expect(() => c.apply(randomTensor([1, 5, 5, 2]))).toThrow('expected axis -1 of input shape to have value 3');
    expect(() => layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'NCHW' as never })).toThrow(
      "expected dataFormat 'channelsLast' or 'channelsFirst', got 'NCHW'",
    );
    expect(() => layers.conv2d({ filters: 2, kernelSize: 3, padding: 'causal' })).toThrow("expected padding 'valid' or 'same', got 'causal' (a string)");
    expect(() => layers.conv2d({ filters: 2, kernelSize: [3, 3, 3] })).toThrow('expected kernelSize to be a positive integer or an array of 2 of them');
    expect(() => layers.conv2d({ filters: 3, kernelSize: 3, groups: 2 })).toThrow('groups (2) must divide filters (3)');
    expect(() => layers.conv2d({ filters: 2, kernelSize: 3 }).apply(randomTensor([1, 2, 2, 1]))).toThrow('larger than the input');
  });

  it('round-trips its config, passes gradients, keeps memory flat', () => {
    const layer = layers.conv2d({ filters: 3, kernelSize: [2, 3], strides: [1, 2], padding: 'same', activation: 'tanh', kernelRegularizer: 'l2', groups: 1 });
    const x = randomTensor([2, 5, 6, 2]);
    expectGradientsToAllWeights(layer, x);
    expectConfigRoundTrip(layer);
    expect(layer.getConfig()).toMatchObject({
      filters: 3,
      kernelSize: [2, 3],
      strides: [1, 2],
      padding: 'same',
      dataFormat: 'channelsLast',
      dilationRate: [1, 1],
      groups: 1,
    });
    expectFlatMemory(layer, x);
  });
});

describe('conv1d', () => {
  it('matches the PyTorch fixture with causal padding and dilation', () => {
    const c = loadFixture('convolutional', 'layers').find((k) => k.name === 'conv1d causal dilation 2')!;
    const layer = layers.conv1d({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2, dtype: 'float64' });
    expectMatchesFixture(layer, c, ['kernel', 'bias']);
  });

  it('shapes, groups, config, gradients, memory', () => {
    const layer = layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, groups: 2 });
    expect(symbolic(layer, [null, 9, 4])).toEqual([null, 4, 4]);
    expect(layer.kernel!.shape).toEqual([3, 2, 4]);
    expect(symbolic(layers.conv1d({ filters: 2, kernelSize: 5, padding: 'causal' }), [null, 7, 1])).toEqual([null, 7, 2]);
    const x = randomTensor([2, 9, 4]);
    expectGradientsToAllWeights(layer, x);
    expectConfigRoundTrip(layer);
    expectFlatMemory(layer, x);
    expect(() => layers.conv1d({ filters: 1, kernelSize: 2, name: 'c1' }).apply(randomTensor([2, 3]))).toThrow(
      'Input 0 of layer c1 is incompatible with the layer: expected ndim=3, found ndim=2',
    );
  });
});

describe('conv2dTranspose and conv1dTranspose', () => {
  it.each(
    loadFixture('convolutional', 'layers')
      .filter((c) => c.attrs.layer === 'conv2dTranspose')
      .map((c) => [c.name, c] as const),
  )('matches the PyTorch fixture: %s', (_, c) => {
    const layer = layers.conv2dTranspose({
      filters: c.attrs.filters as number,
      kernelSize: c.attrs.kernelSize as number[],
      strides: c.attrs.strides as number[],
      padding: c.attrs.padding as 'same',
      outputPadding: c.attrs.outputPadding as number[] | null,
      dtype: 'float64',
    });
    expect(layer.computeOutputShape(c.inputs.x.shape)).toEqual(c.outputs.y.shape);
    expectMatchesFixture(layer, c, ['kernel', 'bias']);
    expect(layer.kernel!.shape).toEqual(c.inputs.kernel.shape);
  });

  it('1-D: upsamples steps; config, gradients, memory', () => {
    const layer = layers.conv1dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' });
    const x = randomTensor([2, 4, 2]);
    expect(layer.apply(x).shape).toEqual([2, 8, 3]);
    expect(layer.kernel!.shape).toEqual([3, 3, 2]);
    expect(symbolic(layer, [null, null, 2])).toEqual([null, null, 3]);
    // The 1-D transpose is the 2-D one on height-1 images.
    const twoD = layers.conv2dTranspose({ filters: 3, kernelSize: [1, 3], strides: [1, 2], padding: 'same' });
    twoD.apply(reshape(x, [2, 1, 4, 2]));
    twoD.setWeights([reshape(layer.kernel!, [1, 3, 3, 2]), layer.bias!]);
    expectClose(twoD.apply(reshape(x, [2, 1, 4, 2])).dataSync(), layer.apply(x).dataSync());
    expectGradientsToAllWeights(layer, x);
    expectConfigRoundTrip(layer);
    expectFlatMemory(layer, x);
    expect(() => layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, outputPadding: 2 })).toThrow(
      'outputPadding (2) must be less than the stride (2)',
    );
  });
});

describe('depthwiseConv2d, depthwiseConv1d, separableConv2d, separableConv1d', () => {
  it('depthwise matches the grouped PyTorch fixture', () => {
    const c = loadFixture('conv2d').find((k) => k.name === 'same depthwise')!;
    const layer = layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, dtype: 'float64' });
    const f = c.inputs.filter;
    // [kh, kw, 1, C] (groups = C) is [kh, kw, C, 1] in memory.
    const fixture = { ...c, inputs: { ...c.inputs, filter: { shape: [f.shape[0], f.shape[1], f.shape[3], 1], data: f.data } } };
    expectMatchesFixture(layer, fixture, ['filter']);
  });

  it('separable matches the PyTorch fixture', () => {
    const c = loadFixture('convolutional', 'layers').find((k) => k.attrs.layer === 'separableConv2d')!;
    const layer = layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', depthMultiplier: 2, dtype: 'float64' });
    expectMatchesFixture(layer, c, ['depthwiseKernel', 'pointwiseKernel', 'bias']);
    expect(layer.weights.map((w) => w.name.split('/')[1])).toEqual(['depthwise_kernel', 'pointwise_kernel', 'bias']);
  });

  it('shapes, configs, gradients and memory of all four', () => {
    const cases: [InstanceType<typeof layers.Layer>, number[], number[]][] = [
      [layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2 }), [2, 7, 7, 3], [2, 3, 3, 6]],
      [layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }), [2, 7, 3], [2, 7, 6]],
      [layers.separableConv2d({ filters: 5, kernelSize: [3, 2], depthMultiplier: 1 }), [2, 6, 6, 3], [2, 4, 5, 5]],
      [layers.separableConv1d({ filters: 4, kernelSize: 3, depthMultiplier: 2, dilationRate: 2 }), [2, 9, 3], [2, 5, 4]],
    ];
    for (const [layer, inShape, outShape] of cases) {
      const x = randomTensor(inShape);
      expect((layer.apply(x) as Tensor).shape).toEqual(outShape);
      expect(layer.computeOutputShape(inShape)).toEqual(outShape);
      expectGradientsToAllWeights(layer, x);
      expectConfigRoundTrip(layer);
      expectFlatMemory(layer, x);
    }
    expect(layers.separableConv1d({ filters: 4, kernelSize: 3 }).getConfig()).toMatchObject({
      depthMultiplier: 1,
      depthwiseInitializer: { className: 'GlorotUniform' },
    });
  });
});

describe('upSampling, zeroPadding, cropping', () => {
  it('upSampling1d and nearest upSampling2d repeat by hand', () => {
    expectTensor(layers.upSampling1d({ size: 2 }).apply(tensor([1, 2, 3, 4], [1, 2, 2])), [1, 4, 2], [1, 2, 1, 2, 3, 4, 3, 4]);
    const y = layers.upSampling2d({ size: [2, 3] }).apply(tensor([1, 2, 3, 4], [1, 2, 2, 1]));
    expectTensor(y, [1, 4, 6, 1], [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4]);
    expect(symbolic(layers.upSampling2d(), [null, 3, null, 2])).toEqual([null, 6, null, 2]);
  });

  it('bilinear upSampling2d matches PyTorch (half-pixel centers)', () => {
    const c = loadFixture('convolutional', 'layers').find((k) => k.attrs.layer === 'upSampling2d')!;
    const layer = layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear', dtype: 'float64' });
    const x = fromFixture(c.inputs.x);
    expectTensor(layer.apply(x), c.outputs.y.shape, c.outputs.y.data, 1e-6, 1e-7);
    const upstream = fromFixture(c.upstream.y);
    const [dx] = grads((xs: Tensor) => sum(mul(layer.apply(xs), upstream)))([x]);
    expectClose(dx.dataSync(), c.grads.x.data, 1e-6, 1e-7);
  });

  it('zero padding and cropping by hand, with every argument form', () => {
    const seq = tensor([1, 2, 3, 4], [1, 2, 2]);
    expectTensor(layers.zeroPadding1d({ padding: [1, 0] }).apply(seq), [1, 3, 2], [0, 0, 1, 2, 3, 4]);
    expectTensor(layers.cropping1d({ cropping: [1, 0] }).apply(seq), [1, 1, 2], [3, 4]);
    const img = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    expectTensor(
      layers
        .zeroPadding2d({
          padding: [
            [1, 0],
            [0, 1],
          ],
        })
        .apply(img),
      [1, 3, 3, 1],
      [0, 0, 0, 1, 2, 0, 3, 4, 0],
    );
    expect(layers.zeroPadding2d().apply(img).shape).toEqual([1, 4, 4, 1]);
    expect(layers.zeroPadding2d({ padding: [1, 2] }).apply(img).shape).toEqual([1, 4, 6, 1]);
    const big = randomTensor([1, 5, 6, 2]);
    const cropped = layers
      .cropping2d({
        cropping: [
          [1, 2],
          [0, 3],
        ],
      })
      .apply(big);
    expect(cropped.shape).toEqual([1, 2, 3, 2]);
    expect(Array.from(cropped.dataSync()).slice(0, 2)).toEqual(Array.from(big.dataSync()).slice(12, 14));
    expect(symbolic(layers.cropping2d({ cropping: 1 }), [null, 5, null, 3])).toEqual([null, 3, null, 3]);
    expect(() => layers.cropping1d({ cropping: [2, 1], name: 'crop' }).apply(seq)).toThrow(
      'crop: cropping [[2,1]] leaves nothing of an input of shape [1, 2, 2]',
    );
    expect(() => layers.zeroPadding2d({ padding: [[1], [2, 3]] })).toThrow('expected padding[0] to be a non-negative integer or an array of 2 of them');
    expect(() => layers.upSampling2d({ interpolation: 'bicubic' as 'nearest' })).toThrow("expected interpolation 'nearest' or 'bilinear'");
  });

  it('configs round-trip, gradients flow, memory stays flat', () => {
    const x4 = randomTensor([2, 4, 4, 2]);
    const x3 = randomTensor([2, 5, 3]);
    for (const [layer, x] of [
      [layers.upSampling1d({ size: 3 }), x3],
      [layers.upSampling2d({ size: 2, interpolation: 'bilinear' }), x4],
      [layers.zeroPadding1d({ padding: 2 }), x3],
      [layers.zeroPadding2d({ padding: [1, 2] }), x4],
      [layers.cropping1d(), x3],
      [
        layers.cropping2d({
          cropping: [
            [1, 0],
            [1, 1],
          ],
        }),
        x4,
      ],
    ] as const) {
      expectConfigRoundTrip(layer);
      expectFlatMemory(layer, x);
      expect(layer.computeOutputShape(x.shape)).toEqual((layer.apply(x) as Tensor).shape);
    }
  });
});
