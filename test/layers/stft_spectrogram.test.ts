// stftSpectrogram: Keras 3's STFTSpectrogram (a convolution with DFT kernels) against frames
// transformed by torch.fft.rfft, each mode; its initializer, shapes, training and checks.
import * as ts from '../../src';
import type { Tensor } from '../../src';
import { fromFixture, loadFixture } from '../helpers/fixtures';
import { expectClose } from '../helpers/reference';

describe('stftSpectrogram', () => {
  for (const c of loadFixture('stft_spectrogram', 'layers')) {
    it(`${c.name}: matches torch.fft.rfft of the windowed frames`, () => {
      const layer = ts.layers.stftSpectrogram({ ...(c.attrs as ts.layers.STFTSpectrogramArgs), dtype: 'float64' });
      const x = fromFixture(c.inputs.x);
      const y = layer.apply(x);
      expect(y.shape).toEqual(c.outputs.y.shape);
      expect(layer.computeOutputShape(x.shape)).toEqual(y.shape);
      const got = Array.from(y.dataSync());
      // Angles of real bins (DC, Nyquist) sit on the branch cut: +pi and -pi are one angle.
      const wrap = (d: number) => d - 2 * Math.PI * Math.round(d / (2 * Math.PI));
      if (c.attrs.mode === 'angle')
        expectClose(
          got.map((g, i) => wrap(g - c.outputs.y.data[i])),
          new Array(got.length).fill(0),
          0,
          1e-6,
        );
      else expectClose(got, c.outputs.y.data, 1e-6, 1e-6);
    });
  }

  it("gives Keras's docs' shapes", () => {
    const x = ts.input({ shape: [160000, 1] });
    const shape = (args: ts.layers.STFTSpectrogramArgs, input = x) => ts.layers.stftSpectrogram(args).apply(input).shape;
    expect(shape({ mode: 'log', frameLength: 256, frameStep: 128, fftLength: 512, padding: 'valid' })).toEqual([null, 1249, 257]);
    expect(shape({ frameLength: 256, frameStep: 128, fftLength: 512, window: 'hamming', padding: 'same' }, ts.input({ shape: [160000, 2] }))).toEqual([
      null,
      1250,
      514,
    ]);
    expect(shape({ frameLength: 256, frameStep: 128, fftLength: 512, padding: 'same', expandDims: true }, ts.input({ shape: [160000, 3] }))).toEqual([
      null,
      1250,
      257,
      3,
    ]);
  });

  it('has trainable DFT kernels made by initializers.stft, which a model can fit', () => {
    const layer = ts.layers.stftSpectrogram({ mode: 'magnitude', frameLength: 8, frameStep: 4 });
    const model = ts.sequential({ layers: [ts.layers.inputLayer({ inputShape: [64, 1] }), layer, ts.layers.flatten(), ts.layers.dense({ units: 1 })] });
    expect(layer.trainableWeights.map((w) => w.name.split('/').pop())).toEqual(['real_kernel', 'imag_kernel']);
    // The real kernel at bin 0 is the window over sqrt(sum w^2): a symmetric Hann of 8.
    const hann = Array.from({ length: 8 }, (_, t) => 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / 7));
    const norm = Math.sqrt(hann.reduce((a, w) => a + w * w, 0));
    const real = layer.trainableWeights[0].arraySync() as number[][][];
    expectClose(
      real.map((row) => row[0][0]),
      hann.map((w) => w / norm),
      1e-6,
      1e-6,
    );
    const kernel = ts.initializers.stft({ side: 'imag', window: null, scaling: null }).apply([4, 1, 3]);
    expectClose(Array.from(kernel.dataSync()), [0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0], 1e-6, 1e-6);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const before = real[3][0][1];
    const x = ts.randomUniform([8, 64, 1]);
    const y = ts.randomUniform([8, 1]);
    return model.fit(x, y, { epochs: 1, verbose: 0 }).then(() => {
      expect((layer.trainableWeights[0].arraySync() as number[][][])[3][0][1]).not.toBeCloseTo(before, 6);
    });
  });

  it('round-trips its config and checks its options, naming the layer', () => {
    const layer = ts.layers.stftSpectrogram({ mode: 'psd', frameLength: 100, frameStep: 40, fftLength: 128, window: 'hamming', periodic: true, name: 'spec' });
    const back = ts.layers.deserializeLayer(ts.layers.serializeLayer(layer)) as ts.layers.STFTSpectrogram;
    expect([back.mode, back.frameLength, back.frameStep, back.fftLength, back.window, back.periodic]).toEqual(['psd', 100, 40, 128, 'hamming', true]);
    expect(() => ts.layers.stftSpectrogram({ mode: 'power' as 'psd', name: 's' })).toThrow(
      /s: expected mode one of log, magnitude, psd, real, imag, angle, stft, got 'power'/,
    );
    expect(() => ts.layers.stftSpectrogram({ frameLength: 10, frameStep: 11, name: 's' })).toThrow(/s: expected frameStep <= frameLength, got 11 and 10/);
    expect(() => ts.layers.stftSpectrogram({ frameLength: 10, fftLength: 8, name: 's' })).toThrow(/s: expected fftLength >= frameLength, got 8 and 10/);
    expect(() => ts.layers.stftSpectrogram({ frameLength: 4, window: [1, 2, 3], name: 's' })).toThrow(
      /s: expected window 'hann', 'hamming', 4 numbers \(frameLength\) or null/,
    );
    expect(() => ts.layers.stftSpectrogram({ scaling: 'l2' as 'density', name: 's' })).toThrow(/s: expected scaling 'density', 'spectrum' or null, got 'l2'/);
    expect(() => ts.layers.stftSpectrogram({ padding: 'causal' as 'same', name: 's' })).toThrow(/s: expected padding 'valid' or 'same', got 'causal'/);
    expect(() => ts.layers.stftSpectrogram({ data_format: 'channels_first' } as ts.layers.STFTSpectrogramArgs)).toThrow(/channelsFirst' is not supported/);
    expect(() => ts.layers.stftSpectrogram().apply(ts.zeros([2, 300]) as Tensor)).toThrow(/expected ndim=3|rank 3|ndim 3/);
    expect(() => ts.initializers.stft({ side: 'both' as 'real' })).toThrow(/expected side 'real' or 'imag', got 'both'/);
  });
});
