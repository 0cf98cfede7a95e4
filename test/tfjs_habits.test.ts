// TensorFlow.js's spellings a user brings on the first day: tensor2d (its getting-started
// example), chained ops (`x.square().sum()`), tf.train's optimizer factories, and
// tf.data.array / generator. Each was "is not a function" before.
import * as ts from '../src';
import { liveTensors } from './helpers/memory';

describe('tensor1d ... tensor6d', () => {
  test('nested arrays, or flat values with the shape', () => {
    expect(ts.tensor1d([1, 2, 3]).shape).toEqual([3]);
    expect(
      ts.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]).shape,
    ).toEqual([3, 2]);
    const t = ts.tensor2d([1, 2, 3, 4], [4, 1]);
    expect(t.shape).toEqual([4, 1]);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4]);
    expect(ts.tensor3d(new Float32Array(8), [2, 2, 2]).shape).toEqual([2, 2, 2]);
    expect(ts.tensor4d([[[[1]]]]).shape).toEqual([1, 1, 1, 1]);
    expect(ts.tensor5d([1, 2], [1, 1, 1, 1, 2], 'int32').dtype).toBe('int32');
    expect(ts.tensor6d([[[[[[true]]]]]]).dtype).toBe('bool');
  });

  test('the wrong rank, or flat values without a shape, is an error naming the function', () => {
    expect(() => ts.tensor2d([1, 2, 3, 4])).toThrow(/tensor2d: a flat array or TypedArray of values needs the shape \(2 dimensions\)/);
    expect(() => ts.tensor2d([[[1]]])).toThrow(/tensor2d: expected values of rank 2, got values of shape \[1, 1, 1\]/);
    expect(() => ts.tensor1d([[1, 2]])).toThrow(/tensor1d: expected values of rank 1, got values of shape \[1, 2\]/);
    expect(() => ts.tensor3d([1, 2], [1, 2] as never)).toThrow(/tensor3d: expected shape to have 3 dimensions, got \[1, 2\]/);
    expect(() => ts.tensor2d([1, 2, 3], [2, 2])).toThrow(/^tensor2d: expected 4 values for shape \[2, 2\], got 3/);
  });

  test('a rank error leaves no tensor behind', () => {
    const before = liveTensors();
    expect(() => ts.tensor2d([[[1]]])).toThrow();
    expect(liveTensors()).toBe(before);
  });
});

describe('chained ops', () => {
  test('each is the op of the same name with the tensor first', () => {
    ts.tidy(() => {
      const x = ts.tensor2d([
        [1, -2],
        [3, 4],
      ]);
      expect(Array.from(x.square().sum().dataSync())).toEqual([30]);
      expect(Array.from(x.abs().max(1).dataSync())).toEqual([2, 4]);
      expect(Array.from(x.argMax(-1).dataSync())).toEqual([0, 1]);
      expect(x.reshape([4]).shape).toEqual([4]);
      expect(Array.from(x.add(1).mul(2).dataSync())).toEqual([4, -2, 8, 10]);
      expect(Array.from(x.matMul(x, false, true).dataSync())).toEqual(Array.from(ts.matMul(x, x, false, true).dataSync()));
      expect(Array.from(x.greater(0).cast('int32').dataSync())).toEqual([1, 0, 1, 1]);
      expect(x.transpose().shape).toEqual([2, 2]);
      expect(x.expandDims(0).shape).toEqual([1, 2, 2]);
      expect(ts.tensor1d([0, 2], 'int32').oneHot(3).shape).toEqual([2, 3]);
    });
  });

  test("TensorFlow.js's own methods: asType, toFloat, toInt, as1D, as2D, asScalar, concat, stack, variable", () => {
    ts.tidy(() => {
      const x = ts.tensor1d([1.5, 2.5, 3.5, 4.5]);
      expect(x.toInt().dtype).toBe('int32');
      expect(x.asType('float64').dtype).toBe('float64');
      expect(x.toInt().toFloat().dtype).toBe('float32');
      expect(x.toBool().dtype).toBe('bool');
      expect(x.as2D(2, 2).shape).toEqual([2, 2]);
      expect(x.as2D(2, 2).as1D().shape).toEqual([4]);
      expect(x.as4D(1, 1, 2, 2).shape).toEqual([1, 1, 2, 2]);
      expect(ts.tensor1d([7]).asScalar().shape).toEqual([]);
      expect(Array.from(x.concat(ts.tensor1d([9])).dataSync())).toEqual([1.5, 2.5, 3.5, 4.5, 9]);
      expect(x.stack([x, x], 1).shape).toEqual([4, 3]);
    });
    const v = ts.tensor1d([1, 2]).variable(false, 'frozen');
    expect(v).toBeInstanceOf(ts.Variable);
    expect(v.trainable).toBe(false);
    v.dispose();
  });

  test('gradients flow through them as through the ops', () => {
    const g = ts.grad((x: ts.Tensor) => x.square().mul(3).sum());
    expect(Array.from(g(ts.tensor1d([1, 2])).dataSync())).toEqual([6, 12]);
  });

  test("errors are the op's own", () => {
    const x = ts.tensor1d([1, 2]);
    expect(() => x.reshape([3])).toThrow(/^reshape: /);
    expect(() => x.as2D(3, 3)).toThrow(/^reshape: /);
    expect(() => x.asScalar()).toThrow(/^reshape: /);
    expect(() => x.matMul(x)).toThrow(/^matMul: /);
    x.dispose();
  });
});

describe('train: the optimizer factories, positional as in TensorFlow.js', () => {
  const config = (o: ts.Optimizer) => o.getConfig() as Record<string, unknown>;

  test("arguments in TensorFlow.js's order and defaults", () => {
    expect(config(ts.train.sgd(0.1))).toMatchObject({ name: 'sgd', learningRate: 0.1, momentum: 0 });
    expect(config(ts.train.momentum(0.1, 0.9, true))).toMatchObject({ name: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true });
    expect(config(ts.train.adam())).toMatchObject({ name: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(config(ts.train.adam(0.01, 0.8, 0.99, 1e-6))).toMatchObject({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 });
    expect(config(ts.train.adamax())).toMatchObject({ name: 'adamax', learningRate: 0.002 });
    expect(config(ts.train.rmsprop(0.1, 0.8, 0.5, null, true))).toMatchObject({
      name: 'rmsprop',
      learningRate: 0.1,
      rho: 0.8,
      momentum: 0.5,
      epsilon: 1e-7,
      centered: true,
    });
    expect(config(ts.train.adagrad(0.1))).toMatchObject({ name: 'adagrad', learningRate: 0.1, initialAccumulatorValue: 0.1 });
    expect(config(ts.train.adadelta())).toMatchObject({ name: 'adadelta', learningRate: 0.001, rho: 0.95 });
  });

  test('a factory optimizer trains: compile and minimize', async () => {
    ts.setSeed(2);
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ loss: 'meanSquaredError', optimizer: ts.train.adam(0.1) });
    const xs = ts.tensor2d([1, 2, 3, 4], [4, 1]);
    const ys = ts.tensor2d([1, 3, 5, 7], [4, 1]);
    const h = await model.fit(xs, ys, { epochs: 30, verbose: 0 });
    expect(h.history.loss[29]).toBeLessThan(h.history.loss[0]);
    const v = ts.variable(ts.scalar(3));
    ts.train.sgd(0.25).minimize(() => v.square());
    expect(v.dataSync()[0]).toBeCloseTo(1.5, 6); // 3 - 0.25 * 2 * 3
    ts.dispose([xs, ys, v]);
    model.dispose();
  });

  test('a missing learning rate, a wrong type or an unsupported decay is an error naming the factory', () => {
    expect(() => (ts.train.sgd as () => unknown)()).toThrow(/train\.sgd: expected learningRate to be a number \(it has no default\), got undefined/);
    expect(() => ts.train.adam('0.1' as never)).toThrow(/train\.adam: expected learningRate to be a number, got '0.1'/);
    expect(() => ts.train.momentum(0.1, 0.9, 'yes' as never)).toThrow(/train\.momentum: expected useNesterov to be true or false/);
    expect(() => ts.train.adamax(0.002, 0.9, 0.999, null, 0.1)).toThrow(/train\.adamax: a learning-rate decay \(0.1\) is not supported/);
    expect(() => ts.train.adam(0.1, -1)).toThrow(/beta1/);
  });
});

describe("tf.data's array and generator", () => {
  test('are fromArrays and fromGenerator', async () => {
    expect(ts.data.array).toBe(ts.data.fromArrays);
    expect(ts.data.generator).toBe(ts.data.fromGenerator);
    const items = await ts.data.array([1, 2, 3]).toArray();
    expect(items).toEqual([1, 2, 3]);
    const gen = await ts.data
      .generator(function* () {
        yield 1;
        yield 2;
      })
      .toArray();
    expect(gen).toEqual([1, 2]);
  });
});

describe("save and load take tfjs-node's file:// URLs", () => {
  test("'file:///abs/path' is the path (it made a folder named 'file:' in the working directory before)", async () => {
    const { mkdtempSync, existsSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'tessera-file-url-'));
    ts.setSeed(4);
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3] })] });
    await model.save(`file://${dir}/m`);
    expect(existsSync(join(dir, 'm', 'model.json'))).toBe(true);
    expect(existsSync('file:')).toBe(false);
    const again = await ts.loadLayersModel(`file://${dir}/m/model.json`);
    expect(again.layers.length).toBe(1);
    await model.saveWeights(`file://${dir}/w.weights.h5`);
    await again.loadWeights(`file://${dir}/w.weights.h5`);
    model.dispose();
    again.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test("TensorFlow.js's other stores are an error saying so", async () => {
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [1] })] });
    await expect(model.save('indexeddb://my-model')).rejects.toThrow(
      /save: 'indexeddb:\/\/' is a TensorFlow.js store this package does not have; pass a file path/,
    );
    await expect(ts.loadLayersModel('https://example.com/model.json')).rejects.toThrow(/loadModel: 'https:\/\/' is a TensorFlow.js store/);
    await expect(model.save('file://')).rejects.toThrow(/has no path/);
    model.dispose();
  });
});

describe("Dense's inputDim (TensorFlow.js, Keras 2)", () => {
  test('stands for inputShape [inputDim]; both given must agree', () => {
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputDim: 4 })] });
    expect(m.inputs[0].shape).toEqual([null, 4]);
    expect(ts.layers.dense({ units: 2, inputDim: 4, inputShape: [4] })).toBeInstanceOf(ts.layers.Dense);
    expect(() => ts.layers.dense({ units: 2, inputDim: 4, inputShape: [5] })).toThrow(
      /Dense: inputDim 4 disagrees with the input shape \[5\]; give one of them/,
    );
    expect(() => ts.layers.dense({ units: 2, inputDim: 0, name: 'd' })).toThrow(/Dense 'd': expected inputDim to be a positive integer, got 0/);
    m.dispose();
  });
});

describe("tf.layers' other names", () => {
  test('inputLayer starts a sequential from {inputShape} or {batchInputShape}; both names must agree', () => {
    const m = ts.sequential({ layers: [ts.layers.inputLayer({ inputShape: [4] }), ts.layers.dense({ units: 2 })] });
    expect(m.outputs[0].shape).toEqual([null, 2]);
    const b = ts.sequential({ layers: [ts.layers.inputLayer({ batchInputShape: [8, 3] }), ts.layers.dense({ units: 1 })] });
    expect(b.inputs[0].shape).toEqual([8, 3]);
    expect(() => ts.layers.inputLayer({ shape: [2], inputShape: [3] })).toThrow(/shape \[2\] and inputShape \[3\] disagree/);
    m.dispose();
    b.dispose();
  });

  test('maxPool2d, avgPool2d, globalAvgPool2d, cropping2D, ... are the pooling and cropping factories', () => {
    const pairs: [unknown, unknown][] = [
      [ts.layers.maxPool1d, ts.layers.maxPooling1d],
      [ts.layers.maxPool2d, ts.layers.maxPooling2d],
      [ts.layers.avgPool1d, ts.layers.averagePooling1d],
      [ts.layers.avgPool2d, ts.layers.averagePooling2d],
      [ts.layers.avgPooling1d, ts.layers.averagePooling1d],
      [ts.layers.avgPooling2d, ts.layers.averagePooling2d],
      [ts.layers.globalAvgPool1d, ts.layers.globalAveragePooling1d],
      [ts.layers.globalAvgPool2d, ts.layers.globalAveragePooling2d],
      [ts.layers.globalMaxPool1d, ts.layers.globalMaxPooling1d],
      [ts.layers.globalMaxPool2d, ts.layers.globalMaxPooling2d],
      [ts.layers.cropping2D, ts.layers.cropping2d],
    ];
    for (const [alias, factory] of pairs) expect(alias).toBe(factory);
  });

  test("outputMode takes TensorFlow.js's spellings (oneHot, multiHot, tfIdf), saved in Keras's", () => {
    const ids = ts.tensor([0, 2], [2], 'int32');
    const oneHot = ts.layers.categoryEncoding({ numTokens: 3, outputMode: 'oneHot' });
    expect((oneHot.apply(ids) as ts.Tensor).arraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(oneHot.getConfig().outputMode).toBe('one_hot');
    const multi = ts.layers.stringLookup({ vocabulary: ['a', 'b'], outputMode: 'multiHot' });
    expect((multi.apply([['a', 'b']]) as ts.Tensor).arraySync()).toEqual([[0, 1, 1]]);
    expect(ts.layers.textVectorization({ outputMode: 'tfIdf' }).getConfig().outputMode).toBe('tf_idf');
    expect(ts.layers.hashing({ numBins: 4, outputMode: 'oneHot' }).getConfig().outputMode).toBe('one_hot');
    expect(ts.layers.discretization({ binBoundaries: [0.5], outputMode: 'multiHot' }).getConfig().outputMode).toBe('multi_hot');
    expect(() => ts.layers.categoryEncoding({ numTokens: 3, outputMode: 'tfIdf' as never })).toThrow(
      /expected outputMode to be one of one_hot, multi_hot, count, got 'tfIdf'/,
    );
    ids.dispose();
  });
});

describe("tf.train's applyGradients(variableGrads(f).grads)", () => {
  test('finds the variables behind the names, whether the optimizer has seen them or not', () => {
    const a = ts.variable(ts.scalar(2), true, 'applied_a');
    const b = ts.variable(ts.scalar(3));
    const opt = ts.train.sgd(0.1);
    const { value, grads } = ts.variableGrads(() => ts.add(ts.square(a), ts.mul(b, 2)));
    opt.applyGradients(grads);
    expect([a.dataSync()[0], b.dataSync()[0]]).toEqual([expect.closeTo(1.6, 6), expect.closeTo(2.8, 6)]);
    ts.dispose([value, ...Object.values(grads)]);
    // A map of its own naming unknown variables is still refused.
    expect(() => opt.applyGradients({ nowhere: ts.scalar(1) })).toThrow(/unknown variable 'nowhere'/);
    ts.dispose([a, b]);
  });

  test('two variables of one name are refused instead of one gradient replacing the other', () => {
    const a = ts.variable(ts.scalar(1), true, 'same');
    const b = ts.variable(ts.scalar(1), true, 'same');
    expect(() => ts.variableGrads(() => ts.add(a, b))).toThrow(/variableGrads: two variables are named 'same'/);
    ts.dispose([a, b]);
  });
});

describe('integers divided and averaged', () => {
  test("div of two int32 operands is refused with both readings: TensorFlow.js's floor and Keras's true division", () => {
    const a = ts.tensor([7, -7], [2], 'int32');
    const b = ts.tensor([2, 2], [2], 'int32');
    const both =
      /div: both operands are int32, where TensorFlow.js's div floors \(7 \/ 2 = 3\) and Keras's divide gives a float \(3.5\); say which: floorDiv\(a, b\)/;
    expect(() => ts.div(a, b)).toThrow(both);
    expect(() => ts.div(a, 2)).toThrow(both);
    expect(() => a.div(b)).toThrow(both);
    expect(Array.from(ts.floorDiv(a, b).dataSync())).toEqual([3, -4]);
    expect(Array.from(ts.div(ts.cast(a, 'float32'), b).dataSync())).toEqual([3.5, -3.5]);
    expect(ts.div(a, 2.5).dtype).toBe('float32');
    ts.dispose([a, b]);
  });

  test('the mean of int32 values is a float32, as in TensorFlow.js and Keras', () => {
    const m = ts.mean(ts.tensor([1, 2], [2], 'int32'));
    expect([m.dtype, m.dataSync()[0]]).toEqual(['float32', 1.5]);
    const rows = ts.mean(ts.tensor([1, 2, 3, 6], [2, 2], 'int32'), 1);
    expect(Array.from(rows.dataSync())).toEqual([1.5, 4.5]);
  });
});

describe("TensorFlow.js's model.outputShape", () => {
  test('is the output shape of a sequential or functional model (a list for several outputs)', () => {
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 3, inputShape: [4] })] });
    expect(m.outputShape).toEqual([null, 3]);
    const inp = ts.input({ shape: [2] });
    const a = ts.layers.dense({ units: 1 }).apply(inp) as ts.SymbolicTensor;
    const b = ts.layers.dense({ units: 5 }).apply(inp) as ts.SymbolicTensor;
    const f = ts.model({ inputs: inp, outputs: [a, b] });
    expect(f.outputShape).toEqual([
      [null, 1],
      [null, 5],
    ]);
    const unbuilt = ts.sequential({ layers: [ts.layers.dense({ units: 3 })] });
    expect(() => unbuilt.outputShape).toThrow(/has no inputs yet, so no output shape/);
    [m, f, unbuilt].forEach((x) => x.dispose());
  });
});

describe('habits that have another spelling here say which', () => {
  test("Keras's Adam(0.01) names the options form; ts.mul on a symbolic tensor names layers.lambda", () => {
    expect(() => new ts.optimizers.Adam(0.01 as never)).toThrow(/Adam: expected an options object, got 0.01; write new Adam\(\{ learningRate: 0.01 \}\)/);
    const inp = ts.input({ shape: [2] });
    expect(() => ts.mul(inp as never, 2)).toThrow(/mul: .*got a SymbolicTensor \(shape \[null, 2\], float32\); ops compute on tensors, .* layers.lambda/);
  });
});

describe("Keras's defaults and spellings with no TensorFlow.js counterpart", () => {
  test("compile() without an optimizer takes Keras 3's default, rmsprop", () => {
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ loss: 'meanSquaredError' });
    expect(m.optimizer?.constructor.name).toBe('RMSprop');
    m.compile();
    expect(m.optimizer?.constructor.name).toBe('RMSprop');
    m.dispose();
  });
});
