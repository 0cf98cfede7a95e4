// TensorFlow.js's optimizer classes under ts.train: positional constructors, instances of
// Tessera's optimizers (compile and fit take them), and what the factories return.
import * as ts from '../../src';

const config = (o: ts.Optimizer) => o.getConfig() as Record<string, unknown>;

describe('train.*Optimizer classes', () => {
  test("positional constructors in TensorFlow.js's order make the matching Keras optimizer", () => {
    const adam = new ts.train.AdamOptimizer(0.01, 0.8, 0.99, 1e-6);
    expect(adam).toBeInstanceOf(ts.optimizers.Adam);
    expect(config(adam)).toMatchObject({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 });
    expect(config(new ts.train.SGDOptimizer(0.1))).toMatchObject({ learningRate: 0.1, momentum: 0 });
    const mom = new ts.train.MomentumOptimizer(0.1, 0.9, true);
    expect(mom).toBeInstanceOf(ts.optimizers.SGD);
    expect(config(mom)).toMatchObject({ momentum: 0.9, nesterov: true });
    expect(config(new ts.train.RMSPropOptimizer(0.1, 0.8, 0.5, null, true))).toMatchObject({ rho: 0.8, momentum: 0.5, centered: true });
    expect(new ts.train.RMSPropOptimizer(0.1)).toBeInstanceOf(ts.optimizers.RMSprop);
    expect(config(new ts.train.AdagradOptimizer(0.2, 0.3))).toMatchObject({ learningRate: 0.2, initialAccumulatorValue: 0.3 });
    expect(new ts.train.AdagradOptimizer(0.2)).toBeInstanceOf(ts.optimizers.Adagrad);
    expect(config(new ts.train.AdadeltaOptimizer(0.5, 0.9))).toMatchObject({ learningRate: 0.5, rho: 0.9 });
    expect(new ts.train.AdadeltaOptimizer()).toBeInstanceOf(ts.optimizers.Adadelta);
    expect(config(new ts.train.AdamaxOptimizer(0.003))).toMatchObject({ learningRate: 0.003, beta1: 0.9 });
    expect(new ts.train.AdamaxOptimizer()).toBeInstanceOf(ts.optimizers.Adamax);
  });

  test('the factories return the classes (instanceof works) and serialize under Keras names', () => {
    expect(ts.train.adam()).toBeInstanceOf(ts.train.AdamOptimizer);
    expect(ts.train.sgd(0.1)).toBeInstanceOf(ts.train.SGDOptimizer);
    expect(ts.train.momentum(0.1, 0.9)).toBeInstanceOf(ts.train.MomentumOptimizer);
    expect(ts.train.rmsprop(0.1)).toBeInstanceOf(ts.train.RMSPropOptimizer);
    expect(ts.train.adagrad(0.1)).toBeInstanceOf(ts.train.AdagradOptimizer);
    expect(ts.train.adadelta()).toBeInstanceOf(ts.train.AdadeltaOptimizer);
    expect(ts.train.adamax()).toBeInstanceOf(ts.train.AdamaxOptimizer);
    const s = ts.optimizers.serialize(new ts.train.AdamOptimizer(0.02));
    expect(s.className).toBe('Adam');
    expect(ts.optimizers.get(s)).toBeInstanceOf(ts.optimizers.Adam);
  });

  test('a class instance trains a model and updates as SGD does', async () => {
    const v = ts.variable(ts.scalar(3));
    new ts.train.SGDOptimizer(0.25).minimize(() => v.square());
    expect(v.dataSync()[0]).toBeCloseTo(1.5, 6); // 3 - 0.25 * 2 * 3
    ts.setSeed(1);
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ loss: 'meanSquaredError', optimizer: new ts.train.AdamOptimizer(0.1) });
    const xs = ts.tensor2d([1, 2, 3, 4], [4, 1]);
    const ys = ts.tensor2d([1, 3, 5, 7], [4, 1]);
    const h = await model.fit(xs, ys, { epochs: 20, verbose: 0 });
    expect(h.history.loss[19]).toBeLessThan(h.history.loss[0]);
    ts.dispose([xs, ys, v]);
    model.dispose();
  });

  test('bad arguments are errors naming the class (or the factory that made it)', () => {
    expect(() => new ts.train.SGDOptimizer('0.1' as never)).toThrow(/SGDOptimizer: expected learningRate to be a number \(it has no default\), got '0.1'/);
    expect(() => new ts.train.MomentumOptimizer(0.1, 0.9, 'yes' as never)).toThrow(/MomentumOptimizer: expected useNesterov to be true or false/);
    expect(() => new ts.train.AdamaxOptimizer(0.002, 0.9, 0.999, null, 0.1)).toThrow(/AdamaxOptimizer: a learning-rate decay \(0.1\) is not supported/);
    expect(() => new (ts.train.AdagradOptimizer as new (...a: unknown[]) => unknown)(0.1, 0.1, 3)).toThrow(/AdagradOptimizer.*at most 2/);
    expect(() => ts.train.adam('0.1' as never)).toThrow(/^train\.adam: expected learningRate/);
    // After a factory's error, the classes name themselves again.
    expect(() => new ts.train.AdamOptimizer('0.1' as never)).toThrow(/^AdamOptimizer: expected learningRate/);
  });
});
