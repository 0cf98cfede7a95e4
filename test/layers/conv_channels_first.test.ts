// Convolutions with dataFormat 'channelsFirst' (Keras's channels_first): the same kernels
// as channels-last, so each must equal its channels-last twin on the transposed input, with
// output shapes that put the channels second. Reference: that identity, which is how Keras's
// kernels are laid out for both formats ([...kernelSize, in, out]).
import * as ts from '../../src';

type Factory = (args: never) => ts.layers.Layer;
const CASES: [string, Factory, object, number[]][] = [
  ['conv1d', ts.layers.conv1d as Factory, { filters: 3, kernelSize: 2, padding: 'same' }, [2, 4, 7]],
  ['conv2d', ts.layers.conv2d as Factory, { filters: 3, kernelSize: [2, 3], strides: 2 }, [2, 4, 6, 7]],
  ['conv3d', ts.layers.conv3d as Factory, { filters: 2, kernelSize: 2 }, [1, 3, 4, 4, 5]],
  ['conv2dTranspose', ts.layers.conv2dTranspose as Factory, { filters: 2, kernelSize: 3, strides: 2, padding: 'same' }, [1, 3, 4, 5]],
  ['depthwiseConv2d', ts.layers.depthwiseConv2d as Factory, { kernelSize: 2, depthMultiplier: 2 }, [2, 3, 5, 5]],
  ['separableConv1d', ts.layers.separableConv1d as Factory, { filters: 4, kernelSize: 3 }, [2, 3, 8]],
];

const toLast = (rank: number) => [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
const toFirst = (rank: number) => [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];

describe.each(CASES)('%s channelsFirst', (_name, factory, options, shape) => {
  test('equals channels-last on the transposed input; shapes and input checks in channels-first', () => {
    ts.setSeed(7);
    const first = factory({ ...options, dataFormat: 'channelsFirst', activation: 'relu' } as never);
    const last = factory({ ...options, activation: 'relu' } as never);
    const x = ts.randomNormal(shape);
    const y = first.apply(x) as ts.Tensor;
    const xLast = ts.transpose(x, toLast(shape.length));
    last.build(xLast.shape);
    last.setWeights(first.getWeights());
    const expected = ts.transpose(last.apply(xLast) as ts.Tensor, toFirst(shape.length));
    expect(y.shape).toEqual(expected.shape);
    expect(first.computeOutputShape([null, ...shape.slice(1)])).toEqual([null, ...expected.shape.slice(1)]);
    expect(ts.max(ts.abs(ts.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-5);
    // The channel axis is the second: another channel count there is refused.
    const wrong = [...shape];
    wrong[1] += 1;
    expect(() => first.apply(ts.ones(wrong))).toThrow(/expected axis 1 of input shape to have value/);
  });
});

test('gradients flow through the transposes', () => {
  const conv = ts.layers.conv2d({ filters: 2, kernelSize: 2, dataFormat: 'channelsFirst' });
  const x = ts.ones([1, 3, 4, 4]);
  conv.build(x.shape);
  const { grads } = ts.variableGrads(() => ts.sum(conv.apply(x) as ts.Tensor));
  expect(Object.values(grads).map((g) => g.shape)).toEqual([[2, 2, 3, 2], [2]]);
});
