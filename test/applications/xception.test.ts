// Xception against Keras 3.15: layers (the shortcuts' automatic names included), outputs
// under the same (pattern) weights, and channels first (fixtures of
// scripts/fixtures/make_applications_resnet_fixtures.py).
import * as ts from '../../src';
import { denseTop, describeLayers, describeNumeric, expectChannelsFirstAgrees } from './keras_reference';

const factories = { Xception: ts.applications.Xception };
describeLayers('xception', factories, denseTop);
describeNumeric('xception', factories);

test('channels first: Xception gives the channels-last features on transposed images', async () => {
  await expectChannelsFirstAgrees(ts.applications.Xception, 71);
});
