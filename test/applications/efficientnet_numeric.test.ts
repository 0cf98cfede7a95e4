// EfficientNetB0's outputs against Keras 3.15's under the same deterministic weights, in both
// data formats (see mobile_numeric.test.ts; a file apart, as its models take a while).
import { describeCase } from './mobile_numeric';

describeCase('EfficientNetB0', false);
