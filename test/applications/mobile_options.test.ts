// The mobile families' own options and Keras's checks on them: clear errors naming the
// application, Keras's warnings, the default names and the pretrained files' names.
import * as ts from '../../src';

const A = ts.applications;

test('MobileNet: alpha, depthMultiplier and the input size against the published weights', async () => {
  await expect(A.MobileNet({ alpha: 0.3 })).rejects.toThrow("applications.MobileNet: with 'imagenet' weights, alpha must be 0.25, 0.5, 0.75 or 1, got 0.3");
  await expect(A.MobileNet({ depthMultiplier: 2 })).rejects.toThrow("applications.MobileNet: with 'imagenet' weights, depthMultiplier must be 1, got 2");
  await expect(A.MobileNet({ weights: null, depthMultiplier: 1.5 })).rejects.toThrow(
    'applications.MobileNet: depthMultiplier must be a positive integer, got 1.5',
  );
  await expect(A.MobileNet({ weights: null, alpha: -1 })).rejects.toThrow('applications.MobileNet: alpha must be a positive number, got -1');
  await expect(A.MobileNet({ weights: null, dropout: 1 })).rejects.toThrow('applications.MobileNet: dropout must be a number in [0, 1), got 1');
  // The top with 'imagenet' takes the published square sizes (Keras's default_size follows the input).
  await expect(A.MobileNet({ inputShape: [100, 100, 3] })).rejects.toThrow(
    "applications.MobileNet: with includeTop and 'imagenet' weights, inputShape must be [224, 224, 3]",
  );
  await expect(A.MobileNet({ weights: null, alpha: 0.25, depthMultiplier: 1, dropout: 0.5, bogus: 1 } as never)).rejects.toThrow(
    /applications\.MobileNet.*bogus/,
  );
});

test('MobileNet and MobileNetV2: Keras default names carry alpha and the size', async () => {
  expect((await A.MobileNet({ weights: null, alpha: 0.25, inputShape: [128, 128, 3] })).name).toBe('mobilenet_0.25_128');
  expect((await A.MobileNet({ weights: null, includeTop: false })).name).toBe('mobilenet_1.00_None');
  expect((await A.MobileNetV2({ weights: null, alpha: 0.35, inputShape: [96, 96, 3] })).name).toBe('mobilenetv2_0.35_96');
  expect((await A.MobileNetV2({ weights: null, name: 'mine', inputShape: [96, 96, 3] })).name).toBe('mine');
});

test('MobileNetV2: alpha against the published weights', async () => {
  await expect(A.MobileNetV2({ alpha: 0.6 })).rejects.toThrow(
    "applications.MobileNetV2: with 'imagenet' weights, alpha must be one of 0.35, 0.5, 0.75, 1, 1.3, 1.4, got 0.6",
  );
  await expect(A.MobileNetV2({ weights: null, alpha: '1' as never })).rejects.toThrow("applications.MobileNetV2: alpha must be a positive number, got '1'");
});

test('MobileNetV3: alpha, minimalistic, includePreprocessing and dropoutRate are checked', async () => {
  await expect(A.MobileNetV3Small({ alpha: 0.5 })).rejects.toThrow(
    "applications.MobileNetV3Small: with 'imagenet' weights, alpha must be 0.75 or 1 (1 when minimalistic), got 0.5",
  );
  await expect(A.MobileNetV3Large({ alpha: 0.75, minimalistic: true })).rejects.toThrow(
    "applications.MobileNetV3Large: with 'imagenet' weights, alpha must be 0.75 or 1 (1 when minimalistic), got 0.75 with minimalistic",
  );
  await expect(A.MobileNetV3Small({ weights: null, minimalistic: 1 as never })).rejects.toThrow(
    'applications.MobileNetV3Small: minimalistic must be true or false, got 1',
  );
  await expect(A.MobileNetV3Small({ weights: null, includePreprocessing: 'no' as never })).rejects.toThrow(
    "applications.MobileNetV3Small: includePreprocessing must be true or false, got 'no'",
  );
  await expect(A.MobileNetV3Large({ weights: null, dropoutRate: -0.1 })).rejects.toThrow(
    'applications.MobileNetV3Large: dropoutRate must be a number in [0, 1), got -0.1',
  );
  await expect(A.MobileNetV3Small({ weights: null, inputShape: [16, 16, 3] })).rejects.toThrow(
    'applications.MobileNetV3Small: the image must be at least 32x32',
  );
  await expect(A.MobileNetV3Small({ weights: null, dropoutRatio: 0.1 } as never)).rejects.toThrow(/applications\.MobileNetV3Small.*dropoutRatio/);
});

test('MobileNetV3: any size with the top (Keras requires none); dropoutRate 0 leaves the Dropout out; no Rescaling without preprocessing', async () => {
  const m = await A.MobileNetV3Small({ weights: null, dropoutRate: 0, includePreprocessing: false, classes: 7 });
  expect(m.inputs[0].shape).toEqual([null, null, null, 3]);
  expect(m.layers.some((l) => l instanceof ts.layers.Dropout || l instanceof ts.layers.Rescaling)).toBe(false);
  expect(m.outputs[0].shape).toEqual([null, 7]);
});

test('EfficientNet: the common options, the default size and names', async () => {
  await expect(A.EfficientNetB0({ inputShape: [32, 32, 3] })).rejects.toThrow(
    "applications.EfficientNetB0: with includeTop and 'imagenet' weights, inputShape must be [224, 224, 3]",
  );
  await expect(A.EfficientNetB3({ alpha: 1 } as never)).rejects.toThrow(/applications\.EfficientNetB3.*alpha/);
  const m = await A.EfficientNetB0({ weights: null, includeTop: false, pooling: 'max' });
  expect(m.name).toBe('efficientnetb0');
  expect(m.outputs[0].shape).toEqual([null, 1280]);
});

test('every factory takes one options object', async () => {
  const calls: [string, () => unknown][] = [
    ['applications.MobileNet', () => (A.MobileNet as (...a: unknown[]) => unknown)({}, 1)],
    ['applications.MobileNetV2', () => (A.MobileNetV2 as (...a: unknown[]) => unknown)({}, 1)],
    ['applications.MobileNetV3Small', () => (A.MobileNetV3Small as (...a: unknown[]) => unknown)({}, 1)],
    ['applications.MobileNetV3Large', () => (A.MobileNetV3Large as (...a: unknown[]) => unknown)({}, 1)],
    ['applications.EfficientNetB7', () => (A.EfficientNetB7 as (...a: unknown[]) => unknown)({}, 1)],
  ];
  for (const [op, call] of calls) await expect(call()).rejects.toThrow(op);
  await expect(A.MobileNet(5 as never)).rejects.toThrow('applications.MobileNet: expected an options object');
});

test('preprocessInput of each family: [-1, 1] for MobileNet and MobileNetV2, the input itself for MobileNetV3 and EfficientNet', () => {
  const x = ts.tensor([0, 127.5, 255, 51, 102, 204], [1, 2, 3]);
  expect(Array.from(A.mobilenet.preprocessInput(x).dataSync()).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([-1, 0, 1, -0.6, -0.2, 0.6]);
  const v2 = A.mobilenetV2.preprocessInput(ts.transpose(x, [2, 0, 1]), { dataFormat: 'channelsFirst' });
  expect(Array.from(v2.dataSync()).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([-1, -0.6, 0, -0.2, 1, 0.6]);
  expect(A.mobilenetV3.preprocessInput(x)).toBe(x);
  expect(A.efficientnet.preprocessInput(x, { dataFormat: 'channels_first' })).toBe(x);
  expect(() => A.mobilenet.preprocessInput(x, { mode: 'caffe' } as never)).toThrow(/applications\.mobilenet\.preprocessInput.*mode/);
  expect(() => A.efficientnet.preprocessInput([1] as never)).toThrow('applications.efficientnet.preprocessInput: expected a tensor of images');
  expect(() => A.mobilenetV3.preprocessInput(x, { dataFormat: 'nchw' as never })).toThrow('applications.mobilenetV3.preprocessInput');
  expect(() => (A.mobilenetV2.preprocessInput as (...a: unknown[]) => unknown)(x, {}, 1)).toThrow('applications.mobilenetV2.preprocessInput');
  expect(A.mobilenet.decodePredictions).toBe(A.imagenetUtils.decodePredictions);
});
