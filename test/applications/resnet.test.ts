// The layers of ResNet50/101/152 and ResNet50V2/101V2/152V2 against Keras 3.15 (fixtures of
// scripts/fixtures/make_applications_resnet_fixtures.py).
import * as ts from '../../src';
import { denseTop, describeLayers } from './keras_reference';

describeLayers(
  'resnet',
  {
    ResNet50: ts.applications.ResNet50,
    ResNet101: ts.applications.ResNet101,
    ResNet152: ts.applications.ResNet152,
    ResNet50V2: ts.applications.ResNet50V2,
    ResNet101V2: ts.applications.ResNet101V2,
    ResNet152V2: ts.applications.ResNet152V2,
  },
  denseTop,
);
