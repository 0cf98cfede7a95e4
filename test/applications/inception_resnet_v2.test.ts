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
