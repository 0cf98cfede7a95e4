// weights: '<path>' reads Keras's own files: a small MobileNet's weights saved by Keras 3.15 in
// Keras 2's layout (the imagenet files' layout and names: 'conv_dw_1/depthwise_kernel:0') and
// as Keras 3's .weights.h5; the model's output then matches Keras's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { FIX, SIZE, expectClose, image } from './mobile_numeric';

describe('weights from a path', () => {
  const out = JSON.parse(readFileSync(join(FIX, 'applications_mobilenet_025_notop_out.json'), 'utf8')) as { avg: number[] };
  test.each(['applications_mobilenet_025_notop.h5', 'applications_mobilenet_025_notop.weights.h5'])('%s loads as Keras saved it', async (file) => {
    const model = await ts.applications.MobileNet({ alpha: 0.25, inputShape: [SIZE, SIZE, 3], includeTop: false, pooling: 'avg', weights: join(FIX, file) });
    expectClose(model.predict(image(false)) as ts.Tensor, out.avg);
  });
});
