// The frame every application shares (src/applications/application.ts) and the ImageNet
// scalings, against Keras 3.15's imagenet_utils (fixtures of
// scripts/fixtures/make_applications_frame_fixtures.py): obtain_input_shape's rules,
// preprocess_input's values; the common option errors, inputTensor, pooling, a weights file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';
import { startApplication, type ApplicationSpec } from '../../src/applications/application';
import { readFamily, relativeError, setPattern, sineImages } from './keras_reference';

interface Fixture {
  preprocess: {
    mode: 'caffe' | 'tf' | 'torch';
    dataFormat: 'channels_last' | 'channels_first';
    dtype: 'float32' | 'int32';
    shape: number[];
    input: number[];
    output: number[];
  }[];
  inputShape: {
    inputShape: (number | null)[] | null;
    dataFormat: string;
    requireFlatten: boolean;
    weights: string | null;
    result: (number | null)[] | 'error';
  }[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'applications', 'frame.json'), 'utf8')) as Fixture;

// A spec with Keras's usual sizes; its 'imagenet' files are never fetched (no model is finished).
const SPEC: ApplicationSpec = {
  op: 'applications.Test',
  optionsEntry: ['includeTop', 'weights', 'inputTensor', 'inputShape', 'pooling', 'classes', 'classifierActivation', 'name'],
  defaultName: 'test',
  defaultSize: 224,
  minSize: 32,
  imagenet: { top: { file: 'top.h5', hash: '0' }, notop: { file: 'notop.h5', hash: '0' } },
};

function inFormat<T>(format: 'channelsLast' | 'channelsFirst', fn: () => T): T {
  const previous = ts.config.imageDataFormat();
  ts.config.setImageDataFormat(format);
  try {
    return fn();
  } finally {
    ts.config.setImageDataFormat(previous);
  }
}

describe('applications: the input shape as Keras obtain_input_shape gives it', () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  afterAll(() => warn.mockRestore());
  for (const c of fixture.inputShape) {
    const what = `${c.dataFormat} inputShape ${JSON.stringify(c.inputShape)}, includeTop ${c.requireFlatten}, weights ${c.weights}`;
    test(`${what} -> ${JSON.stringify(c.result)}`, () => {
      const format = c.dataFormat === 'channels_first' ? 'channelsFirst' : 'channelsLast';
      const start = () => inFormat(format, () => startApplication(SPEC, { inputShape: c.inputShape, includeTop: c.requireFlatten, weights: c.weights }));
      if (c.result === 'error') expect(start).toThrow(/^applications\.Test: /);
      else expect(start().inputShape).toEqual(c.result);
    });
  }
});

describe('applications.imagenetUtils.preprocessInput matches Keras', () => {
  for (const c of fixture.preprocess) {
    test(`mode ${c.mode}, ${c.dataFormat}, ${c.dtype} images`, () => {
      const x = ts.tensor(c.input, c.shape, c.dtype);
      const y = ts.applications.imagenetUtils.preprocessInput(x, { mode: c.mode, dataFormat: c.dataFormat });
      expect(y.dtype).toBe('float32');
      const got = y.dataSync();
      c.output.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    });
  }
});

describe("applications: each family's preprocessInput is Keras's mode", () => {
  const x = ts.tensor(
    Array.from({ length: 12 }, (_, i) => i * 20),
    [1, 2, 2, 3],
  );
  const modes = {
    caffe: [
      ts.applications.resnet.preprocessInput,
      ts.applications.resnet50.preprocessInput,
      ts.applications.vgg16.preprocessInput,
      ts.applications.vgg19.preprocessInput,
    ],
    tf: [
      ts.applications.resnetV2.preprocessInput,
      ts.applications.xception.preprocessInput,
      ts.applications.inceptionV3.preprocessInput,
      ts.applications.inceptionResnetV2.preprocessInput,
    ],
    torch: [ts.applications.densenet.preprocessInput],
  };
  for (const [mode, fns] of Object.entries(modes)) {
    test(`${mode}: ${fns.length} families`, () => {
      const want = ts.applications.imagenetUtils.preprocessInput(x, { mode: mode as 'caffe' }).dataSync();
      for (const fn of fns) expect(Array.from(fn(x, { dataFormat: 'channelsLast' }).dataSync())).toEqual(Array.from(want));
    });
  }
  test('they take no mode (Keras fixes it), nor extra arguments', () => {
    expect(() => ts.applications.resnet.preprocessInput(x, { mode: 'tf' } as never)).toThrow(/applications\.resnet\.preprocessInput.*mode/);
    expect(() => (ts.applications.densenet.preprocessInput as (...a: unknown[]) => unknown)(x, {}, 1)).toThrow(/applications\.densenet\.preprocessInput/);
    expect(() => ts.applications.vgg16.preprocessInput([1, 2, 3] as never)).toThrow(/applications\.vgg16\.preprocessInput: expected a tensor/);
  });
  test('the family modules carry Keras decode_predictions and their architectures', () => {
    expect(ts.applications.resnet.decodePredictions).toBe(ts.applications.imagenetUtils.decodePredictions);
    expect(ts.applications.resnet50.ResNet50).toBe(ts.applications.ResNet50);
    expect(ts.applications.resnetV2.ResNet152V2).toBe(ts.applications.ResNet152V2);
    expect(ts.applications.densenet.DenseNet201).toBe(ts.applications.DenseNet201);
  });
});

describe('applications: the common options', () => {
  const VGG16 = ts.applications.VGG16;
  const cases: [string, unknown, RegExp][] = [
    ['an unknown key', { includeTops: false }, /applications\.VGG16: .*includeTops/],
    ['includeTop not a boolean', { includeTop: 'yes' }, /applications\.VGG16: includeTop must be true or false, got/],
    ['weights of another type', { weights: 5 }, /applications\.VGG16: weights must be null .*got 5/],
    ['a weights file that does not exist', { weights: '/no/such/weights.h5' }, /applications\.VGG16: .*no file at '\/no\/such\/weights\.h5'/],
    ['an unknown pooling', { includeTop: false, weights: null, pooling: 'mean' }, /applications\.VGG16: pooling must be 'avg', 'max' or null, got 'mean'/],
    ['classes not a positive integer', { weights: null, classes: 0 }, /applications\.VGG16: classes must be a positive integer, got 0/],
    [
      "classes other than 1000 with 'imagenet' and the top",
      { classes: 10 },
      /applications\.VGG16: with 'imagenet' weights and includeTop, classes must be 1000, got 10/,
    ],
    [
      'a classifierActivation other than softmax with pretrained weights',
      { classifierActivation: 'relu' },
      /applications\.VGG16: .*classifierActivation must be 'softmax' or null/,
    ],
    ['an empty name', { weights: null, includeTop: false, name: '' }, /applications\.VGG16: name must be a non-empty string/],
    [
      'an inputTensor that is not symbolic',
      { weights: null, includeTop: false, inputTensor: ts.zeros([1, 32, 32, 3]) },
      /applications\.VGG16: inputTensor must be a symbolic tensor/,
    ],
    ['a three-axis inputShape of two', { weights: null, includeTop: false, inputShape: [32, 32] }, /applications\.VGG16: inputShape must be three sizes/],
    [
      'an image smaller than the minimum',
      { weights: null, includeTop: false, inputShape: [16, 32, 3] },
      /applications\.VGG16: the image must be at least 32x32/,
    ],
    [
      "the top with 'imagenet' at another size",
      { inputShape: [64, 64, 3] },
      /applications\.VGG16: with includeTop and 'imagenet' weights, inputShape must be \[224, 224, 3\]/,
    ],
  ];
  for (const [what, options, error] of cases) {
    test(`refused: ${what}`, async () => {
      await expect(VGG16(options as never)).rejects.toThrow(error);
    });
  }
  const FACTORIES = [
    'ResNet50',
    'ResNet101',
    'ResNet152',
    'ResNet50V2',
    'ResNet101V2',
    'ResNet152V2',
    'VGG16',
    'VGG19',
    'Xception',
    'InceptionV3',
    'InceptionResNetV2',
    'DenseNet121',
    'DenseNet169',
    'DenseNet201',
  ] as const;
  test.each(FACTORIES)('%s takes one options object only', (name) => {
    const factory = ts.applications[name] as (...a: unknown[]) => unknown;
    expect(() => factory({ weights: null }, 'EXTRA')).toThrow(new RegExp(`^applications\\.${name}: expected at most 1 argument`));
  });
  test.each(FACTORIES)('%s refuses options of the wrong kind', async (name) => {
    const factory = ts.applications[name] as (...a: unknown[]) => Promise<unknown>;
    await expect(factory('imagenet')).rejects.toThrow(new RegExp(`^applications\\.${name}: expected an options object`));
  });
  test('DenseNet refuses channels first, as Keras', async () => {
    await expect(inFormat('channelsFirst', () => ts.applications.DenseNet121({ weights: null, includeTop: false }))).rejects.toThrow(
      /applications\.DenseNet121: DenseNet does not support the channelsFirst image data format/,
    );
  });
});

describe('applications: inputTensor and pooling', () => {
  test('an inputTensor after other layers: the model starts at its source input', async () => {
    const source = ts.input({ shape: [32, 32, 3] });
    const scaled = ts.layers.rescaling({ scale: 1 / 255 }).apply(source) as ts.SymbolicTensor;
    const model = await ts.applications.VGG16({ weights: null, includeTop: false, inputTensor: scaled, pooling: 'max' });
    expect(model.inputs).toEqual([source]);
    expect((model.layers[1].constructor as unknown as { className: string }).className).toBe('Rescaling');
    const last = model.layers[model.layers.length - 1];
    expect((last.constructor as unknown as { className: string }).className).toBe('GlobalMaxPooling2D');
    expect(model.outputs[0].shape).toEqual([null, 512]);
    model.dispose();
  });
  test("pooling null keeps the feature map; ResNet names its pooling 'max_pool' as Keras", async () => {
    const plain = await ts.applications.VGG16({ weights: null, includeTop: false, inputShape: [64, 64, 3] });
    expect(plain.outputs[0].shape).toEqual([null, 2, 2, 512]);
    plain.dispose();
    const resnet = await ts.applications.ResNet50V2({ weights: null, includeTop: false, pooling: 'max', name: 'backbone' });
    expect(resnet.name).toBe('backbone');
    expect(resnet.inputs[0].shape).toEqual([null, null, null, 3]);
    expect(resnet.layers[resnet.layers.length - 1].name).toBe('max_pool');
    expect(resnet.outputs[0].shape).toEqual([null, 2048]);
    resnet.dispose();
  });
});

describe('applications: weights from a file', () => {
  test("weights: a path loads that .weights.h5 (DenseNet121 then gives Keras's outputs for the pattern weights)", async () => {
    const fx = readFamily('densenet').numeric.find((c) => c.model === 'DenseNet121' && !c.includeTop)!;
    const options = { includeTop: false, inputShape: [fx.side, fx.side, 3], pooling: 'avg' } as const;
    const source = await ts.applications.DenseNet121({ ...options, weights: null });
    setPattern(source);
    const dir = mkdtempSync(join(tmpdir(), 'tessera-apps-'));
    try {
      const file = join(dir, 'densenet121.weights.h5');
      await source.saveWeights(file);
      const loaded = await ts.applications.DenseNet121({ ...options, weights: file });
      const y = loaded.apply(sineImages(2, fx.side)) as ts.Tensor;
      expect(relativeError(y.dataSync() as Float32Array, fx.output)).toBeLessThan(1e-4);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      source.dispose();
    }
  });
});
