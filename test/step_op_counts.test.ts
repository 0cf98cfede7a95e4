// Ops of a training step that must not come back: binary ops' gradients skip inputs that
// need none (a constant operand), and Mean of a number (the loss tracker's batch loss)
// runs no kernel, with the tensor path's float32 results bit for bit; multiHeadAttention's
// fused path runs no head transposes.
import { add, div, grad, grads, layers, metrics, mul, scalar, sub, sum, tensor, type Tensor } from '../src';
import { sumTo } from '../src/ops/reduce';
import { kernelsOf } from './helpers/kernels_of';
import { expectClose, randomTensor } from './helpers/reference';

describe('binary gradients skip inputs that need none', () => {
  const x = randomTensor([3, 4], 1, 'float64', 0.5, 2);
  const c = randomTensor([3, 4], 2, 'float64', 0.5, 2);
  const cases: [string, (a: Tensor, b: Tensor) => Tensor, string[]][] = [
    ['add', add, []],
    ['sub', sub, []],
    ['mul', mul, ['mul']],
    ['div', div, ['div']],
  ];
  for (const [name, f, backward] of cases) {
    it(`${name}(x, constant) and ${name}(constant, x)`, () => {
      for (const [order, want] of [
        ['x first', backward],
        // d/db of a / b needs more than one kernel; of a * b one, of a - b a neg.
        ['x second', name === 'div' ? ['mul', 'square', 'div', 'neg'] : name === 'sub' ? ['neg'] : backward],
      ] as const) {
        const g = (xs: Tensor) => sum(order === 'x first' ? f(xs, c) : f(c, xs));
        let got: Tensor | null = null;
        const kernels = kernelsOf(() => (got = grad(g)(x)));
        // forward (the op, the sum), the seed, sum's broadcast, then the op's gradient for x only
        expect(kernels).toEqual([name, 'reduce_sum', 'fill', 'tile', ...want]);
        // the value: finite differences of the same function
        const eps = 1e-6;
        const base = Array.from(x.dataSync());
        const numeric = base.map((_, i) => {
          const at = (d: number) =>
            sum(
              order === 'x first'
                ? f(
                    tensor(
                      base.map((v, j) => (j === i ? v + d : v)),
                      [3, 4],
                      'float64',
                    ),
                    c,
                  )
                : f(
                    c,
                    tensor(
                      base.map((v, j) => (j === i ? v + d : v)),
                      [3, 4],
                      'float64',
                    ),
                  ),
            ).dataSync()[0];
          return (at(eps) - at(-eps)) / (2 * eps);
        });
        expectClose((got as unknown as Tensor).dataSync(), numeric, 1e-6, 1e-7);
      }
    });
  }
});

describe('Mean of numbers', () => {
  it('equals the tensor path bit for bit, weighted or not, and runs no kernel', () => {
    const values: [number, number | undefined][] = [
      [2.3052287, 128],
      [0.1, 3],
      [1 / 3, 0.7],
      [1e30, 1e10],
      [-5.5, 0],
      [7.25, undefined],
      [Number.NaN, 2],
    ];
    const byNumber = new metrics.Mean();
    const byTensor = new metrics.Mean();
    for (const [v, w] of values) {
      expect(kernelsOf(() => byNumber.updateState(v, w))).toEqual([]);
      byTensor.updateState(scalar(v), w === undefined ? undefined : scalar(w));
      const a = byNumber.result().dataSync()[0];
      const b = byTensor.result().dataSync()[0];
      expect(Object.is(a, b)).toBe(true);
    }
  });
});

describe('metrics of a step', () => {
  it('sparse categorical accuracy compares int32 labels without casts, as float labels do', () => {
    const logits = randomTensor([6, 4], 3);
    const labels = [1, 0, 3, 3, 2, 1];
    let asInt: Tensor | null = null;
    expect(kernelsOf(() => (asInt = metrics.sparseCategoricalAccuracy(tensor(labels, [6], 'int32'), logits)))).toEqual(['argmax', 'equal', 'cast']);
    const asFloat = metrics.sparseCategoricalAccuracy(tensor(labels, [6, 1], 'float32'), logits);
    expect(Array.from((asInt as unknown as Tensor).dataSync())).toEqual(Array.from(asFloat.dataSync()));
    expect((asInt as unknown as Tensor).dtype).toBe('float32');
    // labels beyond float32's integers still compare exactly
    const wide = metrics.sparseCategoricalAccuracy(tensor([16777217], [1], 'int32'), tensor([[0, 1]], [1, 2]));
    expect(Array.from(wide.dataSync())).toEqual([0]);
  });

  it('Mean of a float32 tensor reduces it in place: one kernel, one read', () => {
    const m = new metrics.Mean();
    const values = randomTensor([128], 4);
    expect(kernelsOf(() => m.updateState(values))).toEqual(['reduce_sum']);
    const want = Array.from(values.dataSync()).reduce((a, b) => a + b, 0) / 128;
    expectClose([m.result().dataSync()[0]], [want], 1e-6, 1e-7);
    const weighted = new metrics.Mean();
    weighted.updateState(values, tensor(Array.from({ length: 128 }, (_, i) => i % 2)));
    const odd = Array.from(values.dataSync()).filter((_, i) => i % 2 === 1);
    expectClose([weighted.result().dataSync()[0]], [odd.reduce((a, b) => a + b, 0) / 64], 1e-6, 1e-7);
  });
});

describe('sumTo', () => {
  it('sums to the shape with one kernel and no view where the kernel output has it (a bias gradient)', () => {
    const dy = randomTensor([6, 5], 8);
    let bias: Tensor | null = null;
    expect(kernelsOf(() => (bias = sumTo(dy, [5])), true)).toEqual(['reduce_sum']);
    const want = [0, 1, 2, 3, 4].map((j) => Array.from(dy.dataSync()).reduce((acc, v, i) => (i % 5 === j ? acc + v : acc), 0));
    expect((bias as unknown as Tensor).shape).toEqual([5]);
    expectClose((bias as unknown as Tensor).dataSync(), want, 1e-6, 1e-6);
    let kept: Tensor | null = null;
    expect(kernelsOf(() => (kept = sumTo(dy, [1, 5])), true)).toEqual(['reduce_sum']);
    expect((kept as unknown as Tensor).shape).toEqual([1, 5]);
    expectClose((kept as unknown as Tensor).dataSync(), want, 1e-6, 1e-6);
    // [2, 3, 5] to [1, 5]: the kept dims [1, 1, 5] need a view of the target's shape
    const dy3 = randomTensor([2, 3, 5], 9);
    let viewed: Tensor | null = null;
    expect(kernelsOf(() => (viewed = sumTo(dy3, [1, 5])), true)).toEqual(['reduce_sum', 'view']);
    expect((viewed as unknown as Tensor).shape).toEqual([1, 5]);
    const want3 = [0, 1, 2, 3, 4].map((j) => Array.from(dy3.dataSync()).reduce((acc, v, i) => (i % 5 === j ? acc + v : acc), 0));
    expectClose((viewed as unknown as Tensor).dataSync(), want3, 1e-6, 1e-6);
  });
});

describe('multiHeadAttention on the fused kernel', () => {
  it('runs no head transpose in the forward or the backward: the kernel takes [batch, T, heads, dim]', () => {
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.1, seed: 3, flashAttention: true });
    const x = randomTensor([2, 9, 6], 5);
    layer.apply(x, { value: x });
    const names = kernelsOf(() => {
      grads((a: Tensor) => sum(layer.apply(a, { value: a, useCausalMask: true, training: true }) as Tensor))([x]);
    });
    expect(names).toContain('attention_fused');
    expect(names).toContain('attention_fused_backward');
    expect(names.filter((n) => n === 'transpose')).toEqual([]);
    // lse and the kept probabilities get no gradient: no zero fills of them before the backward.
    const backward = names.indexOf('attention_fused_backward');
    expect(names[backward - 1]).not.toBe('fill');
  });
});
