// Merge layers: values by hand, output shapes, masks, errors, gradients through them.
import { grads, input, layers, sum, tensor, type Tensor } from '../../src';
import { expectConfigRoundTrip } from '../helpers/layers';
import { expectTensor } from '../helpers/reference';

const a = () =>
  tensor([
    [1, 5],
    [3, -2],
  ]);
const b = () =>
  tensor([
    [2, 1],
    [3, 4],
  ]);

describe('elementwise merges', () => {
  it.each([
    ['add', layers.add, [3, 6, 6, 2]],
    ['subtract', layers.subtract, [-1, 4, 0, -6]],
    ['multiply', layers.multiply, [2, 5, 9, -8]],
    ['average', layers.average, [1.5, 3, 3, 1]],
    ['maximum', layers.maximum, [2, 5, 3, 4]],
    ['minimum', layers.minimum, [1, 1, 3, -2]],
  ] as const)('%s', (_, make, want) => {
    const layer = make();
    expectTensor(layer.apply([a(), b()]), [2, 2], want);
    expect(layer.apply([input({ shape: [2] }), input({ shape: [2] })]).shape).toEqual([null, 2]);
    expectConfigRoundTrip(layer);
  });

  it('adds three inputs and broadcasts size-1 dimensions', () => {
    expectTensor(layers.add().apply([a(), b(), tensor([[10], [20]])]), [2, 2], [13, 16, 26, 22]);
    expect(layers.add().apply([input({ shape: [3] }), input({ shape: [1] })]).shape).toEqual([null, 3]);
  });

  it('rejects single inputs, wrong counts and incompatible shapes', () => {
    expect(() => layers.add().apply(a())).toThrow('a merge layer takes a list of at least 2 inputs, got a single input');
    expect(() => layers.subtract().apply([a(), b(), a()])).toThrow('takes a list of 2 inputs, got 3');
    expect(() => layers.add({ name: 'adder' }).apply([input({ shape: [3] }), input({ shape: [4] })])).toThrow(
      'adder: inputs have incompatible shapes: [null, 3] and [null, 4]',
    );
  });

  it('combines masks with AND', () => {
    const m1 = tensor([[true, false]]);
    const m2 = tensor([[true, true]]);
    const x = tensor([[[1], [2]]]);
    expect(layers.add().computeMask([x, x], [m1, m2])!.arraySync()).toEqual([[true, false]]);
    expect(layers.add().computeMask([x, x], [null, null])).toBeNull();
  });
});

describe('concatenate', () => {
  it('joins along an axis', () => {
    const c = layers.concatenate({ axis: -1 });
    expectTensor(c.apply([a(), tensor([[7], [8]])]), [2, 3], [1, 5, 7, 3, -2, 8]);
    expect(c.apply([input({ shape: [2] }), input({ shape: [3] })]).shape).toEqual([null, 5]);
    expect(layers.concatenate({ axis: 1 }).apply([input({ shape: [2, 4] }), input({ shape: [null, 4] })]).shape).toEqual([null, null, 4]);
    expect(() => layers.concatenate({ axis: 1 }).apply([input({ shape: [2, 4] }), input({ shape: [2, 5] })])).toThrow(
      'inputs must match in every dimension except axis 1',
    );
    expectConfigRoundTrip(c);
  });

  it('concatenates masks as Keras does', () => {
    const x = tensor([[[1], [2]]]);
    const mask = layers.concatenate({ axis: 1 }).computeMask([x, x], [tensor([[true, false]]), null])!;
    expect(mask.arraySync()).toEqual([[true, false, true, true]]);
  });
});

describe('dot', () => {
  it('is a per-example dot product', () => {
    const d = layers.dot({ axes: 1 });
    expectTensor(d.apply([a(), b()]), [2, 1], [7, 1]);
    expect(d.apply([input({ shape: [2] }), input({ shape: [2] })]).shape).toEqual([null, 1]);
    expectConfigRoundTrip(d);
  });

  it('normalizes to cosine similarity', () => {
    const d = layers.dot({ axes: 1, normalize: true });
    expectTensor(d.apply([tensor([[3, 4]]), tensor([[6, 8]])]), [1, 1], [1], 1e-5);
  });

  it('contracts chosen axes of rank-3 inputs (batch_dot)', () => {
    const x = tensor([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]); // [1, 3, 2]
    const y = tensor([
      [
        [1, 0, 1],
        [0, 1, 1],
      ],
    ]); // [1, 2, 3]
    const d = layers.dot({ axes: [2, 1] });
    expectTensor(d.apply([x, y]), [1, 3, 3], [1, 2, 3, 3, 4, 7, 5, 6, 11]);
    expect(d.apply([input({ shape: [3, 2] }), input({ shape: [2, 3] })]).shape).toEqual([null, 3, 3]);
    expect(() => layers.dot({ axes: 1 }).apply([input({ shape: [3] }), input({ shape: [4] })])).toThrow('dimension mismatch');
    expect(() => layers.dot({ axes: 0 }).apply([a(), b()])).toThrow('the batch axis 0 cannot be contracted');
  });

  it('passes gradients to both inputs', () => {
    const g = grads((x: Tensor, y: Tensor) => sum(layers.dot({ axes: 1 }).apply([x, y])))([a(), b()]);
    expectTensor(g[0], [2, 2], [2, 1, 3, 4]);
    expectTensor(g[1], [2, 2], [1, 5, 3, -2]);
  });
});
