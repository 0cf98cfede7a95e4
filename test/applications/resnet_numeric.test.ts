// ResNet's and ResNetV2's outputs against Keras 3.15 under the same (pattern) weights
// (fixtures of scripts/fixtures/make_applications_resnet_fixtures.py), and channels first.
import * as ts from '../../src';
import { describeNumeric, expectChannelsFirstAgrees } from './keras_reference';

describeNumeric('resnet', { ResNet50: ts.applications.ResNet50, ResNet50V2: ts.applications.ResNet50V2 });

test.each([['ResNet50V2', ts.applications.ResNet50V2] as const, ['ResNet50', ts.applications.ResNet50] as const])(
  'channels first: %s gives the channels-last features on transposed images',
  async (_, factory) => {
    await expectChannelsFirstAgrees(factory, 32);
  },
);
