// Arguments that failed with a raw engine error from inside Tessera ("f is not a function",
// "xs.forEach is not a function", "Cannot convert a BigInt value to a number") in the
// bad-input sweep (issue #16): each is refused where it is passed, by an error naming the
// public function, what it expected and what came. The sweep (test/sweeps/) checks every
// public function; these pin the messages.
import * as ts from '../../src';
import { Tensor } from '../../src';

const x = () => ts.tensor([1, 2]);
const sumSquare = (v: Tensor) => ts.sum(ts.square(v));
const sumProduct = (a: Tensor, b: Tensor) => ts.sum(ts.mul(a, b));
const BAD_FUNCTIONS: [string, unknown][] = [
  ['a string', 'str'],
  ['null', null],
  ['undefined', undefined],
  ['a number', 1.5],
  ['a Tensor', ts.ones([2])],
  ['an object', {}],
];

describe('function arguments', () => {
  const takers: [string, (f: never) => unknown, string][] = [
    ['grad', ts.grad, 'f'],
    ['grads', ts.grads, 'f'],
    ['valueAndGrad', ts.valueAndGrad, 'f'],
    ['valueAndGrads', ts.valueAndGrads, 'f'],
    ['variableGrads', ts.variableGrads, 'f'],
    ['customGrad', ts.customGrad, 'f'],
    ['noGrad', ts.noGrad, 'fn'],
    ['tidy', ts.tidy, 'fn'],
  ];
  for (const [name, take, param] of takers) {
    it.each(BAD_FUNCTIONS)(`${name} refuses %s where a function belongs, when it is passed`, (_, bad) => {
      expect(() => take(bad as never)).toThrow(new RegExp(`^${name}: expected ${param} to be a function, got `));
    });
  }

  it('the message shows the value', () => {
    expect(() => ts.grad('str' as never)).toThrow("grad: expected f to be a function, got 'str' (a string)");
    expect(() => ts.noGrad(ts.ones([2]) as never)).toThrow('noGrad: expected fn to be a function, got a Tensor');
  });
});

describe('what the gradient functions are called with', () => {
  it.each([
    ['a string', 'str'],
    ['a Tensor', ts.ones([2])],
    ['null', null],
    ['undefined', undefined],
    ['a number', 3],
  ])('grads and valueAndGrads want an array of Tensors, not %s', (_, bad) => {
    expect(() => ts.grads(sumProduct)(bad as never)).toThrow(/^grads: expected xs to be an array of Tensors \(f's arguments\), got /);
    expect(() => ts.valueAndGrads(sumProduct)(bad as never)).toThrow(/^valueAndGrads: expected xs to be an array of Tensors/);
  });

  it('names an element that is not a Tensor', () => {
    expect(() => ts.grads(sumProduct)([x(), 'b' as never])).toThrow("grads: expected input 1 to be a Tensor, got 'b' (a string)");
    expect(() => ts.grad(sumSquare)(null as never)).toThrow('grad: expected input 0 to be a Tensor, got null');
  });

  it('variableGrads wants varList to be an array of Variables', () => {
    const v = ts.variable(ts.ones([2]));
    const f = () => ts.sum(ts.square(v));
    expect(() => ts.variableGrads(f, ts.ones([2]) as never)).toThrow('variableGrads: expected varList to be an array of Variables, got a Tensor');
    expect(() => ts.variableGrads(f, [v, ts.ones([2])] as never)).toThrow(
      'variableGrads: expected varList to hold Variables, got a Tensor (shape [2], float32) at index 1',
    );
    // Still right when right.
    const { grads } = ts.variableGrads(f, [v]);
    expect(Array.from(grads[v.name].dataSync())).toEqual([2, 2]);
  });
});

describe('customGrad', () => {
  const identity = ts.customGrad((v: Tensor, save: (t: Tensor[]) => void) => {
    save([v]);
    return { value: v, gradFunc: (dy: Tensor) => dy };
  });

  it('wants at least one input, and Tensors', () => {
    expect(() => identity()).toThrow("customGrad: expected at least one input Tensor (gradFunc's gradients go to the inputs), got none");
    expect(() => identity(x(), 'extra' as never)).toThrow("customGrad: expected input 1 to be a Tensor, got 'extra' (a string)");
  });

  it('says why f failed when it was called with more inputs than it declares before save', () => {
    let thrown: Error | undefined;
    try {
      identity(x(), x());
    } catch (e) {
      thrown = e as Error;
    }
    expect(thrown?.message).toMatch(/^customGrad: f declares 2 parameter\(s\) but was called with 2 input\(s\) and then save/);
    expect((thrown?.cause as Error).message).toBe('save is not a function');
  });

  it('an error of f with the right inputs passes through unchanged', () => {
    const failing = ts.customGrad((_v: Tensor, _save: unknown) => {
      throw new TypeError('my own');
    });
    expect(() => failing(x())).toThrow(/^my own$/);
    const restParameters = ts.customGrad((..._args: unknown[]) => {
      throw new TypeError('rest');
    });
    expect(() => restParameters(x(), x())).toThrow(/^rest$/);
  });

  it('wants f to return {value, gradFunc}', () => {
    expect(() => ts.customGrad(() => null as never)(x())).toThrow('customGrad: f must return {value: Tensor, gradFunc}, got null');
    expect(() => ts.customGrad(() => 3 as never)(x())).toThrow('customGrad: f must return {value: Tensor, gradFunc}, got 3');
  });

  it('still differentiates', () => {
    const g = ts.grad((v) => ts.sum(identity(v)))(x());
    expect(Array.from(g.dataSync())).toEqual([1, 1]);
  });
});

describe('keep', () => {
  it.each([
    ['NaN', NaN],
    ['undefined', undefined],
    ['null', null],
    ['a string', 'str'],
    ['a bigint', 1n],
    ['an array', [1, 2]],
  ])('refuses %s', (_, bad) => expect(() => ts.keep(bad as never)).toThrow(/^keep: expected a Tensor, got /));
});

describe('numbers', () => {
  it.each([
    ['elu alpha', () => ts.elu(x(), 1n as never), 'elu: expected alpha to be a finite number, got 1n (a bigint)'],
    ['elu alpha "str" (was NaN, silently)', () => ts.elu(x(), 'str' as never), "elu: expected alpha to be a finite number, got 'str' (a string)"],
    ['leakyRelu alpha', () => ts.leakyRelu(x(), 1n as never), 'leakyRelu: expected alpha to be a finite number, got 1n (a bigint)'],
    ['oneHot onValue', () => ts.oneHot(ts.tensor([0], undefined, 'int32'), 2, 1n as never), 'oneHot: expected onValue to be a number, got 1n (a bigint)'],
    [
      'oneHot offValue',
      () => ts.oneHot(ts.tensor([0], undefined, 'int32'), 2, 1, '0' as never),
      "oneHot: expected offValue to be a number, got '0' (a string)",
    ],
    ['pad constantValue', () => ts.pad(x(), [[1, 1]], 1n as never), 'pad: expected constantValue to be a number, got 1n (a bigint)'],
    ['linspace start', () => ts.linspace(1n as never, 1, 5), 'linspace: expected start to be a finite number, got 1n (a bigint)'],
    ['linspace stop', () => ts.linspace(0, 1n as never, 5), 'linspace: expected stop to be a finite number, got 1n (a bigint)'],
    ['range start', () => ts.range(1n as never, 5), 'range: expected start to be a finite number, got 1n (a bigint)'],
  ])('%s', (_, f, message) => expect(f).toThrow(message));

  it('a pad or one-hot value may be any number, infinities and NaN included', () => {
    expect(Array.from(ts.pad(x(), [[1, 0]], -Infinity).dataSync())).toEqual([-Infinity, 1, 2]);
    expect(Array.from(ts.oneHot(ts.tensor([1], undefined, 'int32'), 2, 5, NaN).dataSync())).toEqual([NaN, 5]);
  });
});

describe('shapes and sizes', () => {
  const input = () => ts.ones([1, 4, 4, 2]);
  const filter = () => ts.ones([3, 3, 3, 2]);

  it("conv2dTranspose checks TensorFlow.js's positional outputShape", () => {
    for (const bad of [0, NaN, true, 1n, () => 1]) {
      expect(() => ts.conv2dTranspose(input(), filter(), bad as never)).toThrow(
        /^conv2dTranspose: expected outputShape \[batch, height, width, channels\] or \[height, width, channels\] \(TensorFlow.js's positional form\), or an options object, got /,
      );
    }
    expect(() => ts.conv2dTranspose(input(), filter(), [1, 8, -8, 3], 2, 'same')).toThrow(
      /conv2dTranspose: expected outputShape entries to be non-negative integers, got -8/,
    );
    expect(ts.conv2dTranspose(input(), filter(), [1, 8, 8, 3], 2, 'same').shape).toEqual([1, 8, 8, 3]);
  });

  it("conv2dTranspose checks the options' outputShape; null is no outputShape", () => {
    for (const bad of [{}, 8, [8, 8, 8], 'ab']) {
      expect(() => ts.conv2dTranspose(input(), filter(), { strides: 2, padding: 'same', outputShape: bad as never })).toThrow(
        /^conv2dTranspose: expected outputShape to be the output's \[height, width\], got /,
      );
    }
    expect(ts.conv2dTranspose(input(), filter(), { strides: 2, padding: 'same', outputShape: null as never }).shape).toEqual([1, 8, 8, 3]);
  });

  it('slice names a size or begin that is not an array', () => {
    expect(() => ts.slice(ts.ones([2, 3]), [0, 1], null as never)).toThrow(
      'slice: expected size to be an integer or an array of integers (-1: to the end), or undefined, got null',
    );
    expect(() => ts.slice(ts.ones([2, 3]), 'a' as never)).toThrow("slice: expected begin to be an integer or an array of integers, got 'a' (a string)");
  });
});

describe('the public API', () => {
  it('does not export the internal runUnary helper', () => {
    expect('runUnary' in ts).toBe(false);
  });

  it('swish is silu under its own name', () => {
    expect(Array.from(ts.swish(x()).dataSync())).toEqual(Array.from(ts.silu(x()).dataSync()));
    expect(() => ts.swish('a' as never)).toThrow(/^swish: /);
  });
});
