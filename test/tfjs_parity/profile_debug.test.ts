// TensorFlow.js's runtime calls: profile, debug mode (env().set('DEBUG', true) and
// enableDebugMode), disposeVariables, op and nextFrame.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';
import { liveTensors } from '../helpers/memory';

tf.setBackend('cpu');

describe('profile', () => {
  it("records each kernel with TensorFlow.js's fields", async () => {
    const a = ts.ones([2, 3]);
    const b = ts.ones([3, 4]);
    const info = await ts.profile(() => ts.matMul(a, b).add(1));
    const theirs = await tf.profile(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 4])).add(1));
    expect(Object.keys(info).sort()).toEqual(Object.keys(theirs).sort());
    expect(Object.keys(info.kernels[0]).sort()).toEqual(Object.keys(theirs.kernels[0]).sort());
    expect(info.kernelNames).toEqual(['matMul', 'add']);
    expect(info.kernels.map((k) => k.inputShapes)).toEqual([
      [
        [2, 3],
        [3, 4],
      ],
      [[2, 4], []],
    ]);
    expect(info.kernels.map((k) => k.outputShapes)).toEqual(theirs.kernels.map((k) => k.outputShapes));
    expect(info.kernels[0].bytesAdded).toBe(2 * 4 * 4);
    expect(info.kernels[0].tensorsAdded).toBe(1);
    // Between the kernels, add made its scalar 1 a tensor: counted in the totals, not in a kernel.
    expect(info.kernels[1].tensorsAdded).toBe(1);
    expect(info.kernels[1].totalTensorsSnapshot).toBe(info.kernels[0].totalTensorsSnapshot + 2);
    expect(info.kernels.every((k) => typeof k.kernelTimeMs === 'number' && k.kernelTimeMs >= 0)).toBe(true);
    expect(info.peakBytes).toBe(Math.max(...info.kernels.map((k) => k.totalBytesSnapshot)));
    // add disposes its scalar: the matMul and add outputs remain.
    expect(info.newTensors).toBe(2);
    expect(info.newBytes).toBe(2 * 2 * 4 * 4);
    expect(info.result).toBeInstanceOf(ts.Tensor);
    expect(Array.from((info.result as ts.Tensor).dataSync())).toEqual(new Array(8).fill(4));
  });

  it('awaits an async f, and records nothing after it', async () => {
    const x = ts.ones([3]);
    const info = await ts.profile(async () => {
      const y = x.exp();
      await ts.nextFrame();
      return y.neg();
    });
    expect(info.kernelNames).toEqual(['exp', 'neg']);
    x.square();
    expect(info.kernels).toHaveLength(2);
    const empty = await ts.profile(() => null);
    expect(empty.kernels).toEqual([]);
    expect(empty.peakBytes).toBe(-Infinity); // as TensorFlow.js's Math.max() of none
  });

  it('passes on the error of f, and bad arguments are errors', async () => {
    await expect(
      ts.profile(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(ts.ones([1]).exp().shape).toEqual([1]); // the watch is off again
    await expect(ts.profile(3 as never)).rejects.toThrow(/^profile: expected f to be a function, got 3/);
  });
});

describe('debug mode', () => {
  afterEach(() => ts.env().set('DEBUG', false));

  it("env().set('DEBUG', true) checks every op's float outputs for NaN and names the op", () => {
    expect(ts.env().get('DEBUG')).toBe(false);
    ts.env().set('DEBUG', true);
    expect(ts.env().getBool('DEBUG')).toBe(true);
    expect(() => ts.log(ts.tensor([1, -1]))).toThrow(/^log: debug mode found NaN in the result \(shape \[2\], at flat index 1\)/);
    expect(() => ts.sqrt(ts.tensor([[4, -4]]))).toThrow(/^sqrt: debug mode found NaN/);
    expect(Array.from(ts.log(ts.tensor([1, Math.E])).dataSync())).toEqual([0, expect.closeTo(1, 6)]);
    expect(ts.tensor([1, 2], [2], 'int32').add(1).dtype).toBe('int32');
    ts.env().set('DEBUG', false);
    expect(Number.isNaN(ts.log(ts.tensor([-1])).dataSync()[0])).toBe(true);
  });

  it('enableDebugMode turns it on; a NaN inside a composite op names the kernel that made it', () => {
    expect(() => (ts.enableDebugMode as (...a: unknown[]) => void)(true)).toThrow(/^enableDebugMode: expected at most 0 arguments/);
    expect(ts.env().get('DEBUG')).toBe(false);
    ts.enableDebugMode();
    expect(ts.env().getFlags()).toEqual({ DEBUG: true, IS_NODE: true, IS_BROWSER: false });
    expect(() => ts.tensor([0]).div(ts.tensor([0]))).toThrow(/debug mode found NaN/);
  });

  it('a model still trains in debug mode', async () => {
    ts.env().set('DEBUG', true);
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const h = await model.fit(ts.ones([4, 2]), ts.zeros([4, 1]), { epochs: 2, verbose: 0 });
    expect(h.history.loss).toHaveLength(2);
    model.dispose();
  });

  it('unknown and read-only flags are errors', () => {
    expect(() => ts.env().set('WEBGL_PACK', true)).toThrow(/^env\(\)\.set: expected one of the flags 'DEBUG', 'IS_NODE', 'IS_BROWSER', got 'WEBGL_PACK'/);
    expect(() => ts.env().set('IS_NODE', false)).toThrow(/^env\(\)\.set: flag 'IS_NODE' is read-only/);
    expect(() => ts.env().set('DEBUG', 1 as never)).toThrow(/^env\(\)\.set: expected true or false for 'DEBUG', got 1/);
    expect(() => ts.env().get('debug')).toThrow(/^env\(\)\.get: expected one of the flags/);
    expect(ts.env().get('IS_NODE')).toBe(true);
  });
});

describe('disposeVariables', () => {
  it('disposes every live variable, layer weights included', () => {
    const v = ts.variable(ts.ones([2]));
    const layer = ts.layers.dense({ units: 2 });
    layer.apply(ts.ones([1, 3]));
    const weights = layer.weights;
    expect(weights).toHaveLength(2);
    expect(weights.every((w) => !w.isDisposed)).toBe(true);
    ts.disposeVariables();
    expect(v.isDisposed).toBe(true);
    expect(weights.every((w) => w.isDisposed)).toBe(true);
    ts.disposeVariables(); // nothing left: no error
    const w = ts.variable(ts.zeros([1]));
    expect(w.isDisposed).toBe(false);
    expect(() => (ts.disposeVariables as (...a: unknown[]) => void)(v)).toThrow(/^disposeVariables: expected at most 0 arguments/);
  });
});

describe('op and nextFrame', () => {
  it("op({name: f}) wraps f: a tidy that keeps the result, errors named for the op (TensorFlow.js's trailing _ dropped)", () => {
    const squareSum = ts.op({ squareSum_: (x: ts.Tensor) => x.square().sum() });
    expect(squareSum.name).toBe('squareSum');
    const before = liveTensors();
    const y = squareSum(ts.tensor([1, 2, 3]));
    expect(y.dataSync()[0]).toBe(14);
    expect(liveTensors() - before).toBe(2); // the input and the result, not the square
    const bad = ts.op({ pairProduct: (a: ts.Tensor, b: ts.Tensor) => ts.matMul(a, b) });
    expect(() => bad(ts.ones([2, 3]), ts.ones([2, 3]))).toThrow(/^pairProduct: /);
    expect(() => ts.op({ a: () => 1, b: () => 2 } as never)).toThrow(/^op: expected an object with a single key .* got 2 keys/);
    expect(() => ts.op({ f: 3 } as never)).toThrow(/^op: expected 'f' to be a function, got 3/);
    expect(() => ts.op((() => 1) as never)).toThrow(/^op: expected an object \{name: function\}/);
  });

  it('nextFrame resolves after the work setImmediate queued before it', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('immediate'));
    await ts.nextFrame();
    order.push('frame');
    expect(order).toEqual(['immediate', 'frame']);
  });
});
