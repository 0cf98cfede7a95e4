// VGG16 and VGG19 against Keras 3.15: layers, outputs under the same (pattern) weights, and
// channels first (fixtures of scripts/fixtures/make_applications_resnet_fixtures.py).
import * as ts from '../../src';
import { describeLayers, describeNumeric, expectChannelsFirstAgrees } from './keras_reference';

const factories = { VGG16: ts.applications.VGG16, VGG19: ts.applications.VGG19 };
// The top at 224x224: a 7x7x512 map flattened into fc1 and fc2 (4096 each), then 1000 classes.
describeLayers('vgg', factories, () => 7 * 7 * 512 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 1000 + 1000);
describeNumeric('vgg', factories);

test('channels first: VGG16 gives the channels-last features on transposed images', async () => {
  await expectChannelsFirstAgrees(ts.applications.VGG16, 32);
});
