// MelSpectrogram: audio [..., samples] -> mel spectrograms [..., numMelBins, frames], as
// Keras 3's layer computes them: Keras's stft (centered by reflection), magnitude to the
// power magExp, HTK mel filterbank (triangles of peak 1, the DC bin left out), and with
// powerToDb decibels relative to refPower, cut topDb below the largest value of the batch.
import { checkBoolean, checkInteger } from '../options/check_args';
import { add, maximum, mul, pow, sub } from '../ops/binary';
import { cast } from '../ops/cast';
import { matMul } from '../ops/matmul';
import { max } from '../ops/reduce';
import { reshape } from '../ops/reshape';
import { transpose } from '../ops/transpose';
import { log, sqrt, square } from '../ops/unary';
import { stft } from '../signal/stft';
import type { WindowName } from '../signal/windows';
import { fromTypedArray } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { checkNumber } from '../tensor/ranges';
import { describe, quoted } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Layer, type LayerArgs } from './layer';
import { layerOptions } from './layer_options';
import type { SymbolicShape } from './symbolic_tensor';

/** Options of melSpectrogram (Keras 3's defaults). */
export interface MelSpectrogramArgs extends LayerArgs {
  /** Samples per FFT (default 2048). */
  fftLength?: number;
  /** Samples between frames (default 512). */
  sequenceStride?: number;
  /** The window's length, at most fftLength (default fftLength). */
  sequenceLength?: number | null;
  /** 'hann' (default) or 'hamming', periodic; null for none. */
  window?: WindowName | null;
  /** Samples per second (default 16000). */
  samplingRate?: number;
  /** Mel bands (default 128). */
  numMelBins?: number;
  /** The lowest band's lower edge in Hz (default 20). */
  minFreq?: number;
  /** The highest band's upper edge in Hz (default samplingRate / 2). */
  maxFreq?: number | null;
  /** Decibels (default true). */
  powerToDb?: boolean;
  /** With powerToDb: values below the batch's largest minus topDb are raised to it (default 80). */
  topDb?: number;
  /** The magnitude's exponent: 1 magnitude, 2 power (default 2). */
  magExp?: number;
  /** The floor of the power and of refPower before the logarithm (default 1e-10). */
  minPower?: number;
  /** The power that is 0 dB (default 1). */
  refPower?: number;
}

// HTK's mel scale.
const hertzToMel = (hz: number): number => 1127 * Math.log(1 + hz / 700);

/**
 * The [bins, numMelBins] matrix from linear spectrogram bins over [0, samplingRate / 2] to
 * HTK mel bands with edges evenly spaced in mel over [lower, upper]; row 0 (DC) is zero.
 */
export function linearToMelMatrix(numMelBins: number, bins: number, samplingRate: number, lower: number, upper: number, dtype: 'float32' | 'float64'): Tensor {
  const out = dtype === 'float32' ? new Float32Array(bins * numMelBins) : new Float64Array(bins * numMelBins);
  const lowMel = hertzToMel(lower);
  const step = (hertzToMel(upper) - lowMel) / (numMelBins + 1);
  const edge = (i: number): number => lowMel + i * step;
  for (let b = 1; b < bins; b++) {
    const mel = hertzToMel((b * (samplingRate / 2)) / (bins - 1));
    for (let m = 0; m < numMelBins; m++) {
      const rising = (mel - edge(m)) / (edge(m + 1) - edge(m));
      const falling = (edge(m + 2) - mel) / (edge(m + 2) - edge(m + 1));
      out[b * numMelBins + m] = Math.max(0, Math.min(rising, falling));
    }
  }
  return fromTypedArray(out, [bins, numMelBins], dtype);
}

/** Raw audio -> mel spectrograms (Keras 3's MelSpectrogram). Input [samples] or [batch, samples]. */
export class MelSpectrogram extends Layer {
  static override className = 'MelSpectrogram';
  /** Samples per FFT. */
  readonly fftLength: number;
  /** Samples between frames. */
  readonly sequenceStride: number;
  /** The window's length. */
  readonly sequenceLength: number;
  /** 'hann' or 'hamming' (periodic), or null for none. */
  readonly window: WindowName | null;
  /** Samples per second. */
  readonly samplingRate: number;
  /** Mel bands. */
  readonly numMelBins: number;
  /** The lowest band's lower edge in Hz. */
  readonly minFreq: number;
  /** The highest band's upper edge in Hz. */
  readonly maxFreq: number;
  /** Decibels rather than power. */
  readonly powerToDb: boolean;
  /** With powerToDb: how far below the batch's largest value the output is cut. */
  readonly topDb: number;
  /** The magnitude's exponent (2: power). */
  readonly magExp: number;
  /** The floor of the power and of refPower before the logarithm. */
  readonly minPower: number;
  /** The power that is 0 dB. */
  readonly refPower: number;

  constructor(args: MelSpectrogramArgs = {}) {
    args = layerOptions(MelSpectrogram, new.target, args);
    const {
      fftLength,
      sequenceStride,
      sequenceLength,
      window,
      samplingRate,
      numMelBins,
      minFreq,
      maxFreq,
      powerToDb,
      topDb,
      magExp,
      minPower,
      refPower,
      ...rest
    } = args;
    super(rest);
    const name = this.name;
    this.fftLength = checkInteger(name, 'fftLength', fftLength ?? 2048, 1);
    this.sequenceStride = checkInteger(name, 'sequenceStride', sequenceStride ?? 512, 1);
    this.sequenceLength = checkInteger(name, 'sequenceLength', sequenceLength ?? this.fftLength, 1);
    if (this.sequenceLength > this.fftLength)
      throw new Error(`${name}: expected sequenceLength <= fftLength, got ${this.sequenceLength} and ${this.fftLength}`);
    const w = window === undefined ? 'hann' : window;
    if (w !== null && w !== 'hann' && w !== 'hamming') throw new Error(`${name}: expected window 'hann', 'hamming' or null, got ${quoted(w)}`);
    this.window = w;
    this.samplingRate = positive(name, 'samplingRate', samplingRate ?? 16000);
    this.numMelBins = checkInteger(name, 'numMelBins', numMelBins ?? 128, 1);
    this.minFreq = checkNumber(name, 'minFreq', minFreq ?? 20);
    // Keras: max_freq or int(sampling_rate / 2).
    this.maxFreq = maxFreq === undefined || maxFreq === null ? Math.trunc(this.samplingRate / 2) : checkNumber(name, 'maxFreq', maxFreq);
    if (!(this.minFreq >= 0 && this.minFreq < this.maxFreq))
      throw new Error(`${name}: expected 0 <= minFreq < maxFreq, got ${this.minFreq} and ${this.maxFreq}`);
    this.powerToDb = checkBoolean(name, 'powerToDb', powerToDb ?? true);
    this.topDb = checkNumber(name, 'topDb', topDb ?? 80);
    this.magExp = checkNumber(name, 'magExp', magExp ?? 2);
    this.minPower = positive(name, 'minPower', minPower ?? 1e-10);
    this.refPower = checkNumber(name, 'refPower', refPower ?? 1);
  }

  override call(inputs: Tensor | Tensor[] | { [name: string]: Tensor }): Tensor {
    let x = inputs as Tensor;
    if (x.rank !== 1 && x.rank !== 2) throw new Error(`${this.name}: expected audio of shape [samples] or [batch, samples], got shape [${x.shape.join(', ')}]`);
    const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
    if (x.dtype !== dtype) x = cast(x, dtype);
    const [re, im] = stft(x, this.sequenceLength, this.sequenceStride, this.fftLength, { window: this.window, center: true });
    const magnitude = sqrt(add(square(re), square(im)));
    const spectrum = this.magExp === 1 ? magnitude : pow(magnitude, this.magExp);
    const bins = spectrum.shape[spectrum.rank - 1];
    const melMatrix = linearToMelMatrix(this.numMelBins, bins, this.samplingRate, this.minFreq, this.maxFreq, dtype);
    const rows = spectrum.shape.slice(0, -1);
    let mel = reshape(matMul(reshape(spectrum, [-1, bins]), melMatrix), [...rows, this.numMelBins]);
    if (this.powerToDb) mel = this.decibels(mel);
    // [..., frames, mels] -> [..., mels, frames]
    return transpose(mel, mel.rank === 2 ? [1, 0] : [0, 2, 1]);
  }

  private decibels(power: Tensor): Tensor {
    const tenLog10 = (t: Tensor | number): Tensor | number => (typeof t === 'number' ? 10 * Math.log10(t) : mul(log(t), 10 / Math.LN10));
    const db = sub(tenLog10(maximum(power, this.minPower)) as Tensor, tenLog10(Math.max(Math.abs(this.refPower), this.minPower)) as number);
    // Keras cuts relative to the largest value of the whole batch.
    return maximum(db, sub(max(db), this.topDb));
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = inputShape as SymbolicShape;
    if (s.length !== 1 && s.length !== 2) throw new Error(`${this.name}: expected audio of shape [samples] or [batch, samples], got shape ${describe(s)}`);
    const samples = s[s.length - 1];
    // Centered: fftLength / 2 on each side, then whole frames of fftLength.
    const frames = samples === null ? null : 1 + Math.floor((samples + 2 * Math.floor(this.fftLength / 2) - this.fftLength) / this.sequenceStride);
    return [...s.slice(0, -1), this.numMelBins, frames];
  }

  protected override outputDType(inputDType: Tensor['dtype']): Tensor['dtype'] {
    return inputDType === 'float64' ? 'float64' : isFloatDType(this.dtype) ? this.dtype : 'float32';
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      fftLength: this.fftLength,
      sequenceStride: this.sequenceStride,
      sequenceLength: this.sequenceLength,
      window: this.window,
      samplingRate: this.samplingRate,
      numMelBins: this.numMelBins,
      minFreq: this.minFreq,
      maxFreq: this.maxFreq,
      powerToDb: this.powerToDb,
      topDb: this.topDb,
      magExp: this.magExp,
      minPower: this.minPower,
      refPower: this.refPower,
    };
  }
}

function positive(op: string, what: string, v: unknown): number {
  const n = checkNumber(op, what, v);
  if (!(n > 0)) throw new Error(`${op}: expected ${what} > 0, got ${describe(v)}`);
  return n;
}
