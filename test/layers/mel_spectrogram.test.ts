// melSpectrogram: Keras 3's MelSpectrogram against a PyTorch reference (torch.stft centered by
// reflection, the HTK mel matrix, decibels), its shapes, config, gradient and checks.
import * as ts from '../../src';
import type { Tensor } from '../../src';
import { fromFixture, loadFixture } from '../helpers/fixtures';
import { expectClose } from '../helpers/reference';

describe('melSpectrogram', () => {
  for (const c of loadFixture('mel_spectrogram', 'layers')) {
    it(`${c.name}: matches the reference in float64 and float32`, () => {
      const batched = c.inputs.x.shape[0] > 1;
      const x = fromFixture(c.inputs.x);
      const input = batched ? x : ts.squeeze(x, [0]);
      for (const dtype of ['float64', 'float32'] as const) {
        const layer = ts.layers.melSpectrogram({ ...(c.attrs as ts.layers.MelSpectrogramArgs), dtype });
        const y = layer.apply(dtype === 'float64' ? input : ts.cast(input, 'float32'));
        const want = c.outputs.y;
        expect(y.shape).toEqual(batched ? want.shape : want.shape.slice(1));
        expect(layer.computeOutputShape(input.shape)).toEqual(y.shape);
        // dB values span about 80: an absolute tolerance; float32 sums lose a few more digits.
        expectClose(Array.from(y.dataSync()), want.data, dtype === 'float64' ? 1e-6 : 1e-3, dtype === 'float64' ? 1e-6 : 2e-3);
      }
    });
  }

  it("has Keras's defaults and output shapes (its docs' examples)", () => {
    const layer = ts.layers.melSpectrogram({ numMelBins: 64, samplingRate: 8000, sequenceStride: 256, fftLength: 2048 });
    expect(layer.apply(ts.randomUniform([16000])).shape).toEqual([64, 63]);
    const defaults = ts.layers.melSpectrogram();
    expect([defaults.fftLength, defaults.sequenceStride, defaults.sequenceLength, defaults.numMelBins, defaults.maxFreq]).toEqual([2048, 512, 2048, 128, 8000]);
    const input = ts.input({ shape: [4000] });
    expect(ts.layers.melSpectrogram({ numMelBins: 16, fftLength: 512, sequenceStride: 160 }).apply(input).shape).toEqual([null, 16, 26]);
  });

  it('is differentiable (a learned front end can sit before it)', () => {
    const layer = ts.layers.melSpectrogram({ fftLength: 64, sequenceStride: 16, numMelBins: 8, samplingRate: 4000, powerToDb: false });
    const x = ts.randomUniform([1, 300], -1, 1, 'float64');
    const g = ts.grad((t: Tensor) => ts.sum(layer.apply(t)))(x);
    expect(g.shape).toEqual([1, 300]);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    expect(ts.max(ts.abs(g)).dataSync()[0]).toBeGreaterThan(0);
  });

  it('round-trips its config and checks its options', () => {
    const layer = ts.layers.melSpectrogram({ numMelBins: 40, samplingRate: 22050, window: 'hamming', fftLength: 1024, sequenceLength: 800 });
    const back = ts.layers.deserializeLayer(ts.layers.serializeLayer(layer)) as ts.layers.MelSpectrogram;
    expect([back.numMelBins, back.samplingRate, back.window, back.fftLength, back.sequenceLength, back.maxFreq]).toEqual([
      40,
      22050,
      'hamming',
      1024,
      800,
      11025,
    ]);
    expect(() => ts.layers.melSpectrogram({ fftLength: 256, sequenceLength: 300 })).toThrow(/expected sequenceLength <= fftLength, got 300 and 256/);
    expect(() => ts.layers.melSpectrogram({ window: 'blackman' as 'hann' })).toThrow(/expected window 'hann', 'hamming' or null, got 'blackman'/);
    expect(() => ts.layers.melSpectrogram({ minFreq: 9000 })).toThrow(/expected 0 <= minFreq < maxFreq, got 9000 and 8000/);
    expect(() => ts.layers.melSpectrogram({ num_mel_bins: 0 } as ts.layers.MelSpectrogramArgs)).toThrow(/numMelBins/);
    expect(() => ts.layers.melSpectrogram().apply(ts.zeros([1, 2, 3000]))).toThrow(
      /expected audio of shape \[samples\] or \[batch, samples\], got shape \[1, 2, 3000\]/,
    );
  });
});
