// TensorFlow.js's positional arguments that fell past the end of Tessera's parameters and
// were dropped without a word (test/runtime/tfjs_signatures.test.ts finds them): each is now
// honoured as TensorFlow.js does, or refused with an error that says what to do instead.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from '../src';
import { liveTensors } from './helpers/memory';

const loose = <T>(f: T) => f as unknown as (...args: unknown[]) => ts.Tensor;

describe('ops', () => {
  it("eye takes TensorFlow.js's batchShape and dtype, and still Tessera's dtype third", () => {
    const batched = ts.eye(2, 3, [2], 'int32');
    expect(batched.shape).toEqual([2, 2, 3]);
    expect(batched.dtype).toBe('int32');
    expect(batched.arraySync()).toEqual([
      [
        [1, 0, 0],
        [0, 1, 0],
      ],
      [
        [1, 0, 0],
        [0, 1, 0],
      ],
    ]);
    expect(ts.eye(2, undefined, undefined, 'int32').dtype).toBe('int32');
    expect(ts.eye(2, 2, 'float64').dtype).toBe('float64');
    expect(ts.eye(2, 2, null, 'int32').shape).toEqual([2, 2]);
    expect(() => loose(ts.eye)(2, 2, 'float32', 'int32')).toThrow(
      /eye: expected \(numRows, numColumns, dtype\) or TensorFlow.js's \(numRows, numColumns, batchShape, dtype\)/,
    );
    expect(() => loose(ts.eye)(2, 2, [1.5])).toThrow(/eye: expected batchShape entries to be non-negative integers, got 1.5/);
  });

  it("tidy takes TensorFlow.js's (name, fn)", () => {
    const before = liveTensors();
    const kept = ts.tidy('scope', () => {
      ts.ones([2]);
      return ts.zeros([1]);
    });
    expect(liveTensors()).toBe(before + 1);
    kept.dispose();
    expect(() =>
      (ts.tidy as (...a: unknown[]) => unknown)(
        () => 1,
        () => 2,
      ),
    ).toThrow(/tidy: expected \(fn\) or \(name, fn\)/);
    expect(() => ts.tidy('name', 3 as never)).toThrow(/tidy: expected fn to be a function/);
  });

  it("transpose refuses TensorFlow.js's conjugate (there are no complex dtypes)", () => {
    const x = ts.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    expect(ts.transpose(x, [1, 0], false).arraySync()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(() => ts.transpose(x, [1, 0], true)).toThrow(/transpose: conjugate applies to complex tensors/);
  });

  it("gather refuses TensorFlow.js's batchDims other than 0", () => {
    const x = ts.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    expect(ts.gather(x, [1], 0, 0).arraySync()).toEqual([[3, 4]]);
    expect(() => ts.gather(x, [[1]], 1, 1)).toThrow(/gather: batchDims other than 0 is not supported/);
  });

  it("oneHot takes TensorFlow.js's dtype", () => {
    const i = ts.oneHot(ts.tensor1d([0, 2], 'int32'), 3, 5, -1, 'int32');
    expect(i.dtype).toBe('int32');
    expect(i.arraySync()).toEqual([
      [5, -1, -1],
      [-1, -1, 5],
    ]);
    expect(ts.oneHot([1], 2).dtype).toBe('float32'); // Keras's default stays
    expect(ts.oneHot([1], 2, 1, 0, 'bool').arraySync()).toEqual([[false, true]]);
    expect(() => ts.oneHot([1], 2, 0.5, 0, 'int32')).toThrow(/oneHot: expected onValue to be an int32 for dtype 'int32', got 0.5/);
    expect(() => ts.oneHot([1], 2, 2, 0, 'bool')).toThrow(/oneHot: expected onValue to be 0 or 1 for dtype 'bool'/);
    expect(() => ts.oneHot([1], 2, 1, 0, 'int8' as never)).toThrow(/oneHot: .*int8/);
  });

  it("pooling takes TensorFlow.js's dimRoundingMode only with numeric or explicit padding, as TensorFlow.js", () => {
    const x = ts.zeros([1, 4, 4, 1]);
    expect(ts.maxPool(x, 2, 2, 'valid', undefined).shape).toEqual([1, 2, 2, 1]);
    expect(() => ts.avgPool(x, 2, 2, 'valid', 'floor')).toThrow(/avgPool: dimRoundingMode 'floor' takes a numeric or explicit pad/);
  });
});

describe('losses.meanSquaredError', () => {
  const labels = ts.tensor2d([
    [1, 2],
    [3, 4],
  ]);
  const preds = ts.tensor2d([
    [1, 1],
    [1, 1],
  ]);

  it("refuses TensorFlow.js's weights and reduction (Keras's per-sample loss would ignore them), pointing to the Loss class", () => {
    expect(() => ts.losses.meanSquaredError(labels, preds, ts.scalar(2))).toThrow(
      /meanSquaredError: this is Keras's per-sample loss \(yTrue, yPred\); TensorFlow.js's weights and reduction are not taken here.*new losses.MeanSquaredError/,
    );
    expect(() => loose(ts.losses.meanSquaredError)(labels, preds, undefined, 'mean')).toThrow(/meanSquaredError: .*got 'mean'/);
    expect(() => loose(ts.losses.meanSquaredError)(labels, preds, [1, 2])).toThrow(/meanSquaredError: this is Keras's per-sample loss/);
    expect(() => ts.losses.meanSquaredError(labels, preds, { delta: 1 })).toThrow(/meanSquaredError: takes no options, got 'delta'/);
  });

  it('still gives per-sample values, and the class weighs and reduces as the error says', () => {
    expect(ts.losses.meanSquaredError(labels, preds).arraySync()).toEqual([0.5, 6.5]);
    expect(ts.losses.meanSquaredError(labels, preds, {}).arraySync()).toEqual([0.5, 6.5]);
    const weighted = new ts.losses.MeanSquaredError({ reduction: 'sum' }).apply(labels, preds, ts.tensor1d([2, 1]));
    expect(weighted.arraySync()).toBeCloseTo(0.5 * 2 + 6.5);
    // The wrappers, which pass their (empty) options third, keep working.
    const metric = new ts.metrics.MeanSquaredError();
    metric.updateState(labels, preds);
    expect(metric.result().arraySync()).toBeCloseTo(3.5);
  });
});

describe('models', () => {
  const mlp = () => {
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 3, inputShape: [2] }), ts.layers.batchNormalization(), ts.layers.dense({ units: 1 })] });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    return m;
  };

  it("getWeights(true) gives the trainable weights only (TensorFlow.js's trainableOnly; it gave all of them)", () => {
    const m = mlp();
    expect(m.getWeights().length).toBe(8);
    expect(m.getWeights(true).length).toBe(6);
    expect(m.getWeights(false).length).toBe(8);
    expect(() => m.getWeights('yes' as never)).toThrow(/getWeights: expected trainableOnly to be true or false/);
  });

  it("getLayer takes TensorFlow.js's (undefined, index)", () => {
    const m = mlp();
    expect(m.getLayer(undefined, 2)).toBe(m.layers[2]);
    expect(m.getLayer(m.layers[0].name)).toBe(m.layers[0]);
    expect(() => m.getLayer(m.layers[0].name, 1)).toThrow(/getLayer: expected a name or an index, got both/);
    expect(() => m.getLayer(undefined, '1' as never)).toThrow(/getLayer: expected index to be a number/);
  });

  it("addWeight refuses TensorFlow.js's eighth argument", () => {
    const layer = ts.layers.dense({ units: 1 });
    expect(() => layer.addWeight('w', [1], 'float32', 'zeros', null, true, null, (() => 0) as never)).toThrow(
      /addWeight: TensorFlow.js's eighth argument \(getInitializerFunc\) is not taken/,
    );
  });

  it("Sequential.fromConfig called TensorFlow.js's way (the class first) is an error", () => {
    expect(() => ts.Sequential.fromConfig(ts.Sequential as never)).toThrow(
      /Sequential.fromConfig: expected config \(what getConfig returned\) to be an object, got a function/,
    );
  });

  describe('loading', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-positional-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it.each(['m.keras', 'tfjs-folder'])("loadModel's compile: false (Keras 3's) loads %s uncompiled; true (the default) compiles it", async (name) => {
      const m = mlp();
      await m.fit(ts.ones([4, 2]), ts.ones([4, 1]), { epochs: 1, verbose: 0 });
      const file = path.join(dir, name);
      await m.save(file, { includeOptimizer: true });
      expect((await ts.loadModel(file)).optimizer).toBeDefined();
      const bare = await ts.loadLayersModel(file, { compile: false });
      expect(bare.optimizer).toBeUndefined();
      expect(bare.getWeights().map((w) => w.arraySync())).toEqual(m.getWeights().map((w) => w.arraySync()));
    });

    it("loadModel checks its options: TensorFlow.js's strict is true only; a misspelled key is named", async () => {
      const file = path.join(dir, 'options.keras');
      await mlp().save(file);
      await expect(ts.loadLayersModel(file, { strict: false })).rejects.toThrow(/loadModel: expected strict to be true/);
      await expect(ts.loadModel(file, { complie: false } as never)).rejects.toThrow(/loadModel: .*complie/);
      await expect(ts.loadModel(file, { compile: 'no' } as never)).rejects.toThrow(/loadModel: expected compile to be true or false/);
      expect(await ts.loadModel(file, { strict: true })).toBeDefined();
    });

    it("loadWeights's strict (TensorFlow.js's) is true only", async () => {
      const m = mlp();
      const file = path.join(dir, 'w.weights.h5');
      await m.saveWeights(file);
      await m.loadWeights(file, true);
      await expect(m.loadWeights(file, false)).rejects.toThrow(/loadWeights: expected strict to be true/);
    });
  });
});

describe("TensorFlow.js's first lines", () => {
  afterEach(() => ts.setDevice('cpu'));

  it('ready resolves; setBackend selects the device getBackend reports', async () => {
    await expect(ts.ready()).resolves.toBeUndefined();
    for (const name of ['tensorflow', 'wasm', 'cpu']) {
      await expect(ts.setBackend(name)).resolves.toBe(true);
      expect(ts.getBackend()).toBe('cpu');
    }
  });

  it('setBackend names what it takes, and what has no device here', async () => {
    await expect(ts.setBackend('webgl')).rejects.toThrow(/setBackend: 'webgl' is a browser backend/);
    await expect(ts.setBackend('tpu')).rejects.toThrow(/setBackend: expected one of 'cpu', 'tensorflow', 'wasm', 'cuda', 'cuda:N', got 'tpu'/);
    await expect(ts.setBackend(3 as never)).rejects.toThrow(/setBackend: expected a backend name, got 3/);
    if (!ts.backendInfo().cuda.loaded) await expect(ts.setBackend('cuda')).rejects.toThrow(/setBackend: cuda:0 is not available/);
  });

  it('clone copies (as a function and a method); gradients pass through', () => {
    const x = ts.tensor1d([1, 2]);
    const y = ts.clone(x);
    expect(y).not.toBe(x);
    expect(y.arraySync()).toEqual([1, 2]);
    expect(x.clone().arraySync()).toEqual([1, 2]);
    const v = ts.variable(ts.tensor1d([3]));
    expect(v.clone()).not.toBeInstanceOf(ts.Variable);
    expect(
      ts
        .grad((t: ts.Tensor) => ts.sum(ts.mul(ts.clone(t), 3)))(x)
        .arraySync(),
    ).toEqual([3, 3]);
  });
});
