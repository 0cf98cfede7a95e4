// Pooling layers: PyTorch fixtures, shapes, masks, configs, errors, memory.
import { grads, input, layers, model, mul, sum, tensor, type Tensor } from '../../src';
import { fromFixture, loadFixture } from '../helpers/fixtures';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

const symbolic = (layer: { apply: (x: any) => any }, shape: (number | null)[]) => layer.apply(input({ batchShape: shape })).shape;

describe('maxPooling2d and averagePooling2d', () => {
  it.each(loadFixture('pooling').map((c) => [c.name, c] as const))('match the PyTorch fixture: %s', (_, c) => {
    const make = c.attrs.kind === 'max' ? layers.maxPooling2d : layers.averagePooling2d;
    const layer = make({ poolSize: c.attrs.poolSize as number[], strides: c.attrs.strides as number[], padding: c.attrs.padding as 'same', dtype: 'float64' });
    const x = fromFixture(c.inputs.x);
    expectTensor(layer.apply(x), c.outputs.y.shape, c.outputs.y.data, 1e-6, 1e-7);
    expect(layer.computeOutputShape(c.inputs.x.shape)).toEqual(c.outputs.y.shape);
    const upstream = fromFixture(c.upstream.y);
    const [dx] = grads((xs: Tensor) => sum(mul(layer.apply(xs), upstream)))([x]);
    expectClose(dx.dataSync(), c.grads.x.data, 1e-6, 1e-7);
  });

  it('default to poolSize 2 with strides = poolSize; unknown sizes stay unknown', () => {
    expect(symbolic(layers.maxPooling2d(), [null, 28, 28, 3])).toEqual([null, 14, 14, 3]);
    expect(symbolic(layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }), [null, null, 5, 3])).toEqual([null, null, 5, 3]);
    expect(layers.maxPooling2d({ poolSize: [2, 3] }).getConfig()).toMatchObject({
      poolSize: [2, 3],
      strides: [2, 3],
      padding: 'valid',
      dataFormat: 'channelsLast',
    });
  });
});

describe('maxPooling1d and averagePooling1d', () => {
  it('pool by hand', () => {
    const x = tensor([1, 5, 2, 0, 3, 3], [1, 6, 1]);
    expectTensor(layers.maxPooling1d().apply(x), [1, 3, 1], [5, 2, 3]);
    expectTensor(layers.averagePooling1d({ poolSize: 3, strides: 3 }).apply(x), [1, 2, 1], [8 / 3, 2]);
    expectTensor(layers.maxPooling1d({ poolSize: 2, strides: 1, padding: 'same' }).apply(x), [1, 6, 1], [5, 5, 2, 3, 3, 3]);
    expect(symbolic(layers.averagePooling1d({ poolSize: 2 }), [null, 9, 4])).toEqual([null, 4, 4]);
  });
});

describe('global pooling', () => {
  const x = tensor([1, 2, 3, 4, 5, 6, -1, 0, 1, 7, 2, 2], [2, 3, 2]);

  it('pools over steps and pixels, with keepdims', () => {
    expectTensor(layers.globalAveragePooling1d().apply(x), [2, 2], [3, 4, 2 / 3, 3]);
    expectTensor(layers.globalMaxPooling1d().apply(x), [2, 2], [5, 6, 2, 7]);
    expectTensor(layers.globalMaxPooling1d({ keepdims: true }).apply(x), [2, 1, 2], [5, 6, 2, 7]);
    const img = tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    expectTensor(layers.globalAveragePooling2d().apply(img), [1, 2], [4, 5]);
    expectTensor(layers.globalMaxPooling2d({ keepdims: true }).apply(img), [1, 1, 1, 2], [7, 8]);
    expect(symbolic(layers.globalAveragePooling2d(), [null, 7, 7, 16])).toEqual([null, 16]);
    expect(symbolic(layers.globalAveragePooling2d({ keepdims: true }), [null, 7, 7, 16])).toEqual([null, 1, 1, 16]);
    expect(symbolic(layers.globalMaxPooling1d(), [null, null, 5])).toEqual([null, 5]);
  });

  it('globalAveragePooling1d leaves masked steps out, as Keras', () => {
    const mask = tensor([
      [true, true, false],
      [false, true, true],
    ]);
    expectTensor(layers.globalAveragePooling1d().apply(x, { mask }), [2, 2], [2, 3, 1.5, 4.5]);
    // Through a model: embedding(maskZero) -> pooling averages the real tokens only.
    const ids = input({ shape: [3], dtype: 'int32' });
    const emb = layers.embedding({ inputDim: 4, outputDim: 2, maskZero: true });
    const pooled = layers.globalAveragePooling1d().apply(emb.apply(ids));
    expect(pooled.shape).toEqual([null, 2]);
    emb.setWeights([tensor([0, 0, 1, 10, 2, 20, 3, 30], [4, 2])]);
    const m = model({ inputs: ids, outputs: pooled });
    expectTensor(
      m.apply(
        tensor(
          [
            [1, 2, 0],
            [0, 0, 3],
          ],
          [2, 3],
          'int32',
        ),
      ),
      [2, 2],
      [1.5, 15, 3, 30],
    );
  });

  it('configs, errors, memory', () => {
    for (const layer of [
      layers.globalAveragePooling1d({ keepdims: true }),
      layers.globalMaxPooling2d(),
      layers.maxPooling1d({ poolSize: 3 }),
      layers.averagePooling2d({ padding: 'same' }),
    ]) {
      expectConfigRoundTrip(layer);
    }
    expect(() => layers.maxPooling2d({ name: 'pool' }).apply(randomTensor([2, 4, 4]))).toThrow(
      'Input 0 of layer pool is incompatible with the layer: expected ndim=4, found ndim=3. Full shape received: [2, 4, 4]',
    );
    expect(layers.globalAveragePooling2d({ dataFormat: 'channels_first' as 'channelsFirst' }).dataFormat).toBe('channelsFirst');
    expect(() => layers.globalAveragePooling2d({ dataFormat: 'NCHW' as 'channelsFirst' })).toThrow(
      "expected dataFormat 'channelsLast' or 'channelsFirst', got 'NCHW'",
    );
    expect(() => layers.maxPooling2d({ padding: 'full' as 'same' })).toThrow("expected padding 'valid' or 'same'");
    expectFlatMemory(layers.maxPooling2d(), randomTensor([2, 4, 4, 3]));
    expectFlatMemory(layers.globalAveragePooling1d(), randomTensor([2, 4, 3]));
  });
});
