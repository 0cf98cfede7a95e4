// Gradients, round trips and refusals of the keras.ops names in keras_ops_gap.test.ts:
// unfold / fold (each the other's adjoint), erfinv, istft, by central differences in float64.
import * as ts from '../../src';

// d sum(w * fn(x)) / dx by central differences, x and w fixed float64 data.
function numericGrad(fn: (x: ts.Tensor) => ts.Tensor, x: number[], shape: number[], w: ts.Tensor, h = 1e-6): number[] {
  const at = (i: number, d: number) =>
    ts.tidy(() => {
      const xs = x.map((v, j) => (j === i ? v + d : v));
      return (ts.sum(ts.mul(fn(ts.tensor(xs, shape, 'float64')), w)).dataSync() as Float64Array)[0];
    });
  return x.map((_, i) => (at(i, h) - at(i, -h)) / (2 * h));
}

function expectClose(got: ArrayLike<number>, want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => {
    if (!(Math.abs(got[i] - w) <= tol * (1 + Math.abs(w)))) throw new Error(`element ${i}: ${got[i]} vs ${w}`);
  });
}

const values = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(seed * (i + 1) * 1.37) * 1.5);

describe('unfold / fold', () => {
  const shape = [1, 2, 5, 4];
  const args = [
    [2, 3],
    [1, 1],
    [1, 0],
    [2, 1],
  ] as const;
  const unfold = (x: ts.Tensor) => ts.unfold(x, [...args[0]], [...args[1]], [...args[2]], [...args[3]]);
  const fold = (y: ts.Tensor) => ts.fold(y, [5, 4], [...args[0]], [...args[1]], [...args[2]], [...args[3]]);

  it('unfold matches the convolution view: <unfold(x), y> = <x, fold(y)> (fold is the adjoint)', () => {
    ts.tidy(() => {
      const x = ts.tensor(values(40, 1), shape, 'float64');
      const u = unfold(x);
      const y = ts.tensor(values(u.size, 2), u.shape, 'float64');
      const lhs = ts.sum(ts.mul(u, y)).dataSync()[0];
      const rhs = ts.sum(ts.mul(x, fold(y))).dataSync()[0];
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12);
    });
  });

  it('gradients by central differences', () => {
    ts.tidy(() => {
      const x = values(40, 3);
      const u = unfold(ts.tensor(x, shape, 'float64'));
      const w = ts.tensor(values(u.size, 4), u.shape, 'float64');
      const g = ts.grad((t: ts.Tensor) => ts.sum(ts.mul(unfold(t), w)))(ts.tensor(x, shape, 'float64'));
      expectClose(g.dataSync() as Float64Array, numericGrad(unfold, x, shape, w), 1e-7);
      const y = values(u.size, 5);
      const wf = ts.tensor(values(40, 6), shape, 'float64');
      const gf = ts.grad((t: ts.Tensor) => ts.sum(ts.mul(fold(t), wf)))(ts.tensor(y, u.shape, 'float64'));
      expectClose(gf.dataSync() as Float64Array, numericGrad(fold, y, u.shape, wf), 1e-7);
    });
  });

  it('Keras docstring example: unfold(ones([1, 2, 4, 4]), 2, stride 2) is [1, 8, 4] and fold gives the image back', () => {
    ts.tidy(() => {
      const x = ts.ones([1, 2, 4, 4]);
      const p = ts.unfold(x, 2, 1, 0, 2);
      expect(p.shape).toEqual([1, 8, 4]);
      expect(Array.from(ts.fold(p, [4, 4], 2, 1, 0, 2).dataSync())).toEqual(new Array(32).fill(1));
    });
  });

  it('refuses bad arguments naming the op', () => {
    ts.tidy(() => {
      expect(() => ts.unfold(ts.ones([2, 4, 4]), 2)).toThrow(/^unfold: expected x of rank 4 \(\[N, C, H, W\]/);
      expect(() => ts.unfold(ts.ones([1, 1, 3, 3]), 4)).toThrow(/^unfold: a 4x4 kernel .* does not fit the 3x3 padded image/);
      expect(() => ts.unfold(ts.ones([1, 1, 3, 3]), 2, 1, -1)).toThrow(/^unfold: expected padding to be an integer >= 0/);
      expect(() => ts.unfold(ts.ones([1, 1, 3, 3]), [2, 2, 2] as never)).toThrow(/^unfold: expected kernelSize/);
      expect(() => ts.fold(ts.ones([1, 7, 4]), [3, 3], 2)).toThrow(/^fold: expected x's dimension 1 \(7\) to be a multiple of kH \* kW = 4/);
      expect(() => ts.fold(ts.ones([1, 4, 5]), [3, 3], 2)).toThrow(/^fold: expected x's last dimension to be the 2 x 2 = 4 blocks/);
      expect(() => ts.fold(ts.ones([1, 4, 4]), [2 ** 31, 3], 2)).toThrow(/^fold: /);
    });
  });
});

describe('erfinv', () => {
  it('inverts erf, with gradient sqrt(pi) / 2 * exp(erfinv(x)^2) to second order', () => {
    ts.tidy(() => {
      const xs = [-0.95, -0.4, 0, 0.3, 0.8, 0.99];
      const x = ts.tensor(xs, [6], 'float64');
      expectClose(ts.erf(ts.erfinv(x)).dataSync() as Float64Array, xs, 1e-14);
      const w = ts.ones([6], 'float64');
      const g = ts.grad((t: ts.Tensor) => ts.sum(ts.erfinv(t)))(x);
      expectClose(g.dataSync() as Float64Array, numericGrad(ts.erfinv, xs, [6], w), 1e-6);
      const g2 = ts.grad((t: ts.Tensor) => ts.sum(ts.grad((u: ts.Tensor) => ts.sum(ts.erfinv(u)))(t)))(x);
      const first = (t: ts.Tensor) => ts.grad((u: ts.Tensor) => ts.sum(ts.erfinv(u)))(t);
      expectClose(g2.dataSync() as Float64Array, numericGrad(first, xs, [6], w), 1e-5);
    });
  });

  it('float32 stays float32; int32 gives float32', () => {
    ts.tidy(() => {
      expect(ts.erfinv(ts.tensor([0.5])).dtype).toBe('float32');
      expect(ts.erfinv(ts.tensor([0, 1], [2], 'int32')).dtype).toBe('float32');
      expect(() => ts.erfinv('a' as never)).toThrow(/^erfinv: /);
    });
  });
});

describe('signal.istft', () => {
  it('inverts signal.stft (Keras convention) at odd lengths, with gradients', () => {
    ts.tidy(() => {
      const x = values(45, 7);
      const t = ts.tensor(x, [45], 'float64');
      const spec = ts.signal.stft(t, 12, 5, 16, { window: 'hann', center: true });
      const back = ts.signal.istft(spec, 12, 5, 16, { length: 45 });
      expectClose(back.dataSync() as Float64Array, x, 1e-12);
      const w = ts.tensor(values(45, 8), [45], 'float64');
      const roundTrip = (s: ts.Tensor) => ts.signal.istft(ts.signal.stft(s, 12, 5, 16, {}), 12, 5, 16, { length: 45 });
      const g = ts.grad((s: ts.Tensor) => ts.sum(ts.mul(roundTrip(s), w)))(t);
      expectClose(g.dataSync() as Float64Array, numericGrad(roundTrip, x, [45], w), 1e-6);
    });
  });

  it('refuses bad arguments naming the op', () => {
    ts.tidy(() => {
      const re = ts.zeros([4, 9]);
      expect(() => ts.signal.istft(re as never, 8, 2, 16)).toThrow(/^signal.istft: expected \[real, imag\]/);
      expect(() => ts.signal.istft([ts.zeros([9]), ts.zeros([9])], 8, 2, 16)).toThrow(/^signal.istft: expected x of rank >= 2/);
      expect(() => ts.signal.istft([re, re], 20, 2, 16)).toThrow(/^signal.istft: expected sequenceLength <= fftLength, got 20 and 16/);
      expect(() => ts.signal.istft([re, re], 8, 2, 16, { windoww: 'hann' } as never)).toThrow(/signal.istft.*windoww/);
      expect(() => ts.signal.istft([re, re], 8, 2, 16, { window: 'blackman' as never })).toThrow(/^signal.istft: expected window 'hann', 'hamming'/);
      expect(() => ts.signal.istft([re, re], 8, 2, 16, { window: ts.ones([7]) })).toThrow(/^signal.istft: expected window of shape \[8\]/);
      expect(() => ts.signal.istft([re, re], 8, 2 ** 40, 16)).toThrow(/^signal.istft: /);
    });
  });
});
