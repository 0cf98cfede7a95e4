// MobileNet, MobileNetV2, MobileNetV3 and EfficientNetB0..B3 against Keras 3.15's layers:
// every layer's name, class, output shape and parameter count at 32x32 (with and without the
// top), and the parameter total at the default size (scripts/fixtures/make_applications_mobile_fixtures.py).
// EfficientNetB4..B7 are in efficientnet_b4_b6 and efficientnet_b7 (building them allocates their weights).
import { FIXTURE, checkWithTop, checkWithoutTop } from './mobile_layers';

const KEYS = Object.keys(FIXTURE.archs).filter((k) => !/EfficientNetB[4-7]/.test(k));

test('the fixture has every architecture', () => {
  expect(Object.keys(FIXTURE.archs).filter((k) => !k.includes('_'))).toEqual([
    'MobileNet',
    'MobileNetV2',
    'MobileNetV3Small',
    'MobileNetV3Large',
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((b) => `EfficientNetB${b}`),
  ]);
});

test.each(KEYS)('%s: layers with the top, and the parameter total', checkWithTop);

test.each(KEYS.filter((k) => FIXTURE.archs[k].notop !== undefined))('%s: layers without the top, pooled', checkWithoutTop);
