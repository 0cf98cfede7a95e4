// Values that were silently accepted (and gave wrong results or wasted memory) are refused
// with an error naming the op and the argument.
import * as ts from '../../src';
import { layers, optimizers } from '../../src';

describe('random ops', () => {
  it.each([
    ['stddev -1', () => ts.randomNormal([2], 0, -1), /randomNormal: expected stddev >= 0, got -1/],
    ['stddev NaN', () => ts.randomNormal([2], 0, NaN), /randomNormal: expected stddev >= 0, got NaN/],
    ['mean Infinity', () => ts.randomNormal([2], Infinity), /randomNormal: expected mean to be a finite number/],
    ['truncatedNormal stddev -1', () => ts.truncatedNormal([2], 0, -1), /truncatedNormal: expected stddev >= 0/],
    ['uniform maxval < minval', () => ts.randomUniform([2], 1, 0), /randomUniform: expected maxval >= 1, got 0/],
  ])('%s', (_, f, message) => expect(f).toThrow(message));

  it('a zero stddev is a constant, as Keras allows', () => {
    expect(Array.from(ts.randomNormal([3], 2, 0).dataSync())).toEqual([2, 2, 2]);
  });
});

describe('optimizer hyperparameters', () => {
  it.each([
    ['Adam beta1 1.5', () => new optimizers.Adam({ beta1: 1.5 }), /Adam: expected beta1 in \[0, 1\), got 1.5/],
    ['Adam beta2 1', () => new optimizers.Adam({ beta2: 1 }), /Adam: expected beta2 in \[0, 1\)/],
    ['Adam epsilon -1', () => new optimizers.Adam({ epsilon: -1 }), /Adam: expected epsilon >= 0/],
    ['AdamW beta1 -0.1', () => new optimizers.AdamW({ beta1: -0.1 }), /AdamW: expected beta1 in \[0, 1\)/],
    ['Adamax beta1 NaN', () => new optimizers.Adamax({ beta1: NaN }), /Adamax: expected beta1/],
    ['Nadam beta2 2', () => new optimizers.Nadam({ beta2: 2 }), /Nadam: expected beta2/],
    ['SGD momentum 2', () => new optimizers.SGD({ momentum: 2 }), /SGD: expected momentum in \[0, 1\], got 2/],
    ['SGD nesterov "yes"', () => new optimizers.SGD({ nesterov: 'yes' as never }), /SGD: expected nesterov to be true or false/],
    ['RMSprop rho 1.5', () => new optimizers.RMSprop({ rho: 1.5 }), /RMSprop: expected rho in \[0, 1\)/],
    ['RMSprop momentum -1', () => new optimizers.RMSprop({ momentum: -1 }), /RMSprop: expected momentum in \[0, 1\]/],
    ['Adagrad initialAccumulatorValue -1', () => new optimizers.Adagrad({ initialAccumulatorValue: -1 }), /Adagrad: expected initialAccumulatorValue >= 0/],
    ['Adadelta rho -0.5', () => new optimizers.Adadelta({ rho: -0.5 }), /Adadelta: expected rho in \[0, 1\)/],
    ['a negative learning rate', () => new optimizers.SGD({ learningRate: -0.1 }), /SGD: expected learningRate >= 0, got -0.1/],
  ])('%s', (_, f, message) => expect(f).toThrow(message));

  it('the defaults and Keras-style values are accepted', () => {
    for (const make of [
      () => new optimizers.Adam({ beta1: 0, beta2: 0.999 }),
      () => new optimizers.SGD({ momentum: 1, nesterov: true }),
      () => new optimizers.RMSprop({ rho: 0, centered: true }),
      () => new optimizers.Adagrad(),
      () => new optimizers.Adadelta(),
      () => new optimizers.Nadam(),
      () => new optimizers.Adamax(),
      () => new optimizers.AdamW(),
    ]) {
      expect(make).not.toThrow();
    }
  });
});

describe('batch normalization', () => {
  const x = ts.ones([2, 3]);
  const c = ts.ones([3]);
  it('batchNormInference refuses a negative epsilon', () => {
    expect(() => ts.batchNormInference(x, c, c, c, c, { epsilon: -1 })).toThrow(/batchNormInference: expected epsilon >= 0, got -1/);
  });
  it('batchNormTraining refuses momentum outside [0, 1] and a negative epsilon', () => {
    expect(() => ts.batchNormTraining(x, c, c, c, c, { momentum: 2 })).toThrow(/batchNormTraining: expected momentum in \[0, 1\], got 2/);
    expect(() => ts.batchNormTraining(x, c, c, c, c, { epsilon: -1 })).toThrow(/batchNormTraining: expected epsilon >= 0/);
  });
  it('layerNorm refuses a negative epsilon', () => {
    expect(() => ts.layerNorm(x, c, c, -1)).toThrow(/layerNorm: expected epsilon >= 0/);
  });
});

describe('int32 values', () => {
  it.each([
    ['a nested array', () => ts.tensor([1, 3e9], undefined, 'int32'), /tensor: the value at \[1\] 3000000000 does not fit in int32/],
    ['a number', () => ts.tensor(-3e9, undefined, 'int32'), /tensor: the value -3000000000 does not fit in int32/],
    ['a Float64Array', () => ts.tensor(new Float64Array([2 ** 31]), undefined, 'int32'), /does not fit in int32/],
    ['NaN', () => ts.tensor([NaN], undefined, 'int32'), /tensor: the value at \[0\] NaN does not fit in int32/],
    ['fill', () => ts.fill([2], 2 ** 31, 'int32'), /fill: the value 2147483648 does not fit in int32/],
  ])('refuses what int32 cannot hold: %s', (_, f, message) => expect(f).toThrow(message));

  it('keeps the int32 extremes', () => {
    expect(Array.from(ts.tensor([-2147483648, 2147483647], undefined, 'int32').dataSync())).toEqual([-2147483648, 2147483647]);
  });
});

it('oneHot refuses a depth beyond int32 before allocating anything', () => {
  const before = process.memoryUsage().rss;
  expect(() => ts.oneHot([0], 2 ** 31)).toThrow(/oneHot: expected depth to be a positive int32/);
  expect(() => ts.oneHot(ts.zeros([2 ** 20], 'int32'), 2 ** 20)).toThrow(/oneHot: the result would hold 1099511627776 float32 values/);
  expect(process.memoryUsage().rss - before).toBeLessThan(100e6);
});

describe('disposed state', () => {
  it('a disposed Variable does not come back to life on assign()', () => {
    const v = ts.variable(ts.ones([2]));
    v.dispose();
    expect(() => v.assign(ts.zeros([2]))).toThrow(/assign: variable '.*' of shape \[2\] is disposed/);
    expect(v.isDisposed).toBe(true);
  });

  it('setWeights and getWeights on a disposed model throw', () => {
    const model = ts.sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
    const weights = model.getWeights();
    model.dispose();
    expect(() => model.setWeights(weights)).toThrow(/was disposed/);
    expect(() => model.getWeights()).toThrow(/was disposed/);
  });
});

describe('convolutions', () => {
  const x = ts.ones([1, 5, 5, 2]);
  it("conv2d refuses padding 'causal' (conv1d's)", () => {
    expect(() => ts.conv2d(x, ts.ones([3, 3, 2, 4]), { padding: 'causal' })).toThrow(
      /conv2d: expected padding 'valid' or 'same' \('causal' is for conv1d\), got 'causal'/,
    );
    expect(() => ts.depthwiseConv2d(x, ts.ones([3, 3, 2, 1]), { padding: 'causal' })).toThrow(/padding 'valid' or 'same'/);
  });
  it('conv1d still pads causally', () => {
    expect(ts.conv1d(ts.ones([1, 5, 2]), ts.ones([3, 2, 1]), { padding: 'causal' }).shape).toEqual([1, 5, 1]);
  });
  it('separableConv2d refuses a pointwise filter that is not 1x1', () => {
    expect(() => ts.separableConv2d(x, ts.ones([3, 3, 2, 1]), ts.ones([3, 3, 2, 4]))).toThrow(
      /separableConv2d: expected pointwiseFilter of shape \[1, 1, inChannels \* channelMultiplier, outChannels\], got \[3, 3, 2, 4\]/,
    );
    expect(ts.separableConv2d(x, ts.ones([3, 3, 2, 1]), ts.ones([1, 1, 2, 4])).shape).toEqual([1, 3, 3, 4]);
  });
});

it('a second concurrent fit() on one model is refused; the first completes', async () => {
  const model = ts.sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = ts.ones([8, 2]);
  const y = ts.ones([8, 1]);
  const first = model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
  await expect(model.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(/fit: cannot start training because another fit\(\) call is ongoing/);
  const history = await first;
  expect(history.history.loss).toHaveLength(2);
  // once finished, fit works again
  await expect(model.fit(x, y, { epochs: 1, verbose: 0 })).resolves.toBeDefined();
});

describe('logSumExp', () => {
  it('is -Inf for all -Inf and Inf with an Inf, as NumPy', () => {
    expect(Array.from(ts.logSumExp(ts.tensor([-Infinity, -Infinity])).dataSync())).toEqual([-Infinity]);
    expect(Array.from(ts.logSumExp(ts.tensor([Infinity, 1])).dataSync())).toEqual([Infinity]);
    expect(
      Array.from(
        ts
          .logSumExp(
            ts.tensor([
              [-Infinity, -Infinity],
              [0, 0],
            ]),
            1,
          )
          .dataSync(),
      ),
    ).toEqual([-Infinity, Math.fround(Math.LN2)]);
  });
  it('has the exact gradient softmax(x) at large inputs', () => {
    const g = ts.grad((x) => ts.logSumExp(x))(ts.tensor([1000, 1000]));
    expect(Array.from(g.dataSync())).toEqual([0.5, 0.5]);
  });
  it('gradient matches finite differences', () => {
    const x = [0.3, -1.2, 2.5];
    const g = ts
      .grad((t) => ts.logSumExp(t))(ts.tensor(x, undefined, 'float64'))
      .dataSync();
    const f = (v: number[]) => Math.log(v.reduce((s, e) => s + Math.exp(e), 0));
    x.forEach((_, i) => {
      const h = 1e-6;
      const up = [...x];
      const down = [...x];
      up[i] += h;
      down[i] -= h;
      expect(g[i]).toBeCloseTo((f(up) - f(down)) / (2 * h), 6);
    });
  });
});
