// The layers of ResNet50/101/152 and ResNet50V2/101V2/152V2 against Keras 3.15 (fixtures of
// scripts/fixtures/make_applications_resnet_fixtures.py).
import * as ts from '../../src';
import { buildSmall, layerRows, readFamily } from './keras_reference';

const fixture = readFamily('resnet');
const factories = {
  ResNet50: ts.applications.ResNet50,
  ResNet101: ts.applications.ResNet101,
  ResNet152: ts.applications.ResNet152,
  ResNet50V2: ts.applications.ResNet50V2,
  ResNet101V2: ts.applications.ResNet101V2,
  ResNet152V2: ts.applications.ResNet152V2,
};

describe('applications: ResNet layers as Keras builds them', () => {
  for (const [name, factory] of Object.entries(factories)) {
    test(`${name}: names, classes, output shapes and parameter counts`, async () => {
      const fx = fixture.models[name];
      const model = await buildSmall(factory, fx);
      expect(model.name).toBe(fx.name);
      expect(layerRows(model)).toEqual(fx.layers);
      expect(model.countParams()).toBe(fx.params);
      // With the top: the dense 'predictions' on 2048 features (the count does not depend on the size).
      expect(fx.paramsWithTop - fx.params).toBe(2048 * 1000 + 1000);
      model.dispose();
    });
  }
});
