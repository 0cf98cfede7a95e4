// ts.remat with a function that disposes or changes its arguments, and gradients that an op
// passes unchanged to two inputs: clear errors, right gradients, one tensor per gradient.
import * as ts from '../../src';

describe('remat of a function that handles its arguments badly', () => {
  it('one that disposes its argument gets an error naming remat (it said save: tensor is disposed), freeing what it made', () => {
    const f = ts.remat((x: ts.Tensor) => {
      const y = ts.mul(x, 2);
      x.dispose();
      return y;
    });
    const x = ts.tensor([[1, 1]]);
    const before = ts.memory().numTensors;
    expect(() => ts.tidy(() => ts.grad((a: ts.Tensor) => ts.sum(f(ts.add(a, 0))))(x))).toThrow(
      'remat: fn disposed its argument (shape [1, 2]); a rematerialized function must leave its arguments alive, its backward pass recomputes from them',
    );
    expect(ts.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('one that empties its argument array is recomputed from the arguments as called', () => {
    const f = ts.remat((xs: ts.Tensor[]) => {
      const r = ts.mul(xs[0], xs[1]);
      xs.pop();
      return r;
    });
    const a = ts.tensor([1, 2]);
    const b = ts.tensor([3, 4]);
    const [ga, gb] = ts.grads((p: ts.Tensor, q: ts.Tensor) => ts.sum(f([p, q])))([a, b]);
    expect(Array.from(ga.dataSync())).toEqual([3, 4]);
    expect(Array.from(gb.dataSync())).toEqual([1, 2]);
    ts.dispose([a, b, ga, gb]);
  });
});

describe('gradients an op passes unchanged to two inputs', () => {
  it('grads hands out one tensor per input: disposing one leaves the other', () => {
    const a = ts.tensor([1, 2]);
    const b = ts.tensor([3, 4]);
    const [ga, gb] = ts.grads((p: ts.Tensor, q: ts.Tensor) => ts.sum(ts.add(p, q)))([a, b]);
    expect(ga).not.toBe(gb);
    gb.dispose();
    expect(Array.from(ga.dataSync())).toEqual([1, 1]);
    ts.dispose([a, b, ga]);
  });

  it('grads of the same tensor twice, and variableGrads of two variables added, too', () => {
    const a = ts.tensor([1, 2]);
    const [g1, g2] = ts.grads((p: ts.Tensor, q: ts.Tensor) => ts.sum(ts.add(p, q)))([a, a]);
    expect(g1).not.toBe(g2);
    g1.dispose();
    expect(Array.from(g2.dataSync())).toEqual([2, 2]);
    const v = ts.variable(ts.tensor([1, 2]), true, 'hostile4_v');
    const w = ts.variable(ts.tensor([3, 4]), true, 'hostile4_w');
    const { value, grads } = ts.variableGrads(() => ts.sum(ts.add(v, w)));
    expect(grads['hostile4_v']).not.toBe(grads['hostile4_w']);
    grads['hostile4_v'].dispose();
    expect(Array.from(grads['hostile4_w'].dataSync())).toEqual([1, 1]);
    ts.dispose([a, g2, value, grads['hostile4_w'], v, w]);
  });
});
