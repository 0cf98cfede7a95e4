// keras.ops.core control flow (src/ops/control_flow.ts, keras_core.ts): values hand-derived or
// from NumPy-style loops written out here, JAX's associative_scan order (checked with Keras 3
// on JAX), gradients against central finite differences in float64, and no tensor left behind.
import * as ts from '../../src';
import { liveTensors } from '../helpers/memory';

const arr = (t: unknown): unknown => (t as ts.Tensor).arraySync();
const f64 = (v: number[], shape?: number[]) => ts.tensor(v, shape, 'float64');

// d sum(fn(x)) / dx by central differences.
function numericGrad(fn: (x: ts.Tensor) => ts.Tensor, x: number[], h = 1e-6): number[] {
  const at = (v: number[]) => ts.tidy(() => (ts.sum(fn(f64(v))).dataSync() as Float64Array)[0]);
  return x.map((_, i) => {
    const up = x.slice();
    const down = x.slice();
    up[i] += h;
    down[i] -= h;
    return (at(up) - at(down)) / (2 * h);
  });
}

function expectClose(got: number[], want: number[], tol = 1e-6): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]))));
}

describe('cond and switch', () => {
  it('run the branch chosen', () => {
    ts.tidy(() => {
      expect(
        arr(
          ts.cond(
            ts.tensor(true),
            () => ts.scalar(1),
            () => ts.scalar(2),
          ),
        ),
      ).toBe(1);
      expect(
        arr(
          ts.cond(
            ts.tensor([0], [1], 'int32'),
            () => ts.scalar(1),
            () => ts.scalar(2),
          ),
        ),
      ).toBe(2);
      expect(
        ts.cond(
          false,
          () => 'a',
          () => 'b',
        ),
      ).toBe('b');
      expect(arr(ts.switch(ts.scalar(1, 'int32'), [(a: ts.Tensor) => ts.add(a, 1), (a: ts.Tensor) => ts.mul(a, 10)], ts.tensor([1, 2])))).toEqual([10, 20]);
    });
  });
  it('refuse what Keras would clamp or misread', () => {
    expect(() =>
      ts.cond(
        ts.ones([2]),
        () => 1,
        () => 2,
      ),
    ).toThrow('cond: expected pred to be a boolean or a tensor of one element, got shape [2]');
    expect(() => ts.cond(true, () => 1, 2 as never)).toThrow('cond: expected falseFn to be a function');
    expect(() => ts.switch(2, [() => 1, () => 2])).toThrow('switch: expected index in [0, 2) for 2 branches, got 2');
    expect(() => ts.switch(0.5, [() => 1])).toThrow('switch: expected index to be an integer');
  });
});

describe('whileLoop and foriLoop', () => {
  it("follow Keras's examples", () => {
    ts.tidy(() => {
      // keras.ops.while_loop(lambda i, x: i < 10, lambda i, x: (i + 1, x + 1), (0, 1)) == (10, 11)
      const [i, x] = ts.whileLoop(
        (i: ts.Tensor) => ts.less(i, 10),
        (i: ts.Tensor, x: ts.Tensor) => [ts.add(i, 1), ts.add(x, 1)],
        [0, 1],
      );
      expect([i.dtype, arr(i), arr(x)]).toEqual(['int32', 10, 11]);
      const capped = ts.whileLoop(
        (v: ts.Tensor) => ts.less(ts.max(v), 100),
        (v: ts.Tensor) => ts.mul(v, 2),
        ts.tensor([1, 3]),
        3,
      );
      expect(arr(capped)).toEqual([8, 24]);
      const obj = ts.whileLoop(
        (s: { a: ts.Tensor; b: ts.Tensor }) => ts.less(ts.sum(s.a), 20),
        (s: { a: ts.Tensor; b: ts.Tensor }) => ({ a: ts.add(s.a, s.b), b: s.b }),
        { a: ts.tensor([1, 2]), b: ts.tensor([3, 4]) },
      ) as { a: ts.Tensor };
      expect(arr(obj.a)).toEqual([10, 14]);
      // sum of i * i for i in range(2, 7) on top of 0.5
      expect(arr(ts.foriLoop(2, 7, (i, v: ts.Tensor) => ts.add(v, i * i), 0.5))).toBe(90.5);
      expect(arr(ts.foriLoop(3, 3, (i, v: ts.Tensor) => ts.add(v, 1), ts.scalar(7)))).toBe(7);
    });
  });
  it('keep structure, dtype and shape, and leave nothing behind', () => {
    expect(() =>
      ts.whileLoop(
        (i: ts.Tensor) => ts.less(i, 3),
        (i: ts.Tensor) => ts.add(i, 0.5),
        0,
      ),
    ).toThrow("whileLoop: body's result changed from int32 [] to float32 []; loop variables keep their dtype and shape");
    expect(() =>
      ts.whileLoop(
        (i: ts.Tensor) => ts.less(i, 3),
        (i: ts.Tensor) => [i, i],
        [0],
      ),
    ).toThrow("whileLoop: body's result: expected an array of 1, got an array of 2");
    expect(() =>
      ts.whileLoop(
        () => true,
        (v: ts.Tensor) => v,
        0,
        -1,
      ),
    ).toThrow('whileLoop: expected maximumIterations to be an integer >= 0');
    expect(() =>
      ts.whileLoop(
        () => true,
        (v: ts.Tensor) => v,
        'x' as never,
      ),
    ).toThrow('whileLoop: expected loopVars to be a tensor, a number or a boolean');
    const before = liveTensors();
    const out = ts.whileLoop(
      (i: ts.Tensor) => ts.less(i, 40),
      (i: ts.Tensor) => ts.add(i, 1),
      0,
    );
    expect(liveTensors() - before).toBe(1);
    out.dispose();
  });
  it('are differentiable (finite differences)', () => {
    // x -> x ** 8 elementwise, by squaring three times, then by the loop's mixing of two variables.
    const square3 = (x: ts.Tensor) =>
      ts.whileLoop(
        (i: ts.Tensor) => ts.less(i, 3),
        (i: ts.Tensor, y: ts.Tensor) => [ts.add(i, 1), ts.mul(y, y)],
        [0, x],
      )[1];
    const mix = (x: ts.Tensor) => ts.foriLoop(0, 4, (i, y: ts.Tensor) => ts.add(ts.sin(y), ts.mul(ts.reverse(y), 0.3 * i)), x);
    for (const fn of [square3, mix]) {
      const x = [1.1, -0.7, 0.4];
      const g = ts.tidy(() =>
        Array.from(
          ts
            .grad((t: ts.Tensor) => ts.sum(fn(t)))(f64(x))
            .dataSync() as Float64Array,
        ),
      );
      expectClose(g, numericGrad(fn, x));
    }
  });
});

describe('scan, map and vectorizedMap', () => {
  const xs = [
    [1, -2],
    [3, 4.5],
    [-5, 6],
    [7, 0.25],
    [2, 2],
  ];
  it('carry and stack as jax.lax.scan', () => {
    ts.tidy(() => {
      // carry: running sum; y: the carry before x (an exclusive cumsum), in xs's order.
      const step = (c: ts.Tensor, x: ts.Tensor): [ts.Tensor, ts.Tensor] => [ts.add(c, x), c];
      const [c, ys] = ts.scan(step, ts.zeros([2]), ts.tensor(xs));
      expect(arr(c)).toEqual([8, 10.75]);
      expect(arr(ys)).toEqual([
        [0, 0],
        [1, -2],
        [4, 2.5],
        [-1, 8.5],
        [6, 8.75],
      ]);
      const [cr, ysr] = ts.scan(step, ts.zeros([2]), ts.tensor(xs), null, true);
      expect(arr(cr)).toEqual([8, 10.75]);
      expect((arr(ysr) as number[][])[4]).toEqual([0, 0]);
      expect((arr(ysr) as number[][])[0]).toEqual([7, 12.75]);
      // No xs: `length` steps with x = null, and a null y.
      const [n, none] = ts.scan((k: ts.Tensor, x: null) => [ts.mul(k, x === null ? 3 : 0), null], 1, null, 4);
      expect([arr(n), none]).toEqual([81, null]);
      // Structures of xs and ys.
      const [, both] = ts.scan((k: ts.Tensor, x: { a: ts.Tensor; b: ts.Tensor }) => [k, [ts.sub(x.a, x.b), ts.mul(x.a, k)]], 2, {
        a: ts.tensor([1, 2, 3]),
        b: ts.tensor([3, 2, 1]),
      });
      expect((both as ts.Tensor[]).map(arr)).toEqual([
        [-2, 0, 2],
        [2, 4, 6],
      ]);
    });
  });
  it('refuse mismatched or empty inputs', () => {
    expect(() => ts.scan((c: ts.Tensor) => [c, c], 0)).toThrow('scan: give xs or length: both are null');
    expect(() => ts.scan((c: ts.Tensor) => [c, c], 0, ts.ones([3]), 2)).toThrow("scan: length 2 differs from xs's 3 entries along axis 0");
    expect(() => ts.scan((c: ts.Tensor) => c as never, 0, ts.ones([3]))).toThrow('scan: expected f to return [carry, y]');
    expect(() => ts.scan((c: ts.Tensor) => [c, c], 0, [ts.ones([3]), ts.ones([2])])).toThrow('scan: xs[1] has 2 entries along axis 0, the others 3');
    expect(() => ts.map((x: ts.Tensor) => x, ts.ones([0, 2]))).toThrow('map: xs has no entries along axis 0');
  });
  it('map applies f along axis 0', () => {
    ts.tidy(() => {
      expect(arr(ts.map((x: ts.Tensor) => ts.sum(ts.square(x)), ts.tensor(xs)))).toEqual([5, 29.25, 61, 49.0625, 8]);
      const m = ts.vectorizedMap((p: [ts.Tensor, ts.Tensor]) => ({ s: ts.add(p[0], p[1]) }), [ts.tensor([1, 2]), ts.tensor([10, 20])]) as { s: ts.Tensor };
      expect(arr(m.s)).toEqual([11, 22]);
    });
  });
  it('scan is differentiable (finite differences) and leaves nothing behind', () => {
    // A recurrence h = tanh(0.7 h + x) whose every h is an output.
    const rnn = (x: ts.Tensor) =>
      ts.scan(
        (h: ts.Tensor, xt: ts.Tensor) => [ts.tanh(ts.add(ts.mul(h, 0.7), xt)), ts.mul(h, xt)],
        ts.zeros([2], 'float64'),
        ts.reshape(x, [3, 2]),
      )[1] as ts.Tensor;
    const x = [0.3, -1.2, 0.8, 0.1, -0.4, 2.0];
    const g = ts.tidy(() =>
      Array.from(
        ts
          .grad((t: ts.Tensor) => ts.sum(rnn(t)))(f64(x))
          .dataSync() as Float64Array,
      ),
    );
    expectClose(g, numericGrad(rnn, x));
    const before = liveTensors();
    ts.tidy(() => {
      rnn(f64(x));
    });
    ts.tidy(() => {
      ts.map((r: ts.Tensor) => ts.sum(r), ts.ones([4, 3]));
    });
    expect(liveTensors()).toBe(before);
  });
});

describe('associativeScan', () => {
  it('combines as a cumulative scan in log2(n) calls', () => {
    ts.tidy(() => {
      let calls = 0;
      const add = (a: ts.Tensor, b: ts.Tensor) => (calls++, ts.add(a, b));
      expect(arr(ts.associativeScan(add, ts.tensor([1, 2, 3, 4, 5, 6, 7])))).toEqual([1, 3, 6, 10, 15, 21, 28]);
      expect(calls).toBe(3);
      expect(arr(ts.associativeScan(add, ts.tensor([[1, 2, 3, 4, 5]]), true, -1))).toEqual([[15, 14, 12, 9, 5]]);
      // Matrix products do not commute: JAX (Keras 3) gives out[i] = e[0] @ ... @ e[i], and
      // with reverse out[i] = e[n-1] @ ... @ e[i].
      const e = ts.div(ts.reshape(ts.range(1, 13), [3, 2, 2]), 5);
      const fwd = ts.associativeScan((a: ts.Tensor, b: ts.Tensor) => ts.matMul(a, b), e) as ts.Tensor;
      expectClose((arr(fwd) as number[][][])[2].flat(), [3.304, 3.632, 7.496, 8.24], 1e-6);
      const rev = ts.associativeScan((a: ts.Tensor, b: ts.Tensor) => ts.matMul(a, b), e, true) as ts.Tensor;
      expectClose((arr(rev) as number[][][])[0].flat(), [4.136, 6.128, 5.0, 7.408], 1e-6);
      expectClose((arr(rev) as number[][][])[1].flat(), [4.6, 5.36, 5.56, 6.48], 1e-6);
      // A structure: pairs (sum, max) combined leaf by leaf.
      const both = ts.associativeScan(
        (a: ts.Tensor[], b: ts.Tensor[]) => [ts.add(a[0], b[0]), ts.maximum(a[1], b[1])],
        [ts.tensor([1, 2, 3]), ts.tensor([2, -1, 5])],
      ) as ts.Tensor[];
      expect(both.map(arr)).toEqual([
        [1, 3, 6],
        [2, 2, 5],
      ]);
    });
  });
  it("checks f's result", () => {
    expect(() => ts.associativeScan((a: ts.Tensor) => ts.sum(a), ts.ones([3]))).toThrow(
      "associativeScan: expected f's result to be a float32 tensor of shape [2]",
    );
  });
});

describe('sliceUpdate, scatter and scatterUpdate', () => {
  it('place values', () => {
    ts.tidy(() => {
      expect(
        arr(
          ts.sliceUpdate(
            ts.zeros([3, 4]),
            [1, 2],
            [
              [1, 2],
              [3, 4],
            ],
          ),
        ),
      ).toEqual([
        [0, 0, 0, 0],
        [0, 0, 1, 2],
        [0, 0, 3, 4],
      ]);
      expect(arr(ts.scatter(ts.tensor([[0], [2], [0]], [3, 1], 'int32'), ts.tensor([1, 2, 3]), [4]))).toEqual([4, 0, 2, 0]);
      expect(arr(ts.scatterUpdate(ts.ones([2, 2]), ts.tensor([[1, 0]], [1, 2], 'int32'), ts.tensor([9])))).toEqual([
        [1, 1],
        [9, 1],
      ]);
    });
  });
  it('sliceUpdate is differentiable in both and refuses an overhanging block', () => {
    ts.tidy(() => {
      const [gx, gu] = ts.grads((x: ts.Tensor, u: ts.Tensor) => ts.sum(ts.mul(ts.sliceUpdate(x, [1], u), ts.tensor([1, 2, 3, 4]))))([
        ts.ones([4]),
        ts.ones([2]),
      ]);
      expect([arr(gx), arr(gu)]).toEqual([
        [1, 0, 0, 4],
        [2, 3],
      ]);
    });
    expect(() => ts.sliceUpdate(ts.zeros([3]), [2], ts.ones([2]))).toThrow(
      "sliceUpdate: startIndices[0] = 2 does not fit updates' 2 entries in inputs' 3 (dimension 0)",
    );
    expect(() => ts.sliceUpdate(ts.zeros([3]), [0], ts.ones([2], 'int32'))).toThrow("sliceUpdate: expected updates of inputs' dtype float32, got int32");
  });
});
