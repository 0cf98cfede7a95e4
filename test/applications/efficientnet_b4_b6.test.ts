// EfficientNetB4, B5 and B6 against Keras 3.15's layers at 32x32 with the top, and their parameter
// totals (a file apart: building them allocates their weights; see mobile_architectures.test.ts).
import { checkWithTop } from './mobile_layers';

test.each(['EfficientNetB4', 'EfficientNetB5', 'EfficientNetB6'])('%s: layers with the top, and the parameter total', checkWithTop);
