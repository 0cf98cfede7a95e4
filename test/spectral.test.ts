// Fourier transforms, framing and stft: against PyTorch fixtures (torch.fft, torch.stft as
// Keras 3 frames it), against TensorFlow.js itself for its signal functions, and their checks.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../src';
import type { Tensor } from '../src';
import { dftConstantCount } from '../src/signal/dft';
import { fromFixture, loadFixture, type FixtureCase, type FixtureTensor } from './helpers/fixtures';
import { expectClose, randomTensor } from './helpers/reference';
import { liveTensors } from './helpers/memory';

const close = (t: Tensor, want: FixtureTensor, tol: number) => {
  expect(t.shape).toEqual(want.shape);
  expectClose(Array.from(t.dataSync()), want.data, tol, tol);
};

type Pair = [Tensor, Tensor];
// Each case's op as a function of its inputs (in the fixture's order) to its outputs.
function opOf(c: FixtureCase): { inputs: string[]; outputs: string[]; run: (xs: Tensor[]) => Tensor[] } {
  const a = c.attrs as { op: string; fftLength?: number; frameLength: number; frameStep: number; window: 'hann' | 'hamming' | null; center: boolean };
  const pair = (xs: Tensor[]): Pair => [xs[0], xs[1]];
  switch (a.op) {
    case 'fft':
      return { inputs: ['re', 'im'], outputs: ['re', 'im'], run: (xs) => ts.fft(pair(xs)) };
    case 'ifft':
      return { inputs: ['re', 'im'], outputs: ['re', 'im'], run: (xs) => ts.ifft(pair(xs)) };
    case 'fft2':
      return { inputs: ['re', 'im'], outputs: ['re', 'im'], run: (xs) => ts.fft2(pair(xs)) };
    case 'ifft2':
      return { inputs: ['re', 'im'], outputs: ['re', 'im'], run: (xs) => ts.ifft2(pair(xs)) };
    case 'rfft':
      return { inputs: ['x'], outputs: ['re', 'im'], run: (xs) => ts.rfft(xs[0], a.fftLength) };
    case 'irfft':
      return { inputs: ['re', 'im'], outputs: ['y'], run: (xs) => [ts.irfft(pair(xs), a.fftLength)] };
    case 'stft':
      return {
        inputs: ['x'],
        outputs: ['re', 'im'],
        run: (xs) => ts.signal.stft(xs[0], a.frameLength, a.frameStep, a.fftLength, { window: a.window, center: a.center }),
      };
    default:
      throw new Error(`unknown op ${a.op}`);
  }
}

describe('Fourier transforms and stft (PyTorch fixtures)', () => {
  for (const c of loadFixture('spectral')) {
    it(`${c.name}: values and gradients in float64, values in float32`, () => {
      const { inputs, outputs, run } = opOf(c);
      const xs = inputs.map((k) => fromFixture(c.inputs[k]));
      run(xs).forEach((y, i) => close(y, c.outputs[outputs[i]], 1e-6));
      const objective = (...args: Tensor[]) =>
        run(args).reduce<Tensor>((acc, y, i) => ts.add(acc, ts.sum(ts.mul(y, fromFixture(c.upstream[outputs[i]])))), ts.scalar(0, 'float64'));
      const grads = ts.grads(objective)(xs);
      inputs.forEach((k, i) => close(grads[i], c.grads[k], 1e-6));
      const ys32 = run(inputs.map((k) => fromFixture(c.inputs[k], 'float32')));
      ys32.forEach((y, i) => {
        expect(y.dtype).toBe('float32');
        close(y, c.outputs[outputs[i]], 2e-4);
      });
    });
  }

  it('makes its constant matrices once per length and dtype', () => {
    const x: Pair = [randomTensor([2, 100], 1), randomTensor([2, 100], 2)];
    ts.dispose(ts.fft(x));
    const count = dftConstantCount();
    const before = liveTensors();
    ts.tidy(() => ts.ifft(ts.fft(x)) && undefined);
    ts.tidy(() => ts.ifft(ts.fft(x)) && undefined);
    // The inverse's twiddle sines, kept; the rest is shared with the forward transform.
    expect(dftConstantCount()).toBe(count + 1);
    expect(liveTensors()).toBe(before + 1);
    ts.dispose(x);
  });

  // A first call faulted in fresh memory for every intermediate it held (rfft of [4, 100003]:
  // 600 MB, 8 s against 0.3 s after): each transform now frees its own before the next
  // allocates. The host cache holds what the call needed at once; before, 36 and 62 MB.
  it('frees the intermediates of each transform stage as it goes (Bluestein and four-step)', () => {
    for (const [n, most] of [
      [4099, 12],
      [65536, 30],
    ]) {
      const x = ts.randomNormal([4, n]);
      ts.dispose(ts.rfft(x));
      ts.emptyCache();
      ts.dispose(ts.rfft(x));
      expect(ts.memory().numCachedBytes / 2 ** 20).toBeLessThan(most);
      x.dispose();
    }
  });

  it('ifft inverts fft and irfft inverts rfft', () => {
    const x = randomTensor([3, 30], 3, 'float64');
    const back = ts.irfft(ts.rfft(x), 30);
    expectClose(Array.from(back.dataSync()), Array.from(x.dataSync()), 1e-12, 1e-12);
    const [re, im] = ts.ifft(ts.fft([x, ts.zerosLike(x)]));
    expectClose(Array.from(re.dataSync()), Array.from(x.dataSync()), 1e-12, 1e-12);
    expectClose(Array.from(im.dataSync()), new Array(90).fill(0), 1e-12, 1e-12);
  });
});

describe("TensorFlow.js's tf.signal and tf.spectral, computed by TensorFlow.js in the same run", () => {
  const values = Array.from({ length: 23 }, (_, i) => Math.sin(i * 0.7) + 0.1 * i);

  it('hannWindow and hammingWindow, odd and even lengths', () => {
    for (const n of [1, 2, 7, 10]) {
      expectClose(Array.from(ts.signal.hannWindow(n).dataSync()), Array.from(tf.signal.hannWindow(n).dataSync()), 1e-6, 1e-7);
      expectClose(Array.from(ts.signal.hammingWindow(n).dataSync()), Array.from(tf.signal.hammingWindow(n).dataSync()), 1e-6, 1e-7);
    }
  });

  it('frame, with and without padEnd', () => {
    for (const [length, step, padEnd] of [
      [5, 3, false],
      [5, 3, true],
      [4, 4, true],
      [30, 2, false],
      [30, 2, true],
    ] as [number, number, boolean][]) {
      const mine = ts.signal.frame(values, length, step, padEnd, -1);
      const theirs = tf.signal.frame(tf.tensor1d(values), length, step, padEnd, -1);
      expect(mine.shape).toEqual(theirs.shape);
      expectClose(Array.from(mine.dataSync()), Array.from(theirs.dataSync()), 1e-6, 1e-6);
    }
    // Any rank: frames of the last axis.
    expect(ts.signal.frame(ts.zeros([2, 3, 10]), 4, 2).shape).toEqual([2, 3, 4, 4]);
  });

  it('rfft and stft (TensorFlow.js convention: window function, no centering)', () => {
    const spectrum = (c: tf.Tensor) => [tf.real(c), tf.imag(c)].map((t) => Array.from(t.dataSync()));
    const [re, im] = ts.rfft(values);
    const [tre, tim] = spectrum(tf.spectral.rfft(tf.tensor1d(values)));
    expectClose(Array.from(re.dataSync()), tre, 1e-4, 1e-4);
    expectClose(Array.from(im.dataSync()), tim, 1e-4, 1e-4);
    for (const [length, step, fftLength] of [
      [8, 3, undefined],
      [6, 4, 16],
    ] as [number, number, number | undefined][]) {
      const [sre, sim] = ts.signal.stft(values, length, step, fftLength);
      const theirs = tf.signal.stft(tf.tensor1d(values), length, step, fftLength);
      expect(sre.shape).toEqual(theirs.shape);
      const [wre, wim] = spectrum(theirs);
      expectClose(Array.from(sre.dataSync()), wre, 1e-4, 1e-4);
      expectClose(Array.from(sim.dataSync()), wim, 1e-4, 1e-4);
    }
    const [hre] = ts.signal.stft(values, 8, 3, 8, ts.signal.hammingWindow);
    const [want] = spectrum(tf.signal.stft(tf.tensor1d(values), 8, 3, 8, tf.signal.hammingWindow));
    expectClose(Array.from(hre.dataSync()), want, 1e-4, 1e-4);
  });
});

describe('mirrorPad', () => {
  it("matches NumPy's reflect and symmetric modes, and its gradient sums into the sources", () => {
    const x = ts.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(
      ts
        .mirrorPad(
          x,
          [
            [1, 1],
            [2, 2],
          ],
          'reflect',
        )
        .arraySync(),
    ).toEqual([
      [6, 5, 4, 5, 6, 5, 4],
      [3, 2, 1, 2, 3, 2, 1],
      [6, 5, 4, 5, 6, 5, 4],
      [3, 2, 1, 2, 3, 2, 1],
    ]);
    expect(
      ts
        .mirrorPad(
          x,
          [
            [0, 0],
            [3, 1],
          ],
          'SYMMETRIC',
        )
        .arraySync(),
    ).toEqual([
      [3, 2, 1, 1, 2, 3, 3],
      [6, 5, 4, 4, 5, 6, 6],
    ]);
    const g = ts.grad((t: Tensor) =>
      ts.sum(
        ts.mirrorPad(
          t,
          [
            [0, 0],
            [2, 0],
          ],
          'reflect',
        ),
      ),
    )(x);
    expect(g.arraySync()).toEqual([
      [1, 2, 2],
      [1, 2, 2],
    ]);
  });

  it('refuses borders longer than the axis allows, and unknown modes', () => {
    const x = ts.zeros([2, 3]);
    expect(() =>
      ts.mirrorPad(
        x,
        [
          [0, 0],
          [3, 0],
        ],
        'reflect',
      ),
    ).toThrow(/mirrorPad: expected paddings\[1\] to be \[before, after\] integers in \[0, 2\]/);
    expect(() =>
      ts.mirrorPad(
        x,
        [
          [0, 0],
          [3, 0],
        ],
        'symmetric',
      ),
    ).not.toThrow();
    expect(() => ts.mirrorPad(x, [[0, 0]], 'reflect')).toThrow(/expected 2 \[before, after\] pairs/);
    expect(() =>
      ts.mirrorPad(
        x,
        [
          [0, 0],
          [1, 1],
        ],
        'edge' as 'reflect',
      ),
    ).toThrow(/expected mode 'reflect' or 'symmetric', got 'edge'/);
  });
});

describe('refusals name the op and what came', () => {
  it('complex arguments are [real, imag] pairs', () => {
    const x = ts.zeros([4]);
    expect(() => ts.fft(x as unknown as Pair)).toThrow(
      /fft: expected \[real, imag\], a pair of tensors .* got one float32 tensor \(for a real signal use rfft\)/,
    );
    expect(() => ts.fft([x, ts.zeros([5])])).toThrow(/fft: expected real and imag of one shape/);
    expect(() => ts.fft([x, ts.zeros([4], 'float64')])).toThrow(/fft: expected real and imag of one float dtype, got float32 and float64/);
    expect(() => ts.fft2([x, x])).toThrow(/fft2: expected real and imag of rank >= 2/);
    expect(() => ts.rfft(ts.zeros([4], 'int32'))).toThrow(/rfft: expected argument 'x' to have dtype float32 or float64, got int32/);
    expect(() => ts.rfft(x, 0)).toThrow(/rfft.*fftLength/);
    expect(() => ts.irfft([ts.zeros([1]), ts.zeros([1])])).toThrow(/irfft: expected at least 2 bins to infer fftLength, got 1; pass fftLength/);
  });

  it('stft and frame check their arguments', () => {
    const x = ts.zeros([20]);
    expect(() => ts.signal.stft(x, 8, 2, undefined, { center: true })).toThrow(/signal.stft: Keras's stft .* needs fftLength/);
    expect(() => ts.signal.stft(x, 16, 2, 8, { window: 'hann' })).toThrow(/expected frameLength <= fftLength, got 16 and 8/);
    expect(() => ts.signal.stft(x, 8, 2, 8, { window: 'blackman' as 'hann' })).toThrow(/expected window 'hann', 'hamming', a tensor or null, got 'blackman'/);
    expect(() => ts.signal.stft(x, 8, 2, 8, { windw: 'hann' } as ts.signal.StftOptions)).toThrow(/unknown option 'windw'; did you mean 'window'/);
    expect(() => ts.signal.stft(x, 8, 2, 64, { window: 'hann' })).toThrow(
      /center pads by reflection, which needs more than fftLength \/ 2 = 32 samples, got 20/,
    );
    expect(() => ts.signal.stft(x, 8, 2, 8, () => ts.zeros([7]))).toThrow(/expected the window function to return a tensor of shape \[8\]/);
    expect(() => ts.signal.frame(x, 0, 1)).toThrow(/signal.frame.*frameLength/);
    expect(() => ts.signal.frame(ts.scalar(1), 2, 1)).toThrow(/signal.frame: expected a signal of rank >= 1, got a scalar/);
  });
});
