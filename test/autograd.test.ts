import * as ts from '../src';
import {
  GradientTape,
  add,
  customGrad,
  exp,
  grad,
  grads,
  matMul,
  memory,
  mul,
  noGrad,
  ones,
  relu,
  scalar,
  sigmoid,
  square,
  stopGradient,
  sub,
  sum,
  tensor,
  tidy,
  valueAndGrad,
  valueAndGrads,
  variable,
  variableGrads,
  type Tensor,
} from '../src';
import { expectTensor, randomTensor } from './helpers/reference';
import { settleGarbage } from './helpers/memory';

describe('GradientTape', () => {
  it('differentiates through watched tensors and trainable variables', () => {
    const x = tensor([1, 2, 3]);
    const w = variable(tensor([0.5, -1, 2]));
    const tape = new GradientTape();
    tape.watch(x);
    const y = sum(mul(square(x), w));
    const [dx, dw] = tape.gradient(y, [x, w]);
    expectTensor(dx!, [3], [1, -4, 12]);
    expectTensor(dw!, [3], [1, 4, 9]);
  });

  it('missing sources are an error that says what goes there (not "sources[0]")', () => {
    const w = variable(tensor([0.5, -1]));
    const tape = new GradientTape();
    const y = sum(square(w));
    expect(() => tape.gradient(y, undefined as never)).toThrow(
      /^GradientTape\.gradient: expected sources, the tensor or list of tensors to differentiate with respect to \(such as model\.trainableWeights\), got undefined$/,
    );
  });

  it('returns null for sources the target does not depend on, and for integer inputs', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    const tape = new GradientTape();
    tape.watch([a, b]);
    const y = sum(square(a));
    const [da, db] = tape.gradient(y, [a, b]);
    expect(da).not.toBeNull();
    expect(db).toBeNull();
  });

  it('reduces gradients of broadcast inputs to their shape', () => {
    const x = randomTensor([4, 3], 1);
    const bias = tensor([1, 2, 3]);
    const scale = scalar(2);
    const tape = new GradientTape();
    tape.watch([bias, scale]);
    const y = sum(mul(add(x, bias), scale));
    const [db, ds] = tape.gradient(y, [bias, scale]);
    expectTensor(db!, [3], [8, 8, 8]);
    expect(ds!.shape).toEqual([]);
  });

  it('supports persistent tapes and higher-order gradients', () => {
    const x = tensor([2]);
    const outer = new GradientTape();
    outer.watch(x);
    const inner = new GradientTape({ persistent: true });
    inner.watch(x);
    const y = mul(mul(x, x), x); // x^3
    const dy = inner.gradient(y, x)!; // 3x^2, recorded by the outer tape
    const again = inner.gradient(y, x)!;
    expectTensor(again, [1], [12]);
    inner.dispose();
    const d2 = outer.gradient(sum(dy), x)!; // 6x
    expectTensor(dy, [1], [12]);
    expectTensor(d2, [1], [12]);
  });

  it('explains misuse', () => {
    const x = tensor([1, 2]);
    const tape = new GradientTape();
    tape.watch(x);
    const y = square(x);
    expect(() => tape.gradient(y, [x])).toThrow(/GradientTape.gradient: the target has shape \[2\]; gradients need a scalar target, or an output gradient/);
    expect(() => tape.gradient(y, [x])).toThrow(/this tape was already used by gradient\(\) and released/);
    const t2 = new GradientTape();
    t2.watch(x);
    const z = square(x);
    expect(() => t2.gradient(z, [x], ones([3]))).toThrow(/the output gradient has shape \[3\], but the target has shape \[2\]/);
    const t3 = new GradientTape();
    expect(() => t3.gradient(sum(x), ['x' as unknown as Tensor])).toThrow(/expected sources\[0\] to be a Tensor/);
    t3.dispose();
  });

  it('keeps memory flat over 1,000 forward/backward steps and releases saved tensors', async () => {
    const w = variable(randomTensor([8, 4], 2));
    const x = randomTensor([16, 8], 3);
    const step = () =>
      tidy(() => {
        const tape = new GradientTape();
        const loss = sum(square(relu(matMul(x, w))));
        const [g] = tape.gradient(loss, [w]);
        return g!.dataSync()[0];
      });
    step();
    await settleGarbage();
    const before = memory();
    for (let i = 0; i < 1000; i++) step();
    const after = memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });

  it('survives users disposing intermediates before gradient()', () => {
    const x = tensor([1, 2, 3]);
    const tape = new GradientTape();
    tape.watch(x);
    const h = exp(x);
    const y = sum(mul(h, h));
    h.dispose();
    const dx = tape.gradient(y, x)!;
    expectTensor(
      dx,
      [3],
      [1, 2, 3].map((v) => 2 * Math.exp(2 * v)),
      1e-5,
    );
  });

  it("keeps its own lists of an op's inputs and outputs: changing the user's arrays afterwards changes no gradient", () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4, 5]);
    const tape = new GradientTape();
    tape.watch(a);
    tape.watch(b);
    const list = [a, b];
    const parts = ts.split(mul(ts.concat(list), tensor([1, 2, 3, 4, 5])), [2, 3]);
    list.reverse(); // the op read [a, b]; the tape must too
    const second = parts[1];
    parts[1] = parts[0]; // a split's result array is the user's
    const y = sum(mul(second, second));
    const [da, db] = tape.gradient(y, [a, b]);
    expectTensor(da!, [2], [0, 0]);
    // y = sum((b * [3, 4, 5])^2): dy/db = 2 b [3, 4, 5]^2
    expectTensor(db!, [3], [2 * 3 * 9, 2 * 4 * 16, 2 * 5 * 25]);
  });
});

describe('functional gradients', () => {
  it('grad, grads, valueAndGrad(s)', () => {
    const f = (x: Tensor) => sum(square(x));
    expectTensor(grad(f)(tensor([1, 2])), [2], [2, 4]);
    const [da, db] = grads((a, b) => sum(mul(a, b)))([tensor([1, 2]), tensor([3, 4])]);
    expectTensor(da, [2], [3, 4]);
    expectTensor(db, [2], [1, 2]);
    const { value, grad: g } = valueAndGrad(f)(tensor([3]));
    expect(value.arraySync()).toBe(9);
    expectTensor(g, [1], [6]);
    const r = valueAndGrads((a, b) => sum(sub(a, b)))([tensor([1]), tensor([2])]);
    expectTensor(r.grads[1], [1], [-1]);
    expectTensor(grad((x) => square(x))(tensor([1, 2]), tensor([1, 10])), [2], [2, 40]);
  });

  it('variableGrads finds the trainable variables a function used', () => {
    const a = variable(tensor([1, 2]), true, 'a');
    const b = variable(tensor([3]), true, 'b');
    const frozen = variable(tensor([5]), false, 'frozen');
    const { value, grads: g } = variableGrads(() => sum(mul(mul(a, b), frozen)));
    expect(value.arraySync()).toBe(45);
    expect(Object.keys(g).sort()).toEqual(['a', 'b']);
    expectTensor(g.a, [2], [15, 15]);
    expectTensor(g.b, [1], [15]);
    expect(Object.keys(variableGrads(() => sum(a), [b]).grads)).toEqual([]);
  });

  it('noGrad pauses recording only while it runs, nested or thrown out of', () => {
    const f = (v: Tensor) => {
      expect(() =>
        noGrad(() =>
          noGrad(() => {
            throw new Error('boom');
          }),
        ),
      ).toThrow('boom');
      const unrecorded = noGrad(() =>
        add(
          noGrad(() => square(v)),
          square(v),
        ),
      );
      return add(unrecorded, mul(v, v));
    };
    // Only mul(v, v) is recorded: d/dv = 2v.
    expectTensor(grad(f)(tensor([3])), [1], [6]);
  });

  // Gradients of one tensor are summed by the add kernel, which reads both operands in the
  // first one's dtype: a gradient of another dtype is an error, never a misread sum.
  it("refuses a gradient whose dtype is not its input's", () => {
    const toFloat64 = customGrad((v: Tensor) => ({ value: square(v), gradFunc: (dy: Tensor) => ts.cast(dy, 'float64') }));
    const f = (v: Tensor) => add(sum(toFloat64(v)), sum(v));
    expect(() => grad(f)(tensor([1, 2]))).toThrow("grad: gradient of customGrad input 0 has dtype float64, expected float32 (the input's dtype)");
  });

  it('noGrad, stopGradient and customGrad', () => {
    const x = tensor([2]);
    expect(() => grad((v) => noGrad(() => square(v)))(x)).toThrow(/grad: the function's result does not depend on its input/);
    expectTensor(grad((v) => add(square(v), mul(stopGradient(v), v)))(x), [1], [6]);
    const clipped = customGrad((v: Tensor, save: (t: Tensor[]) => void) => {
      save([v]);
      return { value: square(v), gradFunc: (dy: Tensor, [s]: Tensor[]) => mul(dy, sigmoid(s)) };
    });
    expectTensor(grad((v) => sum(clipped(v)))(x), [1], [1 / (1 + Math.exp(-2))]);
  });
});
