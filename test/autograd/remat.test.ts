// ts.remat: gradients equal the plain ones (inputs, Variables read inside, nested remat,
// several outputs), the tape keeps fewer tensors, random draws repeat in the recomputation,
// and bad input is refused by name.
import * as ts from '../../src';
import { GradientTape, memory, tensor, tidy, variable, type Tensor, type Variable } from '../../src';
import { randomData } from '../helpers/reference';

const data = (shape: number[], seed: number) =>
  tensor(
    randomData(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
const values = (t: Tensor | null) => Array.from(t!.dataSync());

function expectClose(a: Tensor | null, b: Tensor | null, tol = 1e-6) {
  expect(a).not.toBeNull();
  expect(b).not.toBeNull();
  expect(a!.shape).toEqual(b!.shape);
  const [x, y] = [values(a), values(b)];
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]))));
}

// d loss / d sources, loss = sum(f(x)^2), with x watched.
function gradsOf(f: (x: Tensor) => Tensor, x: Tensor, sources: Tensor[]): (Tensor | null)[] {
  const tape = new GradientTape();
  tape.watch(x);
  const loss = ts.sum(ts.square(f(x)));
  return tape.gradient(loss, [x, ...sources]);
}

describe('remat gradients', () => {
  const w1 = variable(data([8, 16], 2), true, 'w1');
  const w2 = variable(data([16, 8], 3), true, 'w2');
  const mlp = (x: Tensor) => ts.tanh(ts.matMul(ts.relu(ts.matMul(x, w1)), w2));

  it('an MLP block: the input and the Variables read inside get the plain gradients', () => {
    const x = data([4, 8], 1);
    const plain = gradsOf(mlp, x, [w1, w2]);
    const rem = gradsOf(ts.remat(mlp), x, [w1, w2]);
    rem.forEach((g, i) => expectClose(g, plain[i]));
  });

  it('a layer with weights (the weights found by the tape as Variables read inside)', () => {
    const dense = ts.layers.dense({ units: 5, activation: 'gelu' });
    const x = data([3, 4], 4);
    dense.apply(x);
    const f = (t: Tensor) => dense.apply(t) as Tensor;
    const plain = gradsOf(f, x, dense.trainableWeights);
    const rem = gradsOf(ts.remat(f), x, dense.trainableWeights);
    expect(rem).toHaveLength(3);
    rem.forEach((g, i) => expectClose(g, plain[i]));
    // variableGrads finds the Variables through the remat node as it does through the ops.
    const vg = ts.variableGrads(() => ts.sum(ts.remat(f)(x)));
    expect(vg.variables).toEqual(dense.trainableWeights);
  });

  it('nested remat', () => {
    const x = data([4, 8], 5);
    const inner = ts.remat((t: Tensor) => ts.relu(ts.matMul(t, w1)));
    const outer = ts.remat((t: Tensor) => ts.tanh(ts.matMul(inner(t), w2)));
    const plain = gradsOf(mlp, x, [w1, w2]);
    gradsOf(outer, x, [w1, w2]).forEach((g, i) => expectClose(g, plain[i]));
  });

  it('several outputs (an object), extra non-tensor arguments, an output that is the argument itself', () => {
    const x = data([4, 8], 6);
    const f = (t: Tensor, scale: number) => ({ a: ts.mul(ts.matMul(t, w1), scale), b: t });
    const g = ts.remat(f);
    const loss = (h: typeof f) => (t: Tensor) => {
      const { a, b } = h(t, 3);
      return ts.add(ts.sum(ts.square(a)), ts.sum(ts.sin(b)));
    };
    const plain = gradsOf(loss(f), x, [w1]);
    gradsOf(loss(g), x, [w1]).forEach((gr, i) => expectClose(gr, plain[i]));
  });

  it('a second-order gradient through remat (the recomputation is recorded by the outer tape)', () => {
    const x = data([5], 7);
    const f = (t: Tensor) => ts.mul(ts.sin(t), t);
    const second = (h: (t: Tensor) => Tensor) => {
      const outer = new GradientTape();
      outer.watch(x);
      const inner = new GradientTape();
      inner.watch(x);
      const y = ts.sum(h(x));
      const [g] = inner.gradient(y, [x]);
      return outer.gradient(ts.sum(g!), [x])[0];
    };
    expectClose(second(ts.remat(f)), second(f));
  });

  it('with no tape recording, fn just runs', () => {
    const x = data([2, 8], 8);
    expectClose(ts.remat(mlp)(x), mlp(x));
  });
});

describe('remat saves memory', () => {
  // Tensors alive once the forward pass is done and only the loss is kept: what the tape saved.
  function keptByTape(deep: (x: Tensor) => Tensor): number {
    const x = data([16, 32], 9);
    const w = variable(data([32, 32], 10), true, 'w');
    const before = memory().numTensors;
    const tape = new GradientTape();
    const loss = tidy(() => ts.sum(deep(ts.matMul(x, w))));
    const kept = memory().numTensors - before;
    const [g] = tape.gradient(loss, [w]);
    expect(g).not.toBeNull();
    ts.dispose([g!, loss, x, w]);
    return kept;
  }
  const chain = (t: Tensor) => {
    for (let i = 0; i < 8; i++) t = ts.tanh(ts.mul(ts.sigmoid(t), t));
    return t;
  };

  it('a gradient through nested remat leaves no tensor behind', () => {
    const x = data([4, 32], 14);
    const w = variable(data([32, 32], 15), true, 'wl');
    const inner = ts.remat((t: Tensor) => chain(ts.matMul(t, w)));
    const outer = ts.remat((t: Tensor) => ts.dropout(inner(t), 0.3));
    const before = memory().numTensors;
    tidy(() => {
      const tape = new GradientTape();
      const [g] = tape.gradient(ts.sum(outer(x)), [w]);
      expect(g).not.toBeNull();
    });
    expect(memory().numTensors).toBe(before);
  });

  it('the tape keeps fn’s inputs only, not its intermediates', () => {
    const plain = keptByTape(chain);
    const rem = keptByTape(ts.remat(chain));
    expect(plain).toBeGreaterThanOrEqual(16); // every step saves what its rule needs
    expect(rem).toBeLessThanOrEqual(6); // x, w, the saved input of fn, the loss
    expect(rem).toBeLessThan(plain / 3);
  });
});

describe('random ops inside remat', () => {
  const w = variable(data([6, 6], 11), true, 'wd');
  function run(wrap: boolean, f: (t: Tensor) => Tensor): { g: Tensor; after: number[] } {
    ts.setSeed(123);
    const x = data([8, 6], 12);
    const [, g] = gradsOf(wrap ? ts.remat(f) : f, x, [w]);
    return { g: g!, after: values(ts.randomUniform([3])) };
  }

  it('dropout from the global stream: the same mask in the recomputation, the stream left where the forward left it', () => {
    const f = (t: Tensor) => ts.dropout(ts.relu(ts.matMul(t, w)), 0.5);
    const plain = run(false, f);
    const rem = run(true, f);
    expectClose(rem.g, plain.g);
    expect(rem.after).toEqual(plain.after);
  });

  it("a seeded Dropout layer's seed sequence is replayed too", () => {
    const make = () => {
      const drop = ts.layers.dropout({ rate: 0.4, seed: 7 });
      return (t: Tensor) => drop.apply(ts.relu(ts.matMul(t, w)), { training: true }) as Tensor;
    };
    expectClose(run(true, make()).g, run(false, make()).g);
  });

  it('a function drawing a different number of times when recomputed is refused', () => {
    let calls = 0;
    const f = ts.remat((t: Tensor) => (calls++ === 0 ? ts.mul(t, ts.randomUniform([6])) : ts.mul(t, 2)));
    const x = data([6], 13);
    const tape = new GradientTape();
    tape.watch(x);
    const y = ts.sum(f(x));
    expect(() => tape.gradient(y, [x])).toThrow(
      /remat: the function drew 0 random number\(s\) when recomputed for the backward pass but 1 in its forward pass/,
    );
  });
});

describe('remat bad input', () => {
  const x = tensor([1, 2, 3]);
  const taped = (f: (t: Tensor) => unknown) => {
    const tape = new GradientTape();
    tape.watch(x);
    try {
      return f(x);
    } finally {
      tape.dispose();
    }
  };

  it('refuses a non-function and extra arguments', () => {
    expect(() => ts.remat(5 as never)).toThrow('remat: expected fn to be a function, got 5');
    expect(() => (ts.remat as (...a: unknown[]) => unknown)(() => x, 2)).toThrow('remat: expected at most 1 argument, got 2');
  });

  it('refuses a function returning non-tensors, with or without a tape', () => {
    expect(() => taped(ts.remat(() => 3))).toThrow('remat: fn must return a Tensor or an array / object of Tensors, got 3');
    expect(() => ts.remat(() => 3)()).toThrow('remat: fn must return a Tensor or an array / object of Tensors, got 3');
    expect(() => taped(ts.remat((t: Tensor) => [t, 'a']))).toThrow(
      /remat: fn must return a Tensor or an array \/ object of Tensors, got 'a' \(a string\) at \[1\]/,
    );
    expect(() => taped(ts.remat(() => []))).toThrow(/no tensor/);
  });

  it('refuses fn changing its outputs in the recomputation', () => {
    let n = 0;
    const f = ts.remat((t: Tensor) => (n++ === 0 ? ts.mul(t, 2) : ts.reshape(ts.mul(t, 2), [3, 1])));
    const tape = new GradientTape();
    tape.watch(x);
    const y = ts.sum(f(x));
    expect(() => tape.gradient(y, [x])).toThrow(
      /remat: fn returned other outputs when recomputed for the backward pass \(float32\[3, 1\]\) than in its forward pass \(float32\[3\]\)/,
    );
  });
});

export type { Variable };
