// InceptionV3 against Keras 3.15: layers (Keras's automatic names included), outputs under the
// same (pattern) weights, and channels first (fixtures of
// scripts/fixtures/make_applications_resnet_fixtures.py).
import * as ts from '../../src';
import { denseTop, describeLayers, describeNumeric, expectChannelsFirstAgrees } from './keras_reference';

const factories = { InceptionV3: ts.applications.InceptionV3 };
describeLayers('inception_v3', factories, denseTop);
describeNumeric('inception_v3', factories);

test('channels first: InceptionV3 gives the channels-last features on transposed images', async () => {
  await expectChannelsFirstAgrees(ts.applications.InceptionV3, 75);
});
