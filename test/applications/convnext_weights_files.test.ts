// ConvNeXt's parts (a nested Sequential stem, Dense on a feature map, LayerScale, `x + y`) load
// Keras's weight files: Keras 2's legacy .h5 layout (Keras's ImageNet files) and Keras 3's
// .weights.h5 (test/fixtures/applications/weights, from
// scripts/fixtures/make_applications_weights_files.py), giving Keras's output.
import * as ts from '../../src';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { patternImage, relativeError } from './architecture';

const dir = join(__dirname, '..', 'fixtures', 'applications', 'weights');
const expected = JSON.parse(readFileSync(join(dir, 'convnext_parts.json'), 'utf8')) as { output: number[][] };

function parts(): ts.LayersModel<any> {
  const { layers } = ts;
  const inputs = ts.input({ shape: [8, 8, 3] });
  const stem = ts.sequential({
    layers: [
      layers.conv2d({ filters: 4, kernelSize: 2, strides: 2, name: 'parts_stem_conv' }),
      layers.layerNormalization({ epsilon: 1e-6, name: 'parts_stem_layernorm' }),
    ],
    name: 'parts_stem',
  });
  const x = stem.apply(inputs) as ts.SymbolicTensor;
  let y = layers.dense({ units: 4, name: 'parts_pointwise_conv' }).apply(x) as ts.SymbolicTensor;
  y = layers.layerScale({ initValues: 1e-6, projectionDim: 4, name: 'parts_layer_scale' }).apply(y) as ts.SymbolicTensor;
  return ts.model({ inputs, outputs: layers.operation('add', [x, y]), name: 'convnext_parts' });
}

describe("ConvNeXt's parts and Keras's weight files", () => {
  it.each(['convnext_parts.h5', 'convnext_parts.weights.h5'])('%s loads and gives Keras output', async (file) => {
    const model = parts();
    await model.loadWeights(join(dir, file));
    const out = model.predict(patternImage([1, 8, 8, 3])) as ts.Tensor;
    expect(relativeError(out, expected.output)).toBeLessThan(1e-5);
  });
});
