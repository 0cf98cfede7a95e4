// MobileNet, MobileNetV2 and MobileNetV3's outputs against Keras 3.15's under the same
// deterministic weights (pattern_weights.ts / applications_pattern.py): pooled features and the
// top's output, both data formats for one model per family (Keras's weight files: mobile_weights_file.test.ts).
import { NUMERIC, describeCase } from './mobile_numeric';

for (const key of Object.keys(NUMERIC.cases)) if (key.startsWith('MobileNet')) describeCase(key);

test('the fixture has the cases of every code path', () => {
  expect(Object.keys(NUMERIC.cases)).toEqual([
    'MobileNet_alpha0.25_dm2',
    'MobileNetV2_alpha0.35',
    'MobileNetV3Small',
    'MobileNetV3Small_minimalistic',
    'MobileNetV3Small_alpha0.75_noprep',
    'EfficientNetB0',
  ]);
});
