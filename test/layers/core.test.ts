// Core layers: dense, activation, dropout, reshaping, identity, lambda, masking, embedding.
import { input, layers, mul, tensor, tidy, zeros, ones, type Tensor } from '../../src';
import { expectConfigRoundTrip, expectGradientsToAllWeights } from '../helpers/layers';
import { expectNoLeaks } from '../helpers/memory';
import { expectTensor, randomTensor } from '../helpers/reference';

const symbolicShape = (layer: { apply: (x: any) => any }, shape: (number | null)[], dtype: 'float32' | 'int32' = 'float32') =>
  layer.apply(input({ batchShape: shape, dtype })).shape;

describe('dense', () => {
  it('computes x W + b and the activation, by hand', () => {
    const d = layers.dense({ units: 2, activation: 'relu', kernelInitializer: 'ones', biasInitializer: { className: 'Constant', config: { value: -4 } } });
    const y = d.apply(
      tensor([
        [1, 2, 3],
        [0, 1, 1],
      ]),
    );
    // row sums 6 and 2, minus 4, relu
    expectTensor(y, [2, 2], [2, 2, 0, 0]);
    expect(d.kernel!.shape).toEqual([3, 2]);
    expect(d.bias!.shape).toEqual([2]);
  });

  it('contracts the last axis of rank-3 inputs', () => {
    const d = layers.dense({ units: 4 });
    const x = randomTensor([2, 5, 3]);
    const y = d.apply(x);
    expect(y.shape).toEqual([2, 5, 4]);
    expect(symbolicShape(d, [null, 5, 3])).toEqual([null, 5, 4]);
  });

  it("checks the input size with Keras's message", () => {
    const d = layers.dense({ units: 10, name: 'dense_check' });
    d.apply(zeros([1, 784]));
    expect(() => d.apply(zeros([32, 100]))).toThrow(
      'Input 0 of layer dense_check is incompatible with the layer: expected axis -1 of input shape to have value 784, but received input with shape [32, 100]',
    );
    expect(() => d.apply(zeros([784]))).toThrow('expected min_ndim=2, found ndim=1');
  });

  it('round-trips its config and passes gradients to kernel and bias', () => {
    const d = layers.dense({
      units: 3,
      activation: 'tanh',
      useBias: true,
      kernelRegularizer: 'l2',
      biasConstraint: 'nonNeg',
      activityRegularizer: { className: 'L1', config: { l1: 0.1 } },
    });
    expectGradientsToAllWeights(d, randomTensor([4, 2]));
    expectConfigRoundTrip(d);
    expect(d.getConfig()).toMatchObject({ units: 3, activation: 'tanh', kernelInitializer: { className: 'GlorotUniform' } });
  });

  it('rejects bad options with the valid names', () => {
    expect(() => layers.dense({ units: 0 })).toThrow('expected units to be a positive integer');
    expect(() => layers.dense({ units: 2, activation: 'rlu' })).toThrow(/unknown activation 'rlu'; did you mean 'relu'\? valid names are: linear, relu, /);
    expect(() => layers.dense({ units: 2, kernelInitializer: 'glorot' })).toThrow(/unknown initializer 'glorot'; valid names are: .*GlorotUniform/);
  });
});

describe('activation, identity, dropout', () => {
  it('activation applies a named function', () => {
    const a = layers.activation({ activation: 'softmax' });
    const y = a.apply(tensor([[0, 0]]));
    expectTensor(y, [1, 2], [0.5, 0.5]);
    expectConfigRoundTrip(a);
  });

  it('identity returns its input', () => {
    const x = tensor([1, 2]);
    expect(layers.identity().apply(x)).toBe(x);
    expect(symbolicShape(layers.identity(), [null, 3])).toEqual([null, 3]);
  });

  it('dropout drops only in training and scales the rest', () => {
    const d = layers.dropout({ rate: 0.5, seed: 3 });
    const x = ones([100, 10]);
    expect(d.apply(x)).toBe(x);
    const y = d.apply(x, { training: true });
    const values = Array.from(y.dataSync());
    expect(values.every((v) => v === 0 || v === 2)).toBe(true);
    const kept = values.filter((v) => v === 2).length;
    expect(kept).toBeGreaterThan(400);
    expect(kept).toBeLessThan(600);
    // A seeded layer draws a new mask each call, repeatably.
    const again = layers.dropout({ rate: 0.5, seed: 3 });
    expect(Array.from(again.apply(x, { training: true }).dataSync())).toEqual(values);
    expect(Array.from(again.apply(x, { training: true }).dataSync())).not.toEqual(values);
    expectConfigRoundTrip(d);
  });

  it('dropout shares the mask along noiseShape dimensions of 1', () => {
    const d = layers.dropout({ rate: 0.5, noiseShape: [null, 1, 4], seed: 1 });
    const y = d.apply(ones([2, 3, 4]), { training: true }).arraySync() as number[][][];
    for (const example of y) for (const row of example) expect(row).toEqual(example[0]);
  });
});

describe('reshaping layers', () => {
  it('flatten', () => {
    const f = layers.flatten();
    expect(f.apply(zeros([2, 3, 4])).shape).toEqual([2, 12]);
    expect(symbolicShape(f, [null, 3, 4])).toEqual([null, 12]);
    expect(symbolicShape(layers.flatten(), [null, null, 4])).toEqual([null, null]);
    expectConfigRoundTrip(f);
  });

  it('reshape with -1', () => {
    const r = layers.reshape({ targetShape: [-1, 2] });
    const y = r.apply(tensor([[1, 2, 3, 4, 5, 6]]));
    expectTensor(y, [1, 3, 2], [1, 2, 3, 4, 5, 6]);
    expect(symbolicShape(r, [null, 6])).toEqual([null, 3, 2]);
    expect(() => layers.reshape({ targetShape: [4] }).apply(zeros([1, 6]))).toThrow('cannot reshape examples of shape [6] (6 values) to [4]');
    expectConfigRoundTrip(r);
  });

  it('permute is 1-based and keeps the batch first', () => {
    const p = layers.permute({ dims: [2, 1] });
    const y = p.apply(
      tensor([
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ]),
    );
    expectTensor(y, [1, 3, 2], [1, 4, 2, 5, 3, 6]);
    expect(symbolicShape(p, [null, 2, 3])).toEqual([null, 3, 2]);
    expect(() => layers.permute({ dims: [0, 1] })).toThrow('expected dims to be a permutation of 1..2');
    expectConfigRoundTrip(p);
  });

  it('repeatVector', () => {
    const r = layers.repeatVector({ n: 3 });
    expectTensor(r.apply(tensor([[1, 2]])), [1, 3, 2], [1, 2, 1, 2, 1, 2]);
    expect(symbolicShape(r, [null, 2])).toEqual([null, 3, 2]);
    expect(() => r.apply(zeros([1, 2, 3]))).toThrow('expected ndim=2, found ndim=3');
    expectConfigRoundTrip(r);
  });
});

describe('lambda', () => {
  it('runs a function and infers its output shape', () => {
    const l = layers.lambda({ function: (x: Tensor) => tidy(() => mul(x, 2)) });
    const double = layers.lambda({ function: (x: Tensor) => layers.repeatVector({ n: 2 }).apply(x) });
    expect(symbolicShape(double, [null, 3])).toEqual([null, 2, 3]);
    expect(symbolicShape(layers.lambda({ function: (x: Tensor) => x, outputShape: [7] }), [null, 7])).toEqual([null, 7]);
    expectTensor(l.apply(tensor([[1, 2]])), [1, 2], [2, 4]);
  });

  it('refuses to serialize, naming itself', () => {
    const l = layers.lambda({ function: (x: Tensor) => x, name: 'my_lambda' });
    expect(() => l.getConfig()).toThrow('Layer my_lambda (Lambda) cannot be serialized: its function is JavaScript code');
  });
});

describe('masking', () => {
  it('zeroes and masks timesteps equal to maskValue', () => {
    const m = layers.masking({ maskValue: 0 });
    const x = tensor([
      [
        [1, 2],
        [0, 0],
        [3, 0],
      ],
    ]);
    expectTensor(m.apply(x), [1, 3, 2], [1, 2, 0, 0, 3, 0]);
    expect(m.computeMask(x)!.arraySync()).toEqual([[true, false, true]]);
    expectConfigRoundTrip(m);
  });
});

describe('embedding', () => {
  it('looks up rows, by hand', () => {
    const e = layers.embedding({ inputDim: 3, outputDim: 2 });
    e.apply(tensor([[0]], undefined, 'int32'));
    e.setWeights([
      tensor([
        [0, 0],
        [1, 2],
        [3, 4],
      ]),
    ]);
    expectTensor(e.apply(tensor([[2, 1]], undefined, 'int32')), [1, 2, 2], [3, 4, 1, 2]);
    // Float ids are cast to int32.
    expectTensor(e.apply(tensor([[1]])), [1, 1, 2], [1, 2]);
    expect(symbolicShape(e, [null, 5], 'int32')).toEqual([null, 5, 2]);
  });

  it('makes a mask with maskZero, passes gradients and round-trips', () => {
    const e = layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, embeddingsRegularizer: 'l2' });
    const ids = tensor([[1, 0, 4]], undefined, 'int32');
    expect(e.computeMask(ids)!.arraySync()).toEqual([[true, false, true]]);
    expectGradientsToAllWeights(e, ids);
    expectConfigRoundTrip(e);
  });
});

describe('memory', () => {
  it('applying layers leaks nothing', () => {
    const d = layers.dense({ units: 4, activation: 'relu', activityRegularizer: 'l2' });
    const e = layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true });
    const x = randomTensor([3, 2]);
    const ids = tensor([[1, 0]], undefined, 'int32');
    expectNoLeaks(() => {
      d.apply(x).dispose();
      e.apply(ids).dispose();
      layers.dropout({ rate: 0.3 }).apply(x, { training: true }).dispose();
    });
  });
});
