// Keras's long names for the convolution factories are the same factories.
import { layers } from '../../src';

test.each([
  ['convolution1d', 'conv1d'],
  ['convolution2d', 'conv2d'],
  ['convolution3d', 'conv3d'],
  ['convolution1dTranspose', 'conv1dTranspose'],
  ['convolution2dTranspose', 'conv2dTranspose'],
  ['convolution3dTranspose', 'conv3dTranspose'],
  ['separableConvolution1d', 'separableConv1d'],
  ['separableConvolution2d', 'separableConv2d'],
] as const)('layers.%s is layers.%s', (alias, name) => {
  expect(layers[alias]).toBe(layers[name]);
});

test('an alias makes the Keras class, which serializes under its canonical name', () => {
  const layer = layers.convolution2d({ filters: 2, kernelSize: 3 });
  expect(layer).toBeInstanceOf(layers.Conv2D);
  expect(layers.serializeLayer(layer).className).toBe('Conv2D');
  expect(() => layers.separableConvolution2d({ filters: 0, kernelSize: 3 })).toThrow(/filters/);
});
