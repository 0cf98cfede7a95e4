// InceptionResNetV2 against Keras 3.15: layers (Keras's automatic names included), outputs under the
// same (pattern) weights, and channels first (fixtures of
// scripts/fixtures/make_applications_resnet_fixtures.py).
import * as ts from '../../src';
import { denseTop, describeLayers, describeNumeric, expectChannelsFirstAgrees } from './keras_reference';

const factories = { InceptionResNetV2: ts.applications.InceptionResNetV2 };
describeLayers('inception_resnet_v2', factories, denseTop);
describeNumeric('inception_resnet_v2', factories);

test('channels first: InceptionResNetV2 gives the channels-last features on transposed images', async () => {
  await expectChannelsFirstAgrees(ts.applications.InceptionResNetV2, 75);
});

test("CustomScaleLayer (x + scale * r) round-trips through its config under Keras's class name", () => {
  const net = ts.applications.InceptionResNetV2;
  expect(typeof net).toBe('function');
  const layer = ts.layers.deserializeLayer({ className: 'CustomScaleLayer', config: { name: 'scale', scale: 0.5 } });
  expect(ts.layers.serializeLayer(layer)).toMatchObject({ className: 'CustomScaleLayer', config: { name: 'scale', scale: 0.5 } });
  const y = layer.apply([ts.tensor([1, 2], [1, 2]), ts.tensor([4, 6], [1, 2])]) as ts.Tensor;
  expect(Array.from(y.dataSync())).toEqual([3, 5]);
  expect(() => ts.layers.deserializeLayer({ className: 'CustomScaleLayer', config: { name: 'bad', scale: 'x' } })).toThrow(/scale must be a finite number/);
});
