// EfficientNetB7 against Keras 3.15's layers at 32x32 with the top, and its parameter total
// (a file of its own: building it allocates its weights; see mobile_architectures.test.ts).
import { checkWithTop } from './mobile_layers';

test('EfficientNetB7: layers with the top, and the parameter total', () => checkWithTop('EfficientNetB7'));
