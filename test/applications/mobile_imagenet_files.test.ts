// weights: 'imagenet' asks utils.getFile for Keras's own file names (MobileNet's and
// MobileNetV2's depend on alpha, the size and the top; Keras publishes no hash for them). A file
// put in the cache under the expected name is used as is, so no download happens here.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';
import { FIX } from './mobile_numeric';

const SMALL_FILE = join(FIX, 'applications_mobilenet_025_notop.h5'); // MobileNet alpha 0.25 without the top
let home: string;
const saved = process.env.TESSERA_HOME;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'tessera-apps-'));
  mkdirSync(join(home, 'models'));
  process.env.TESSERA_HOME = home;
});
afterAll(() => {
  if (saved === undefined) delete process.env.TESSERA_HOME;
  else process.env.TESSERA_HOME = saved;
  rmSync(home, { recursive: true, force: true });
});
const cache = (name: string) => copyFileSync(SMALL_FILE, join(home, 'models', name));

test("MobileNet alpha 0.25 at 128x128 without the top reads 'mobilenet_2_5_128_tf_no_top.h5'", async () => {
  cache('mobilenet_2_5_128_tf_no_top.h5');
  const options = { alpha: 0.25, includeTop: false, inputShape: [128, 128, 3] };
  const fromCache = await ts.applications.MobileNet(options);
  const fromPath = await ts.applications.MobileNet({ ...options, weights: SMALL_FILE });
  expect(fromCache.name).toBe('mobilenet_0.25_128');
  expect(fromCache.weights.length).toBe(fromPath.weights.length);
  fromCache.weights.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(fromPath.weights[i].dataSync())));
});

// Another model's weights under MobileNetV2's names: the load (not a download) fails, naming the file.
test.each([
  [{ alpha: 0.35, includeTop: false, inputShape: [96, 96, 3] }, 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5'],
  [{}, 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5'],
])('MobileNetV2 %j reads %s', async (options, file) => {
  cache(file);
  await expect(ts.applications.MobileNetV2(options)).rejects.toThrow(file);
});
