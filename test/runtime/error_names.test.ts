// Errors name the op the user called, even when it is built from other ops (zeros from
// fill, norm from sum, conv1d from conv2d), and show arguments as they were passed.
import * as ts from '../../src';

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('ops built from other ops name themselves', () => {
  it.each([
    ['zeros', () => ts.zeros([2, -1]), /^zeros: expected shape entries to be non-negative integers/],
    ['ones', () => ts.ones('x' as never), /^ones: expected shape to be an array/],
    ['fill', () => ts.fill([2.5], 1), /^fill: expected shape entries/],
    ['zerosLike', () => ts.zerosLike(undefined as never), /^zerosLike: expected x to be a Tensor, got undefined/],
    ['norm', () => ts.norm(ts.ones([2, 3]), 'euclidean', 5), /^norm: expected axis/],
    ['l2Normalize', () => ts.l2Normalize(ts.ones([2, 3]), 7), /^l2Normalize: expected axis/],
    ['squaredDifference', () => ts.squaredDifference(ts.ones([2]), ts.ones([3])), /^squaredDifference: shapes \[2\] and \[3\] cannot be broadcast/],
    ['swish', () => ts.swish(undefined as never), /^swish: expected argument 'x'/],
    ['clipByValue', () => ts.clipByValue(ts.ones([2]), ts.ones([3]) as never, 5), /^clipByValue: /],
    ['expandDims', () => ts.expandDims(undefined as never), /^expandDims: expected argument 'x' to be a Tensor/],
    ['flatten', () => ts.flatten('x' as never), /^flatten: expected argument 'x'/],
    ['unstack', () => ts.unstack(undefined as never), /^unstack: expected argument 'x'/],
    ['depthwiseConv2d', () => ts.depthwiseConv2d(ts.ones([1, 4, 4, 1]), ts.ones([3, 3, 1, 1]), { strides: 0 }), /^depthwiseConv2d: expected strides/],
    [
      'separableConv2d',
      () => ts.separableConv2d(ts.ones([1, 4, 4, 2]), ts.ones([3, 3, 2, 1]), ts.ones([1, 1, 3, 4])),
      /^separableConv2d: the filter expects 3 input channels/,
    ],
    ['logSumExp', () => ts.logSumExp(ts.ones([2]), 3), /^logSumExp: /],
    ['dropout', () => ts.dropout(ts.ones([2, 3]), 0.5, 'a' as never), /^dropout: expected noiseShape to be an array/],
    ['einsum', () => ts.einsum(undefined as never), /^einsum: expected the equation to be a string/],
    [
      'lstmCell',
      () => ts.lstmCell(undefined as never, ts.ones([1, 1]), ts.ones([1, 1]), ts.ones([1, 4])),
      /^lstmCell: expected xw to be a Tensor, got undefined/,
    ],
    [
      'variable',
      () => {
        const t = ts.ones([2]);
        t.dispose();
        return ts.variable(t);
      },
      /^variable: initialValue \(shape \[2\]\) is a disposed tensor/,
    ],
    [
      'stopGradient',
      () => {
        const t = ts.ones([2]);
        t.dispose();
        return ts.stopGradient(t);
      },
      /^stopGradient: x \(shape \[2\]\) is a disposed tensor/,
    ],
  ])('%s', (_, f, message) => expect(messageOf(f)).toMatch(message));
});

describe('conv1d speaks in its own arguments', () => {
  const x = ts.ones([1, 5, 2]);
  const w = ts.ones([3, 2, 1]);
  it('stride 0 is reported as the stride, not as a conv2d pair', () => {
    expect(messageOf(() => ts.conv1d(x, w, { stride: 0 }))).toBe('conv1d: expected stride to be a positive integer, got 0');
    expect(messageOf(() => ts.conv1d(x, w, { dilation: 1.5 }))).toBe('conv1d: expected dilation to be a positive integer, got 1.5');
  });
  it('errors of the convolution it runs name conv1d', () => {
    expect(messageOf(() => ts.conv1d(x, ts.ones([9, 2, 1])))).toMatch(/^conv1d: the window/);
    expect(messageOf(() => ts.conv1d(x, ts.ones([3, 3, 1])))).toMatch(/^conv1d: the filter expects 3 input channels/);
  });
});

describe('sizes JavaScript cannot build are clear errors', () => {
  it.each([
    ['eye', () => ts.eye(2 ** 20), /^eye: the result would hold 1099511627776 float32 values \(4398046511104 bytes\)/],
    ['range', () => ts.range(0, 1e12), /^range: the result would hold 1000000000000 float32 values/],
    ['linspace', () => ts.linspace(0, 1, 2 ** 33), /^linspace: the result would hold 8589934592 float32 values/],
  ])('%s', (_, f, message) => expect(messageOf(f)).toMatch(message));
});

// Every public function of the library, called with bad arguments: each error must start
// with the function's own name (a clean error, not a TypeError from inside).
describe('every public op names itself', () => {
  const disposed = ts.ones([2]);
  disposed.dispose();
  const BAD_ARGUMENTS: unknown[][] = [
    [],
    [undefined],
    ['x'],
    [disposed],
    [[2, -1]],
    [[2.5]],
    [ts.ones([2, 3]), 'a'],
    [ts.ones([2, 3]), 5],
    [ts.ones([2, 3]), -7],
    [ts.ones([2, 3]), {}],
    [ts.ones([2, 3]), ts.ones([4, 5])],
    [ts.ones([2, 3], 'int32')],
    [ts.ones([2, 3]), ts.ones([3]), ts.ones([7])],
    [ts.ones([1, 4, 4, 1]), ts.ones([3, 3, 1, 1]), { strides: 0 }],
    [ts.ones([1, 4, 1]), ts.ones([3, 1, 1]), { stride: 0 }],
    [ts.ones([2]), 1, 'int33'],
    [ts.ones([2, 3]), [0], 'x'],
    [ts.ones([2, 3]), 'euclidean', 7],
  ];
  // Not ops: they take functions or change global state.
  const NOT_OPS = new Set([
    'tidy',
    'keep',
    'dispose',
    'grad',
    'grads',
    'valueAndGrad',
    'valueAndGrads',
    'variableGrads',
    'customGrad',
    'noGrad',
    'setDevice',
    'setSeed',
    'setNumThreads',
    'sequential',
    'model',
    'input',
    'loadModel',
    'loadLayersModel',
  ]);
  const ops = Object.entries(ts).filter(([name, f]) => typeof f === 'function' && !/^[A-Z]/.test(name) && !NOT_OPS.has(name));

  it('covers the ops', () => expect(ops.length).toBeGreaterThan(120));

  it.each(ops.map(([name]) => [name]))('%s', (name) => {
    const f = (ts as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
    const wrong: string[] = [];
    for (const args of BAD_ARGUMENTS) {
      try {
        const r = f(...args);
        if (r instanceof Promise) r.catch(() => undefined);
      } catch (e) {
        const message = (e as Error).message;
        if (!message.startsWith(`${name}: `)) wrong.push(message);
      }
    }
    expect(wrong).toEqual([]);
  });
});
