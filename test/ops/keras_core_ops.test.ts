// keras.ops core and functional names: customGradient, jvp, vectorize, rearrange's refusals,
// getItem, isTensor, convertToTensor / convertToNumpy, shape, dtype, averagePool, conj.
import * as ts from '../../src';

const data = (t: ts.Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>, Number);

describe('customGradient (Keras calling convention: f returns [value, grad])', () => {
  it("Keras's log1pexp example: the gradient is the one grad gives", () => {
    ts.tidy(() => {
      const log1pexp = ts.customGradient((x) => {
        const e = ts.exp(x);
        return [ts.log(ts.add(1, e)), (dy) => ts.mul(dy, ts.sub(1, ts.div(1, ts.add(1, e))))];
      });
      const x = ts.tensor([-2, 0, 100], [3], 'float64');
      expect(data(log1pexp(ts.tensor([0], [1], 'float64')))).toEqual([Math.log(2)]);
      const g = ts.grad((t: ts.Tensor) => ts.sum(log1pexp(t)))(x);
      const sig = (v: number) => 1 / (1 + Math.exp(-v));
      data(g).forEach((v, i) => expect(v).toBeCloseTo(sig([-2, 0, 100][i]), 12));
    });
  });

  it('several inputs: grad returns one gradient each; a wrong result is refused naming customGradient', () => {
    ts.tidy(() => {
      const f = ts.customGradient((a, b) => [ts.mul(a, b), (dy) => [ts.mul(dy, 2), ts.mul(dy, 3)]]);
      const [ga, gb] = ts.grads((a: ts.Tensor, b: ts.Tensor) => ts.sum(f(a, b)))([ts.ones([2]), ts.ones([2])]);
      expect([data(ga), data(gb)]).toEqual([
        [2, 2],
        [3, 3],
      ]);
      const bad = ts.customGradient((() => ({ value: ts.ones([1]) })) as never);
      expect(() => bad(ts.ones([1]))).toThrow(/^customGradient: f must return \[value, grad\]/);
      expect(() => ts.customGradient(3 as never)).toThrow(/^customGradient: /);
    });
  });
});

describe('jvp', () => {
  it('is J t: sin gives cos(x) * t; a product of two primals the sum of both directions', () => {
    ts.tidy(() => {
      const x = ts.tensor([0.3, -1.2, 2], [3], 'float64');
      const t = ts.tensor([1, 2, -1], [3], 'float64');
      const [y, dy] = ts.jvp((v) => ts.sin(v), [x], [t]) as ts.Tensor[];
      expect(data(y)).toEqual(data(ts.sin(x)));
      data(dy).forEach((v, i) => expect(v).toBeCloseTo(Math.cos([0.3, -1.2, 2][i]) * [1, 2, -1][i], 12));
      const a = ts.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
        'float64',
      );
      const b = ts.tensor(
        [
          [0.5, -1],
          [2, 1],
        ],
        [2, 2],
        'float64',
      );
      const ta = ts.tensor(
        [
          [1, 0],
          [0, 1],
        ],
        [2, 2],
        'float64',
      );
      const tb = ts.tensor(
        [
          [0, 1],
          [1, 0],
        ],
        [2, 2],
        'float64',
      );
      const [, dm] = ts.jvp((p, q) => ts.matMul(p, q), [a, b], [ta, tb]) as ts.Tensor[];
      expect(data(dm)).toEqual(data(ts.add(ts.matMul(ta, b), ts.matMul(a, tb))));
    });
  });

  it('returns aux with hasAux, zeros where the output does not depend on the primals, and refuses mismatches', () => {
    ts.tidy(() => {
      const x = ts.tensor([1, 2], [2], 'float64');
      const [y, dy, aux] = ts.jvp((v) => [ts.square(v), 'aux'], [x], [ts.onesLike(x)], true) as [ts.Tensor, ts.Tensor, string];
      expect([data(y), data(dy), aux]).toEqual([[1, 4], [2, 4], 'aux']);
      const [, dz] = ts.jvp(() => ts.ones([2], 'float64'), [x], [x]) as ts.Tensor[];
      expect(data(dz)).toEqual([0, 0]);
      expect(() => ts.jvp((v) => v, [x], [ts.ones([3], 'float64')])).toThrow(/^jvp: expected tangents\[0\] of primals\[0\]'s shape \[2\]/);
      expect(() => ts.jvp((v) => v, [x], [])).toThrow(/^jvp: expected one tangent per primal/);
      expect(() => ts.jvp((v) => v, x as never, [x])).toThrow(/^jvp: expected primals to be an array of tensors/);
      expect(() => ts.jvp(() => 3, [x], [x])).toThrow(/^jvp: expected fun to return a tensor/);
      const gone = ts.ones([2]);
      gone.dispose();
      expect(() => ts.jvp(() => gone, [x], [x])).toThrow(/^jvp: fun returned a disposed tensor/);
    });
  });
});

describe('vectorize', () => {
  it('applies a function of entries over broadcast arguments; excluded arguments pass as they are', () => {
    ts.tidy(() => {
      const f = ts.vectorize((a: ts.Tensor, b: ts.Tensor, k: number) => ts.add(ts.mul(a, k), b), { excluded: [2] });
      const out = f(ts.tensor([[1], [2]]), ts.tensor([10, 20, 30]), 3) as ts.Tensor;
      expect(out.shape).toEqual([2, 3]);
      expect(data(out)).toEqual([13, 23, 33, 16, 26, 36]);
    });
  });

  it("with a signature: core dimensions, numpy.vectorize's '(n),(n)->()'", () => {
    ts.tidy(() => {
      const dot = ts.vectorize((a: ts.Tensor, b: ts.Tensor) => ts.sum(ts.mul(a, b)), { signature: '(n),(n)->()' });
      const out = dot(
        ts.tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        ts.tensor([1, 0, -1]),
      ) as ts.Tensor;
      expect([out.shape, data(out)]).toEqual([[2], [-2, -2]]);
      expect(() => dot(ts.ones([2, 3]), ts.ones([4]))).toThrow(/^vectorize: core dimension n is 3 in one argument and 4 in args\[1\]/);
      expect(() => ts.vectorize((a: ts.Tensor) => a, { signature: '(n->()' })).toThrow(/^vectorize: expected signature like/);
      expect(() => ts.vectorize((a: ts.Tensor) => a, { signatures: '(n)->()' } as never)).toThrow(/vectorize.*signatures/);
      expect(() => ts.vectorize((a: ts.Tensor) => a, { excluded: [-1] })).toThrow(/^vectorize: expected excluded/);
    });
  });
});

describe('rearrange refuses malformed patterns naming what is wrong', () => {
  const x = () => ts.zeros([2, 6, 5]);
  it.each([
    ['b (h w) c', /^rearrange: expected one '->' in pattern/],
    ['b (h w c -> b h w c', /^rearrange: '\(' without '\)' in the input/],
    ['b ((h) w) c -> b h w c', /^rearrange: nested '\(' in the input/],
    ['b h) c -> b h c', /^rearrange: '\)' without '\(' in the input/],
    ['b b c -> b c', /^rearrange: axis b named twice in the input/],
    ['b n c -> b c', /^rearrange: axis n of the input is missing from the output/],
    ['b n c -> b n c d', /^rearrange: axis d of the output is not in the input/],
    ['b ... c -> b c ...', /^rearrange: '\.' \(axes are names/],
    ['b n -> n b', /^rearrange: pattern 'b n -> n b' names 2 input axes, x has shape \[2, 6, 5\]/],
    ['b (h w) c -> b h w c', /^rearrange: the group \(h w\) of length 6 needs the lengths of all but one of its axes/],
  ])('%s', (pattern, error) => {
    ts.tidy(() => expect(() => ts.rearrange(x(), pattern)).toThrow(error));
  });
  it('lengths that do not divide, or name no axis', () => {
    ts.tidy(() => {
      expect(() => ts.rearrange(x(), 'b (h w) c -> b h w c', { h: 4 })).toThrow(/^rearrange: axis 1 of length 6 does not split into \(h w\) with h=4, w=\?/);
      expect(() => ts.rearrange(x(), 'b (h w) c -> b h w c', { h: 2, q: 3 })).toThrow(/^rearrange: axesLengths names q, which pattern/);
      expect(() => ts.rearrange(x(), 'b (h w) c -> b h w c', { h: 0 })).toThrow(/^rearrange: expected axesLengths.h to be a positive integer/);
    });
  });
});

describe('core helpers', () => {
  it('getItem: an index, negative from the end, an index per leading axis, an int32 tensor', () => {
    ts.tidy(() => {
      const x = ts.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(data(ts.getItem(x, -1))).toEqual([4, 5, 6]);
      const item = ts.getItem(x, [1, 2]);
      expect([item.shape, data(item)]).toEqual([[], [6]]);
      expect(data(ts.getItem(x, ts.tensor([1, 0, 1], [3], 'int32')))).toEqual([4, 5, 6, 1, 2, 3, 4, 5, 6]);
      expect(() => ts.getItem(x, 2)).toThrow(/^getItem: index 2 is out of range for axis 0 of size 2/);
      expect(() => ts.getItem(x, 0.5)).toThrow(/^getItem: expected key to be an integer/);
      expect(() => ts.getItem(x, [0, 0, 0])).toThrow(/^getItem: 3 indices for x of rank 2/);
    });
  });

  it('isTensor, convertToTensor, convertToNumpy, shape, dtype', () => {
    ts.tidy(() => {
      const x = ts.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [2, 2],
        'int32',
      );
      expect([ts.isTensor(x), ts.isTensor([1, 2]), ts.isTensor(ts.variable(ts.ones([1])))]).toEqual([true, false, true]);
      expect(ts.convertToTensor(x)).toBe(x);
      expect(ts.convertToTensor(x, 'float32').dtype).toBe('float32');
      expect(ts.convertToTensor([[1, 2]]).shape).toEqual([1, 2]);
      expect(() => ts.convertToTensor(x, 'int64' as never)).toThrow(/^convertToTensor: expected dtype/);
      expect(ts.convertToNumpy(x)).toEqual([
        [1, 2],
        [3, 4],
      ]);
      expect(ts.convertToNumpy(ts.scalar(3))).toBe(3);
      expect([ts.shape(x), ts.shape([[1, 2, 3]]), ts.dtype(x), ts.dtype([true])]).toEqual([[2, 2], [1, 3], 'int32', 'bool']);
      const gone = ts.ones([1]);
      gone.dispose();
      expect(() => ts.shape(gone)).toThrow(/^shape: x is a disposed tensor/);
    });
  });

  it('var is variance; conj / conjugate copy a real tensor and refuse a [re, im] pair', () => {
    ts.tidy(() => {
      const x = ts.tensor([1, 2, 4]);
      expect(data(ts.var(x))).toEqual(data(ts.variance(x)));
      expect(() => ts.var(x, 0, 'yes' as never)).toThrow(/^var: /);
      const c = ts.conj(x);
      expect([c === x, data(c)]).toEqual([false, [1, 2, 4]]);
      expect(() => ts.conjugate([x, x] as never)).toThrow(/^conjugate: got a \[real, imag\] pair; Tessera has no complex dtype/);
    });
  });

  it('averagePool refuses what Keras would, naming averagePool', () => {
    ts.tidy(() => {
      expect(() => ts.averagePool(ts.ones([2, 4]), 2)).toThrow(/^averagePool: expected inputs of rank 3, 4 or 5/);
      expect(() => ts.averagePool(ts.ones([1, 4, 4, 1]), [2, 2, 2])).toThrow(/^averagePool: expected poolSize to be a positive integer or 2 of them/);
      expect(() => ts.averagePool(ts.ones([1, 4, 4, 1]), 2, null, 'full' as never)).toThrow(/^averagePool: expected padding 'valid' or 'same'/);
      expect(() => ts.averagePool(ts.ones([1, 4, 4, 1]), 2, null, 'valid', 'NHWC' as never)).toThrow(/^averagePool: expected dataFormat/);
    });
  });
});

describe('polar, viewAsComplex, viewAsReal: complex values as [real, imag] pairs', () => {
  it('round trip, and the gradient of polar', () => {
    ts.tidy(() => {
      const x = ts.tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const pair = ts.viewAsComplex(x);
      expect([data(pair[0]), data(pair[1])]).toEqual([
        [1, 3, 5],
        [2, 4, 6],
      ]);
      expect(data(ts.viewAsReal(pair))).toEqual(data(x));
      const r = ts.tensor([2], [1], 'float64');
      const a = ts.tensor([0.7], [1], 'float64');
      const [gr, ga] = ts.grads((p: ts.Tensor, q: ts.Tensor) => ts.sum(ts.polar(p, q)[1]))([r, a]);
      expect(data(gr)[0]).toBeCloseTo(Math.sin(0.7), 14);
      expect(data(ga)[0]).toBeCloseTo(2 * Math.cos(0.7), 14);
    });
  });

  it('refuses what is not a pair or not [..., 2], naming the op', () => {
    ts.tidy(() => {
      expect(() => ts.viewAsComplex(ts.ones([3, 3]))).toThrow(/^viewAsComplex: expected x's last dimension to be 2/);
      expect(() => ts.viewAsReal(ts.ones([3]) as never)).toThrow(/^viewAsReal: expected \[real, imag\], a pair of tensors/);
      expect(() => ts.viewAsReal([ts.ones([3]), ts.ones([2])])).toThrow(/^viewAsReal: expected real and imag of one shape and dtype/);
      expect(() => ts.polar(ts.ones([2]), ts.ones([3]))).toThrow(/^polar: /);
      expect(ts.polar(ts.ones([2], 'int32'), ts.zeros([2], 'int32'))[0].dtype).toBe('float32');
    });
  });
});
