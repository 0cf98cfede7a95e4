// Pooling and the spatial reshaping layers with dataFormat 'channelsFirst' (Keras's
// channels_first): each layer must equal its channels-last twin on the transposed input, with
// the channels second in the output, and follow config.setImageDataFormat when no dataFormat
// is given.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from '../../src';

type Factory = (args: never) => ts.layers.Layer;
const CASES: [string, Factory, object, number[]][] = [
  ['maxPooling1d', ts.layers.maxPooling1d as Factory, { poolSize: 2 }, [2, 3, 7]],
  ['averagePooling1d', ts.layers.averagePooling1d as Factory, { poolSize: 3, strides: 2, padding: 'same' }, [2, 3, 8]],
  ['maxPooling2d', ts.layers.maxPooling2d as Factory, { poolSize: [2, 3], padding: 'same' }, [2, 3, 5, 7]],
  ['averagePooling2d', ts.layers.averagePooling2d as Factory, { poolSize: 2, strides: 1 }, [1, 4, 5, 5]],
  ['maxPooling3d', ts.layers.maxPooling3d as Factory, { poolSize: 2 }, [1, 2, 4, 5, 4]],
  ['averagePooling3d', ts.layers.averagePooling3d as Factory, { poolSize: 2, padding: 'same' }, [1, 3, 3, 4, 5]],
  ['globalAveragePooling1d', ts.layers.globalAveragePooling1d as Factory, {}, [2, 3, 7]],
  ['globalMaxPooling2d', ts.layers.globalMaxPooling2d as Factory, {}, [2, 3, 4, 5]],
  ['globalAveragePooling2d (keepdims)', ts.layers.globalAveragePooling2d as Factory, { keepdims: true }, [2, 3, 4, 5]],
  ['globalMaxPooling3d', ts.layers.globalMaxPooling3d as Factory, {}, [1, 2, 3, 4, 5]],
  ['upSampling2d nearest', ts.layers.upSampling2d as Factory, { size: [2, 3] }, [2, 3, 4, 5]],
  ['upSampling2d bilinear', ts.layers.upSampling2d as Factory, { size: 2, interpolation: 'bilinear' }, [1, 2, 3, 5]],
  ['upSampling3d', ts.layers.upSampling3d as Factory, { size: [1, 2, 2] }, [1, 2, 3, 2, 4]],
  [
    'zeroPadding2d',
    ts.layers.zeroPadding2d as Factory,
    {
      padding: [
        [1, 2],
        [0, 3],
      ],
    },
    [2, 3, 4, 5],
  ],
  ['zeroPadding3d', ts.layers.zeroPadding3d as Factory, { padding: 1 }, [1, 2, 3, 2, 4]],
  [
    'cropping2d',
    ts.layers.cropping2d as Factory,
    {
      cropping: [
        [1, 0],
        [2, 1],
      ],
    },
    [2, 3, 4, 6],
  ],
  [
    'cropping3d',
    ts.layers.cropping3d as Factory,
    {
      cropping: [
        [0, 1],
        [1, 1],
        [1, 0],
      ],
    },
    [1, 2, 4, 5, 3],
  ],
];

const toLast = (rank: number) => [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
const toFirst = (rank: number) => [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];

describe.each(CASES)('%s channelsFirst', (_name, factory, options, shape) => {
  test('equals channels-last on the transposed input; output shape puts the channels second', () => {
    const first = factory({ ...options, dataFormat: 'channelsFirst' } as never);
    const last = factory({ ...options } as never);
    const x = ts.randomNormal(shape, 0, 1, 'float32', 3);
    const y = first.apply(x) as ts.Tensor;
    const lastOut = last.apply(ts.transpose(x, toLast(shape.length))) as ts.Tensor;
    // Global pooling without keepdims gives [batch, channels] either way.
    const expected = lastOut.rank === shape.length ? ts.transpose(lastOut, toFirst(shape.length)) : lastOut;
    expect(y.shape).toEqual(expected.shape);
    expect(first.computeOutputShape([null, ...shape.slice(1)])).toEqual([null, ...expected.shape.slice(1)]);
    expect(ts.max(ts.abs(ts.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-6);
    expect(first.getConfig().dataFormat).toBe('channelsFirst');
  });
});

test('globalAveragePooling1d channelsFirst leaves masked steps out', () => {
  const x = ts.tensor([
    [
      [1, 2, 3, 100],
      [4, 5, 6, 100],
    ],
  ]); // [batch 1, channels 2, steps 4]
  const mask = ts.tensor([[true, true, true, false]]);
  const y = ts.layers.globalAveragePooling1d({ dataFormat: 'channelsFirst' }).apply(x, { mask }) as ts.Tensor;
  expect(Array.from(y.dataSync())).toEqual([2, 5]);
});

test('spatialDropout2d channelsFirst drops whole channels (axis 1)', () => {
  const drop = ts.layers.spatialDropout2d({ rate: 0.5, seed: 3, dataFormat: 'channelsFirst' });
  const y = drop.apply(ts.ones([4, 6, 3, 5]), { training: true }) as ts.Tensor;
  const v = y.arraySync() as number[][][][];
  for (const example of v) for (const channel of example) expect(new Set(channel.flat()).size).toBe(1);
  expect(new Set(v.flat(3)).size).toBe(2); // 0 and 2: some channels dropped, some kept
});

test('pooling follows config.setImageDataFormat when made without a dataFormat', () => {
  ts.config.setImageDataFormat('channelsFirst');
  try {
    const pool = ts.layers.maxPooling2d();
    expect(pool.dataFormat).toBe('channelsFirst');
    expect((pool.apply(ts.ones([1, 3, 4, 6])) as ts.Tensor).shape).toEqual([1, 3, 2, 3]);
    // A channels-first CNN from layers made without a dataFormat: conv, pool, global pool.
    const model = ts.sequential({
      layers: [
        ts.layers.conv2d({ inputShape: [1, 8, 8], filters: 4, kernelSize: 3, activation: 'relu' }),
        ts.layers.maxPooling2d(),
        ts.layers.globalAveragePooling2d(),
        ts.layers.dense({ units: 2 }),
      ],
    });
    expect(model.outputShape).toEqual([null, 2]);
    expect((model.predict(ts.ones([3, 1, 8, 8])) as ts.Tensor).shape).toEqual([3, 2]);
  } finally {
    ts.config.setImageDataFormat('channelsLast');
  }
});

test('a Keras 3.15 model with data_format channels_first in every spatial layer loads and predicts as Keras', async () => {
  // test/fixtures/keras/channels_first/, written by scripts/fixtures/make_channels_first_fixtures.py.
  const dir = path.resolve(__dirname, '..', 'fixtures', 'keras', 'channels_first');
  const io = JSON.parse(fs.readFileSync(path.join(dir, 'cnn.json'), 'utf8'));
  const model = (await ts.loadModel(path.join(dir, 'cnn.keras'))) as ts.Model<any>;
  expect((model as unknown as ts.Sequential).outputShape).toEqual(io.outputShape);
  const y = model.predict(ts.tensor(io.x, io.xShape)) as ts.Tensor;
  expect(y.shape).toEqual(io.yShape);
  const got = Array.from(y.dataSync());
  got.forEach((v, i) => expect(Math.abs(v - io.y[i])).toBeLessThan(1e-4));
});
