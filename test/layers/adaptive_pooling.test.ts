// The adaptive pooling layers: shapes (eager and symbolic), values through the ops, config
// round trips with Keras's class names, and bad options.
import * as ts from '../../src';
import { layers, type Tensor } from '../../src';
import { configFromDisk, configToDisk } from '../../src/saving/config_conversion';
import { expectConfigRoundTrip } from '../helpers/layers';
import { expectClose, randomTensor } from '../helpers/reference';

const factories: [string, (a: layers.AdaptivePoolingArgs) => layers.AdaptivePooling, number, boolean][] = [
  ['AdaptiveAveragePooling1D', layers.adaptiveAveragePooling1d, 1, true],
  ['AdaptiveAveragePooling2D', layers.adaptiveAveragePooling2d, 2, true],
  ['AdaptiveAveragePooling3D', layers.adaptiveAveragePooling3d, 3, true],
  ['AdaptiveMaxPooling1D', layers.adaptiveMaxPooling1d, 1, false],
  ['AdaptiveMaxPooling2D', layers.adaptiveMaxPooling2d, 2, false],
  ['AdaptiveMaxPooling3D', layers.adaptiveMaxPooling3d, 3, false],
];

describe.each(factories)('%s', (className, factory, rank, average) => {
  const spatial = [5, 4, 3].slice(0, rank);
  test('pools to outputSize, as the op does, eagerly and in a model', () => {
    const layer = factory({ outputSize: 2 });
    const x = randomTensor([2, ...spatial, 3], 5);
    const y = layer.apply(x) as Tensor;
    expect(y.shape).toEqual([2, ...new Array(rank).fill(2), 3]);
    const op = average ? ts.adaptiveAveragePool : ts.adaptiveMaxPool;
    expectClose(y.dataSync(), op(x, 2).dataSync());
    const input = ts.input({ shape: [...spatial, 3] });
    const out = factory({ outputSize: 2 }).apply(input) as ts.SymbolicTensor;
    expect(out.shape).toEqual([null, ...new Array(rank).fill(2), 3]);
  });
  test('channelsFirst', () => {
    const layer = factory({ outputSize: new Array(rank).fill(1), dataFormat: 'channels_first' });
    expect(layer.dataFormat).toBe('channelsFirst');
    expect((layer.apply(ts.ones([1, 3, ...spatial])) as Tensor).shape).toEqual([1, 3, ...new Array(rank).fill(1)]);
  });
  test('config round trip under Keras names', () => {
    const layer = factory({ outputSize: 3 });
    expect(layers.serializeLayer(layer).className).toBe(className);
    expectConfigRoundTrip(layer);
    const onDisk = configToDisk(layer.getConfig(), 'keras') as Record<string, unknown>;
    expect(onDisk.output_size).toEqual(new Array(rank).fill(3));
    expect(onDisk.data_format).toBe('channels_last');
    const back = (layers as unknown as Record<string, { fromConfig(c: unknown): layers.AdaptivePooling }>)[className].fromConfig(configFromDisk(onDisk));
    expect(back.outputSize).toEqual(new Array(rank).fill(3));
    expect(back.dataFormat).toBe('channelsLast');
  });
  test('bad options', () => {
    expect(() => factory({})).toThrow(new RegExp(`expected outputSize to be a positive integer or ${rank} positive integers, got undefined`));
    expect(() => factory({ outputSize: [2, 2, 2, 2] })).toThrow(/expected outputSize/);
    expect(() => factory({ outputSize: 2, dataFormat: 'NHWC' as never })).toThrow(/expected dataFormat 'channelsLast' or 'channelsFirst', got 'NHWC'/);
    expect(() => factory({ outputSize: 2, outputSzie: 3 } as never)).toThrow(/outputSzie/);
    expect(() => factory({ outputSize: 2 }).apply(ts.ones([2, 3]))).toThrow(/expected ndim=|rank|ndim/);
  });
});

test('a string activation and adaptive pooling train together', async () => {
  const model = ts.sequential({
    layers: [
      ts.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'hard_silu' }),
      layers.adaptiveMaxPooling2d({ outputSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 1, activation: 'squareplus' }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const x = randomTensor([4, 6, 6, 1], 2);
  const y = ts.ones([4, 1]);
  const history = await model.fit(x, y, { epochs: 4, verbose: 0, batchSize: 4 });
  const loss = history.history.loss as number[];
  expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
});
