// ResNet's and ResNetV2's outputs against Keras 3.15 under the same (pattern) weights, and
// channels first (fixtures of scripts/fixtures/make_applications_resnet_fixtures.py).
import * as ts from '../../src';
import { readFamily, relativeError, runNumeric, sineImages, setPattern } from './keras_reference';

const fixture = readFamily('resnet');
const factories = { ResNet50: ts.applications.ResNet50, ResNet50V2: ts.applications.ResNet50V2 };

describe('applications: ResNet outputs match Keras under the same weights', () => {
  for (const fx of fixture.numeric) {
    test(`${fx.model} ${fx.includeTop ? 'with the top' : "features, pooling 'avg'"} at ${fx.side}x${fx.side}`, async () => {
      const { model, output } = await runNumeric(factories[fx.model as keyof typeof factories], fx);
      expect(output.shape).toEqual(fx.shape);
      expect(relativeError(output.dataSync() as Float32Array, fx.output)).toBeLessThan(1e-4);
      model.dispose();
    });
  }

  test("channels first: ResNet50V2 gives the channels-last model's features on transposed images", async () => {
    ts.backend.clearSession();
    const last = await ts.applications.ResNet50V2({ weights: null, includeTop: false, inputShape: [32, 32, 3], pooling: 'avg' });
    setPattern(last);
    const previous = ts.config.imageDataFormat();
    ts.config.setImageDataFormat('channelsFirst');
    let first: ts.Functional;
    try {
      first = await ts.applications.ResNet50V2({ weights: null, includeTop: false, inputShape: [3, 32, 32], pooling: 'avg' });
    } finally {
      ts.config.setImageDataFormat(previous);
    }
    expect(first.inputs[0].shape).toEqual([null, 3, 32, 32]);
    first.setWeights(last.getWeights());
    const x = sineImages(2, 32);
    const want = (last.apply(x) as ts.Tensor).dataSync();
    const got = (first.apply(ts.transpose(x, [0, 3, 1, 2])) as ts.Tensor).dataSync();
    expect(relativeError(got as Float32Array, want)).toBeLessThan(1e-5);
  });
});
